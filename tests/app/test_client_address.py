"""Failed sign-ins are counted per browser address, also behind the reverse proxy of deploy/
(issue 41.2): the proxy on this machine names the browser in X-Real-IP."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui import auth


@pytest.mark.parametrize(
    ("ip_address", "headers", "expected"),
    [
        ("198.51.100.7", {"X-Real-IP": "203.0.113.9"}, "198.51.100.7"),  # direct: header ignored
        (None, {"X-Real-IP": " 203.0.113.9 "}, "203.0.113.9"),  # from loopback: the proxy's word
        (None, {}, "unknown"),  # a browser on this machine, no proxy
        (None, {"X-Real-IP": "x" * 500}, "x" * 64),  # a forged giant header is cut
    ],
)
def test_the_address_failed_sign_ins_count_against(
    monkeypatch: pytest.MonkeyPatch, ip_address: str | None, headers: dict, expected: str
) -> None:
    context = SimpleNamespace(ip_address=ip_address, headers=headers)
    monkeypatch.setattr(auth.st, "context", context)
    assert auth.client_address() == expected
