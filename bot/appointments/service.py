"""Bookings: create, reschedule, cancel, import; each change re-plans the reminders in the outbox."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.imports import ImportedAppointment, RowError
from bot.appointments.matching import KindMatcher, Known, Matching, PatientMatcher
from bot.appointments.schedule import (
    followup_due,
    followup_key,
    in_quiet_hours,
    quiet_end_after,
    reminder_key,
    reminders,
)
from bot.clinic import ClinicConfig
from bot.patients import plan_again
from storage import outbox
from storage.models import Appointment, AppointmentStatus, OutboxMessage, OutboxStatus, Patient, PatientStatus
from storage.upsert import MAX_PARAMETERS

REMINDER_KIND = "reminder"
FOLLOWUP_KIND = "followup"


def appointment_state(appointment: Appointment) -> str:
    """confirmed, reschedule_requested, unconfirmed, cancelled, attended or no_show."""
    if appointment.status is not AppointmentStatus.SCHEDULED:
        return appointment.status.value
    if appointment.reschedule_requested_at is not None:
        return "reschedule_requested"
    return "confirmed" if appointment.confirmed_at is not None else "unconfirmed"


class BookingError(ValueError):
    """A booking that cannot be made as asked; the message says why."""


async def plan_messages(session: AsyncSession, *, appointment: Appointment, config: ClinicConfig, now: datetime) -> int:
    """Withdraw what is still pending for the booking and plan it again from its current time."""
    await outbox.cancel_keys(session, prefix=f"appt:{appointment.id}:", reason="re-planned")
    if appointment.status is not AppointmentStatus.SCHEDULED or appointment.starts_at <= now:
        return 0
    patient = await session.get_one(Patient, appointment.patient_id)
    kind = config.appointments.kinds.get(appointment.kind)
    if kind is None:
        return 0
    quiet = (config.appointments.quiet_start, config.appointments.quiet_end)
    planned = [
        outbox.Planned(
            key=reminder_key(appointment.id, appointment.starts_at, item.lead_hours),
            kind=REMINDER_KIND,
            due_at=item.due_at,
            not_after=appointment.starts_at,
            patient_id=patient.id,
            chat_id=patient.telegram_chat_id,
            payload={"appointment_id": appointment.id, "lead_hours": item.lead_hours},
        )
        for item in reminders(
            starts_at=appointment.starts_at, lead_hours=kind.lead_hours, zone=patient.timezone, quiet=quiet, now=now
        )
    ]
    due = followup_due(
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        zone=patient.timezone,
        at=kind.followup_time,
        quiet=quiet,
    )
    if kind.followup and due is not None:
        planned.append(
            outbox.Planned(
                key=followup_key(appointment.id, appointment.starts_at),
                kind=FOLLOWUP_KIND,
                due_at=due,
                not_after=due + timedelta(hours=4),
                patient_id=patient.id,
                chat_id=patient.telegram_chat_id,
                payload={"appointment_id": appointment.id},
            )
        )
    await _revive(session, [p.key for p in planned])
    return await outbox.enqueue(session, planned, now=now)


async def _revive(session: AsyncSession, keys: Sequence[str]) -> None:
    """Keys cancelled by an earlier plan come back as pending rows (moving an appointment back and forth)."""
    for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.in_(keys))):
        if row.status is OutboxStatus.CANCELLED:
            await session.delete(row)
    await session.flush()


async def book(
    session: AsyncSession,
    *,
    patient_id: int,
    kind: str,
    starts_at: datetime,
    duration_minutes: int | None,
    location: str | None,
    notes: str | None,
    config: ClinicConfig,
    now: datetime,
    source_uid: str | None = None,
) -> Appointment:
    patient = await session.get(Patient, patient_id)
    if patient is None:
        raise BookingError(f"no patient with id {patient_id}")
    if patient.status is PatientStatus.DEACTIVATED:
        raise BookingError(f"patient {patient_id} is deactivated")
    if kind not in config.appointments.kinds:
        raise BookingError(
            f"unknown kind {kind!r}; the clinic file knows {', '.join(sorted(config.appointments.kinds))}"
        )
    appointment = Appointment(
        patient_id=patient_id,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes or config.appointments.kinds[kind].duration_minutes,
        location=location,
        notes=notes,
        source_uid=source_uid,
        status=AppointmentStatus.SCHEDULED,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    await session.flush()
    await plan_messages(session, appointment=appointment, config=config, now=now)
    await plan_again(session, [patient_id])  # questionnaires after an infusion follow the bookings
    return appointment


@dataclass(frozen=True, slots=True)
class BookingWarning:
    """Something a person confirms before the booking is saved: it starts in the past (`other` is None), or it
    overlaps `other`, the same patient's booking."""

    other: Appointment | None


