"""Questionnaires: starting or resuming one, recording answers, planning scheduled ones into the outbox, and the
latest totals for staff."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic import ClinicConfig
from bot.patients import is_enrolled, patient_by_telegram, plannable
from bot.questionnaires.instruments import Instrument, instruments
from bot.questionnaires.schedule import Booking, infusion_series, questionnaire_key, questionnaires_to_plan
from storage import outbox
from storage.models import (
    STANDING,
    Appointment,
    OutboxMessage,
    OutboxStatus,
    Patient,
    QuestionnaireResponse,
)

OUTBOX_KIND = "questionnaire"
ON_DEMAND = "on_demand"
# A new patient has a day to settle in before the first scheduled questionnaire.
SETTLE_IN = timedelta(days=1)


def scores(answers: Mapping[str, int]) -> dict[int, int]:
    """The stored answers (JSON keys are text) by item number."""
    return {int(item): score for item, score in answers.items()}


def next_item(spec: Instrument, answers: Mapping[str, int]) -> int | None:
    """The first item not answered yet, or None when every item is."""
    return next((item.number for item in spec.items if str(item.number) not in answers), None)


@dataclass(frozen=True, slots=True)
class Opened:
    response: QuestionnaireResponse
    item: int  # the item to ask now
    resumed: bool  # an unfinished one, continued


async def _lock_patient(session: AsyncSession, patient_id: int) -> None:
    """Serialises starting questionnaires for one patient, so that two starts at once make one sitting."""
    await session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


async def open_response(
    session: AsyncSession, *, patient_id: int, instrument: str, now: datetime
) -> QuestionnaireResponse | None:
    """The patient's unfinished sitting of `instrument` that has not expired, if there is one."""
    found: QuestionnaireResponse | None = await session.scalar(
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.patient_id == patient_id,
            QuestionnaireResponse.instrument == instrument,
            QuestionnaireResponse.completed_at.is_(None),
            QuestionnaireResponse.expires_at > now,
        )
        .order_by(QuestionnaireResponse.started_at.desc(), QuestionnaireResponse.id.desc())
        .limit(1)
    )
    return found


async def _begin(
    session: AsyncSession, *, patient_id: int, instrument: str, trigger: str, now: datetime, expire: timedelta
) -> Opened:
    response = QuestionnaireResponse(
        patient_id=patient_id,
        instrument=instrument,
        trigger=trigger,
        started_at=now,
        updated_at=now,
        expires_at=now + expire,
        answers={},
    )
    session.add(response)
    await session.flush()
    return Opened(response, 1, resumed=False)


def _continued(spec: Instrument, response: QuestionnaireResponse) -> Opened:
    item = next_item(spec, response.answers)
    assert item is not None  # an open sitting has an unanswered item: the last answer completes it
    return Opened(response, item, resumed=bool(response.answers))


async def start_or_resume(
    session: AsyncSession, *, patient_id: int, instrument: str, now: datetime, expire: timedelta
) -> Opened:
    """The patient asked for a questionnaire: their unfinished sitting continues, else a new one begins."""
    spec = instruments()[instrument]
    await _lock_patient(session, patient_id)
    current = await open_response(session, patient_id=patient_id, instrument=instrument, now=now)
    if current is not None:
        return _continued(spec, current)
    return await _begin(
        session, patient_id=patient_id, instrument=instrument, trigger=ON_DEMAND, now=now, expire=expire
    )


class NotStarted(enum.StrEnum):
    OPEN = "one already open"
    RECENT = "finished recently"
    OVER = "answered or closed since"


