"""Reads one patient's records for a period out of the database into an :class:`ExportData`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.messages import label_of
from bot.appointments.service import appointment_state
from bot.audit import ERASE
from bot.checkin.schedule import answerable, due_instant
from bot.clinic import ClinicConfig
from bot.export.model import (
    AppointmentRecord,
    CheckinRecord,
    CrisisRecord,
    ErasureRecord,
    ExportData,
    JournalRecord,
    Profile,
    QuestionnaireRecord,
)
from bot.patients import local_today
from bot.questionnaires.instruments import instruments
from bot.questionnaires.service import scores
from storage.models import (
    Appointment,
    AuditEvent,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    JournalEntry,
    Patient,
    QuestionnaireResponse,
)


def instant_bounds(zone: str, start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """The UTC instants of local midnight at `start` and of the midnight after `end` (half-open); a midnight the
    clocks skip is taken as the check-in schedule takes it."""
    low = due_instant(start, time(), zone) if start else None
    high = due_instant(end + timedelta(days=1), time(), zone) if end else None
    return low, high


def _between(query: Select[Any], column: Any, low: Any, high: Any, *, inclusive_high: bool = False) -> Select[Any]:
    if low is not None:
        query = query.where(column >= low)
    if high is not None:
        query = query.where(column <= high if inclusive_high else column < high)
    return query


def profile_of(patient: Patient) -> Profile:
    return Profile(
        id=patient.id,
        display_name=patient.display_name,
        external_id=patient.external_id,
        timezone=patient.timezone,
        country=patient.country,
        language=patient.language,
        status=patient.status.value,
        created_at=patient.created_at,
        enrolled_at=patient.enrolled_at,
    )


def checkin_status(checkin: CheckIn, today: date, window_days: int) -> str:
    if checkin.score is not None:
        return "answered"
    return "open" if answerable(checkin.local_date, today, window_days=window_days) else "missed"


async def collect(
    session: AsyncSession,
    *,
    patient: Patient,
    config: ClinicConfig,
    start: date | None,
    end: date | None,
    now: datetime,
    language: str | None = None,
) -> ExportData:
    """Everything the export holds for `patient` between the local dates `start` and `end` (inclusive), for a reader
    of `language` (None: the patient)."""
    reader = language or patient.language
    low, high = instant_bounds(patient.timezone, start, end)
    today = local_today(patient, now)
    window_days = config.clinic.answer_window_days

    checkins = await session.scalars(
        _between(
            select(CheckIn).where(CheckIn.patient_id == patient.id),
            CheckIn.local_date,
            start,
            end,
            inclusive_high=True,
        ).order_by(CheckIn.local_date, CheckIn.kind)
    )
    journal = await session.scalars(
        _between(select(JournalEntry).where(JournalEntry.patient_id == patient.id), JournalEntry.created_at, low, high)
        .order_by(JournalEntry.created_at, JournalEntry.id)
    )  # fmt: skip
    appointments = await session.scalars(
        _between(select(Appointment).where(Appointment.patient_id == patient.id), Appointment.starts_at, low, high)
        .order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    crises = await session.execute(
        _between(
            select(CrisisEvent, CrisisAlert)
            .outerjoin(CrisisAlert, CrisisEvent.alert_id == CrisisAlert.id)
            .where(CrisisEvent.patient_id == patient.id),
            CrisisEvent.detected_at,
            low,
            high,
        ).order_by(CrisisEvent.detected_at, CrisisEvent.id)
    )
    responses = await session.scalars(
        _between(
            select(QuestionnaireResponse).where(
                QuestionnaireResponse.patient_id == patient.id, QuestionnaireResponse.completed_at.is_not(None)
            ),
            QuestionnaireResponse.completed_at,
            low,
            high,
        ).order_by(QuestionnaireResponse.completed_at, QuestionnaireResponse.id)
    )
    erasures = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.patient_id == patient.id, AuditEvent.action == ERASE)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return ExportData(
        clinic=config.clinic.name,
        generated_at=now,
        start=start,
        end=end,
        profile=profile_of(patient),
        language=language,
        record_system=config.clinic.record_system,
        checkins=tuple(
            CheckinRecord(
                id=c.id,
                kind=c.kind,
                local_date=c.local_date,
                asked_at=c.asked_at,
                answered_at=c.answered_at,
                score=c.score,
                status=checkin_status(c, today, window_days),
                note=c.note,
                note_at=c.note_at,
                appointment_id=c.appointment_id,
                effects=tuple(c.effects or ()),
            )
            for c in checkins
            # A check-in that never reached the patient (the bot was blocked, say) was not asked.
            if c.score is not None or c.message_id is not None
        ),
        journal=tuple(JournalRecord(j.id, j.created_at, j.edited_at, j.text, j.flag) for j in journal),
        appointments=tuple(
            AppointmentRecord(
                id=a.id,
                kind=a.kind,
                label=label_of(config, a.kind, reader),
                starts_at=a.starts_at,
                duration_minutes=a.duration_minutes,
                location=a.location,
                notes=a.notes,
                state=appointment_state(a),
                confirmed_at=a.confirmed_at,
                reschedule_requested_at=a.reschedule_requested_at,
            )
            for a in appointments
        ),
        crises=tuple(
            CrisisRecord(
                id=event.id,
                detected_at=event.detected_at,
                tier=event.tier,
                rule=event.rule,
                excerpt=event.excerpt,
                acknowledged_at=alert.acknowledged_at if alert else None,
                acknowledged_by=alert.acknowledged_by_name if alert else None,
                matched=event.matched,
                score=event.score,
                answer=event.answer,
            )
            for event, alert in crises
        ),
        questionnaires=tuple(_questionnaire(r) for r in responses if r.instrument in instruments()),
        erasures=tuple(ErasureRecord(a.at, a.actor_kind) for a in erasures),
    )


def _questionnaire(response: QuestionnaireResponse) -> QuestionnaireRecord:
    form = instruments()[response.instrument]
    answers = scores(response.answers)
    total = response.total if response.total is not None else form.total(answers)
    assert response.completed_at is not None
    return QuestionnaireRecord(
        id=response.id,
        instrument=response.instrument,
        title=form.title,
        started_at=response.started_at,
        completed_at=response.completed_at,
        answers=tuple(sorted(answers.items())),
        total=total,
        band=form.band(total).name,
    )
