"""How a clinic names a patient outside the bot: its own record number (MRN) and an e-mail address.

A record number is kept as the clinic writes it and compared without regard to case; an address is kept in lower
case.
"""

from __future__ import annotations

import re

MAX_EXTERNAL_ID = 64
MAX_EMAIL = 254
# Letters, digits and the separators record systems use; no spaces, so an id is one word inside a summary.
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/:-]*[A-Za-z0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def external_id(value: str) -> str | None:
    """A record number as stored (None for an empty value: none); ValueError says what is wrong."""
    text = value.strip()
    if not text:
        return None
    if len(text) > MAX_EXTERNAL_ID or not _EXTERNAL_ID.fullmatch(text):
        raise ValueError(
            f"not a record number: {value!r}; use up to {MAX_EXTERNAL_ID} letters and digits, "
            "with . _ / : - between them"
        )
    return text


def email(value: str) -> str | None:
    """An e-mail address as stored, lower case (None for an empty value: none); ValueError says what is wrong."""
    text = value.strip().removeprefix("mailto:").removeprefix("MAILTO:")
    if not text:
        return None
    if len(text) > MAX_EMAIL or not _EMAIL.fullmatch(text):
        raise ValueError(f"not an e-mail address: {value!r}")
    return text.lower()