async def start_scheduled(
    session: AsyncSession,
    *,
    patient_id: int,
    instrument: str,
    trigger: str,
    response_id: int | None,
    now: datetime,
    expire: timedelta,
    min_days_between: int,
) -> Opened | NotStarted:
    """A scheduled sitting begins, unless one is open already or the same questionnaire was finished within
    `min_days_between` days. `response_id` is the sitting an earlier attempt at this message began."""
    spec = instruments()[instrument]
    await _lock_patient(session, patient_id)
    current = await open_response(session, patient_id=patient_id, instrument=instrument, now=now)
    if response_id is not None:
        return _continued(spec, current) if current is not None and current.id == response_id else NotStarted.OVER
    if current is not None:
        return NotStarted.OPEN
    recent = await session.scalar(
        select(QuestionnaireResponse.id).where(
            QuestionnaireResponse.patient_id == patient_id,
            QuestionnaireResponse.instrument == instrument,
            QuestionnaireResponse.completed_at > now - timedelta(days=min_days_between),
        )
    )
    if recent is not None:
        return NotStarted.RECENT
    return await _begin(session, patient_id=patient_id, instrument=instrument, trigger=trigger, now=now, expire=expire)


async def remember_message(session: AsyncSession, *, response_id: int, message_id: int) -> None:
    response = await session.get(QuestionnaireResponse, response_id)
    if response is not None:
        response.message_id = message_id


class AnswerResult(enum.StrEnum):
    RECORDED = "recorded"  # the item being asked
    CHANGED = "changed"  # an earlier item, answered again
    COMPLETED = "completed"  # the last unanswered item: the total is in
    NOT_YOURS = "not_yours"
    NOT_ASKED = "not_asked"  # an item the questionnaire does not have, or has not asked yet
    CLOSED = "closed"  # expired, or the patient has left
    FINISHED = "finished"  # completed before this press


@dataclass(frozen=True, slots=True)
class Answered:
    result: AnswerResult
    response: QuestionnaireResponse | None = None
    patient: Patient | None = None
    previous: int | None = None  # the item's answer before this press
    next_item: int | None = None

    @property
    def saved(self) -> bool:
        return self.result in (AnswerResult.RECORDED, AnswerResult.CHANGED, AnswerResult.COMPLETED)


async def record_answer(
    session: AsyncSession, *, response_id: int, telegram_user_id: int, item: int, score: int, now: datetime
) -> Answered:
    """Record (or change) one item's answer; the last one completes the sitting with its total."""
    response = await session.get(QuestionnaireResponse, response_id, with_for_update=True)
    patient = await patient_by_telegram(session, telegram_user_id)
    if response is None or patient is None or response.patient_id != patient.id:
        return Answered(AnswerResult.NOT_YOURS)
    previous = response.answers.get(str(item))
    if response.completed_at is not None:
        return Answered(AnswerResult.FINISHED, response, patient, previous)
    if not is_enrolled(patient) or response.expires_at <= now:
        return Answered(AnswerResult.CLOSED, response, patient, previous)
    spec = instruments()[response.instrument]
    asking = next_item(spec, response.answers)
    if asking is None or not 1 <= item <= asking or all(answer.score != score for answer in spec.answers):
        return Answered(AnswerResult.NOT_ASKED, response, patient)
    # A new dict, not an update in place: the JSON column only notices assignment.
    response.answers = {**response.answers, str(item): score}
    response.updated_at = now
    upcoming = next_item(spec, response.answers)
    if upcoming is None:
        response.total = spec.total(scores(response.answers))
        response.completed_at = now
        return Answered(AnswerResult.COMPLETED, response, patient, previous)
    result = AnswerResult.RECORDED if previous is None else AnswerResult.CHANGED
    return Answered(result, response, patient, previous, upcoming)


