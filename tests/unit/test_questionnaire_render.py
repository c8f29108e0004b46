"""Questionnaire wording and decisions that need no Telegram: buttons, results, the staff trend, item 9."""

from __future__ import annotations

import pytest

from bot.questionnaires.crisis import alert_excerpt, crisis_verdict, possible_crisis
from bot.questionnaires.instruments import instrument
from bot.questionnaires.render import answer_keyboard, result_text, trend_text
from bot.questionnaires.service import Trend, next_item, scores
from bot.questionnaires.wording import wording
from bot.safety.detector import Tier
from tests.unit.test_texts import FORBIDDEN

ANSWERS = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def test_buttons_begin_with_the_answers_and_carry_compact_data() -> None:
    spec = instrument("phq9")
    rows = answer_keyboard(spec, 999_999_999_999, 9, 2, wording(spec, {}, "en")).inline_keyboard
    assert [len(row) for row in rows] == [1, 1, 1, 1]
    labels = [row[0].text for row in rows]
    assert labels == ["Not at all", "Several days", "More than half the days ✓", "Nearly every day"]
    data = [row[0].callback_data for row in rows]
    assert data == [f"qa:999999999999:9:{score}" for score in range(4)]
    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)


@pytest.mark.parametrize(
    ("key", "total"), [(k, n) for k in ("phq9", "gad7") for n in range(instrument(k).max_total + 1)]
)
def test_every_result_is_kind_and_plain(key: str, total: int) -> None:
    spec = instrument(key)
    text = result_text(spec, total, "en")
    assert f"total is {total} out of {spec.max_total}" in text
    assert "severe" not in text.lower() and not FORBIDDEN.search(text)
    gentle = spec.band(total).name in ("minimal", "mild")
    assert ("/sos" in text) is not gentle
    assert "care team" in text


def test_the_staff_trend() -> None:
    assert trend_text(Trend("phq9", 12, None)) == "PHQ-9 12"
    assert trend_text(Trend("phq9", 12, 15)) == "PHQ-9 12 (−3)"
    assert trend_text(Trend("gad7", 9, 7)) == "GAD-7 9 (+2)"
    assert trend_text(Trend("gad7", 9, 9)) == "GAD-7 9 (±0)"
    assert trend_text(Trend("retired", 3, None)) == "retired 3"


@pytest.mark.parametrize(("score", "tier"), [(0, None), (1, Tier.IDEATION), (2, Tier.SELF_HARM), (3, Tier.IMMINENT)])
def test_item_9_tiers(score: int, tier: Tier | None) -> None:
    verdict = crisis_verdict(instrument("phq9"), 9, score, "en")
    if tier is None:
        assert verdict is None
        return
    assert verdict is not None
    assert (verdict.tier, verdict.matched, verdict.rule, verdict.language) == (
        tier,
        ANSWERS[score],
        f"phq9.item9.{score}",
        "en",
    )
    assert verdict.crisis


def test_no_other_item_is_a_crisis_signal() -> None:
    phq9, gad7 = instrument("phq9"), instrument("gad7")
    assert all(crisis_verdict(phq9, item, 3, "en") is None for item in range(1, 9))
    assert all(crisis_verdict(gad7, item, 3, "en") is None for item in range(1, 8))


def test_without_the_database_an_item_9_press_is_taken_for_the_phq9() -> None:
    assert possible_crisis(9, 1) is instrument("phq9")
    assert possible_crisis(9, 0) is None and possible_crisis(7, 3) is None


def test_the_alert_names_the_item_and_the_answer() -> None:
    excerpt = alert_excerpt(instrument("phq9"), 9, 3)
    assert excerpt.startswith("PHQ-9 item 9 (Thoughts that you would be better off dead")
    assert excerpt.endswith(": Nearly every day")


def test_the_next_item_is_the_first_unanswered() -> None:
    phq9 = instrument("phq9")
    assert next_item(phq9, {}) == 1
    assert next_item(phq9, {"1": 0, "2": 3, "4": 1}) == 3
    assert next_item(phq9, {str(n): 0 for n in range(1, 10)}) is None
    assert scores({"1": 2, "9": 0}) == {1: 2, 9: 0}
