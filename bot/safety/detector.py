"""Crisis detection: text in, verdict out. Pure (no I/O), compiled once, a few microseconds per message.

How a message is read
---------------------
1. Very long texts are cut to their first 20,000 and last 4,000 characters (a farewell usually sits at the
   end of a long message): the work stays linear and bounded, the middle of a huge text is not read.
2. `normalise`: Unicode NFKC, casefold, accents / combining marks / zero-width and other format characters
   stripped ("suicídio" = "suicidio", "müde" = "mude"), curly quotes made straight, French elisions split
   ("j'ai" -> "j ai"), other apostrophes dropped ("don't" = "dont", "I'm" = "im"), letter-for-digit
   spellings undone only inside tokens that mix letters and digits ("k1ll", "su1c1de", "d13"; "3 pills",
   "20:00", "3pm", "20mg" stay), "!" inside a word read as "i" ("k!ll"), letters spelled out joined
   ("d i e"), runs of three or more identical letters shortened to one ("sooo", "diiiie"), and everything
   else that is not a letter or digit collapsed to single spaces.
3. Rules (see `phrases.py`) match a key in which doubled letters are single too ("kill" -> "kil", in the
   text and in the patterns alike), so doubled, single or stretched spellings all match. Each top-level
   alternative of a rule is a unit of its own; its literal beginning ("want to", "suicid") is read off
   the pattern, one regex over the key finds which beginnings occur, and only those units run. The key is
   padded with spaces so every unit starts with a literal space, which the regex engine can skip to.
4. The most severe tier wins. A match is set aside when an idiom follows it (`unless`: "want to die of
   embarrassment"), or, for guarded rules, when the clause denies it ("I'm not suicidal", "I would never
   hurt myself", "no thoughts of suicide"; a denial reaches back over light words only: pronouns,
   auxiliaries, "want", "thoughts", ...; not over "and"/"but" or the end of a sentence), or puts it in the
   past and then says it is resolved ("I used to want to die, now I'm better"). Topic rules (a bare
   "suicidal", "self-harm") are also set aside in talk about a film or book, a question someone asked, a
   death, and "thoughts ... are gone". Phrases that carry their own negation are never guarded ("I don't
   want to live", "I'm not sure I want to live", "je ne veux plus vivre", "ich will nicht mehr leben").

Decisions on the ambiguous cases
--------------------------------
* Saving or stockpiling pills is IMMINENT: gathering the means is preparation, staff should hear at once.
* Past ideation leans to recall: "I used to want to die" alone fires (ideation); it is set aside only when
  a resolution follows ("now I'm better", "haven't since", "it's been a year", "seit ... nicht mehr",
  "maintenant ça va") and nothing says it is back ("still", "again", "todavía", "wieder", "encore").
* Another person's crisis ("my friend said she wants to die") is IDEATION with a rule id ending in
  ".other_person"; another person's act under way ("my sister took a bunch of pills") is IMMINENT.
* Ketamine dissociation ("felt like I left my body", "like I was dying in the k-hole but it passed") is no
  crisis by itself: no rule reads "dying" or "dead" alone.

`Verdict.matched` is cut from the original text (the words the match covers, at most 80 characters): the
original is read again run by run to find where those words sit; should that ever disagree with the key
(exotic Unicode), a window of the original around the same relative position is given instead.
"""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from itertools import accumulate

from bot.safety import phrases
from bot.safety.phrases import Guard, Rule

HEAD_CHARS = 20_000
TAIL_CHARS = 4_000
EXCERPT_CHARS = 80
DENIAL_REACH = 6  # words a denial reaches back over (light words only)
TOPIC_AHEAD = 3  # words after a topic phrase that may still say it is about a film or a question


class Tier(enum.StrEnum):
    IMMINENT = "imminent"
    SELF_HARM = "self_harm"
    IDEATION = "ideation"
    POSSIBLE = "possible"  # not sure enough to alert: the bot asks the patient first

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Tier.IMMINENT: 3, Tier.SELF_HARM: 2, Tier.IDEATION: 1, Tier.POSSIBLE: 0}


class Concern(enum.StrEnum):
    """What a message that is not the writer's own crisis is about."""

    OTHER_PERSON = "other_person"  # someone else's crisis: the writer needs to know how to help
    PAST = "past"  # the writer's own thoughts or self-harm, over and resolved


