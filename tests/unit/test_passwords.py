"""What a new password must be (issue 41.5)."""

from __future__ import annotations

import pytest

from crm_core.passwords import password_problem


@pytest.mark.parametrize(
    ("password", "said"),
    [("", "expected at least 12 characters, found 0"),
     ("Tr0ub4dor&3", "expected at least 12 characters, found 11"),
     ("password1234", "too easy to guess (This is a very common password)"),
     ("qwertyuiop12", "too easy to guess"),
     ("wang12345678", "too easy to guess"),  # the user's own name and a run of digits
     ("é" * 37, "expected at most 72 bytes in UTF-8 (bcrypt reads no more), found 74")],
)  # fmt: skip
def test_a_weak_password_is_refused_saying_why(password: str, said: str) -> None:
    assert (password_problem(password, ["wang", "王经理"]) or "").startswith(said)


@pytest.mark.parametrize(
    "password", ["Cedar-Lamp-Harbor-42", "correct horse battery staple", "长城脚下的一杯绿茶与晚风"]
)
def test_a_few_unrelated_words_pass(password: str) -> None:
    assert password_problem(password, ["wang"]) is None
