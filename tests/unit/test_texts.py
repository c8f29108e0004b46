"""The catalogue: every text fills in, and none promises a watcher or secrecy or names a means of harm."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from bot.texts import EN, t

FORBIDDEN = re.compile(
    r"\b(?:24/7|24 hours|always (?:here|watching|available)|(?:is|are|someone is) watching|monitored|confidential|"
    r"secret|private between|nobody else will|no one else will|pills?|rope|knife|blade|razor|overdose|jump|"
    r"bridge|gun|hang(?:ing)?)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("key", sorted(EN))
def test_every_text_fills_in_and_is_careful(key: str) -> None:
    names = {name for _, name, _, _ in Formatter().parse(EN[key]) if name}
    text = t(key, **{name: "x" for name in names})
    assert "{" not in text
    assert not FORBIDDEN.search(EN[key]), (key, FORBIDDEN.search(EN[key]))


def test_untranslated_languages_fall_back_to_english() -> None:
    assert t("journal.saved", "xx") == EN["journal.saved"]