@dataclass(frozen=True, slots=True)
class Verdict:
    tier: Tier | None
    matched: str | None
    rule: str | None
    language: str | None
    score: float | None = None  # the learned layer's probability of a crisis, when it was asked
    concern: Concern | None = None
    # What the rules saw on the way: a tier matched, someone else, a match set aside as denied, past or
    # topic talk. The learned layer reads these as features.
    signals: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def crisis(self) -> bool:
        """The crisis path runs: a clear crisis, or a possible one the patient is asked about."""
        return self.tier is not None

    @property
    def clear(self) -> bool:
        """Sure enough to answer with the hotlines and alert the staff at once."""
        return self.tier is not None and self.tier is not Tier.POSSIBLE


NO_CRISIS = Verdict(None, None, None, None)


# ---------------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------------


def _char_class(keep: Callable[[str], bool]) -> str:
    """A regex character class of the characters below U+10000 that `keep` accepts, as ranges."""
    ranges: list[list[int]] = []
    for code in range(0x80, 0x10000):
        if not keep(chr(code)):
            continue
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)


_TAGS = "\U000e0000-\U000e007f\U000e0100-\U000e01ef"  # tag characters and variation selectors 17-256
# Combining marks and format characters (zero-width, bidi, soft hyphen, variation selectors, tags).
_STRIP = re.compile(
    "["
    + _char_class(lambda c: bool(unicodedata.combining(c)) or unicodedata.category(c) in ("Mn", "Me", "Cf"))
    + _TAGS
    + "]"
)
# Format characters alone: between two words they may be what glues them ("i\u200bwant").
_FORMAT = re.compile("[" + _char_class(lambda c: unicodedata.category(c) == "Cf") + _TAGS + "]")


def _confusables() -> dict[int, str]:
    """Letters of other scripts that look like Latin ones ("і", "е", "ο"), from Unicode's confusables data."""
    data = files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for char, homoglyphs in json.loads(data).items():
        if len(char) != 1 or char.isascii() or not char.isalpha():
            continue
        latin = next((h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()), None)
        if latin is not None:
            table[ord(char)] = latin.casefold()
    return table


