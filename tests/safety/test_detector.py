"""The crisis detector: normalisation, denial, idioms, each language, clinic phrases, excerpts, corpus bars."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example as case
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety.corpus import load
from bot.safety.detector import (
    HEAD_CHARS,
    NO_CRISIS,
    TAIL_CHARS,
    Concern,
    Detector,
    Tier,
    Verdict,
    default_detector,
    normalise,
)
from bot.safety.evaluation import Counts


@pytest.fixture(scope="module")
def detector() -> Detector:
    return default_detector()


def tier_of(text: str) -> Tier | None:
    return default_detector().check(text).tier


# --- The API -----------------------------------------------------------------------------------------------


def test_tiers_and_verdicts() -> None:
    assert [t.severity for t in (Tier.IMMINENT, Tier.SELF_HARM, Tier.IDEATION)] == [3, 2, 1]
    assert Tier("self_harm") is Tier.SELF_HARM and str(Tier.IDEATION) == "ideation"
    assert Verdict(None, None, None, None) == NO_CRISIS
    assert not NO_CRISIS.crisis
    with pytest.raises(dataclasses.FrozenInstanceError):
        NO_CRISIS.tier = Tier.IMMINENT  # type: ignore[misc]
    assert default_detector() is default_detector()


# --- Normalisation, rule by rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("I WANT", "i want"),  # casefold
        ("Straße", "strasse"),  # casefold beyond lower()
        ("ﬁne ＷＡＮＴ ②", "fine want 2"),  # NFKC: ligatures, full-width letters, circled digits
        ("I’m  don‘t ʼtil", "im dont til"),  # curly apostrophes, then apostrophes dropped
        ("dont im cant ive wont", "dont im cant ive wont"),  # missing apostrophes are the same words
        ("don't I'm can't I've won't", "dont im cant ive wont"),
        ("j'ai d'idées qu'elle l'envie aujourd'hui", "j ai d idees qu elle l envie aujourdhui"),  # French elisions
        ("suicídio Müde MOURIR déçue", "suicidio mude mourir decue"),  # accents
        ("sui\u0301cidio", "suicidio"),  # a decomposed accent
        ("su\u200bi\u200dcide\ufeff", "suicide"),  # zero-width characters
        ("d\u0336i\u0336e\u0336 z\u0351\u0352algo", "die zalgo"),  # combining marks of all kinds
        ("sœur cœur", "soeur coeur"),
        ("sooo tiiiired, pleeease", "so tired please"),  # runs of three or more letters
        ("need tall kill", "need tall kill"),  # doubled letters stay in the normalised text
        ("k1ll mys3lf", "kill myself"),  # letters for digits inside words ...
        ("su1c1de d13 $uicide 4live", "suicide die suicide alive"),
        ("I took 3 pills at 20:00", "i took 3 pills at 20 00"),  # ... but not in numbers
        ("3pm 20mg 2nd 10x", "3pm 20mg 2nd 10x"),  # nor in a number with its unit
        ("k!ll", "kill"),  # an exclamation mark inside a word
        ("i want to d i e", "i want to die"),  # letters spelled out
        ("i c u t myself", "i cut myself"),
        ("end.it,all...   now!!", "end it all now"),  # punctuation and spaces collapse
        ("under_score #tag @", "under score tag"),
        ("", ""),
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert normalise(text) == key


def test_rules_tolerate_doubled_and_stretched_letters(detector: Detector) -> None:
    for text in ("i want to kil myself", "i want to kill myself", "i want to kiiiill myselllf", "I WANNA DIIIE"):
        assert detector.check(text).tier is Tier.IDEATION, text


# --- Phrases, not words; denial; idioms; ketamine ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "die",
        "kill",
        "dead",
        "suicide squad",
        # denial
        "I'm not suicidal",
        "I would never hurt myself",
        "I don't want to die",
        "no thoughts of suicide this week",
        "not thinking about ending it anymore",
        "I have no intention of hurting myself",
        "I'm never going to hurt myself again, I promised my kids",
        "I'm not going to kill myself, relax",
        "no self-harm for 6 months now",
        "didn't hurt myself even though I was angry",
        "the suicidal thoughts are gone",
        "my therapist asked about suicidal thoughts - none",
        "watched a documentary about suicide prevention",
        # idioms
        "this traffic is killing me",
        "I'm dying to see it",
        "killed it at work today",
        "dead tired",
        "I could kill for a coffee",
        "my phone is dead",
        "I nearly died laughing",
        "kill the lights please",
        "I want to die of embarrassment",
        "I'd rather die than sing karaoke lol",
        "my boss is going to kill me",
        "I'm going to end it with my boyfriend tonight",
        "burned myself on the oven tray",
        "cut myself a slice of cake",
        "I cut my hair myself",
        "cutting back on coffee",
        "I just want to sleep and not wake up until the weekend lol",
        "I want to disappear for a weekend",
        "I don't want to go on the trip",
        "this is my last message for today, good night",
        "I'm on the bridge, traffic is terrible",
        "took all my pills for today",
        "I have my pills ready for the week in the organizer",
        # ketamine talk
        "the infusion made me feel detached",
        "I felt like I left my body",
        "felt like I was dying in the k-hole but it passed",
        "I thought I was dead for a second, all fine after",
    ],
)
def test_no_crisis(detector: Detector, text: str) -> None:
    assert detector.check(text) == NO_CRISIS, detector.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live",
        "I'm not sure I want to live",
        "I don't want to die but I don't want to live like this either",
        "no, I want to die",
        "I'm not ok and I want to die",
        "Not suicidal exactly but I think about dying a lot",
        "nobody cares, I want to die",
    ],
)
def test_denial_reaches_only_so_far(detector: Detector, text: str) -> None:
    assert detector.check(text).tier is Tier.IDEATION


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to wake up tomorrow",
        "everyone would be better off without me",
        "there's no reason to go on",
        "what's the point of living",
        "I want to disappear forever",
        "nobody would even notice if I was gone",
        "I wish I could go to sleep and never wake up",
        "death seems like the only way out",
        "i kinda wish a bus would hit me",
        "I'm such a burden to everyone",
        "I'm so tired of being alive",
        "I keep googling ways to die",
        "I'd rather not exist",
    ],
)
def test_indirect_ideation(detector: Detector, text: str) -> None:
    assert detector.check(text).tier is Tier.IDEATION


# --- Tiers and the ambiguous cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("I have the pills ready and I'm doing it tonight", Tier.IMMINENT),
        ("I'm on the bridge", Tier.IMMINENT),
        ("this is my last message", Tier.IMMINENT),
        ("I took all my pills", Tier.IMMINENT),
        ("I wrote goodbye letters", Tier.IMMINENT),
        ("i'm going to kill myself tonight", Tier.IMMINENT),
        ("how many pills would it take to not wake up", Tier.IMMINENT),
        ("I cut myself again", Tier.SELF_HARM),
        ("the urge to cut is so strong today", Tier.SELF_HARM),
        ("relapsed last night, self harm again", Tier.SELF_HARM),
        ("I burned my arm with a cigarette", Tier.SELF_HARM),
        ("I want to die", Tier.IDEATION),
        ("I want to die. I took all my pills", Tier.IMMINENT),  # the most severe match wins
        ("I cut myself. I want to die", Tier.SELF_HARM),
    ],
)
def test_tiers(detector: Detector, text: str, tier: Tier) -> None:
    assert detector.check(text).tier is tier


def test_saving_pills_is_imminent(detector: Detector) -> None:
    for text in ("I've been saving my pills", "stockpiling my sleeping tablets", "llevo semanas guardando pastillas"):
        assert detector.check(text).tier is Tier.IMMINENT, text


def test_past_ideation_fires_unless_clearly_resolved(detector: Detector) -> None:
    for text in (
        "I used to want to die, now I'm better",
        "früher wollte ich sterben, jetzt geht es mir besser",
        "avant je voulais mourir, maintenant ça va beaucoup mieux",
    ):
        verdict = detector.check(text)
        assert (verdict.crisis, verdict.concern) == (False, Concern.PAST), text
        assert verdict.matched and verdict.rule, text
    assert detector.check("I used to want to die").tier is Tier.IDEATION
    assert detector.check("used to want to die. some days I still do").tier is Tier.IDEATION
    assert detector.check("I used to want to die and lately it's creeping back").tier is Tier.IDEATION


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my friend said she wants to die", "en.ideation.other_person"),
        ("my brother told me he's been thinking about killing himself", "en.ideation.other_person"),
        ("mi amiga dice que se quiere morir", "es.ideation.other_person"),
        ("mein Sohn sagt, er will sich umbringen", "de.ideation.other_person"),
        ("ma fille m'a dit qu'elle voulait mourir", "fr.ideation.other_person"),
        ("my sister just texted that she took a bunch of pills", "en.imminent.other_person"),
        ("he overdosed last night, I'm at the hospital", "en.imminent.other_person"),
    ],
)
def test_someone_else_is_a_concern_not_the_writers_crisis(detector: Detector, text: str, rule: str) -> None:
    verdict = detector.check(text)
    assert (verdict.crisis, verdict.concern, verdict.rule) == (False, Concern.OTHER_PERSON, rule)


def test_the_writers_own_crisis_beside_someone_elses_wins(detector: Detector) -> None:
    verdict = detector.check("my friend said she wants to die. honestly I want to die too")
    assert (verdict.tier, verdict.concern, verdict.rule) == (Tier.IDEATION, None, "en.ideation.want_to_die")
    assert detector.check("I took a bunch of pills").tier is Tier.IMMINENT


@pytest.mark.parametrize(
    "text",
    [
        "i\u200bwant to die",  # a zero-width space glues two words
        "i\u2060want\u200bto\u200ddie",
        "I want to d\u0456e",  # Cyrillic i
        "\u0456 want to die",
        "I w\u0430nt to di\u0435",  # Cyrillic a and e
        "I want to kill mys\u0435lf",
        "su\u200bicidal thoughts again",  # a zero-width space inside a word
        "ich w\u0456ll sterben",
        "quiero mor\u0456rme",
    ],
)
def test_disguised_spellings(detector: Detector, text: str) -> None:
    assert detector.check(text).crisis, text


# --- Each language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tier", "language"),
    [
        ("quiero morirme", Tier.IDEATION, "es"),
        ("todos estarían mejor sin mí", Tier.IDEATION, "es"),
        ("no quiero despertar mañana", Tier.IDEATION, "es"),
        ("esta noche me voy a quitar la vida", Tier.IMMINENT, "es"),
        ("me he vuelto a cortar", Tier.SELF_HARM, "es"),
        ("ich will nicht mehr leben", Tier.IDEATION, "de"),
        ("alle wären besser dran ohne mich", Tier.IDEATION, "de"),
        ("ich habe mich wieder geritzt", Tier.SELF_HARM, "de"),
        ("das ist meine letzte Nachricht, lebt wohl", Tier.IMMINENT, "de"),
        ("je veux mourir", Tier.IDEATION, "fr"),
        ("je ne veux plus vivre", Tier.IDEATION, "fr"),
        ("je me suis scarifiée hier", Tier.SELF_HARM, "fr"),
        ("ce soir je vais me suicider", Tier.IMMINENT, "fr"),
    ],
)
def test_languages(detector: Detector, text: str, tier: Tier, language: str) -> None:
    verdict = detector.check(text)
    assert (verdict.tier, verdict.language) == (tier, language)


@pytest.mark.parametrize(
    "text",
    [
        "me muero de ganas de verte",
        "me mata el tráfico",
        "no quiero morir, quiero mejorar",
        "nunca me haría daño",
        "me corté el pelo yo misma",
        "ich bin todmüde",
        "das bringt mich um, diese Hitze",
        "ich will nicht sterben, ich will leben",
        "keine Suizidgedanken diese Woche",
        "ich ritze mich nicht mehr, seit einem Jahr",
        "je suis mort de rire",
        "je suis crevé",
        "ce boulot va me tuer",
        "je ne suis pas suicidaire",
        "je me suis coupée en épluchant des légumes",
    ],
)
def test_languages_idioms_and_denials(detector: Detector, text: str) -> None:
    assert detector.check(text) == NO_CRISIS, detector.check(text)


# --- Clinic phrases -----------------------------------------------------------------------------------------


def test_clinic_phrases() -> None:
    clinic = Detector(extra_phrases={"ideation": ["blue whale", "  "], Tier.IMMINENT: ["Final Exit"]})
    assert clinic.check("I joined the Blue  Whale thing") == Verdict(
        Tier.IDEATION, "Blue  Whale", "extra.ideation.0", None
    )
    assert clinic.check("bluuue whaaale").rule == "extra.ideation.0"  # folded like any text
    assert clinic.check("final exit tonight").rule == "extra.imminent.0"
    assert clinic.check("bluewhale").crisis is False  # whole phrases only
    assert clinic.check("blue whales").crisis is False
    assert clinic.check("I want to die").rule == "en.ideation.want_to_die"  # the built-in rules still run
    assert default_detector().check("blue whale").crisis is False
    with pytest.raises(ValueError):
        Detector(extra_phrases={"urgent": ["x"]})


# --- The excerpt --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Honestly… I WANT TO DIIIE, sorry", "WANT TO DIIIE"),
        ("ich will STERBEN!!", "will STERBEN"),
        ("ＷＡＮＴ ＴＯ ＤＩＥ", "ＷＡＮＴ ＴＯ ＤＩＥ"),
        ("i want to k1ll mys3lf", "want to k1ll mys3lf"),
        ("Je veux mourir, vraiment", "veux mourir"),
        ("quiero morir\u0301 ya", "quiero morir\u0301"),
        ("i c u t myself. sorry", "c u t myself"),
    ],
)
def test_matched_comes_from_the_original(detector: Detector, text: str, matched: str) -> None:
    assert detector.check(text).matched == matched


def test_matched_is_short(detector: Detector) -> None:
    verdict = detector.check("my friend " + "really " * 3 + "told me last night that she wants to die")
    assert verdict.rule == "en.ideation.other_person" and len(verdict.matched or "") <= 80


# --- Long and odd input -------------------------------------------------------------------------------------


def test_huge_input_is_capped_but_both_ends_are_read(detector: Detector) -> None:
    filler = "all good today. " * 5000
    assert detector.check(filler + "I want to die").matched == "want to die"
    assert detector.check("I want to die " + filler).crisis
    middle = "a" * HEAD_CHARS + " I want to die " + "b" * (TAIL_CHARS + 10)
    assert not detector.check(middle).crisis  # documented: the middle of a huge text is not read
    assert not detector.check("x" * 100_000).crisis


@pytest.mark.parametrize(
    "text",
    [
        "i will " * 5000,
        "pills " * 5000,
        "tonight " * 5000,
        "my friend " * 3000 + "x",
        "a" * 23_000 + "1",
        "k1" * 12_000,
        "d i " * 8000,
        "'" * 20_000 + "j'",
        "no " * 8000 + "suicidal",
        "é\u0301" * 10_000,
        "!" * 30_000,
    ],
)
def test_pathological_input_finishes(detector: Detector, text: str) -> None:
    assert isinstance(detector.check(text), Verdict)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_verdict(text: str) -> None:
    verdict = default_detector().check(text)
    assert isinstance(verdict, Verdict)
    if verdict.crisis:
        assert verdict.matched and verdict.matched in text and len(verdict.matched) <= 80


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400))
# Single letters before a sentence break once let a French "n" deny the next sentence; folding that
# disagreed with the original once gave an excerpt cut short; "D A D" once made "I want to die" someone else's.
@case(chunk="000000:A00:N:T:I1")
@case(chunk=":Ð'A")
@case(chunk="Ð:::A:Ð")
# Junk can spell a crisis of its own: ":I:OÐ" folds to "i od", an overdose in three letters, which rightly
# outranks the wish to die added after it.
@case(chunk=":I:OÐ")
def test_huge_odd_unicode_gives_a_verdict(chunk: str) -> None:
    huge = chunk * (30_000 // len(chunk) + 1)
    alone = default_detector().check(huge)
    assert isinstance(alone, Verdict)
    verdict = default_detector().check(huge + "\n\nI want to die")
    assert verdict.tier is not None
    if alone.tier is None:
        assert verdict.matched == "want to die"
    else:
        assert verdict.tier.severity >= alone.tier.severity


_WORDS = st.sampled_from(
    ["i", "want", "to", "die", "kill", "myself", "not", "never", "pills", "tonight", "bridge", "cut", "self", "harm",
     "suicide", "no", "me", "quiero", "morir", "ich", "will", "sterben", "je", "veux", "mourir", "pas", "nicht", "d",
     "1", "3", "all", "took", "my", "life", "end", "it", ".", ",", "'", "é", "ß", "\u200b", "\u0301"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_the_prefilter_never_hides_a_match(text: str) -> None:
    detector = default_detector()
    assert detector.check(text) == detector._check(text, prefilter=False)


def test_the_prefilter_never_hides_a_match_in_the_corpus() -> None:
    detector = default_detector()
    for example in load():
        assert detector.check(example.text) == detector._check(example.text, prefilter=False), example.text


_IDIOMS = st.sampled_from(
    ["this traffic is killing me", "dead tired", "lol", "😂" * 5, "killed it", "I'm dying to go", "my phone died",
     "haha", "I'm not suicidal", "I could kill for a coffee", "burned myself on the oven", "me muero de risa",
     "ich bin todmüde", "je suis mort de rire", "no worries", "kill the lights"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_IDIOMS, max_size=6),
    st.sampled_from(
        [
            ("I want to kill myself", Tier.IDEATION),
            ("I took all my pills", Tier.IMMINENT),
            ("quiero morirme", Tier.IDEATION),
            ("ich habe mich wieder geritzt", Tier.SELF_HARM),
            ("je veux mourir", Tier.IDEATION),
        ]
    ),
    st.lists(_IDIOMS, max_size=6),
    st.sampled_from([". ", "! ", "\n", " - ", "... "]),
)
def test_a_crisis_among_idioms_still_fires(
    before: list[str], crisis: tuple[str, Tier], after: list[str], sep: str
) -> None:
    phrase, tier = crisis
    text = sep.join([*before, phrase, *after])
    verdict = default_detector().check(text)
    assert verdict.tier is not None and verdict.tier.severity >= tier.severity, text


# --- The corpus ---------------------------------------------------------------------------------------------


def rules_batch() -> list:
    """The batch the rules were written from: a regression check on them, not a figure of merit."""
    return [e for e in load() if e.batch == "w0"]


def test_the_rules_still_catch_what_they_were_written_from() -> None:
    detector = default_detector()
    for group in ("all", "en", "es", "de", "fr"):
        counts = Counts()
        for e in rules_batch():
            if group in ("all", e.language):
                counts.add(crisis=e.crisis, flagged=detector.check(e.text).clear)
        assert counts.recall is not None and counts.recall >= 0.95, (group, counts)
        assert counts.precision is not None and counts.precision >= 0.85, (group, counts)
    missed_imminent = [e.text for e in rules_batch() if e.label == "imminent" and not detector.check(e.text).crisis]
    assert missed_imminent == []
    wrong_concern = [
        e.text for e in rules_batch() if e.label == "other_person" and detector.check(e.text).concern != "other_person"
    ]
    assert wrong_concern == []


def test_a_sentence_break_stops_a_denial_even_after_letters_spelled_out() -> None:
    # "a n t" earlier in the text is joined into one word; the break before "I want to die" must survive that.
    text = "a n t said hello. N T\n\nI want to die"
    assert default_detector().check(text).tier is Tier.IDEATION


def test_a_clinic_phrase_can_ask_first() -> None:
    clinic = Detector(extra_phrases={"possible": ["grey fog"]})
    verdict = clinic.check("the grey fog is back")
    assert (verdict.tier, verdict.crisis, verdict.clear, verdict.rule) == (
        Tier.POSSIBLE,
        True,
        False,
        "extra.possible.0",
    )
