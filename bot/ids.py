"""Row ids that arrive from outside (button data, command arguments), checked before they reach a query."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL refuses a larger number in a query outright


def parse_id(text: str) -> int | None:
    """The id, or None: '²' and '١٢' pass `str.isdigit` (and int() refuses the first), and no row has a bigger id."""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_ID)):
        return None  # before int(), which raises past 4,300 digits
    number = int(digits)
    return number if number <= MAX_ID else None