_CONFUSABLES = _confusables()
_FOLD = str.maketrans(
    {
        "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "′": "'", "＇": "'",
        "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    }
)  # fmt: skip
_ELISION = re.compile(r"\b([cdjlmnst]|qu)'(?=[^\W\d_])")  # French: j'ai, d'idées, l'envie, qu'elle
# Everything but letters, digits, @ and $ separates words (@ and $ may stand for letters: "$uicide").
_ASCII_SEPARATORS = bytes(b if chr(b).isalnum() or chr(b) in "@$" else 32 for b in range(256))
_SEPARATORS = re.compile(r"[^\w@$]+|_+")
# The same, keeping the sentence ("|") and comma (",") marks the guards read.
_ASCII_SEPARATORS_MARKED = bytes(b if chr(b).isalnum() or chr(b) in "@$|," else 32 for b in range(256))
_SEPARATORS_MARKED = re.compile(r"[^\w@$|,]+|_+")
_LEET_CHARS = re.compile(r"[\d@$]")
_BANG = re.compile(r"(?<=[^\W\d_])!(?=[^\W\d_])")  # k!ll: an exclamation mark inside a word is an i
# d i e, c u t: letters spelled out. At most 12, and never ending in "i" or "a", which are words of their own:
# a run of stray letters must not swallow the "I" of "I want to die".
_SPELLED = re.compile(r" [a-z](?: [a-z]){1,10} [b-hj-z](?= )")
_STRONG = re.compile(r"[.!?;…¿¡()\[\]{}\n\r]+|\s[-–—]+\s|[–—]+")  # ends a sentence (or a parenthesis)
_LETTER = re.compile(r"[^\W\d_]")
# A space-separated token with a digit, @ or $ (anchored at token starts, possessive: linear).
_LEET_TOKEN = re.compile(r"(?<![^ ])[^ \d@$]*+[\d@$][^ ]*")
_UNIT = re.compile(r"\d+[^\W\d_]{1,3}")  # 3pm, 20mg, 2nd, 10x: a number with its unit, not a spelling
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_RUNS = re.compile(r"([^\W\d_])\1{2,}")  # sooo, diiiie
_DOUBLES = re.compile(r"([a-z])(?=\1)")  # for the key: kill = kil, pills = pils


def _cap(text: str) -> tuple[str, int]:
    """The part of the text that is read, and how far its tail sits from the same place in the original."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text, 0
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:], len(text) - TAIL_CHARS - HEAD_CHARS - 1


def _stream(text: str) -> str:
    """Characters folded: NFKC, casefold, no accents, marks or invisible characters, straight quotes."""
    if text.isascii():
        return text.casefold().replace("`", "'")
    text = unicodedata.normalize("NFKC", text).casefold().translate(_CONFUSABLES)
    text = _STRIP.sub("", unicodedata.normalize("NFD", text)).translate(_FOLD)
    return unicodedata.normalize("NFC", text)


def _fold_token(match: re.Match[str]) -> str:
    """A token with a digit, @ or $: a letter-for-digit spelling if it also has letters, else plain."""
    token = match.group()
    if token.isdigit():
        return token
    if _LETTER.search(token) and not _UNIT.fullmatch(token):
        return token.translate(_LEET)
    return token.replace("@", " ").replace("$", " ")


def _words(stream: str, *, marked: bool = False) -> list[str]:
    """The words of a folded stream: elisions split, apostrophes dropped, punctuation and spaces collapsed.
    `marked`: with "|" where a sentence ends and "," for a comma, as words of their own."""
    if "'" in stream:
        stream = _ELISION.sub(r"\1 ", stream.replace("_", " ")).replace("'", "")
    if "!" in stream:
        stream = _BANG.sub("i", stream)
    if marked:
        stream = _STRONG.sub(" | ", stream.replace("|", " ")).replace(",", " , ")
    if stream.isascii():
        table = _ASCII_SEPARATORS_MARKED if marked else _ASCII_SEPARATORS
        stream = stream.encode("ascii").translate(table).decode("ascii")
    else:
        stream = (_SEPARATORS_MARKED if marked else _SEPARATORS).sub(" ", stream)
    if _LEET_CHARS.search(stream):
        stream = _LEET_TOKEN.sub(_fold_token, stream)
    return stream.split()


def _spelled(match: re.Match[str]) -> str:
    letters = match.group().replace(" ", "")
    if letters[0] in "ia" and len(letters) > 3:  # "i c u t": I, then a word
        return f" {letters[0]} {letters[1:]}"
    return " " + letters


def _padded(words: list[str]) -> str:
    """The words with a space either side, letters spelled out one by one joined up."""
    return _SPELLED.sub(_spelled, " " + " ".join(words) + " ")


def normalise(text: str) -> str:
    """Folded words separated by single spaces (rules see this with doubled letters made single too)."""
    return _RUNS.sub(r"\1", _padded(_words(_stream(_cap(text)[0]))).strip())


def fold_pattern(pattern: str) -> str:
    """Fold a rule's pattern as the text is folded: no accents or apostrophes, elisions split, no doubles."""
    pattern = "".join(c for c in unicodedata.normalize("NFD", pattern) if not unicodedata.combining(c))
    pattern = re.sub(r"(?:(?<![a-z])|(?<=\\b))([cdjlmnst]|qu)'(?=[a-z])", r"\1 ", pattern)
    pattern = pattern.replace("'?", "").replace("'", "")
    # The lookbehind keeps escapes such as \bb (a word boundary, then "b") intact.
    return re.sub(r"(?<!\\)([a-z])\1+", r"\1", pattern)


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) for each character outside escapes and character classes."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        else:
            depth += {"(": 1, ")": -1}.get(char, 0)
            yield i, char, depth
        i += 1


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    parts, start = [], 0
    for i, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    """The index of the parenthesis that closes the group opened at `start`."""
    for i, char, depth in _structure(pattern, start):
        if char == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced group in {pattern!r}")


_MAX_LEADS = 80


