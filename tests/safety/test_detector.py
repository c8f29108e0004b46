"""The crisis detector: normalisation, negation, idioms, each language, clinic phrases, and the corpus bars."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety.detector import NO_CRISIS, Detector, Tier, Verdict, default_detector, normalise
from tests.safety.corpus import evaluate, load


@pytest.fixture(scope="module")
def detector() -> Detector:
    return default_detector()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("I’M  NOT", "im not"),  # case, curly apostrophe, spaces
        ("dont", "dont"),
        ("sooo tiiiired", "so tired"),  # stretched letters
        ("k1ll mys3lf", "kil myself"),  # letters for digits inside words …
        ("I took 3 pills at 20:00", "i tok 3 pils at 20 00"),  # … but not in numbers
        ("su\u200bicide", "suicide"),  # zero-width characters
        ("ﬁne", "fine"),  # NFKC
        ("suicídio Müde MOURIR", "suicidio mude mourir"),  # accents
        ("end.it,all", "end it al"),
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert normalise(text) == key


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal",
        "I would never hurt myself",
        "I don't want to die",
        "no thoughts of suicide this week",
        "not thinking about ending it anymore",
        "this traffic is killing me",
        "I'm dying to see the new film",
        "killed it at work today",
        "dead tired after the infusion",
        "I could kill for a coffee",
        "my phone is dead",
        "I nearly died laughing",
        "the deadline is killing me",
        "kill the lights please",
        "the infusion made me feel detached",
        "I felt like I left my body",
        "me muero de ganas de verte",
        "me mata el tráfico",
        "ich bin todmüde",
        "das bringt mich um, diese Hitze",
        "je suis mort de rire",
        "je suis crevé",
        "burned myself on the oven tray",
        "this is my last message for today, good night",
        "I'm on the bridge, traffic is terrible",
    ],
)
def test_no_crisis(detector: Detector, text: str) -> None:
    assert detector.check(text) == NO_CRISIS


@pytest.mark.parametrize(
    ("text", "tier", "language"),
    [
        ("I don't want to wake up tomorrow", Tier.IDEATION, "en"),
        ("everyone would be better off without me", Tier.IDEATION, "en"),
        ("there's no reason to go on", Tier.IDEATION, "en"),
        ("I don't want to live", Tier.IDEATION, "en"),
        ("I'm not sure I want to live", Tier.IDEATION, "en"),
        ("my friend said she wants to die", Tier.IDEATION, "en"),
        ("I've been saving my pills", Tier.IMMINENT, "en"),
        ("I wrote goodbye letters", Tier.IMMINENT, "en"),
        ("I have the pills ready and I'm doing it tonight", Tier.IMMINENT, "en"),
        ("I cut myself again", Tier.SELF_HARM, "en"),
        ("SOOO DONE WITH LIFE", Tier.IDEATION, "en"),
        ("i want to k1ll mys3lf", Tier.IDEATION, "en"),
        ("quiero morirme", Tier.IDEATION, "es"),
        ("esta noche me voy a quitar la vida", Tier.IMMINENT, "es"),
        ("me he vuelto a cortar", Tier.SELF_HARM, "es"),
        ("ich will nicht mehr leben", Tier.IDEATION, "de"),
        ("ich habe mich wieder geritzt", Tier.SELF_HARM, "de"),
        ("das ist meine letzte Nachricht, lebt wohl", Tier.IMMINENT, "de"),
        ("je veux mourir", Tier.IDEATION, "fr"),
        ("je me suis scarifiée hier", Tier.SELF_HARM, "fr"),
        ("ce soir je vais me suicider", Tier.IMMINENT, "fr"),
    ],
)
def test_crisis(detector: Detector, text: str, tier: Tier, language: str) -> None:
    verdict = detector.check(text)
    assert (verdict.tier, verdict.language) == (tier, language)


def test_the_most_severe_match_wins(detector: Detector) -> None:
    assert detector.check("I want to die. I took all my pills").tier is Tier.IMMINENT


def test_verdict_points_at_the_original_words(detector: Detector) -> None:
    verdict = detector.check("Honestly… I WANT TO DIIIE, sorry")
    assert verdict.matched == "WANT TO DIIIE"
    assert verdict.rule == "en.ideation.want_to_die"
    assert default_detector() is default_detector()


def test_clinic_phrases() -> None:
    clinic = Detector(extra_phrases={"ideation": ["blue whale"], Tier.IMMINENT: ["final exit"]})
    assert clinic.check("I joined the Blue  Whale thing") == Verdict(
        Tier.IDEATION, "Blue  Whale", "extra.ideation.0", None
    )
    assert clinic.check("final exit tonight").rule == "extra.imminent.0"
    assert clinic.check("bluewhale").crisis is False
    assert default_detector().check("blue whale").crisis is False


def test_corpus_bars() -> None:
    figures, confusion = evaluate(default_detector(), load())
    for group in ("all", "en", "es", "de", "fr"):
        assert figures[group].recall >= 0.95, (group, figures[group])
        assert figures[group].precision >= 0.85, (group, figures[group])
    assert confusion[("imminent", "none")] == 0
    exact = sum(n for (label, predicted), n in confusion.items() if label == predicted != "none")
    flagged = sum(n for (label, predicted), n in confusion.items() if label != "none" and predicted != "none")
    assert exact / flagged >= 0.75


def test_corpus_is_broad() -> None:
    examples = load()
    assert len(examples) >= 700
    for language in ("en", "es", "de", "fr"):
        assert sum(e.language == language for e in examples) >= 100


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_verdict(text: str) -> None:
    assert isinstance(default_detector().check(text), Verdict)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["this traffic is killing me", "dead tired", "lol", "😂" * 5, "killed it"]), max_size=6),
    st.lists(st.sampled_from(["I'm dying to go", "my phone died", "haha"]), max_size=6),
)
def test_a_crisis_among_idioms_still_fires(before: list[str], after: list[str]) -> None:
    text = ". ".join([*before, "I want to kill myself", *after])
    assert default_detector().check(text).tier is Tier.IDEATION


def test_huge_input_is_capped_but_both_ends_are_read() -> None:
    filler = "all good today. " * 5000
    assert default_detector().check(filler + "I want to die").crisis
    assert default_detector().check("I want to die " + filler).crisis
    assert not default_detector().check("x" * 100_000).crisis
