"""Check-ins: planning them into the outbox, opening them, recording taps and notes."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.schedule import answerable, checkin_key, checkins_to_plan
from bot.patients import is_enrolled, local_today, plannable
from storage import outbox
from storage.models import CheckIn, Patient, PatientStatus
from storage.upsert import insert_ignoring_conflicts

DAILY = "daily"
OUTBOX_KIND = "checkin"


async def resume_finished_pauses(session: AsyncSession, *, now: datetime) -> int:
    result = await session.execute(
        update(Patient)
        .where(
            Patient.status == PatientStatus.PAUSED,
            Patient.paused_until.is_not(None),
            Patient.paused_until <= now,
        )
        .values(status=PatientStatus.ACTIVE, paused_until=None, next_plan_at=None)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def plan_checkins(session: AsyncSession, *, patients: Sequence[Patient], now: datetime, grace: timedelta) -> int:
    """Write today's and tomorrow's due check-ins of those of these patients who can have them; safe to repeat."""
    planned = [
        outbox.Planned(
            key=checkin_key(patient.id, item.local_date),
            kind=OUTBOX_KIND,
            due_at=item.due_at,
            not_after=item.not_after,
            patient_id=patient.id,
            chat_id=patient.telegram_chat_id,
            payload={"local_date": item.local_date.isoformat()},
        )
        for patient in patients
        if plannable(patient)
        for item in checkins_to_plan(
            zone=patient.timezone,
            at=patient.checkin_time,
            now=now,
            grace=grace,
            not_before=patient.enrolled_at,
        )
    ]
    return await outbox.enqueue(session, planned, now=now)


async def replan_for(session: AsyncSession, *, patient: Patient, now: datetime, grace: timedelta) -> None:
    """After a change of time, zone or pause: forget what was planned and plan again (questionnaires at the
    planner's next tick)."""
    await outbox.delete_pending(session, patient_id=patient.id, kind=OUTBOX_KIND)
    await session.flush()
    await plan_checkins(session, patients=[patient], now=now, grace=grace)
    patient.next_plan_at = None


async def open_checkin(
    session: AsyncSession, *, patient_id: int, local_date: date, now: datetime, kind: str = DAILY
) -> CheckIn:
    """The patient's check-in for that day, created on first use (concurrent callers get the same row)."""
    await insert_ignoring_conflicts(
        session,
        CheckIn,
        [{"patient_id": patient_id, "kind": kind, "local_date": local_date, "asked_at": now}],
        key=["patient_id", "kind", "local_date"],
    )
    found = await session.scalar(
        select(CheckIn)
        .where(CheckIn.patient_id == patient_id, CheckIn.kind == kind, CheckIn.local_date == local_date)
        .execution_options(populate_existing=True)
    )
    assert found is not None  # inserted or already there, inside this transaction
    return found


class TapResult(enum.StrEnum):
    RECORDED = "recorded"
    CHANGED = "changed"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Tap:
    result: TapResult
    checkin: CheckIn | None = None
    patient: Patient | None = None
    ask_note: bool = False


async def record_score(
    session: AsyncSession,
    *,
    checkin_id: int,
    telegram_user_id: int,
    score: int,
    now: datetime,
    window_days: int,
    note_window: timedelta,
) -> Tap:
    checkin = await session.get(CheckIn, checkin_id, with_for_update=True)
    patient = await session.scalar(select(Patient).where(Patient.telegram_user_id == telegram_user_id))
    if checkin is None or patient is None or checkin.patient_id != patient.id:
        return Tap(TapResult.NOT_YOURS)
    if not is_enrolled(patient) or not answerable(
        checkin.local_date, local_today(patient, now), window_days=window_days
    ):
        return Tap(TapResult.CLOSED, checkin, patient)
    first = checkin.score is None
    checkin.score = score
    if first:
        checkin.answered_at = now
    ask_note = checkin.note is None and patient.note_checkin_id != checkin.id
    if ask_note:
        patient.note_checkin_id = checkin.id
        patient.note_until = now + note_window
    return Tap(TapResult.RECORDED if first else TapResult.CHANGED, checkin, patient, ask_note)


async def take_note(
    session: AsyncSession, *, patient: Patient, text: str, message_id: int, now: datetime
) -> CheckIn | None:
    """The text becomes the note of the check-in awaiting one, if its window is still open."""
    if patient.note_checkin_id is None or patient.note_until is None or patient.note_until <= now:
        return None
    checkin = await session.get(CheckIn, patient.note_checkin_id)
    patient.note_checkin_id = None
    patient.note_until = None
    if checkin is None or checkin.patient_id != patient.id:
        return None
    checkin.note = text
    checkin.note_message_id = message_id
    checkin.note_at = now
    return checkin


class SkipResult(enum.StrEnum):
    SKIPPED = "skipped"
    STALE = "stale"
    NOT_YOURS = "not_yours"


async def skip_note(session: AsyncSession, *, checkin_id: int, telegram_user_id: int) -> SkipResult:
    patient = await session.scalar(select(Patient).where(Patient.telegram_user_id == telegram_user_id))
    checkin = await session.get(CheckIn, checkin_id)
    if patient is None or checkin is None or checkin.patient_id != patient.id:
        return SkipResult.NOT_YOURS
    if patient.note_checkin_id != checkin_id:
        return SkipResult.STALE
    patient.note_checkin_id = None
    patient.note_until = None
    return SkipResult.SKIPPED


async def edit_note(session: AsyncSession, *, patient_id: int, message_id: int, text: str, now: datetime) -> bool:
    checkin = await session.scalar(
        select(CheckIn).where(CheckIn.patient_id == patient_id, CheckIn.note_message_id == message_id)
    )
    if checkin is None:
        return False
    checkin.note = text
    checkin.note_at = now
    return True