def _leads(pattern: str, known: str = "") -> set[str] | None:
    """Literal beginnings, one of which starts every match of `pattern` (a sequence, no top-level "|"):
    "(?:want|wish) to die" -> {"want to die", "wish to die"}. None when a match may begin otherwise."""

    def stop() -> set[str] | None:
        return {known.strip()} if known.strip() else None

    i = 0
    while i < len(pattern):
        char, after = pattern[i], pattern[i + 1 : i + 2]
        if char.isalnum() or char == " ":
            if after in ("?", "*", "{"):
                return stop()
            known += char
            i += 1
            if after == "+":
                return stop()
        elif pattern.startswith(r"\b", i):
            if known.strip():
                return stop()
            i += 2
        elif char == "(":
            end = _group_end(pattern, i)
            if pattern.startswith(("(?=", "(?!", "(?<"), i):  # zero-width: look past it
                i = end + 1
                continue
            if len(known.strip()) >= 3:
                return stop()
            quantifier = pattern[end + 1 : end + 2]
            rest = pattern[end + 1 + (quantifier in ("?", "*", "+")) :]
            options = _alternatives(pattern[i + (3 if pattern.startswith("(?:", i) else 1) : end])
            if quantifier in ("?", "*"):
                options.append("")
            found: set[str] = set()
            for option in options:
                more = _leads(option + rest, known)
                if more is None or len(found | more) > _MAX_LEADS:
                    return stop()
                found |= more
            return found
        else:
            return stop()
    return stop()


def _words_of(pattern_text: str) -> frozenset[str]:
    return frozenset(fold_pattern(w) for w in pattern_text.split())


# ---------------------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Compiled:
    id: str
    tier: Tier
    language: str | None
    pattern: re.Pattern[str]  # matches from the space before its first word
    anchors: tuple[str, ...]
    guard: Guard
    unless: re.Pattern[str] | None
    other_person: bool = False  # about someone else: a concern, not the writer's crisis


def _compile(rule: Rule, language: str, tier: str) -> list[_Compiled]:
    """One unit per top-level alternative, each tried only when a word of the message begins like it.
    The leading \b becomes a literal space (the key is padded with spaces): a literal first character lets
    the regex engine skip ahead, several times faster than a word boundary."""
    rule_id = f"{language}.{tier}.{rule.name}"
    unless = re.compile(fold_pattern(rule.unless)) if rule.unless else None
    units = []
    for alternative in _alternatives(fold_pattern(rule.pattern)):
        if not alternative.startswith(r"\b"):
            raise ValueError(f"{rule_id}: every alternative starts with \\b: {alternative!r}")
        leads = _leads(alternative) or {fold_pattern(a) for a in rule.anchors}
        if not leads:
            raise ValueError(f"{rule_id}: give anchors for {alternative!r}")
        pattern = re.compile(" " + alternative[2:])
        units.append(
            _Compiled(
                rule_id,
                Tier(tier),
                language,
                pattern,
                tuple(sorted(leads)),
                rule.guard,
                unless,
                other_person=rule.name == "other_person",
            )
        )
    return units


def _extra(tier: Tier, number: int, phrase: str) -> _Compiled | None:
    words = _DOUBLES.sub("", normalise(phrase)).split()
    if not words:
        return None
    return _Compiled(
        id=f"extra.{tier.value}.{number}",
        tier=tier,
        language=None,
        pattern=re.compile(" " + " ".join(map(re.escape, words)) + "(?= )"),
        anchors=(" ".join(words),),
        guard=Guard.NONE,
        unless=None,
    )


