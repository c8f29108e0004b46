"""When daily check-ins are due: `bot.checkin.schedule`, around the 2026 DST changes."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.checkin.schedule import PlannedCheckin, answerable, checkin_key, checkins_to_plan, due_instant

NY, BERLIN = "America/New_York", "Europe/Berlin"
GRACE = timedelta(hours=3)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local_date", "at", "zone", "expected"),
    [
        # US: EST (UTC-5) until 8 March 2026, EDT (UTC-4) from then until 1 November.
        (date(2026, 3, 7), time(20, 0), NY, utc(2026, 3, 8, 1, 0)),
        (date(2026, 3, 8), time(1, 30), NY, utc(2026, 3, 8, 6, 30)),
        (date(2026, 3, 8), time(3, 0), NY, utc(2026, 3, 8, 7, 0)),
        (date(2026, 3, 8), time(20, 0), NY, utc(2026, 3, 9, 0, 0)),
        (date(2026, 10, 31), time(20, 0), NY, utc(2026, 11, 1, 0, 0)),
        (date(2026, 11, 1), time(0, 30), NY, utc(2026, 11, 1, 4, 30)),
        (date(2026, 11, 1), time(20, 0), NY, utc(2026, 11, 2, 1, 0)),
        # EU: CET (UTC+1) until 29 March 2026, CEST (UTC+2) until 25 October.
        (date(2026, 3, 28), time(20, 0), BERLIN, utc(2026, 3, 28, 19, 0)),
        (date(2026, 3, 29), time(1, 30), BERLIN, utc(2026, 3, 29, 0, 30)),
        (date(2026, 3, 29), time(20, 0), BERLIN, utc(2026, 3, 29, 18, 0)),
        (date(2026, 10, 24), time(20, 0), BERLIN, utc(2026, 10, 24, 18, 0)),
        (date(2026, 10, 25), time(20, 0), BERLIN, utc(2026, 10, 25, 19, 0)),
        # Between the US and EU changes New York is only four hours behind UTC but Berlin still on CET.
        (date(2026, 3, 20), time(9, 0), NY, utc(2026, 3, 20, 13, 0)),
        (date(2026, 3, 20), time(9, 0), BERLIN, utc(2026, 3, 20, 8, 0)),
        (date(2026, 3, 20), time(9, 0), "UTC", utc(2026, 3, 20, 9, 0)),
    ],
)
def test_due_instant_across_the_2026_changes(local_date: date, at: time, zone: str, expected: datetime) -> None:
    due = due_instant(local_date, at, zone)
    assert due == expected
    assert due.tzinfo is UTC


def test_a_gap_at_23h_stays_on_its_day() -> None:
    # Nuuk (UTC-2) jumps from 23:00 to 00:00 on the last Saturday of March: 23:30 does not exist that day.
    due = due_instant(date(2026, 3, 28), time(23, 30), "America/Nuuk")
    assert due == utc(2026, 3, 29, 0, 30)
    local = due.astimezone(ZoneInfo("America/Nuuk"))
    assert (local.date(), local.time()) == (date(2026, 3, 28), time(22, 30))
    # The next day's check-in is a different instant: no day gets two.
    assert due_instant(date(2026, 3, 29), time(23, 30), "America/Nuuk") == utc(2026, 3, 30, 0, 30)
    planned = checkins_to_plan(zone="America/Nuuk", at=time(23, 30), now=utc(2026, 3, 28, 12, 0), grace=GRACE)
    assert [(p.local_date, p.due_at) for p in planned] == [
        (date(2026, 3, 28), utc(2026, 3, 29, 0, 30)),
        (date(2026, 3, 29), utc(2026, 3, 30, 0, 30)),
    ]


@pytest.mark.parametrize(
    ("local_date", "zone", "expected", "local_after"),
    [
        (date(2026, 3, 8), NY, utc(2026, 3, 8, 7, 30), time(3, 30)),
        (date(2026, 3, 29), BERLIN, utc(2026, 3, 29, 1, 30), time(3, 30)),
    ],
)
def test_a_time_in_the_spring_forward_gap_goes_out_an_hour_later_on_the_clock(
    local_date: date, zone: str, expected: datetime, local_after: time
) -> None:
    due = due_instant(local_date, time(2, 30), zone)
    assert due == expected
    local = due.astimezone(ZoneInfo(zone))
    assert (local.date(), local.time()) == (local_date, local_after)


@pytest.mark.parametrize(
    ("local_date", "zone", "at", "first", "second"),
    [
        (date(2026, 11, 1), NY, time(1, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)),
        (date(2026, 10, 25), BERLIN, time(2, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
    ],
)
def test_a_repeated_fall_back_time_is_taken_at_its_first_occurrence(
    local_date: date, zone: str, at: time, first: datetime, second: datetime
) -> None:
    due = due_instant(local_date, at, zone)
    assert due == first
    # Both instants really show that wall time: the repeated hour.
    for instant in (first, second):
        assert instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == datetime.combine(local_date, at)


def test_plan_today_and_tomorrow_when_today_is_still_ahead() -> None:
    now = utc(2026, 3, 2, 14, 0)  # 09:00 in New York
    planned = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE)
    assert planned == [
        PlannedCheckin(date(2026, 3, 2), utc(2026, 3, 3, 1, 0), utc(2026, 3, 3, 4, 0)),
        PlannedCheckin(date(2026, 3, 3), utc(2026, 3, 4, 1, 0), utc(2026, 3, 4, 4, 0)),
    ]


def test_plan_spans_the_us_change() -> None:
    now = utc(2026, 3, 7, 15, 0)  # Saturday 10:00 EST; Sunday is already EDT
    planned = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE)
    assert [(p.local_date, p.due_at) for p in planned] == [
        (date(2026, 3, 7), utc(2026, 3, 8, 1, 0)),
        (date(2026, 3, 8), utc(2026, 3, 9, 0, 0)),
    ]


def test_within_the_grace_window_today_is_still_planned() -> None:
    due = utc(2026, 3, 3, 1, 0)
    for now in (due + timedelta(hours=1), due + GRACE):
        planned = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE)
        assert [p.local_date for p in planned] == [date(2026, 3, 2), date(2026, 3, 3)], now


def test_after_the_grace_window_only_tomorrow_is_planned() -> None:
    now = utc(2026, 3, 3, 1, 0) + GRACE + timedelta(seconds=1)  # 23:00:01 on 2 March in New York
    planned = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE)
    assert planned == [PlannedCheckin(date(2026, 3, 3), utc(2026, 3, 4, 1, 0), utc(2026, 3, 4, 4, 0))]


def test_today_is_the_patients_local_date_not_utcs() -> None:
    # 02:00 UTC on 3 March is still 2 March in New York; a 20:00 check-in 6 hours ago is past its grace.
    now = utc(2026, 3, 3, 2, 0)
    planned = checkins_to_plan(zone=NY, at=time(22, 0), now=now, grace=GRACE)
    assert [p.local_date for p in planned] == [date(2026, 3, 2), date(2026, 3, 3)]
    berlin = checkins_to_plan(zone=BERLIN, at=time(22, 0), now=now, grace=GRACE)
    assert [p.local_date for p in berlin] == [date(2026, 3, 3), date(2026, 3, 4)]


def test_not_before_skips_what_is_due_earlier() -> None:
    now = utc(2026, 3, 2, 14, 0)
    just_after_today = utc(2026, 3, 3, 1, 0) + timedelta(seconds=1)
    planned = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE, not_before=just_after_today)
    assert [p.local_date for p in planned] == [date(2026, 3, 3)]
    at_due = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE, not_before=utc(2026, 3, 3, 1, 0))
    assert [p.local_date for p in at_due] == [date(2026, 3, 2), date(2026, 3, 3)]
    far = checkins_to_plan(zone=NY, at=time(20, 0), now=now, grace=GRACE, not_before=utc(2026, 4, 1))
    assert far == []


def test_plan_on_the_berlin_fall_back_day() -> None:
    now = utc(2026, 10, 24, 22, 0)  # 00:00 CEST on 25 October
    planned = checkins_to_plan(zone=BERLIN, at=time(2, 30), now=now, grace=GRACE)
    assert [(p.local_date, p.due_at) for p in planned] == [
        (date(2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 26), utc(2026, 10, 26, 1, 30)),
    ]


@pytest.mark.parametrize(
    ("local_date", "today", "window", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), 3, True),
        (date(2026, 3, 1), date(2026, 3, 2), 3, True),
        (date(2026, 2, 27), date(2026, 3, 2), 3, True),
        (date(2026, 2, 26), date(2026, 3, 2), 3, False),
        (date(2026, 3, 3), date(2026, 3, 2), 3, False),
        (date(2026, 3, 1), date(2026, 3, 2), 1, True),
        (date(2026, 2, 28), date(2026, 3, 2), 1, False),
    ],
)
def test_answerable(local_date: date, today: date, window: int, expected: bool) -> None:
    assert answerable(local_date, today, window_days=window) is expected


def test_checkin_key() -> None:
    assert checkin_key(7, date(2026, 3, 8)) == "checkin:7:2026-03-08"
    assert checkin_key(123456789012, date(2035, 12, 31)) == "checkin:123456789012:2035-12-31"
    assert checkin_key(7, date(2026, 3, 8)) != checkin_key(7, date(2026, 3, 9))
    assert checkin_key(7, date(2026, 3, 8)) != checkin_key(8, date(2026, 3, 8))


ZONES = st.sampled_from(sorted(zoneinfo.available_timezones()))
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
TIMES = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    """Whether this wall time happens in the zone (it is not in a spring-forward gap)."""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


@given(ZONES, DATES, TIMES)
@example(NY, date(2026, 3, 8), time(2, 30))
@example(BERLIN, date(2026, 10, 25), time(2, 30))
@example("America/Nuuk", date(2026, 3, 28), time(23, 30))
def test_due_instant_is_aware_utc_and_keeps_the_wall_time(zone: str, local_date: date, at: time) -> None:
    due = due_instant(local_date, at, zone)
    assert due.tzinfo is UTC and due.utcoffset() == timedelta(0)
    tz = ZoneInfo(zone)
    wanted = datetime.combine(local_date, at)
    local = due.astimezone(tz).replace(tzinfo=None)
    if _exists(wanted, tz):
        # An existing (or repeated) wall time is kept exactly, and a repeated one at its first occurrence.
        assert local == wanted
        earlier_same_wall = [
            d
            for d in (due - timedelta(minutes=m) for m in range(1, 181))
            if d.astimezone(tz).replace(tzinfo=None) == wanted
        ]
        assert earlier_same_wall == []
    else:
        # A gap time goes out later on the clock by the size of the gap, unless that is the next day: then
        # it goes out the same span before the gap.
        before = wanted.replace(tzinfo=tz).utcoffset()
        after = wanted.replace(tzinfo=tz, fold=1).utcoffset()
        assert before is not None and after is not None
        gap = after - before
        if (wanted + gap).date() == local_date:
            assert local == wanted + gap
        else:
            assert local == wanted - gap
    assert local.date() == local_date


@given(ZONES, DATES, TIMES)
@example("America/Nuuk", date(2026, 3, 28), time(23, 30))
def test_due_instant_stays_on_its_local_date(zone: str, local_date: date, at: time) -> None:
    due = due_instant(local_date, at, zone)
    assert due.astimezone(ZoneInfo(zone)).date() == local_date
