"""What the bot will send one patient in the coming days, and when: daily check-ins, appointment reminders, the
evening check-in after an infusion, and scheduled questionnaires, worked out with the same rules the planner uses
(time zone, quiet hours, pauses, lead times), so staff can see a patient's next two weeks before they happen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.schedule import followup_due, reminders
from bot.checkin.schedule import due_instant
from bot.clinic import ClinicConfig
from bot.questionnaires.instruments import instruments
from bot.questionnaires.schedule import Booking, infusion_series, questionnaires_to_plan
from bot.questionnaires.service import SETTLE_IN
from storage.models import STANDING, Appointment, AppointmentStatus, Patient, PatientStatus

DAYS = 14


@dataclass(frozen=True, slots=True)
class Upcoming:
    due_at: datetime
    what: str  # checkin, reminder, followup or questionnaire
    appointment: Appointment | None = None
    instrument: str | None = None


def project(
    patient: Patient, bookings: Sequence[Appointment], *, config: ClinicConfig, now: datetime, days: int = DAYS
) -> list[Upcoming]:
    """Everything due from `now` to `days` later, in order. Nothing for a patient the bot cannot reach; no check-in
    or questionnaire while paused (they start again when the pause ends)."""
    if patient.telegram_chat_id is None or patient.unreachable_since is not None:
        return []
    if patient.status not in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
        return []
    end = now + timedelta(days=days)
    quiet = (config.appointments.quiet_start, config.appointments.quiet_end)
    found: list[Upcoming] = []
    for booking in bookings:
        kind = config.appointments.kinds.get(booking.kind)
        if kind is None or booking.status is not AppointmentStatus.SCHEDULED or booking.starts_at <= now:
            continue
        for item in reminders(
            starts_at=booking.starts_at, lead_hours=kind.lead_hours, zone=patient.timezone, quiet=quiet, now=now
        ):
            found.append(Upcoming(item.due_at, "reminder", booking))
        due = followup_due(
            starts_at=booking.starts_at,
            duration_minutes=booking.duration_minutes,
            zone=patient.timezone,
            at=kind.followup_time,
            quiet=quiet,
        )
        if kind.followup and due is not None:
            found.append(Upcoming(due, "followup", booking))
    resumes = patient.paused_until if patient.status is PatientStatus.PAUSED else None
    if patient.status is PatientStatus.PAUSED and resumes is None:
        return _within(found, now, end)  # paused without an end: reminders only
    settled = patient.enrolled_at + SETTLE_IN if patient.enrolled_at is not None else None
    not_before = max((moment for moment in (resumes, settled) if moment is not None), default=None)
    today = now.astimezone(ZoneInfo(patient.timezone)).date()
    for offset in range(days + 1):
        due = due_instant(today + timedelta(days=offset), patient.checkin_time, patient.timezone)
        if resumes is None or due >= resumes:
            found.append(Upcoming(due, "checkin"))
    section = config.questionnaires
    series = infusion_series(
        [Booking(b.id, b.starts_at) for b in bookings if b.kind in section.series_kinds and b.status in STANDING],
        zone=patient.timezone,
        gap_days=section.series_gap_days,
    )
    for instrument in instruments():
        for item in questionnaires_to_plan(
            schedule=section.schedule(instrument),
            zone=patient.timezone,
            series=series,
            quiet=quiet,
            now=now,
            not_before=not_before,
            horizon=timedelta(days=days),
        ):
            found.append(Upcoming(item.due_at, "questionnaire", instrument=instrument))
    return _within(found, now, end)


def _within(found: list[Upcoming], now: datetime, end: datetime) -> list[Upcoming]:
    return sorted((u for u in found if now <= u.due_at <= end), key=lambda u: (u.due_at, u.what))


async def upcoming_for(
    session: AsyncSession, patient: Patient, *, config: ClinicConfig, now: datetime, days: int = DAYS
) -> list[Upcoming]:
    bookings = await session.scalars(
        select(Appointment)
        .where(Appointment.patient_id == patient.id, Appointment.starts_at > now - timedelta(days=120))
        .order_by(Appointment.starts_at)
    )
    return project(patient, list(bookings), config=config, now=now, days=days)
