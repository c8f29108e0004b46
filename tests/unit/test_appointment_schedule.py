"""Reminder and follow-up times around quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.appointments.schedule import followup_due, reminders, to_utc

ZONE = "America/New_York"
QUIET = (time(22, 0), time(8, 0))


def local(*args: int) -> datetime:
    return to_utc(datetime(*args), ZONE)


def test_a_late_booking_gets_its_reminder_in_the_morning_not_at_night() -> None:
    planned = reminders(
        starts_at=local(2026, 3, 5, 9, 0), lead_hours=(24.0, 2.0), zone=ZONE, quiet=QUIET, now=local(2026, 3, 4, 23, 0)
    )
    assert [r.due_at for r in planned] == [local(2026, 3, 5, 8, 0)]


def test_a_booking_before_the_morning_ends_gets_no_reminder_at_night() -> None:
    planned = reminders(
        starts_at=local(2026, 3, 5, 7, 30), lead_hours=(2.0,), zone=ZONE, quiet=QUIET, now=local(2026, 3, 5, 1, 0)
    )
    assert planned == []


def test_followup_never_in_quiet_hours() -> None:
    evening = followup_due(starts_at=local(2026, 3, 5, 10, 0), duration_minutes=60, zone=ZONE, at=time(19), quiet=QUIET)
    assert evening == local(2026, 3, 5, 19, 0)
    after_work = followup_due(
        starts_at=local(2026, 3, 5, 18, 0), duration_minutes=60, zone=ZONE, at=time(19), quiet=QUIET
    )
    assert after_work == local(2026, 3, 5, 21, 0)  # two hours after the end
    late = followup_due(starts_at=local(2026, 3, 5, 19, 30), duration_minutes=60, zone=ZONE, at=time(19), quiet=QUIET)
    assert late == local(2026, 3, 5, 21, 59)  # not 22:30: quiet hours
    too_late = followup_due(
        starts_at=local(2026, 3, 5, 20, 30), duration_minutes=60, zone=ZONE, at=time(19), quiet=QUIET
    )
    assert too_late is None
    assert evening.tzinfo is UTC
