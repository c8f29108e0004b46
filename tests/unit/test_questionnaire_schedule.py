"""When scheduled questionnaires are due (`bot.questionnaires.schedule`): series, weekly sittings in several zones
across the 2026 clock changes, the days after a series, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.appointments.schedule import to_utc
from bot.clinic import QuestionnaireSchedule
from bot.questionnaires.schedule import (
    Booking,
    PlannedQuestionnaire,
    Series,
    infusion_series,
    questionnaire_key,
    questionnaires_to_plan,
    send_window,
)

NY, BERLIN = "America/New_York", "Europe/Berlin"
QUIET = (time(22, 0), time(8, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rule(**values: Any) -> QuestionnaireSchedule:
    return QuestionnaireSchedule.model_validate({"time": "18:00", **values})


def booking(number: int, local: datetime, zone: str = NY) -> Booking:
    return Booking(number, to_utc(local, zone))


def plan(schedule: QuestionnaireSchedule, zone: str, now: datetime, **kwargs: Any) -> list[PlannedQuestionnaire]:
    return questionnaires_to_plan(
        schedule=schedule, zone=zone, series=kwargs.pop("series", []), quiet=QUIET, now=now, **kwargs
    )


# Series -------------------------------------------------------------------------------------------------


def test_no_infusions_no_series() -> None:
    assert infusion_series([], zone=NY, gap_days=14) == []


def test_a_gap_of_up_to_14_days_keeps_a_series_and_15_starts_a_new_one() -> None:
    days = [date(2026, 3, 2) + timedelta(days=d) for d in (0, 2, 4, 18, 33, 34)]
    bookings = [booking(n, datetime.combine(day, time(10, 0))) for n, day in enumerate(days, start=1)]
    found = infusion_series(reversed(bookings), zone=NY, gap_days=14)
    assert [[b.id for b in s.bookings] for s in found] == [[1, 2, 3, 4], [5, 6]]
    assert [(s.first.id, s.last.id) for s in found] == [(1, 4), (5, 6)]


@pytest.mark.parametrize(
    ("zone", "first", "second"),
    [
        (NY, datetime(2026, 10, 25, 10, 0), datetime(2026, 11, 8, 10, 0)),  # 14 days and an hour: fall back
        (BERLIN, datetime(2026, 3, 22, 10, 0), datetime(2026, 4, 5, 10, 0)),  # 13 days 23 hours: spring forward
    ],
)
def test_a_clock_change_does_not_split_a_fortnight(zone: str, first: datetime, second: datetime) -> None:
    found = infusion_series([booking(1, first, zone), booking(2, second, zone)], zone=zone, gap_days=14)
    assert len(found) == 1
    later = booking(3, second + timedelta(days=1), zone)
    assert len(infusion_series([booking(1, first, zone), later], zone=zone, gap_days=14)) == 2


def test_days_are_counted_in_the_patients_zone() -> None:
    late = Booking(1, utc(2026, 3, 2, 1, 0))  # Sunday 1 March 20:00 in New York, Monday 2 March in Berlin
    morning = Booking(2, utc(2026, 3, 16, 12, 0))
    assert len(infusion_series([late, morning], zone=NY, gap_days=14)) == 2  # 1 to 16 March: 15 days
    assert len(infusion_series([late, morning], zone=BERLIN, gap_days=14)) == 1  # 2 to 16 March: 14 days


@given(st.lists(st.integers(0, 400), max_size=30), st.integers(1, 30))
def test_series_partition_the_bookings_in_order(offsets: list[int], gap: int) -> None:
    bookings = [Booking(n, utc(2026, 1, 1, 15) + timedelta(days=d)) for n, d in enumerate(offsets)]
    found = infusion_series(bookings, zone=NY, gap_days=gap)
    flat = [b for s in found for b in s.bookings]
    assert sorted(b.id for b in flat) == sorted(b.id for b in bookings)
    assert [b.starts_at for b in flat] == sorted(b.starts_at for b in bookings)
    for s in found:
        assert all((b.starts_at - a.starts_at).days <= gap for a, b in pairwise(s.bookings))
    for a, b in pairwise(found):
        assert (b.first.starts_at - a.last.starts_at).days > gap


# Weekly --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "due"),
    [
        (NY, date(2026, 3, 1), utc(2026, 3, 1, 23, 0)),  # EST
        (NY, date(2026, 3, 8), utc(2026, 3, 8, 22, 0)),  # EDT from 02:00 that morning
        (NY, date(2026, 11, 1), utc(2026, 11, 1, 23, 0)),  # EST again from that morning
        (BERLIN, date(2026, 3, 22), utc(2026, 3, 22, 17, 0)),  # CET
        (BERLIN, date(2026, 3, 29), utc(2026, 3, 29, 16, 0)),  # CEST from that morning
        (BERLIN, date(2026, 10, 25), utc(2026, 10, 25, 17, 0)),  # CET again
        ("Pacific/Auckland", date(2026, 4, 5), utc(2026, 4, 5, 6, 0)),  # NZDT ends that morning: NZST
        ("Asia/Kolkata", date(2026, 3, 8), utc(2026, 3, 8, 12, 30)),
    ],
)
def test_weekly_on_sunday_at_18_local(zone: str, day: date, due: datetime) -> None:
    planned = plan(rule(weekday="sun"), zone, due - timedelta(hours=1))
    assert [(p.trigger, p.local_date, p.due_at) for p in planned] == [(f"weekly:{day.isoformat()}", day, due)]
    assert planned[0].not_after == due + timedelta(hours=4)  # until quiet hours begin at 22:00
    assert planned[0].due_at.tzinfo is UTC


def test_weekly_is_written_a_day_ahead_and_kept_until_quiet_hours() -> None:
    weekly = rule(weekday="sun")
    due = utc(2026, 3, 8, 22, 0)
    assert plan(weekly, NY, due - timedelta(days=1, seconds=1)) == []
    assert [p.due_at for p in plan(weekly, NY, due - timedelta(days=1))] == [due]
    assert [p.due_at for p in plan(weekly, NY, due + timedelta(hours=4))] == [due]
    assert plan(weekly, NY, due + timedelta(hours=4, seconds=1)) == []


def test_weekly_off_plans_nothing_and_other_weekdays_work() -> None:
    now = utc(2026, 3, 4, 15, 0)  # a Wednesday, 10:00 in New York
    assert plan(rule(weekday="off"), NY, now) == []
    assert [p.trigger for p in plan(rule(weekday="wed", time="09:00"), NY, now)] == ["weekly:2026-03-04"]
    assert [p.trigger for p in plan(rule(weekday="thu", time="09:00"), NY, now)] == ["weekly:2026-03-05"]


def test_nothing_before_not_before() -> None:
    due = utc(2026, 3, 8, 22, 0)
    assert plan(rule(weekday="sun"), NY, due, not_before=due + timedelta(minutes=1)) == []
    assert len(plan(rule(weekday="sun"), NY, due, not_before=due)) == 1


# After a series ------------------------------------------------------------------------------------------


SERIES = Series(
    (
        booking(11, datetime(2026, 3, 3, 10, 0)),
        booking(12, datetime(2026, 3, 5, 10, 0)),
        booking(13, datetime(2026, 3, 10, 10, 0)),
    )
)


def test_days_after_the_first_and_the_last_infusion() -> None:
    after = rule(after_first_infusion_days=1, after_last_infusion_days=3)
    first = plan(after, NY, utc(2026, 3, 4, 12, 0), series=[SERIES])
    assert [(p.trigger, p.due_at) for p in first] == [("after_first:11", to_utc(datetime(2026, 3, 4, 18, 0), NY))]
    last = plan(after, NY, utc(2026, 3, 13, 12, 0), series=[SERIES])
    assert [(p.trigger, p.due_at) for p in last] == [("after_last:13", to_utc(datetime(2026, 3, 13, 18, 0), NY))]
    assert plan(after, NY, utc(2026, 3, 8, 12, 0), series=[SERIES]) == []
    assert plan(rule(), NY, utc(2026, 3, 13, 12, 0), series=[SERIES]) == []


def test_one_a_day_and_the_series_wins_over_the_weekly_one() -> None:
    friday = rule(weekday="fri", after_last_infusion_days=3)
    [planned] = plan(friday, NY, utc(2026, 3, 13, 12, 0), series=[SERIES])
    assert planned.trigger == "after_last:13"
    single = Series((booking(21, datetime(2026, 4, 2, 10, 0)),))
    both = rule(after_first_infusion_days=2, after_last_infusion_days=2)
    [planned] = plan(both, NY, utc(2026, 4, 4, 12, 0), series=[single])
    assert planned.trigger == "after_last:21"


# Quiet hours ---------------------------------------------------------------------------------------------


def test_a_time_late_in_the_evening_moves_before_quiet_hours() -> None:
    due, latest = send_window(date(2026, 3, 8), time(23, 0), NY, QUIET)
    assert (due, latest) == (to_utc(datetime(2026, 3, 8, 21, 59), NY), to_utc(datetime(2026, 3, 8, 22, 0), NY))


def test_a_time_early_in_the_morning_moves_to_their_end() -> None:
    due, latest = send_window(date(2026, 3, 8), time(7, 0), NY, QUIET)
    assert (due, latest) == (to_utc(datetime(2026, 3, 8, 8, 0), NY), to_utc(datetime(2026, 3, 8, 20, 0), NY))


def test_a_time_the_clocks_skip_lands_after_the_gap_and_out_of_quiet_hours() -> None:
    due, _ = send_window(date(2026, 3, 8), time(2, 30), NY, QUIET)
    assert due == to_utc(datetime(2026, 3, 8, 8, 0), NY)
    due, _ = send_window(date(2026, 3, 8), time(2, 30), NY, (time(0, 0), time(0, 0)))
    assert due == utc(2026, 3, 8, 7, 30)  # 03:30 EDT, an hour later on the clock


def test_without_quiet_hours_a_late_one_may_go_for_twelve_hours() -> None:
    due, latest = send_window(date(2026, 3, 8), time(23, 0), NY, (time(0, 0), time(0, 0)))
    assert due == to_utc(datetime(2026, 3, 8, 23, 0), NY) and latest == due + timedelta(hours=12)


@given(
    st.sampled_from([NY, BERLIN, "Pacific/Auckland", "Asia/Kolkata", "America/Nuuk"]),
    st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    st.times(),
)
def test_never_in_quiet_hours_and_always_on_its_day(zone: str, day: date, at: time) -> None:
    due, latest = send_window(day, at, zone, QUIET)
    local = due.astimezone(ZoneInfo(zone))
    assert not (local.time() >= QUIET[0] or local.time() < QUIET[1])
    assert local.date() == day and due < latest


def test_the_key() -> None:
    assert questionnaire_key(12, "phq9", "weekly:2026-03-08") == "q:12:phq9:weekly:2026-03-08"
