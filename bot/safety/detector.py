"""INTERIM detector (being replaced): same API, a handful of phrases, so the crisis path can be wired."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache


class Tier(enum.StrEnum):
    IMMINENT = "imminent"
    SELF_HARM = "self_harm"
    IDEATION = "ideation"

    @property
    def severity(self) -> int:
        return {"imminent": 3, "self_harm": 2, "ideation": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Verdict:
    tier: Tier | None
    matched: str | None
    rule: str | None
    language: str | None

    @property
    def crisis(self) -> bool:
        return self.tier is not None


NO_CRISIS = Verdict(None, None, None, None)

_RULES = [
    ("en.imminent.tonight", Tier.IMMINENT, "en", r"doing it tonight|on the bridge|pills ready"),
    ("en.self_harm.kill_myself", Tier.IDEATION, "en", r"kill myself|end it all|want to die|don'?t want to be alive"),
    ("en.ideation.better_off", Tier.IDEATION, "en", r"better off without me"),
    ("es.ideation.morir", Tier.IDEATION, "es", r"quiero morir"),
]


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


class Detector:
    def __init__(self, extra_phrases: Mapping[Tier | str, Sequence[str]] | None = None) -> None:
        self._rules = [(rid, tier, lang, re.compile(p)) for rid, tier, lang, p in _RULES]
        for tier, phrases in (extra_phrases or {}).items():
            for n, phrase in enumerate(phrases):
                self._rules.append(
                    (f"extra.{Tier(tier)}.{n}", Tier(tier), None, re.compile(re.escape(normalise(phrase))))
                )

    def check(self, text: str) -> Verdict:
        key = normalise(text)
        best = NO_CRISIS
        for rid, tier, lang, pattern in self._rules:
            match = pattern.search(key)
            if match and (best.tier is None or tier.severity > best.tier.severity):
                best = Verdict(tier, text[match.start() : match.end()], rid, lang)
        return best


@cache
def default_detector() -> Detector:
    return Detector()