# The longest booking a kind or --duration allows: anything starting earlier has ended before a new one begins.
_LONGEST = timedelta(minutes=1440)


async def booking_warnings(
    session: AsyncSession,
    *,
    patient_id: int,
    starts_at: datetime,
    duration_minutes: int,
    now: datetime,
    moving: int | None = None,
) -> list[BookingWarning]:
    """Past start and overlaps with the patient's other live bookings (`moving`: the booking being moved)."""
    warnings = [BookingWarning(None)] if starts_at < now else []
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    nearby = await session.scalars(
        select(Appointment)
        .where(
            Appointment.patient_id == patient_id,
            Appointment.status != AppointmentStatus.CANCELLED,
            Appointment.starts_at > starts_at - _LONGEST,
            Appointment.starts_at < ends_at,
        )
        .order_by(Appointment.starts_at)
    )
    return warnings + [
        BookingWarning(other)
        for other in nearby
        if other.id != moving and other.starts_at + timedelta(minutes=other.duration_minutes) > starts_at
    ]


async def get_appointment(session: AsyncSession, appointment_id: int) -> Appointment:
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None:
        raise BookingError(f"no appointment with id {appointment_id}")
    return appointment


async def reschedule(
    session: AsyncSession, *, appointment_id: int, starts_at: datetime, config: ClinicConfig, now: datetime
) -> Appointment:
    """Move a booking; its reminders follow, and an enrolled patient is told the new time (outside quiet hours)
    with the buttons to confirm it."""
    appointment = await get_appointment(session, appointment_id)
    if appointment.status is AppointmentStatus.CANCELLED:
        raise BookingError(f"appointment {appointment_id} is cancelled")
    appointment.starts_at = starts_at
    appointment.confirmed_at = None
    appointment.reschedule_requested_at = None
    appointment.updated_at = now
    await plan_messages(session, appointment=appointment, config=config, now=now)
    await _tell_moved(session, appointment=appointment, config=config, now=now)
    await plan_again(session, [appointment.patient_id])
    return appointment


async def _tell_moved(session: AsyncSession, *, appointment: Appointment, config: ClinicConfig, now: datetime) -> None:
    patient = await session.get_one(Patient, appointment.patient_id)
    if appointment.starts_at <= now or patient.status is not PatientStatus.ACTIVE or patient.telegram_chat_id is None:
        return
    quiet = config.appointments
    due = now
    if in_quiet_hours(now.astimezone(ZoneInfo(patient.timezone)).time(), quiet.quiet_start, quiet.quiet_end):
        # At night the news waits for the morning, unless the appointment comes first.
        due = quiet_end_after(now, patient.timezone, quiet.quiet_end)
        due = due if due < appointment.starts_at else now
    await outbox.enqueue(
        session,
        [
            outbox.Planned(
                # Under the booking's own prefix, so that moving it again withdraws a notice not yet sent; each move
                # is news of its own, even back to a time announced before.
                key=f"appt:{appointment.id}:moved:{now:%Y%m%dT%H%M%S.%fZ}",
                kind=REMINDER_KIND,
                due_at=due,
                not_after=appointment.starts_at,
                patient_id=patient.id,
                chat_id=patient.telegram_chat_id,
                payload={"appointment_id": appointment.id, "moved": True},
            )
        ],
        now=now,
    )


