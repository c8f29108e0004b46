"""Hypothesis strategies for fuzzed Telegram updates: who sends what, where, malformed and forged.

A step is drawn as plain data; `tests/fuzz_world.py` turns it into a real update at run time, when it can pick
among the bot's messages and the victim's real ids (`pick`, `VICTIM`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

# Two patients, two strangers and a member of staff; the patients and staff more often, as they can do more.
ACTORS = ("bea", "bea", "cy", "cy", "eve", "odd", "rey", "rey")
PLACES = ("private", "private", "private", "staff", "group", "basic", "channel")
VICTIM = "victim"  # stands for one of the silent patient's real ids, chosen at run time

ODD = (
    "\u202eevil right-to-left\u202c",
    "a\u200bb\u200cc\u200dd\u2060e",
    "👩‍❤️‍💋‍👨 👨‍👩‍👧‍👦 🏳️‍🌈",
    "Z̸̢͉̈́a̵̰̓l̴̤̎g̵̱̈́o̷̗̊",
    "NUL\x00inside",
    "\ufeffBOM",
    "\U0010ffff\U000e0001",
    "مرحبا، كيف حالك",
    "שלום עולם",
    "\r\n\t \u00a0\u3000",
    "<b>bold</b> <a href='x'>x</a> &amp;",
    "*bold* _it_ `code` [link](http://x) ||spoiler||",
    "${jndi:ldap://x/a} {{7*7}} %s %d {0} {name}",
    "'; DROP TABLE patients; --",
    "\\ \\\\ \\n",
    "/start@moodbot_demo_bot",
    "@moodbot_demo_bot hi",
    "https://t.me/moodbot_demo_bot?start=abc",
    "10",
    "-1",
    "٣",
)
# Phrases the safety net answers: clear, someone else's, a resolved past, an idiom.
CRISIS = (
    "I want to kill myself",
    "the pills are ready, goodbye everyone",
    "quiero morir",
    "ich will nicht mehr leben",
    "je veux mourir",
    "I used to want to die, not anymore since the infusions",
    "my brother said he wants to die",
    "this traffic is killing me",
)

_CHARS = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot travel in JSON
_PLAIN = st.text(_CHARS, min_size=1, max_size=40)


def _repeated(seed: str, length: int) -> str:
    return (seed * (length // len(seed) + 1))[:length]


HUGE = st.builds(_repeated, st.text(_CHARS, min_size=1, max_size=6), st.sampled_from([4096, 4097, 10_000, 100_000]))
TEXT = st.one_of(
    _PLAIN,
    st.lists(st.one_of(st.sampled_from(ODD), st.sampled_from(CRISIS), _PLAIN), min_size=1, max_size=4).map(" ".join),
    HUGE,
)
NAME = st.one_of(st.none(), st.sampled_from(ODD), st.text(_CHARS, min_size=1, max_size=80))

COMMANDS = (
    "start", "checkin", "phq9", "gad7", "mood", "appointments", "settings", "pause", "resume", "mydata", "delete",
    "sos", "help", "patients", "today", "export", "console", "frobnicate", "START", "sos_",
)  # fmt: skip
_DIGITS = (
    "0", "1", "2", "3", "7", "-1", "+1", "2147483647", "2147483648", "999999999999", "9" * 40, "²", "١٢", "𝟙", "1e3",
)  # fmt: skip
_WORDS = ("csv", "json", "fhir", "pdf", "xml", "20:00", "8pm", "berlin", "Mars/Olympus", "25:99", "tomorrow")
_ID_ARGS = st.one_of(
    st.sampled_from(_DIGITS), st.tuples(st.sampled_from(_DIGITS), st.sampled_from(_WORDS)).map(" ".join)
)
ARGS = st.one_of(
    st.just(""),
    _ID_ARGS,
    _ID_ARGS,
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_DIGITS + _WORDS), min_size=2, max_size=3).map(" ".join),
    TEXT,
)
MENTION = st.sampled_from(["", "", "", "@moodbot_demo_bot", "@some_other_bot"])
_TAKES_AN_ID = ("export", "appointments")
_FORMATS = ("", "csv", "json", "fhir", "pdf", "xml", "csv json")

PREFIXES = ("ack", "pq", "ap", "fx", "cs", "ci", "cn", "qa", "er")
_IDS = st.one_of(
    st.just(VICTIM),
    st.integers(0, 40).map(str),
    st.sampled_from(_DIGITS),
    st.integers(2**31 - 2, 10**12 - 1).map(str),
    st.integers(0, 10**40).map(str),
    st.text(_CHARS, max_size=6),
)
# What follows the id in well-formed data of each prefix, some of it out of range.
_TAILS = {
    "ack": ("",),
    "pq": (":y", ":n", ":c", ":x"),
    "ap": (":c", ":r", ":x"),
    "fx": (":none", ":nausea", ":dissociation", ":headache", ":dizziness", ":sleepy"),
    "cs": (":0123456789abcdef:y", ":0123456789abcdef:n", ":0123456789ABCDEF:y", ":00000000000000:y"),
    "ci": (":0", ":3", ":10", ":11", ":99", ":-1"),
    "cn": (":skip", ":skipped"),
    "qa": (":1:0", ":9:3", ":10:0", ":99:3", ":0:1", ":1:4"),
    "er": (":y", ":n", ":yes"),
}


@dataclass(frozen=True)
class Forged:
    """Callback data as a modified client could send it: a registered prefix, any id, any tail."""

    prefix: str
    ident: str
    tail: str


def _forged(prefix: str) -> st.SearchStrategy[Forged]:
    tails = st.one_of(st.sampled_from(_TAILS[prefix]), st.sampled_from(_TAILS[prefix]), st.text(_CHARS, max_size=70))
    return st.builds(Forged, st.just(prefix), _IDS, tails)


FORGED = st.one_of(
    st.sampled_from(PREFIXES).flatmap(_forged),
    st.builds(Forged, st.just(""), st.just(""), st.text(_CHARS, max_size=80)),
)


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str
    mention: str
    args: str


@dataclass(frozen=True)
class Edit:
    """Edit one of the actor's earlier texts in this chat (`pick`), or a message nobody knows (None)."""

    pick: int | None
    text: str


