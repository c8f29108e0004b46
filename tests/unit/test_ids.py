"""`bot.ids.parse_id`: what a person typed or a button carried, as an id a query can use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("text", "expected"), [("1", 1), ("0042", 42), ("2147483647", MAX_ID), ("0" * 100_000 + "7", 7)]
)
def test_ascii_digits_that_fit_a_row(text: str, expected: int) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize("text", ["", "²", "١٢", "𝟙", "-1", "+1", "1e3", " 1", "2147483648", "9" * 40, "9" * 100_000])
def test_anything_else_is_refused(text: str) -> None:
    assert parse_id(text) is None


@given(st.text())
def test_never_raises_and_stays_in_range(text: str) -> None:
    found = parse_id(text)
    assert found is None or 0 <= found <= MAX_ID