async def mark_outcome(
    session: AsyncSession, *, appointment_id: int, outcome: AppointmentStatus, now: datetime
) -> Appointment:
    """Attended or no-show, once the booking has begun; a missed one's follow-up is withdrawn and its infusion
    no longer counts towards questionnaires. Marking again corrects the mark."""
    if outcome not in (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW):
        raise BookingError(f"an appointment is marked attended or no_show, not {outcome.value}")
    appointment = await get_appointment(session, appointment_id)
    if appointment.status is AppointmentStatus.CANCELLED:
        raise BookingError(f"appointment {appointment_id} is cancelled")
    if appointment.starts_at > now:
        raise BookingError(f"appointment {appointment_id} has not begun yet")
    appointment.status = outcome
    appointment.updated_at = now
    if outcome is AppointmentStatus.NO_SHOW:
        await outbox.cancel_keys(session, prefix=f"appt:{appointment.id}:", reason="did not come")
    await plan_again(session, [appointment.patient_id])
    return appointment


async def cancel(session: AsyncSession, *, appointment_id: int, now: datetime) -> Appointment:
    appointment = await get_appointment(session, appointment_id)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.updated_at = now
    await outbox.cancel_keys(session, prefix=f"appt:{appointment.id}:", reason="appointment cancelled")
    await plan_again(session, [appointment.patient_id])
    return appointment


@dataclass(frozen=True, slots=True)
class ImportReport:
    counts: Counter[str]
    errors: list[RowError]
    # Each good row and what importing it does (or did): created, updated, unchanged, cancelled or skipped.
    actions: list[tuple[ImportedAppointment, str]] = field(default_factory=list)


async def matching_for(
    session: AsyncSession, config: ClinicConfig, assigned: Mapping[int, int] | None = None
) -> Matching:
    """Every patient's name, record number and e-mail, every kind's name, labels and keywords, and the patient of
    every event imported before."""
    found = await session.execute(select(Patient.id, Patient.display_name, Patient.external_id, Patient.email))
    kinds = {name: [*kind.label.values(), *kind.keywords] for name, kind in config.appointments.kinds.items()}
    booked = await session.execute(
        select(Appointment.source_uid, Appointment.patient_id).where(Appointment.source_uid.is_not(None))
    )
    return Matching(
        PatientMatcher(Known(*row) for row in found),
        KindMatcher(kinds),
        assigned=dict(assigned or {}),
        booked={uid: patient_id for uid, patient_id in booked if uid is not None},
    )


async def import_appointments(
    session: AsyncSession,
    *,
    rows: Sequence[ImportedAppointment],
    config: ClinicConfig,
    now: datetime,
    bad_rows: Sequence[RowError] = (),
    dry_run: bool = False,
) -> ImportReport:
    """All or nothing: unknown patients are errors too, reported with the file's `bad_rows` in one list by line,
    and any error imports no row at all. `dry_run`: say what each row would do, and change nothing."""
    ids = {row.patient_id for row in rows}
    found = await session.execute(select(Patient.id, Patient.status).where(Patient.id.in_(ids)))
    known = {patient_id: status for patient_id, status in found}
    errors = [
        RowError(row.line, f"unknown patient {row.patient_id}")
        if row.patient_id not in known
        else RowError(row.line, f"patient {row.patient_id} is deactivated")
        for row in rows
        if known.get(row.patient_id) in (None, PatientStatus.DEACTIVATED)
    ]
    every_error = sorted([*bad_rows, *errors], key=lambda error: error.line)
    if every_error and not dry_run:
        return ImportReport(Counter(), every_error)
    counts: Counter[str] = Counter()
    actions: list[tuple[ImportedAppointment, str]] = []
    existing: dict[str | None, Appointment] = {}
    uids = [r.uid for r in rows]
    for start in range(0, len(uids), MAX_PARAMETERS):  # asyncpg takes at most 32,767 parameters a statement
        chunk = uids[start : start + MAX_PARAMETERS]
        existing |= {
            a.source_uid: a for a in await session.scalars(select(Appointment).where(Appointment.source_uid.in_(chunk)))
        }
    unknown = {error.line for error in errors}
    for row in rows:
        if row.line in unknown:
            continue  # a preview shows what the good rows would do beside the bad ones
        current = existing.get(row.uid)
        action = planned_action(row, current) if dry_run else await _apply(session, row, current, config, now)
        counts[action] += 1
        actions.append((row, action))
    return ImportReport(counts, every_error, actions)


