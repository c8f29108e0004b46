"""When questionnaires go out by themselves: weekly, and some days after the first and the last infusion of a
series. Pure functions of the clinic's schedule, the patient's zone and bookings, and `now`.

A *series* is a run of a patient's scheduled (not cancelled) infusions in which each one falls at most
`gap_days` calendar days, in the patient's zone, after the one before; a longer gap starts a new series. A
booster weeks later is a series of its own, so it has a first and a last infusion too (the same one).
Counting calendar days rather than hours keeps a clock change from splitting two infusions a fortnight apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.appointments.schedule import (
    WEEKDAYS,
    in_quiet_hours,
    quiet_end_after,
    quiet_start_after,
    quiet_start_before,
)
from bot.checkin.schedule import due_instant
from bot.clinic import QuestionnaireSchedule

# How far ahead rows are written: far enough that nothing is missed between two planning runs, near enough
# that a change of bookings or time zone seldom has anything to move.
HORIZON = timedelta(days=1)
# Without quiet hours, how late a questionnaire may still go out after its time.
LATEST = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Booking:
    """An infusion as far as series are concerned."""

    id: int
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class Series:
    bookings: tuple[Booking, ...]

    @property
    def first(self) -> Booking:
        return self.bookings[0]

    @property
    def last(self) -> Booking:
        return self.bookings[-1]


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def infusion_series(bookings: Iterable[Booking], *, zone: str, gap_days: int) -> list[Series]:
    """The bookings (scheduled infusions only) grouped into series, oldest first."""
    runs: list[list[Booking]] = []
    previous: date | None = None
    for booking in sorted(bookings, key=lambda b: (b.starts_at, b.id)):
        day = local_date(booking.starts_at, zone)
        if previous is not None and (day - previous).days <= gap_days:
            runs[-1].append(booking)
        else:
            runs.append([booking])
        previous = day
    return [Series(tuple(run)) for run in runs]


@dataclass(frozen=True, slots=True)
class PlannedQuestionnaire:
    trigger: str  # "weekly:<local date>", "after_first:<appointment id>", "after_last:<appointment id>"
    local_date: date
    due_at: datetime
    not_after: datetime


def send_window(day: date, at: time, zone: str, quiet: tuple[time, time]) -> tuple[datetime, datetime]:
    """When a questionnaire meant for `at` on `day` goes out, and the last moment it still may.

    A time inside quiet hours moves to their end when that is the same day (an early morning), else to just
    before they begin (a late evening). A late one may still go out until quiet hours begin, so never at night.
    """
    start, end = quiet
    due = due_instant(day, at, zone)
    if in_quiet_hours(due.astimezone(ZoneInfo(zone)).time(), start, end):
        morning = quiet_end_after(due, zone, end)
        evening = quiet_start_before(due, zone, start) - timedelta(minutes=1)
        due = morning if local_date(morning, zone) == day else evening
    latest = due + LATEST
    if start != end:
        latest = min(latest, quiet_start_after(due, zone, start))
    return due, latest


def questionnaires_to_plan(
    *,
    schedule: QuestionnaireSchedule,
    zone: str,
    series: Sequence[Series],
    quiet: tuple[time, time],
    now: datetime,
    not_before: datetime | None = None,
    horizon: timedelta = HORIZON,
) -> list[PlannedQuestionnaire]:
    """One instrument's scheduled sittings that are due within `horizon` and may still go out.

    At most one a day: when a weekly one and one after an infusion fall on the same day, the one after the
    infusion is kept (after the last before after the first), since it says more about the treatment.
    """
    wanted: dict[date, tuple[int, str]] = {}

    def offer(day: date, rank: int, trigger: str) -> None:
        if day not in wanted or wanted[day][0] < rank:
            wanted[day] = (rank, trigger)

    if schedule.weekday != "off":
        day, last = local_date(now - timedelta(days=1), zone), local_date(now + horizon, zone)
        while day <= last:
            if day.weekday() == WEEKDAYS[schedule.weekday]:
                offer(day, 0, f"weekly:{day.isoformat()}")
            day += timedelta(days=1)
    for run in series:
        if schedule.after_first_infusion_days:
            day = local_date(run.first.starts_at, zone) + timedelta(days=schedule.after_first_infusion_days)
            offer(day, 1, f"after_first:{run.first.id}")
        if schedule.after_last_infusion_days:
            day = local_date(run.last.starts_at, zone) + timedelta(days=schedule.after_last_infusion_days)
            offer(day, 2, f"after_last:{run.last.id}")
    planned = []
    for day, (_, trigger) in sorted(wanted.items()):
        due, latest = send_window(day, schedule.at, zone, quiet)
        if due > now + horizon or latest < now or (not_before is not None and due < not_before):
            continue
        planned.append(PlannedQuestionnaire(trigger, day, due, latest))
    return planned


def questionnaire_key(patient_id: int, instrument: str, trigger: str) -> str:
    return f"q:{patient_id}:{instrument}:{trigger}"