@dataclass(frozen=True)
class Press:
    """A press with forged data on one of the bot's messages in this chat (`on`), or on one it never sent."""

    data: Forged | None  # None: one of the victim's real button data, chosen by `pick`
    on: int | None
    pick: int


@dataclass(frozen=True)
class RealPress:
    """A press of a button the bot really showed in this chat (drives the real flows deeper)."""

    pick: int


@dataclass(frozen=True)
class Media:
    kind: str
    caption: str | None


@dataclass(frozen=True)
class Odd:
    """Updates the bot must simply survive: a press from an inline message, a reaction, being blocked."""

    kind: str
    pick: int


def _command(name: str) -> st.SearchStrategy[Command]:
    """Commands that take an id or a format get such arguments most of the time, so that they get somewhere."""
    if name in _TAKES_AN_ID:
        args = st.one_of(_ID_ARGS, _ID_ARGS, ARGS)
    elif name == "mydata":
        args = st.one_of(st.sampled_from(_FORMATS), ARGS)
    else:
        args = ARGS
    return st.builds(Command, st.just(name), MENTION, args)


COMMAND = st.sampled_from(COMMANDS).flatmap(_command)

Action = Text | Command | Edit | Press | RealPress | Media | Odd

ACTION = st.one_of(
    st.builds(Text, TEXT),
    COMMAND,
    COMMAND,
    st.builds(Edit, st.one_of(st.none(), st.integers(0, 1000)), TEXT),
    st.builds(Press, st.one_of(st.none(), FORGED), st.one_of(st.none(), st.integers(0, 1000)), st.integers(0, 1000)),
    st.builds(RealPress, st.integers(0, 1000)),
    st.builds(
        Media,
        st.sampled_from(["photo", "sticker", "voice", "document", "location", "contact"]),
        st.one_of(st.none(), TEXT.map(lambda text: text[:1024])),
    ),
    st.builds(Odd, st.sampled_from(["inline_press", "reaction", "blocked", "member_joined"]), st.integers(0, 1000)),
)


@dataclass(frozen=True)
class Step:
    """One update: who, where, what; time moves on by `minutes` first, and `dispatch` sends what is due after."""

    actor: str
    place: str
    action: Action
    name: str | None
    minutes: int
    dispatch: bool


STEP = st.builds(
    Step,
    st.sampled_from(ACTORS),
    st.sampled_from(PLACES),
    ACTION,
    NAME,
    st.one_of(st.just(0), st.integers(0, 180)),
    st.integers(0, 19).map(lambda n: n == 19),
)
