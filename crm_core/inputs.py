"""What a value typed by someone may be, decided in one place for the app, the CLI and imports
(README, Users): usernames, display names, e-mail addresses, IDs and free text. Each check
returns the value to store or raises :class:`InputRefused` saying what was expected."""

from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address
from email.utils import getaddresses

USERNAME_MAX = 64
NAME_MAX = 200
ID_MAX = 32  # db.schema.Id
FREE_TEXT_MAX = 4_000  # a daily report's summary, a comment, a market report
# A username: letters and digits of any script, and . _ - @ inside (no slash, no space, no
# leading dot), so it is safe in a file name, a log line and a mail header.
USERNAME = re.compile(r"[^\W_](?:[\w.@-]*[^\W_])?")
# Control, format (zero-width, bidi overrides), separator, private-use and unassigned characters:
# invisible or misleading in an ID or a name.
HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class InputRefused(ValueError):
    pass


def hidden_characters(text: str, allow_space: bool = True) -> list[str]:
    """The characters of ``text`` a reader cannot see or that change how it reads, as
    ``U+200B`` codes (a plain space is allowed unless ``allow_space`` is false)."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if unicodedata.category(ch) in HIDDEN
        or (unicodedata.category(ch) == "Zs" and not (allow_space and ch == " "))
    ]


def username(text: str) -> str:
    """The stored form of a username: NFKC-normalised and lower-case, so ``ｍａｎａｇｅｒ``,
    ``Manager`` and ``manager`` are one user; letters, digits and ``. _ - @`` only, at most
    :data:`USERNAME_MAX` characters."""
    canonical = unicodedata.normalize("NFKC", text).strip().casefold()
    if not canonical:
        raise InputRefused("username: a value is required")
    if len(canonical) > USERNAME_MAX:
        raise InputRefused(
            f"username: expected at most {USERNAME_MAX} characters, found {len(canonical)}"
        )
    if hidden := hidden_characters(canonical, allow_space=False):
        raise InputRefused(f"username: expected visible characters, found {', '.join(hidden)}")
    if not USERNAME.fullmatch(canonical):
        raise InputRefused(
            "username: expected letters and digits with . _ - @ inside (no slash, space or "
            f"leading dot), found {text!r}"
        )
    return canonical


def display_name(text: str, what: str = "name") -> str:
    """A person's or a thing's name: one line of visible characters, at most
    :data:`NAME_MAX`."""
    name = text.strip()
    if not name:
        raise InputRefused(f"{what}: a value is required")
    if hidden := hidden_characters(name):
        raise InputRefused(
            f"{what}: expected one line of visible characters, found {', '.join(hidden)}"
        )
    if len(name) > NAME_MAX:
        raise InputRefused(f"{what}: expected at most {NAME_MAX} characters, found {len(name)}")
    return name


def email_address(text: str, what: str = "e-mail") -> str:
    """Exactly one address ``name@example.com`` (no display name, no second address), as the
    standard library's parser reads it."""
    address = text.strip()
    parsed = getaddresses([address])
    if (
        len(parsed) != 1
        or parsed[0][0]
        or parsed[0][1] != address
        or hidden_characters(address, allow_space=False)
        or not EMAIL.fullmatch(address)
    ):
        raise InputRefused(f"{what}: expected one address like name@example.com, found {text!r}")
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        raise InputRefused(
            f"{what}: expected one address like name@example.com, found {text!r}"
        ) from None
    return address


def id_problem(text: str) -> str | None:
    """Why ``text`` is no usable ID (``None`` when it is): IDs are compared character by
    character, so full-width forms, invisible characters and over-long IDs are refused rather
    than stored as a second, look-alike row."""
    if hidden := hidden_characters(text, allow_space=False):
        return f"expected an ID of visible characters, found {', '.join(hidden)} in {text!r}"
    normal = unicodedata.normalize("NFKC", text)
    if normal != text:
        return f"expected an ID in plain characters, found {text!r} (did you mean {normal!r}?)"
    if len(text) > ID_MAX:
        return f"expected an ID of at most {ID_MAX} characters, found {len(text)}"
    return None


def free_text(text: str | None, what: str, limit: int = FREE_TEXT_MAX) -> str | None:
    """Free text (a summary, a comment) of at most ``limit`` characters; control characters
    other than line breaks and tabs are refused."""
    if text is None:
        return None
    prefix = f"{what}: " if what else ""
    if len(text) > limit:
        raise InputRefused(f"{prefix}expected at most {limit:,} characters, found {len(text):,}")
    controls = [
        f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t"
    ]
    if controls:
        raise InputRefused(f"{prefix}expected text, found the control characters {controls}")
    return text
