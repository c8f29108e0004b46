"""The catalogue: every text fills in, and none promises a watcher or secrecy or names a means of harm."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from bot.texts import EN, Plural, english, t

FORBIDDEN = re.compile(
    r"\b(?:24/7|24 hours|always (?:here|watching|available)|(?:is|are|someone is) watching|monitored|confidential|"
    r"secret|private between|nobody else will|no one else will|pills?|rope|knife|blade|razor|overdose|jump|"
    r"bridge|gun|hang(?:ing)?)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("key", sorted(EN))
def test_every_text_fills_in_and_is_careful(key: str) -> None:
    entry = EN[key]
    forms = [entry.one, entry.other] if isinstance(entry, Plural) else [entry]
    for form, number in zip(forms, (1, 2), strict=False):
        names = {name for _, name, _, _ in Formatter().parse(form) if name}
        values: dict[str, object] = {name: "x" for name in names}
        if isinstance(entry, Plural):
            values[entry.count] = number
        assert t(key, **values) == form.format(**values)
        assert "{" not in t(key, **values)
        assert not FORBIDDEN.search(form), (key, FORBIDDEN.search(form))


def test_untranslated_languages_fall_back_to_english() -> None:
    assert t("journal.saved", "xx") == english("journal.saved")
