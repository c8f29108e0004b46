"""When appointment messages are due: series, reminders around quiet hours, the after-infusion follow-up.

Pure functions of the booking, the clinic's rules and `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MAX_SERIES = 52


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist in the zone (the spring-forward gap)."""


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall-clock time in `zone` as UTC; a time the clocks skip is refused, a repeated one is the first."""
    aware = local.replace(tzinfo=ZoneInfo(zone), fold=0)
    back = aware.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise LocalTimeError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks change)")
    return aware.astimezone(UTC)


def parse_weekdays(text: str) -> set[int]:
    days = {part.strip().lower()[:3] for part in text.split(",") if part.strip()}
    unknown = days - WEEKDAYS.keys()
    if not days or unknown:
        raise ValueError(f"weekdays are mon,tue,wed,thu,fri,sat,sun (got {text!r})")
    return {WEEKDAYS[d] for d in days}


def series_starts(
    first: datetime, zone: str, count: int, *, every_days: int | None = None, weekdays: set[int] | None = None
) -> list[datetime]:
    """`count` starts at the same wall-clock time: every N days, or on the given weekdays, from `first` on."""
    if not 1 <= count <= MAX_SERIES:
        raise ValueError(f"a series has 1 to {MAX_SERIES} appointments")
    if (every_days is None) == (weekdays is None):
        raise ValueError("give either an interval in days or weekdays")
    days: list[date] = []
    day = first.date()
    if every_days is not None:
        if not 1 <= every_days <= 90:
            raise ValueError("the interval is 1 to 90 days")
        days = [day + timedelta(days=every_days * n) for n in range(count)]
    else:
        assert weekdays is not None
        while len(days) < count:
            if day.weekday() in weekdays:
                days.append(day)
            day += timedelta(days=1)
    return [to_utc(datetime.combine(d, first.time()), zone) for d in days]


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_start_before(instant: datetime, zone: str, start: time) -> datetime:
    """The latest moment quiet hours began at or before `instant`."""
    local = instant.astimezone(ZoneInfo(zone))
    day = local.date()
    candidate = datetime.combine(day, start, tzinfo=ZoneInfo(zone))
    if candidate > local:
        candidate = datetime.combine(day - timedelta(days=1), start, tzinfo=ZoneInfo(zone))
    return candidate.astimezone(UTC)


def quiet_start_after(instant: datetime, zone: str, start: time) -> datetime:
    """The first moment quiet hours begin after `instant`."""
    local = instant.astimezone(ZoneInfo(zone))
    candidate = datetime.combine(local.date(), start, tzinfo=ZoneInfo(zone))
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), start, tzinfo=ZoneInfo(zone))
    return candidate.astimezone(UTC)


def quiet_end_after(instant: datetime, zone: str, end: time) -> datetime:
    """The first moment quiet hours end at or after `instant`."""
    local = instant.astimezone(ZoneInfo(zone))
    candidate = datetime.combine(local.date(), end, tzinfo=ZoneInfo(zone))
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=ZoneInfo(zone))
    return candidate.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    lead_hours: float
    due_at: datetime
    moved: bool  # brought forward out of quiet hours


def reminders(
    *,
    starts_at: datetime,
    lead_hours: tuple[float, ...],
    zone: str,
    quiet: tuple[time, time],
    now: datetime,
) -> list[PlannedReminder]:
    """One reminder per lead time, none at night: a reminder due in quiet hours goes out just before they
    begin. Reminders whose time has passed are sent now if that is still before the start and not at night;
    two that would land at the same time are sent once."""
    planned: dict[datetime, PlannedReminder] = {}
    for lead in sorted(lead_hours, reverse=True):
        due = starts_at - timedelta(hours=lead)
        moved = False
        if in_quiet_hours(due.astimezone(ZoneInfo(zone)).time(), *quiet):
            due = quiet_start_before(due, zone, quiet[0]) - timedelta(minutes=1)
            moved = True
        if due < now:
            due = now
        if in_quiet_hours(due.astimezone(ZoneInfo(zone)).time(), *quiet):
            # Too late for the evening before (a late booking, or the bot was down): the morning, if in time.
            due, moved = quiet_end_after(due, zone, quiet[1]), True
        if due >= starts_at or due in planned:
            continue
        planned[due] = PlannedReminder(lead, due, moved)
    return sorted(planned.values(), key=lambda r: r.due_at)


def followup_due(
    *, starts_at: datetime, duration_minutes: int, zone: str, at: time, quiet: tuple[time, time]
) -> datetime | None:
    """The same evening at `at`, local time, never sooner than two hours after the end, and never in quiet
    hours: then just before they begin if that is still an hour after the end, else none (a late session)."""
    end = starts_at + timedelta(minutes=duration_minutes)
    evening = datetime.combine(end.astimezone(ZoneInfo(zone)).date(), at, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    due = max(evening, end + timedelta(hours=2))
    if in_quiet_hours(due.astimezone(ZoneInfo(zone)).time(), *quiet):
        due = quiet_start_before(due, zone, quiet[0]) - timedelta(minutes=1)
        if due < end + timedelta(hours=1):
            return None
    return due


def reminder_key(appointment_id: int, starts_at: datetime, lead_hours: float) -> str:
    return f"appt:{appointment_id}:{starts_at:%Y%m%dT%H%MZ}:{lead_hours:g}h"


def followup_key(appointment_id: int, starts_at: datetime) -> str:
    return f"appt:{appointment_id}:{starts_at:%Y%m%dT%H%MZ}:followup"
