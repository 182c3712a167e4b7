"""The only Streamlit code outside pages: translation, sign-in, filters, cached loaders, charts."""
