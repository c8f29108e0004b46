"""PHQ-9 and GAD-7 as data (`bot.questionnaires.instruments`): wording, scoring, and every band boundary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.questionnaires.instruments import instrument, instruments

ANSWERS = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def test_the_two_instruments_and_their_shape() -> None:
    phq9, gad7 = instrument("phq9"), instrument("gad7")
    assert set(instruments()) == {"phq9", "gad7"}
    assert (phq9.title, len(phq9.items), phq9.max_total, phq9.crisis_item) == ("PHQ-9", 9, 27, 9)
    assert (gad7.title, len(gad7.items), gad7.max_total, gad7.crisis_item) == ("GAD-7", 7, 21, None)
    for spec in (phq9, gad7):
        assert [(a.score, a.text) for a in spec.answers] == list(enumerate(ANSWERS))
        assert [item.number for item in spec.items] == list(range(1, len(spec.items) + 1))
        assert spec.stem == "Over the last 2 weeks, how often have you been bothered by the following problem?"
    assert phq9.item(1).text == "Little interest or pleasure in doing things"
    assert phq9.item(9).text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert gad7.item(7).text == "Feeling afraid, as if something awful might happen"


@pytest.mark.parametrize(
    ("key", "total", "band"),
    [
        ("phq9", 0, "minimal"),
        ("phq9", 4, "minimal"),
        ("phq9", 5, "mild"),
        ("phq9", 9, "mild"),
        ("phq9", 10, "moderate"),
        ("phq9", 14, "moderate"),
        ("phq9", 15, "moderately severe"),
        ("phq9", 19, "moderately severe"),
        ("phq9", 20, "severe"),
        ("phq9", 27, "severe"),
        ("gad7", 0, "minimal"),
        ("gad7", 4, "minimal"),
        ("gad7", 5, "mild"),
        ("gad7", 9, "mild"),
        ("gad7", 10, "moderate"),
        ("gad7", 14, "moderate"),
        ("gad7", 15, "severe"),
        ("gad7", 21, "severe"),
    ],
)
def test_bands_at_every_boundary(key: str, total: int, band: str) -> None:
    assert instrument(key).band(total).name == band


@pytest.mark.parametrize(("key", "total"), [("phq9", -1), ("phq9", 28), ("gad7", -1), ("gad7", 22)])
def test_totals_outside_the_scale_are_refused(key: str, total: int) -> None:
    with pytest.raises(ValueError, match="totals run from 0"):
        instrument(key).band(total)


def test_scoring_adds_every_item() -> None:
    phq9 = instrument("phq9")
    assert phq9.total(dict.fromkeys(range(1, 10), 0)) == 0
    assert phq9.total(dict.fromkeys(range(1, 10), 3)) == 27
    assert phq9.total({n: n % 4 for n in range(1, 10)}) == 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0 + 1
    assert instrument("gad7").total(dict.fromkeys(range(1, 8), 2)) == 14


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (dict.fromkeys(range(1, 9), 1), r"items \[9\] are not answered"),
        ({}, "are not answered"),
        ({**dict.fromkeys(range(1, 10), 1), 10: 1}, r"has no items \[10\]"),
        ({**dict.fromkeys(range(1, 10), 1), 0: 1}, r"has no items \[0\]"),
        ({**dict.fromkeys(range(1, 9), 1), 9: 4}, "no answer scored 4"),
        ({**dict.fromkeys(range(1, 9), 1), 9: -1}, "no answer scored -1"),
    ],
)
def test_bad_answers_are_refused(answers: dict[int, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        instrument("phq9").total(answers)


def test_unknown_items_answers_and_instruments_are_refused() -> None:
    phq9 = instrument("phq9")
    for number in (0, 10, -1):
        with pytest.raises(ValueError, match="has no item"):
            phq9.item(number)
    with pytest.raises(ValueError, match="no answer scored"):
        phq9.answer(4)
    with pytest.raises(KeyError, match="unknown questionnaire 'phq8'"):
        instrument("phq8")


@given(st.sampled_from(["phq9", "gad7"]), st.dictionaries(st.integers(-2, 12), st.integers(-2, 5), max_size=14))
def test_any_answers_either_score_consistently_or_are_refused(key: str, answers: dict[int, int]) -> None:
    spec = instrument(key)
    valid = set(answers) == set(range(1, len(spec.items) + 1)) and all(0 <= s <= 3 for s in answers.values())
    if not valid:
        with pytest.raises(ValueError):
            spec.total(answers)
        return
    total = spec.total(answers)
    assert total == sum(answers.values())
    band = spec.band(total)
    higher = [b.lowest for b in spec.bands if b.lowest > band.lowest]
    assert band.lowest <= total and (not higher or total < min(higher))


@given(st.sampled_from(["phq9", "gad7"]), st.data())
def test_every_complete_sitting_lands_in_exactly_one_band(key: str, data: st.DataObject) -> None:
    spec = instrument(key)
    scores = data.draw(st.lists(st.integers(0, 3), min_size=len(spec.items), max_size=len(spec.items)))
    total = spec.total(dict(enumerate(scores, start=1)))
    assert total == sum(scores) and 0 <= total <= spec.max_total
    containing = [
        band
        for band, upper in zip(spec.bands, [b.lowest for b in spec.bands[1:]] + [spec.max_total + 1], strict=True)
        if band.lowest <= total < upper
    ]
    assert containing == [spec.band(total)]
