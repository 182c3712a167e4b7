"""Pure domain logic of the sales process dashboard.

Imports only the standard library, pandas and numpy (the dependency rule, enforced by
``tests/unit/test_dependency_rule.py``).
"""