async def plan_questionnaires(
    session: AsyncSession, *, patients: Sequence[Patient], config: ClinicConfig, now: datetime
) -> int:
    """Write the scheduled questionnaires due soon for these patients; safe to repeat.

    Their rows still waiting follow what changed since they were written (a booking moved or cancelled, a new
    time zone, a pause): they move to their new time, or go when no longer wanted.
    """
    section = config.questionnaires
    quiet = (config.appointments.quiet_start, config.appointments.quiet_end)
    bookings: dict[int, list[Booking]] = defaultdict(list)
    found = await session.execute(
        select(Appointment.patient_id, Appointment.id, Appointment.starts_at).where(
            Appointment.patient_id.in_([p.id for p in patients]),
            Appointment.kind.in_(section.series_kinds),
            Appointment.status.in_(STANDING),
        )
    )
    for patient_id, appointment_id, starts_at in found:
        bookings[patient_id].append(Booking(appointment_id, starts_at))
    wanted: dict[str, outbox.Planned] = {}
    for patient in filter(plannable, patients):
        series = infusion_series(bookings[patient.id], zone=patient.timezone, gap_days=section.series_gap_days)
        not_before = patient.enrolled_at + SETTLE_IN if patient.enrolled_at is not None else None
        for key in instruments():
            for item in questionnaires_to_plan(
                schedule=section.schedule(key),
                zone=patient.timezone,
                series=series,
                quiet=quiet,
                now=now,
                not_before=not_before,
            ):
                row_key = questionnaire_key(patient.id, key, item.trigger)
                wanted[row_key] = outbox.Planned(
                    key=row_key,
                    kind=OUTBOX_KIND,
                    due_at=item.due_at,
                    not_after=item.not_after,
                    patient_id=patient.id,
                    chat_id=patient.telegram_chat_id,
                    payload={"instrument": key, "trigger": item.trigger},
                )
    await _follow_changes(session, [p.id for p in patients], wanted, now=now)
    return await outbox.enqueue(session, list(wanted.values()), now=now)


async def _follow_changes(
    session: AsyncSession, patient_ids: Sequence[int], wanted: Mapping[str, outbox.Planned], *, now: datetime
) -> None:
    # Deleted rather than cancelled: the key is free again should the change be undone (a booking cancelled
    # by mistake and made again). Rows past their last moment are left for the dispatcher to drop.
    waiting = await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.patient_id.in_(patient_ids),
            OutboxMessage.kind == OUTBOX_KIND,
            OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.not_after.is_(None), OutboxMessage.not_after >= now),
        )
    )
    for row in waiting:
        plan = wanted.get(row.idempotency_key)
        if plan is None:
            await session.delete(row)
        elif row.due_at != plan.due_at and row.attempts == 0:
            row.due_at = row.next_attempt_at = plan.due_at
            row.not_after = plan.not_after
    await session.flush()


@dataclass(frozen=True, slots=True)
class Trend:
    """A patient's latest total of one questionnaire, and the one before it."""

    instrument: str
    latest: int
    previous: int | None


async def latest_totals(session: AsyncSession, patient_ids: Sequence[int] | None = None) -> dict[int, list[Trend]]:
    """Per patient (every one, or those of `patient_ids`), the latest two completed totals of each questionnaire,
    in the catalogue's order."""
    rank = (
        func.row_number()
        .over(
            partition_by=(QuestionnaireResponse.patient_id, QuestionnaireResponse.instrument),
            order_by=(QuestionnaireResponse.completed_at.desc(), QuestionnaireResponse.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(QuestionnaireResponse.patient_id, QuestionnaireResponse.instrument, QuestionnaireResponse.total, rank)
        .where(
            QuestionnaireResponse.completed_at.is_not(None),
            *([] if patient_ids is None else [QuestionnaireResponse.patient_id.in_(patient_ids)]),
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.patient_id, ranked.c.instrument, ranked.c.total, ranked.c.rank).where(ranked.c.rank <= 2)
    )
    totals: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for patient_id, key, total, place in rows:
        totals[patient_id, key][place] = total
    order = {key: place for place, key in enumerate(instruments())}
    trends: dict[int, list[Trend]] = defaultdict(list)
    for (patient_id, key), by_place in sorted(totals.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99))):
        trends[patient_id].append(Trend(key, by_place[1], by_place.get(2)))
    return dict(trends)