def _trie(words: Iterable[str]) -> str:
    """One alternation for many literals, shared prefixes factored out; the longest match is tried first."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) == 1 and len(body) == 1 else f"(?:{body})") + "?"
        return body

    return build(root)


_DENIALS = _words_of(phrases.DENIALS)
_LIGHT = _words_of(phrases.LIGHT)
_STOPS = _words_of(phrases.STOPS)
_NOT_A_DENIAL = {(fold_pattern(a), fold_pattern(b)) for a, b in (p.split() for p in phrases.NOT_A_DENIAL)}
_PAST = _words_of(phrases.PAST)
_RESOLVED = re.compile(fold_pattern(phrases.RESOLVED))
_BACK_AGAIN = re.compile(fold_pattern(phrases.BACK_AGAIN))
_PAST_ANCHOR = re.compile(fold_pattern(phrases.PAST_ANCHOR))
_CONTRAST = re.compile(fold_pattern(phrases.CONTRAST))
PAST_LOOKBACK = 160  # characters of the key before a phrase where a time in the past is looked for
PAST_LOOKAHEAD = 40  # ... and after it ("I wrote a goodbye letter in 2018")
_TOPIC_CONTEXT = _words_of(phrases.TOPIC_CONTEXT)
_TOPIC_AFTER = re.compile(fold_pattern(phrases.TOPIC_AFTER))


class Detector:
    def __init__(self, extra_phrases: Mapping[Tier | str, Sequence[str]] | None = None) -> None:
        rules = [
            unit
            for language, tiers in phrases.RULES.items()
            for tier, group in tiers.items()
            for rule in group
            for unit in _compile(rule, language, tier)
        ]
        for tier, extra in (extra_phrases or {}).items():
            for number, phrase in enumerate(extra):
                compiled = _extra(Tier(tier), number, phrase)
                if compiled is not None:
                    rules.append(compiled)
        # Most severe first (stable, so rules keep their written order within a tier).
        self._rules = sorted(rules, key=lambda r: -r.tier.severity)
        by_anchor: dict[str, set[int]] = {}
        for index, rule in enumerate(self._rules):
            for anchor in rule.anchors:
                by_anchor.setdefault(anchor, set()).add(index)
        # An anchor found also stands for every shorter anchor it begins with.
        self._by_anchor = {
            anchor: tuple(sorted(set().union(*(by_anchor.get(anchor[:n], ()) for n in range(1, len(anchor) + 1)))))
            for anchor in by_anchor
        }
        # Anchors begin words: a space, then the longest anchor there (a lookahead, so none is skipped).
        self._anchors = re.compile(" (?=(" + _trie(by_anchor) + "))")

    def check(self, text: str) -> Verdict:
        verdict = self._check(text, prefilter=True)
        if _FORMAT.search(text):
            # An invisible character between two words glues them once stripped ("i\u200bwant"); inside a word
            # it splits it when read as a space ("su\u200bicide"). Both readings are tried; the graver wins.
            spaced = self._check(_FORMAT.sub(" ", text), prefilter=True)
            if _gravity(spaced) > _gravity(verdict):
                return spaced
        return verdict

    def _check(self, text: str, *, prefilter: bool) -> Verdict:
        read, tail_shift = _cap(text)
        stream = _stream(read)
        words = _words(stream)
        if not words:
            return NO_CRISIS
        padded = _padded(words)
        if len(padded) != sum(map(len, words)) + len(words) + 1:  # letters spelled out were joined
            words = padded.split()
        key = _DOUBLES.sub("", padded)  # every word with a space either side
        if prefilter:
            found = set(self._anchors.findall(key))
            if not found:
                return NO_CRISIS
            if len(found) == 1:
                candidates: Iterable[int] = self._by_anchor[found.pop()]
            else:
                candidates = sorted(frozenset().union(*[self._by_anchor[a] for a in found]))
        else:
            candidates = range(len(self._rules))
        context: _Context | None = None
        # The writer's own crisis wins; else someone else's, else a resolved past the guards set aside.
        concern: Verdict | None = None
        others: list[tuple[int, int]] = []  # words about someone else ("my friend said she wants to die")
        signals: set[str] = set()
        for index in candidates:
            rule = self._rules[index]
            for match in rule.pattern.finditer(key):
                end = match.end() - (key[match.end() - 1] == " ")  # where the last word matched ends
                if rule.unless is not None and rule.unless.match(key, end):
                    continue
                first = key.count(" ", 0, match.start() + 1) - 1  # the first word matched
                last = key.count(" ", 0, end) - 1
                if rule.guard is not Guard.NONE:
                    context = context or _Context(stream, key)
                    reason = context.set_aside(
                        rule.guard, first, last, key[max(0, match.start() - PAST_LOOKBACK) : match.start()], key[end:]
                    )
                    if reason is not None:
                        signals.add(reason.value)
                    if reason is _Aside.PAST and concern is None:
                        excerpt = _excerpt(text, read, tail_shift, stream, words, first, last)
                        concern = Verdict(None, excerpt, rule.id, rule.language, concern=Concern.PAST)
                    if reason is not None:
                        continue
                if not rule.other_person:
                    if any(start <= first and last <= stop for start, stop in others):
                        continue
                    excerpt = _excerpt(text, read, tail_shift, stream, words, first, last)
                    signals.add(rule.tier.value)
                    return Verdict(rule.tier, excerpt, rule.id, rule.language, signals=frozenset(signals))
                others.append((first, last))
                signals.add(Concern.OTHER_PERSON.value)
                if concern is None or concern.concern is not Concern.OTHER_PERSON:
                    excerpt = _excerpt(text, read, tail_shift, stream, words, first, last)
                    concern = Verdict(None, excerpt, rule.id, rule.language, concern=Concern.OTHER_PERSON)
        if concern is not None:
            return replace(concern, signals=frozenset(signals))
        return replace(NO_CRISIS, signals=frozenset(signals)) if signals else NO_CRISIS


def _gravity(verdict: Verdict) -> int:
    return -1 if verdict.tier is None else verdict.tier.severity


@cache
def default_detector() -> Detector:
    return Detector()


# ---------------------------------------------------------------------------------------------------------
# Guards: denial, resolved past, talk about a topic
# ---------------------------------------------------------------------------------------------------------


def _with_breaks(marked: list[str], key_words: list[str]) -> list[str] | None:
    """The key's words with the breaks of `marked` between them. Letters spelled out one by one are single
    tokens in `marked` but one word in the key ("d i e" -> "die"); a break inside such a word is dropped, every
    other break is kept, so that a denial never reaches back over the end of a sentence."""
    out: list[str] = []
    i = 0
    for word in key_words:
        joined = ""
        pending: list[str] = []
        while _DOUBLES.sub("", joined) != word:
            if i >= len(marked) or len(joined) > len(word) * 2:
                return None
            token = marked[i]
            i += 1
            if token in ("|", ","):
                if not joined:
                    pending.append(token)
                continue
            joined += token
        out.extend(pending)
        out.append(word)
    out.extend(token for token in marked[i:] if token in ("|", ","))
    return out


class _Aside(enum.Enum):
    DENIED = "denied"
    PAST = "resolved_past"
    TOPIC = "topic"


class _Context:
    """The key's words with the message's sentence ("|") and comma (",") breaks between them, built only
    when a guarded rule has matched."""

    def __init__(self, stream: str, key: str) -> None:
        marked = _DOUBLES.sub("", " ".join(_words(stream, marked=True))).split(" ")
        tokens = _with_breaks(marked, key.split())
        if tokens is None:  # cannot happen; read without breaks then
            tokens = key.split()
        self.tokens = tokens
        self.word_at = [i for i, token in enumerate(tokens) if token not in ("|", ",")]

    def set_aside(self, guard: Guard, first: int, last: int, before: str, after: str) -> _Aside | None:
        """Why a guarded match does not count, or None when it does."""
        start = self.word_at[first]
        if guard is Guard.PAST:
            return _Aside.PAST if self._resolved_past(start, before, after) else None
        if self._denied(start):
            return _Aside.DENIED
        if self._resolved_past(start, before, after):
            return _Aside.PAST
        if guard is Guard.TOPIC and (_TOPIC_AFTER.match(after) or self._topic_talk(start, self.word_at[last] + 1)):
            return _Aside.TOPIC
        return None

    def _back(self, start: int) -> list[str]:
        """Tokens before `start` in its sentence, nearest first."""
        before = []
        for token in reversed(self.tokens[max(0, start - 40) : start]):
            if token == "|":
                break
            before.append(token)
        return before

    def _denied(self, start: int) -> bool:
        words = 0
        later = self.tokens[start]  # the word after the one being looked at
        for token in self._back(start):
            if token == ",":
                later = token
                continue
            if token in _DENIALS and later != "," and (token, later) not in _NOT_A_DENIAL:
                return True
            words += 1
            if token in _STOPS or token not in _LIGHT or words >= DENIAL_REACH:
                return False
            later = token
        return False

    def _resolved_past(self, start: int, before: str, after: str) -> bool:
        """In the past ("used to", "früher", or the phrase itself: "wanted to die") and then resolved; or after
        a time in the past ("a year ago", "hace dos años", "damals") and then contrasted with today."""
        if _BACK_AGAIN.search(after) or _BACK_AGAIN.search(before, max(0, len(before) - PAST_LOOKAHEAD)):
            return False
        anchored = bool(_PAST_ANCHOR.search(before) or _PAST_ANCHOR.search(after, 0, PAST_LOOKAHEAD))
        if not (anchored or self.tokens[start] in _PAST or self._reaches(start, _PAST)):
            return False
        return bool(_RESOLVED.search(after)) or (anchored and bool(_CONTRAST.search(after)))

    def _reaches(self, start: int, cues: frozenset[str]) -> bool:
        """One of `cues` a few light words before `start`, in the same clause."""
        words = 0
        for token in self._back(start):
            if token == ",":
                continue
            if token in cues:
                return True
            words += 1
            if token in _STOPS or token not in _LIGHT or words >= DENIAL_REACH:
                return False
        return False

    def _topic_talk(self, start: int, end: int) -> bool:
        """Talk about a film, a question, a death: anywhere before in the sentence, or just after."""
        ahead = [t for t in self.tokens[end : end + TOPIC_AHEAD + 2] if t != ","][:TOPIC_AHEAD]
        return any(token in _TOPIC_CONTEXT for token in (*self._back(start), *ahead))


# ---------------------------------------------------------------------------------------------------------
# The excerpt, cut from the original text
# ---------------------------------------------------------------------------------------------------------

_RUN = re.compile(r"(?:[^\W_]|[@$']|(?<=[^\W\d_])!(?=[^\W\d_]))+")  # `_words` makes 0, 1 or more words of it


@cache
def _char(c: str) -> str:
    return _stream(c)


def _excerpt(original: str, read: str, tail_shift: int, stream: str, words: list[str], first: int, last: int) -> str:
    span = _word_spans(read, stream, words, first, last)
    if span is None:  # the token-by-token reading disagrees: the words as written, else a window
        middle = round(len(read) * (first + last + 1) / 2 / max(len(words), 1))
        span = _nearest(read, words[first : last + 1], middle) or (
            max(0, middle - EXCERPT_CHARS // 2),
            min(len(read), middle + EXCERPT_CHARS // 2),
        )
    start, end = span
    end = min(end, start + EXCERPT_CHARS)
    if start > HEAD_CHARS:  # in the tail of a long text: back to the original's positions
        start, end = start + tail_shift, end + tail_shift
    return original[start:end].strip() or original[start:end]


def _nearest(text: str, words: list[str], guess: int) -> tuple[int, int] | None:
    """Where the words occur as written (any case, anything but letters between them), nearest to `guess`."""
    phrase = re.compile(r"\b" + r"[\W_]+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
    found = min(phrase.finditer(text), key=lambda m: abs(m.start() - guess), default=None)
    return None if found is None else found.span()


def _word_spans(read: str, stream: str, words: list[str], first: int, last: int) -> tuple[int, int] | None:
    """Where words `first`..`last` sit in `read`: the stream is read again run by run, and for text that
    is not plain ASCII every character is folded on its own to know where it came from."""
    if read.isascii():  # plain text: the words themselves, nearest where they should be (equal words, equal excerpt)
        found = _nearest(stream, words[first : last + 1], round(len(stream) * first / max(len(words), 1)))
        if found is not None:
            return found
    origin = None
    if not read.isascii():
        pieces = [_char(c) for c in read]
        stream, origin = "".join(pieces), list(accumulate(map(len, pieces)))
    count, start, spelled = 0, -1, ""
    for run in _RUN.finditer(stream):
        token = run.group()
        parts = [token] if token.isalpha() else _words(token)
        if len(parts) == 1 and len(parts[0]) == 1 and count < len(words) and words[count] != parts[0]:
            spelled += parts[0]  # one of the letters of a word spelled out ("d i e")
            if not words[count].startswith(spelled):
                return None
            if start < 0 and count >= first:
                start = run.start()
            if spelled != words[count]:
                continue
            parts, spelled = [spelled], ""
        elif words[count : count + len(parts)] != parts:
            return None
        if start < 0 and count + len(parts) > first:
            start = run.start()
        count += len(parts)
        if count > last:
            if origin is None:
                return start, run.end()
            first_char, end = bisect_right(origin, start), bisect_right(origin, run.end() - 1) + 1
            while end < len(origin) and origin[end] == origin[end - 1]:  # marks folded away belong to the word
                end += 1
            return first_char, end
    return None