def _fields(row: ImportedAppointment) -> tuple[object, ...]:
    return (row.patient_id, row.kind, row.starts_at, row.duration_minutes, row.location, row.notes)


def _booked_fields(current: Appointment) -> tuple[object, ...]:
    return (
        current.patient_id,
        current.kind,
        current.starts_at,
        current.duration_minutes,
        current.location,
        current.notes,
    )


def planned_action(row: ImportedAppointment, current: Appointment | None) -> str:
    """What importing `row` does to `current`, the booking with its UID (None: there is none yet)."""
    if current is None:
        return "skipped" if row.cancelled else "created"
    if row.cancelled:
        return "unchanged" if current.status is AppointmentStatus.CANCELLED else "cancelled"
    if _fields(row) == _booked_fields(current) and current.status is not AppointmentStatus.CANCELLED:
        return "unchanged"  # an attended or missed mark stays: the file knows nothing of it
    return "updated"


async def _apply(
    session: AsyncSession, row: ImportedAppointment, current: Appointment | None, config: ClinicConfig, now: datetime
) -> str:
    action = planned_action(row, current)
    if action == "created":
        await book(
            session,
            patient_id=row.patient_id,
            kind=row.kind,
            starts_at=row.starts_at,
            duration_minutes=row.duration_minutes,
            location=row.location,
            notes=row.notes,
            config=config,
            now=now,
            source_uid=row.uid,
        )
    elif action == "cancelled":
        assert current is not None
        await cancel(session, appointment_id=current.id, now=now)
    elif action == "updated":
        assert current is not None
        if current.starts_at != row.starts_at:
            current.confirmed_at = None
        await plan_again(session, {current.patient_id, row.patient_id})
        (current.patient_id, current.kind, current.starts_at, current.duration_minutes, current.location,
         current.notes) = _fields(row)  # fmt: skip
        current.status = AppointmentStatus.SCHEDULED
        current.updated_at = now
        await plan_messages(session, appointment=current, config=config, now=now)
    return action


async def replan_patient(session: AsyncSession, *, patient_id: int, config: ClinicConfig, now: datetime) -> None:
    """After a patient can be reached again: plan every upcoming booking's messages anew."""
    for appointment in await upcoming(session, patient_id=patient_id, now=now):
        await plan_messages(session, appointment=appointment, config=config, now=now)


async def upcoming(session: AsyncSession, *, patient_id: int, now: datetime) -> list[Appointment]:
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.patient_id == patient_id,
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.starts_at > now - timedelta(hours=1),
        )
        .order_by(Appointment.starts_at)
    )
    return list(rows)


class AnswerResult(enum.StrEnum):
    CONFIRMED = "confirmed"
    RESCHEDULE = "reschedule"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"


async def answer_reminder(
    session: AsyncSession, *, appointment_id: int, telegram_user_id: int, confirm: bool, now: datetime
) -> tuple[AnswerResult, Appointment | None, Patient | None]:
    patient = await session.scalar(select(Patient).where(Patient.telegram_user_id == telegram_user_id))
    appointment = await session.get(Appointment, appointment_id, with_for_update=True)
    if patient is None or appointment is None or appointment.patient_id != patient.id:
        return AnswerResult.NOT_YOURS, None, None
    if appointment.status is not AppointmentStatus.SCHEDULED or appointment.starts_at <= now:
        return AnswerResult.CLOSED, appointment, patient
    if confirm:
        appointment.confirmed_at = appointment.confirmed_at or now
        return AnswerResult.CONFIRMED, appointment, patient
    appointment.reschedule_requested_at = now
    return AnswerResult.RESCHEDULE, appointment, patient
