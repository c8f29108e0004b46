"""Callback data: `bot.callbacks` builders and the untrusting parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks
from bot.callbacks import (
    EFFECTS,
    Acknowledge,
    ConsentAnswer,
    EffectToggle,
    NoteSkip,
    QuestionnaireAnswer,
    ReminderAnswer,
    ScoreTap,
    parse,
)

BIGGEST = 2**31 - 1  # ids are INTEGER columns: the largest a row can have
TAG = "0123456789abcdef"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (callbacks.score_tap(1, 0), ScoreTap(1, 0)),
        (callbacks.score_tap(42, 10), ScoreTap(42, 10)),
        (callbacks.score_tap(BIGGEST, 7), ScoreTap(BIGGEST, 7)),
        (callbacks.note_skip(5), NoteSkip(5)),
        (callbacks.consent_answer(9, TAG, agree=True), ConsentAnswer(9, TAG, True)),
        (callbacks.consent_answer(9, TAG, agree=False), ConsentAnswer(9, TAG, False)),
        (callbacks.acknowledge(77), Acknowledge(77)),
        (callbacks.reminder_answer(3, confirm=True), ReminderAnswer(3, True)),
        (callbacks.reminder_answer(3, confirm=False), ReminderAnswer(3, False)),
        *[(callbacks.effect_toggle(11, effect), EffectToggle(11, effect)) for effect in EFFECTS],
        (callbacks.questionnaire_answer(8, 1, 0), QuestionnaireAnswer(8, 1, 0)),
        (callbacks.questionnaire_answer(8, 9, 3), QuestionnaireAnswer(8, 9, 3)),
        (callbacks.questionnaire_answer(BIGGEST, 99, 2), QuestionnaireAnswer(BIGGEST, 99, 2)),
    ],
)
def test_round_trip(data: str, expected: object) -> None:
    assert parse(data) == expected


def test_builders_use_the_documented_scheme() -> None:
    assert callbacks.score_tap(12, 7) == "ci:12:7"
    assert callbacks.note_skip(12) == "cn:12:skip"
    assert callbacks.consent_answer(3, TAG, agree=True) == f"cs:3:{TAG}:y"
    assert callbacks.acknowledge(4) == "ack:4"
    assert callbacks.reminder_answer(5, confirm=False) == "ap:5:r"
    assert callbacks.effect_toggle(6, "nausea") == "fx:6:nausea"
    assert callbacks.questionnaire_answer(7, 9, 3) == "qa:7:9:3"


def test_every_builder_fits_in_64_bytes_for_the_largest_ids() -> None:
    longest_effect = max(EFFECTS, key=len)
    built = [
        callbacks.score_tap(BIGGEST, 10),
        callbacks.note_skip(BIGGEST),
        callbacks.consent_answer(BIGGEST, "f" * 16, agree=False),
        callbacks.acknowledge(BIGGEST),
        callbacks.reminder_answer(BIGGEST, confirm=True),
        callbacks.effect_toggle(BIGGEST, longest_effect),
        callbacks.questionnaire_answer(BIGGEST, 99, 3),
    ]
    for data in built:
        assert len(data.encode("utf-8")) <= 64, data
        assert parse(data) is not None, data


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "ci:1:11",
        "ci:1:-1",
        "ci:1:100",
        "ci:1:",
        "ci::5",
        "ci:x:5",
        "ci:1:5:extra",
        "ci:1234567890123:5",  # 13-digit id
        "ci:2147483648:5",  # more than any row's id: PostgreSQL would refuse it in a query
        "ack:999999999999",
        "cn:1:nope",
        "cs:1:0123456789ABCDEF:y",  # the tag is lower-case hex
        "cs:1:0123:y",
        "cs:1:0123456789abcdef:maybe",
        "ack:",
        "ack:-1",
        "ap:1:x",
        "fx:1:euphoria",
        "qa:1:9:4",  # answers score 0 to 3
        "qa:1:9:-1",
        "qa:1:0:1",  # items count from 1
        "qa:1:09:1",
        "qa:1:100:1",
        "qa:1:9",
        "qa:1:9:3:x",
        "qa::9:3",
        "zz:1:2",
        "ci:1:5" + " " * 64,
        "CI:1:5",
    ],
)
def test_malformed_data_is_refused(data: str | None) -> None:
    assert parse(data) is None


def test_over_64_chars_is_refused_even_when_it_would_match() -> None:
    data = "ack:" + "0" * 60 + "1"
    assert len(data) == 65
    assert parse(data) is None


@given(st.text(max_size=100))
def test_parse_never_raises_and_keeps_scores_in_range(data: str) -> None:
    result = parse(data)
    if isinstance(result, ScoreTap):
        assert 0 <= result.score <= 10
        assert result.checkin_id >= 0


@given(st.integers(0, BIGGEST), st.integers(-1000, 1000))
def test_score_taps_outside_0_to_10_are_refused(checkin_id: int, score: int) -> None:
    result = parse(f"ci:{checkin_id}:{score}")
    if 0 <= score <= 10:
        assert result == ScoreTap(checkin_id, score)
    else:
        assert result is None


@given(st.integers(0, BIGGEST), st.integers(0, 10))
def test_score_tap_round_trips_for_any_id(checkin_id: int, score: int) -> None:
    assert parse(callbacks.score_tap(checkin_id, score)) == ScoreTap(checkin_id, score)


@given(st.integers(0, BIGGEST), st.integers(-5, 120), st.integers(-5, 9))
def test_questionnaire_answers_out_of_range_are_refused(response_id: int, item: int, score: int) -> None:
    result = parse(f"qa:{response_id}:{item}:{score}")
    if 1 <= item <= 99 and 0 <= score <= 3:
        assert result == QuestionnaireAnswer(response_id, item, score)
    else:
        assert result is None
