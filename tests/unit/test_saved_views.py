"""What a saved view keeps (issue 40.1): its name, its page and the page's URL parameters."""

from __future__ import annotations

import pytest

from crm_core.saved_views import view_name, view_page, view_params


def test_a_name_is_trimmed_and_its_inner_spaces_made_one() -> None:
    assert view_name("  华东  Q4   新客户 ") == "华东 Q4 新客户"


@pytest.mark.parametrize(
    ("text", "said"),
    [("", "give the view a name"), ("   ", "give the view a name"),
     ("x" * 81, "at most 80 characters (81 given)"), ("a\x00b", "no control characters")],
)  # fmt: skip
def test_a_bad_name_says_what_is_wrong(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said.replace("(", r"\(").replace(")", r"\)")):
        view_name(text)


def test_the_language_is_the_openers_and_the_rest_is_kept_sorted() -> None:
    kept = view_params({"region": "R001,R002", "lang": "zh", "period": "last_month"})
    assert kept == {"period": "last_month", "region": "R001,R002"}
    assert list(kept) == ["period", "region"]


@pytest.mark.parametrize(
    "params",
    [{"Region": "R1"}, {"a b": "1"}, {"x": "y" * 2001}, {f"p{i}": "1" for i in range(31)}],
)
def test_parameters_no_page_writes_are_refused(params: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="params: "):
        view_params(params)


def test_a_page_is_an_id() -> None:
    assert view_page("targets") == "targets"
    with pytest.raises(ValueError, match="no page"):
        view_page("../admin")
