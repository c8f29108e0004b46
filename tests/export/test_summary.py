"""The report's figures: means over the last 7 and 30 days, the trend, adherence and open crisis events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.export.model import CheckinRecord
from bot.export.summary import mean, slope_per_week, summarise, window
from tests.export.records import sample

END = date(2026, 4, 2)  # sample()'s generated_at, in Berlin


def daily(day: date, score: int | None, status: str | None = None, kind: str = "daily") -> CheckinRecord:
    at = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
    return CheckinRecord(
        id=day.toordinal(), kind=kind, local_date=day, asked_at=at, answered_at=at if score is not None else None,
        score=score, status=status or ("answered" if score is not None else "missed"), note=None, note_at=None,
        appointment_id=None, effects=(),
    )  # fmt: skip


def days_back(scores: list[int | None]) -> tuple[CheckinRecord, ...]:
    """The last score is today's."""
    return tuple(daily(END - timedelta(days=len(scores) - 1 - i), s) for i, s in enumerate(scores))


def test_windows_include_their_first_and_last_day() -> None:
    scores = [(END - timedelta(days=n), n) for n in range(10)]
    assert [n for _, n in window(sorted(scores), END, 7)] == [6, 5, 4, 3, 2, 1, 0]
    assert mean([]) is None


def test_means_over_7_and_30_days_ignore_missed_days_and_follow_ups() -> None:
    checkins = (*days_back([2] * 23 + [None, 8, 8, 8, 8, 8, 8]), daily(END, 0, kind="followup"))
    s = summarise(sample(checkins=checkins))
    assert s.mean_7 == 8 and s.mean_30 == pytest.approx((23 * 2 + 6 * 8) / 29)


def test_trend_needs_five_scores_and_reads_rising_falling_or_steady() -> None:
    assert summarise(sample(checkins=days_back([5, 6, 7, 8]))).trend is None
    rising = summarise(sample(checkins=days_back([1, 2, 3, 4, 5, 6, 7])))
    assert rising.trend == "rising" and rising.trend_per_week == pytest.approx(7.0)
    assert summarise(sample(checkins=days_back([9, 8, 7, 6, 5]))).trend == "falling"
    assert summarise(sample(checkins=days_back([5, 5, 6, 5, 5, 5]))).trend == "steady"
    # The slope is in points a week: one point more each week is 1.0, whatever the spacing of the days.
    weekly = [(date(2026, 3, 1) + timedelta(days=7 * n), n) for n in range(5)]
    assert slope_per_week(weekly) == pytest.approx(1.0)


def test_adherence_counts_closed_daily_check_ins_only() -> None:
    checkins = (
        *days_back([7, None, 6, None, 5]),
        daily(END, None, status="open"),
        daily(END - timedelta(days=40), 3),
        daily(END - timedelta(days=2), 4, kind="followup"),
    )
    s = summarise(sample(checkins=checkins))
    assert (s.adherence_30.answered, s.adherence_30.asked) == (3, 5)
    assert (s.adherence_all.answered, s.adherence_all.asked) == (4, 6)
    assert s.adherence_all.rate == pytest.approx(4 / 6)
    assert summarise(sample(checkins=())).adherence_30.rate is None


def test_open_crises_and_latest_questionnaires() -> None:
    s = summarise(sample())
    assert (s.crises, s.open_crises) == (2, 1)
    assert [q.instrument for q in s.latest_questionnaires] == ["gad7", "phq9"]


def test_a_range_that_ended_in_the_past_is_summarised_at_its_end() -> None:
    end = END - timedelta(days=60)
    checkins = (daily(end, 3), daily(end - timedelta(days=1), 5), daily(END, 10))
    s = summarise(sample(checkins=checkins, end=end))
    assert s.mean_7 == 4
