"""The OWASP CSV-injection rule (issue 13.1), written out cell by cell."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_core.spreadsheet import csv_safe, csv_safe_frame, formula_like, unquoted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","c")', True),
        ("+86 138 0000", True),
        ("-cmd|' /C calc'!A0", True),
        ("@SUM(A1:A2)", True),
        ("\t=1+1", True),
        ("\r=1+1", True),
        ("-12.50", False),
        ("+3", False),
        ("1e30", False),
        ("-", True),
        ("上海鑫达", False),
        ("a=b", False),
        ("", False),
        (12, False),
        (None, False),
    ],
)
def test_formula_like_flags_what_a_spreadsheet_would_run(value: object, expected: bool) -> None:
    assert formula_like(value) is expected


def test_csv_safe_puts_an_apostrophe_before_a_formula_and_import_takes_it_away() -> None:
    name = '=HYPERLINK("http://x","c")'
    assert csv_safe(name) == "'" + name
    assert unquoted(csv_safe(name)) == name
    assert csv_safe("-12.50") == "-12.50"
    assert unquoted("'quoted on purpose") == "'quoted on purpose"


def test_a_frame_is_made_safe_in_its_text_cells_and_names_not_its_numbers() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "amount": [-5, 7], "@x": ["a", "b"]})
    safe = csv_safe_frame(frame)
    assert safe.to_dict("list") == {"name": ["'=1+1", "ok"], "amount": [-5, 7], "'@x": ["a", "b"]}
    assert frame.name.tolist() == ["=1+1", "ok"]  # the input is not changed


def test_cli_csv_output_quotes_formula_names() -> None:
    import cli

    out = cli.render(pd.DataFrame({"name": ["=2+3"], "revenue": [100]}), "csv")
    assert out.splitlines() == ["name,revenue", "'=2+3,1.0"]


# ---------------------------------------------------------------- 13.6 text stays text

from crm_core.formatting import plain  # noqa: E402


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("![x](http://evil/p.png)", "\\!\\[x\\]\\(http\u2060\\:\\/\\/evil\\/p\\.png\\)"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("www.evil.com", "www\u2060\\.evil\\.com"),
        ("HTTPS://x a@b.cn", "HTTPS\u2060\\:\\/\\/x a\\@\u2060b\\.cn"),
        ("Shttp: awww.b", "Shttp\\: awww\\.b"),
        (":red[alarm] $x$", r"\:red\[alarm\] \$x\$"),
        ("# heading\n- item", "\\# heading  \n\\- item"),
        ("上海鑫达 A1", "上海鑫达 A1"),
        (None, ""),
    ],
)
def test_plain_escapes_every_markdown_construct(typed: object, shown: str) -> None:
    assert plain(typed) == shown
