"""What a new password must be (issue 41.5): at least :data:`MIN_LENGTH` characters, at most
bcrypt's 72 bytes (a longer one is refused, never cut), and not easy to guess as zxcvbn
(Dropbox's estimator: common passwords, words, names, dates, keyboard patterns and the
user's own name) judges it. A password set before these rules keeps working; its owner is
asked to change it at the next sign-in."""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_BYTES = 72  # bcrypt reads no more
MIN_SCORE = 3  # zxcvbn's 0–4: 3 is "safely unguessable: moderate protection from offline attack"


def password_problem(password: str, own: Sequence[str] = ()) -> str | None:
    """What is wrong with ``password`` as a new password (``None``: nothing); ``own``: the
    user's username and name, which a password must not lean on."""
    if len(password) < MIN_LENGTH:
        return f"expected at least {MIN_LENGTH} characters, found {len(password)}"
    size = len(password.encode())
    if size > MAX_BYTES:
        return f"expected at most {MAX_BYTES} bytes in UTF-8 (bcrypt reads no more), found {size}"
    verdict = zxcvbn(password[:MAX_BYTES], user_inputs=[o for o in own if o])
    if verdict["score"] < MIN_SCORE:
        why = verdict["feedback"].get("warning") or "it follows a common pattern"
        return f"too easy to guess ({why.rstrip('.')}); add words or characters nobody would guess"
    return None
