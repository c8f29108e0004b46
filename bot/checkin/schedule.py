"""When daily check-ins are due: pure functions of the patient's zone, time of day and `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class PlannedCheckin:
    local_date: date
    due_at: datetime
    not_after: datetime


def due_instant(local_date: date, at: time, zone: str) -> datetime:
    """The UTC instant of `at` on `local_date` in `zone`.

    A time that does not exist (the spring-forward gap) lands the same span after the gap, i.e. one hour
    later on the clock, unless that would be the next day (zones whose clocks jump at 23:00): then it lands
    just before the gap. A time that happens twice (fall back) is taken at its first occurrence.
    """
    local = datetime.combine(local_date, at, tzinfo=ZoneInfo(zone))
    instant = local.astimezone(UTC)
    if instant.astimezone(ZoneInfo(zone)).date() != local_date:
        instant = local.replace(fold=1).astimezone(UTC)
    return instant


def checkins_to_plan(
    *, zone: str, at: time, now: datetime, grace: timedelta, not_before: datetime | None = None
) -> list[PlannedCheckin]:
    """Today's and tomorrow's check-ins that can still go out in time, in the patient's zone."""
    today = now.astimezone(ZoneInfo(zone)).date()
    planned = []
    for local_date in (today, today + timedelta(days=1)):
        due = due_instant(local_date, at, zone)
        if due + grace < now or (not_before is not None and due < not_before):
            continue
        planned.append(PlannedCheckin(local_date, due, due + grace))
    return planned


def checkin_key(patient_id: int, local_date: date) -> str:
    return f"checkin:{patient_id}:{local_date.isoformat()}"


def answerable(local_date: date, today: date, *, window_days: int) -> bool:
    """A late answer still counts for its own day, within the window."""
    return 0 <= (today - local_date).days <= window_days
