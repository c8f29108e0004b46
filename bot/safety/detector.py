"""Crisis detection: text in, verdict out. Pure, compiled once, a few microseconds per message.

The text is normalised (Unicode, case, apostrophes, accents, stretched letters, letter-for-digit spellings)
into a key of plain words; phrase rules (see `phrases.py`) run over the key, each only when one of its anchor
words is present. Phrases, not lone words: "die" or "kill" alone never fire. A negation just before a
negatable phrase ("I'm not suicidal") and an idiom just after it ("want to die of embarrassment") cancel it.
Very long texts are checked in their first 20,000 and last 4,000 characters.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from bot.safety.phrases import NEGATIONS, RULES, Rule

HEAD_CHARS = 20_000
TAIL_CHARS = 4_000
EXCERPT_CHARS = 80
NEGATION_WINDOW = 4


class Tier(enum.StrEnum):
    IMMINENT = "imminent"
    SELF_HARM = "self_harm"
    IDEATION = "ideation"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Tier.IMMINENT: 3, Tier.SELF_HARM: 2, Tier.IDEATION: 1}


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

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u034f\u180e]")
_TOKEN = re.compile(r"[\w'’‘ʼ`´@$!]+")
_BANG_IN_WORD = re.compile(r"(?<=[^\W\d_])!(?=[^\W\d_])")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_REPEATS = re.compile(r"([^\W\d_])\1+")


def _fold(token: str) -> str:
    token = _BANG_IN_WORD.sub("i", token.casefold().translate(_QUOTES)).strip("!")
    if any(c.isalpha() for c in token) and any(c.isdigit() or c in "@$" for c in token):
        token = token.translate(_LEET)
    token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    token = token.replace("'", "").replace("@", "").replace("$", "")
    return _REPEATS.sub(r"\1", token)


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = text[:HEAD_CHARS] + " … " + text[-TAIL_CHARS:]
    return text


def _tokens(base: str) -> tuple[list[str], list[tuple[int, int]]]:
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(base):
        folded = _fold(match.group())
        if folded:
            words.append(folded)
            spans.append(match.span())
    return _join_spelled_out(words, spans)


def _join_spelled_out(words: list[str], spans: list[tuple[int, int]]) -> tuple[list[str], list[tuple[int, int]]]:
    """ "d i e" → "die": three or more single letters in a row are one word spelled out."""
    joined: list[str] = []
    joined_spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and len(words[j]) == 1 and words[j].isalpha():
            j += 1
        if j - i >= 3:
            joined.append(_REPEATS.sub(r"\1", "".join(words[i:j])))
            joined_spans.append((spans[i][0], spans[j - 1][1]))
            i = j
        else:
            joined.append(words[i])
            joined_spans.append(spans[i])
            i += 1
    return joined, joined_spans


def normalise(text: str) -> str:
    """The key rules match against: folded words separated by single spaces."""
    return " ".join(_tokens(_prepare(text))[0])


_NOT_A_DENIAL = {"one", "point", "reason", "matter", "future", "hope", "way", "se"}


def _fold_pattern(pattern: str) -> str:
    """Patterns are written as people write; fold them the way the text is folded."""
    pattern = pattern.translate(_QUOTES).replace("'", "")
    # The lookbehind keeps escapes such as \bb (a word boundary, then "b") intact.
    return re.sub(r"(?<!\\)([a-z])\1+", r"\1", pattern)


_NEGATION = re.compile(_fold_pattern(NEGATIONS))


@dataclass(frozen=True, slots=True)
class _Compiled:
    id: str
    tier: Tier
    language: str | None
    pattern: re.Pattern[str]
    anchors: tuple[str, ...]
    negatable: bool
    unless: re.Pattern[str] | None


def _compile(rule: Rule, language: str) -> _Compiled:
    return _Compiled(
        id=rule.id,
        tier=Tier(rule.tier),
        language=language,
        pattern=re.compile(_fold_pattern(rule.pattern)),
        anchors=tuple(_fold_pattern(a) for a in rule.anchors),
        negatable=rule.negatable,
        unless=re.compile(_fold_pattern(rule.unless)) if rule.unless else None,
    )


def _extra(tier: Tier, number: int, phrase: str) -> _Compiled | None:
    words = normalise(phrase).split()
    if not words:
        return None
    return _Compiled(
        id=f"extra.{tier.value}.{number}",
        tier=tier,
        language=None,
        pattern=re.compile(r"\b" + " ".join(re.escape(w) for w in words) + r"\b"),
        anchors=(max(words, key=len),),
        negatable=False,
        unless=None,
    )


class Detector:
    def __init__(self, extra_phrases: Mapping[Tier | str, Sequence[str]] | None = None) -> None:
        rules = [_compile(rule, language) for language, group in RULES.items() for rule in group]
        for tier, phrases in (extra_phrases or {}).items():
            for number, phrase in enumerate(phrases):
                compiled = _extra(Tier(tier), number, phrase)
                if compiled is not None:
                    rules.append(compiled)
        # Most severe first, so a message stops at its worst match.
        self._rules = sorted(rules, key=lambda r: -r.tier.severity)

    def check(self, text: str) -> Verdict:
        base = _prepare(text)
        words, spans = _tokens(base)
        if not words:
            return NO_CRISIS
        key = " ".join(words)
        for rule in self._rules:
            if not any(anchor in key for anchor in rule.anchors):
                continue
            for match in rule.pattern.finditer(key):
                if rule.unless is not None and rule.unless.match(key, match.end()):
                    continue
                if rule.negatable and _negated(base, spans[key.count(" ", 0, match.start())][0]):
                    continue
                return Verdict(rule.tier, _excerpt(base, key, spans, match), rule.id, rule.language)
        return NO_CRISIS


_CLAUSE_END = re.compile(r"[.,;:!?…—–()\n]")


def _negated(base: str, start: int) -> bool:
    """A denial among the few words before the phrase, within its own clause."""
    clause = _CLAUSE_END.split(base[:start])[-1]
    before = [w for w in (_fold(t) for t in _TOKEN.findall(clause)) if w][-NEGATION_WINDOW:]
    # "no one cares" and "no point" are no denial of what follows.
    return any(
        _NEGATION.fullmatch(word) and not (word == "no" and following in _NOT_A_DENIAL)
        for word, following in zip(before, [*before[1:], ""], strict=False)
    )


def _excerpt(base: str, key: str, spans: list[tuple[int, int]], match: re.Match[str]) -> str:
    first = key.count(" ", 0, match.start())
    last = key.count(" ", 0, max(match.end() - 1, match.start()))
    start, end = spans[first][0], spans[min(last, len(spans) - 1)][1]
    if end - start > EXCERPT_CHARS:
        end = start + EXCERPT_CHARS
    return base[start:end]


@cache
def default_detector() -> Detector:
    return Detector()
