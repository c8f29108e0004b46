"""Crisis events and staff alerts: recorded after the patient has been answered, repeated until acknowledged."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.safety.detector import Tier, Verdict
from bot.staff.access import Permission, may, staff_by_telegram
from storage import outbox
from storage.models import CrisisAlert, CrisisEvent, JournalEntry, OutboxMessage

log = logging.getLogger(__name__)

ALERT_KIND = "crisis_alert"
REFUSED_RETRY = timedelta(minutes=2)
POSSIBLE_KIND = "possible_crisis_unanswered"
UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class Person:
    """Who wrote: an enrolled patient, or a stranger known only by their Telegram name."""

    telegram_user_id: int
    label: str
    patient_id: int | None = None
    country: str | None = None
    language: str = "en"


def severity(tier: str) -> int:
    return Tier(tier).severity


async def record_crisis(
    session: AsyncSession,
    *,
    person: Person,
    verdict: Verdict,
    excerpt: str,
    message_id: int | None,
    now: datetime,
    answer: str | None = None,
) -> tuple[CrisisAlert, bool]:
    """Add the event to the person's open alert, or open one. Returns the alert and whether it must go out now:
    a new alert, or one whose tier just became more severe. `answer` is the patient's answer when the bot
    asked first (a possible crisis confirmed)."""
    assert verdict.clear and verdict.tier is not None
    alert = await session.scalar(
        select(CrisisAlert)
        .where(CrisisAlert.telegram_user_id == person.telegram_user_id, CrisisAlert.acknowledged_at.is_(None))
        .order_by(CrisisAlert.id.desc())
        .limit(1)
        .with_for_update()
    )
    send_now = False
    if alert is None:
        alert = CrisisAlert(
            patient_id=person.patient_id,
            telegram_user_id=person.telegram_user_id,
            person=person.label[:200],
            tier=verdict.tier.value,
            opened_at=now,
            last_event_at=now,
            events=1,
            rounds=0,
            staff_messages=[],
        )
        session.add(alert)
        await session.flush()
        send_now = True
    else:
        alert.events += 1
        alert.last_event_at = now
        if severity(verdict.tier) > severity(alert.tier):
            alert.tier = verdict.tier.value
            send_now = True
    event = _event(person, verdict, excerpt=excerpt, message_id=message_id, now=now)
    event.alert_id, event.answer, event.answered_at = alert.id, answer, now if answer else None
    session.add(event)
    return alert, send_now


def _event(person: Person, verdict: Verdict, *, excerpt: str, message_id: int | None, now: datetime) -> CrisisEvent:
    assert verdict.tier is not None
    return CrisisEvent(
        patient_id=person.patient_id,
        telegram_user_id=person.telegram_user_id,
        telegram_message_id=message_id,
        tier=verdict.tier.value,
        rule=verdict.rule or "",
        language=verdict.language,
        excerpt=excerpt,
        detected_at=now,
        matched=verdict.matched,
        score=verdict.score,
    )


async def record_possible(
    session: AsyncSession,
    *,
    person: Person,
    verdict: Verdict,
    excerpt: str,
    message_id: int | None,
    now: datetime,
    staff_chat_id: int | None,
    wait: timedelta,
) -> CrisisEvent:
    """Keep a possible crisis the patient is asked about, and the staff notice due if no answer comes."""
    assert verdict.tier is Tier.POSSIBLE
    event = _event(person, verdict, excerpt=excerpt, message_id=message_id, now=now)
    session.add(event)
    await session.flush()
    if staff_chat_id is not None:
        planned = outbox.Planned(
            key=f"possible:{event.id}:unanswered",
            kind=POSSIBLE_KIND,
            due_at=now + wait,
            chat_id=staff_chat_id,
            payload={"event_id": event.id},
        )
        await outbox.enqueue(session, [planned], now=now)
    return event


class PossibleResult(enum.StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"  # answered before: the first answer stands
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


async def answer_possible(
    session: AsyncSession, *, event_id: int, telegram_user_id: int, answer: str, now: datetime
) -> tuple[PossibleResult, CrisisEvent | None]:
    """Record the patient's answer to the question; a late answer after the staff notice still counts."""
    event = await session.get(CrisisEvent, event_id, with_for_update=True)
    if event is None or event.tier != Tier.POSSIBLE.value:
        return PossibleResult.UNKNOWN, None
    if event.telegram_user_id != telegram_user_id:
        return PossibleResult.NOT_YOURS, None
    if event.answer not in (None, UNANSWERED):
        return PossibleResult.ALREADY, event
    event.answer = answer
    event.answered_at = now
    await outbox.cancel_keys(session, prefix=f"possible:{event.id}:", reason="answered")
    if event.patient_id is not None and event.telegram_message_id is not None:
        await flag_entry(
            session, patient_id=event.patient_id, message_id=event.telegram_message_id, flag=f"possible:{answer}"
        )
    return PossibleResult.RECORDED, event


def review_flag(verdict: Verdict) -> str | None:
    """How a journal entry is marked for the counselor: a question asked, a past, someone else's crisis."""
    if verdict.tier is Tier.POSSIBLE:
        return "possible"
    if verdict.concern is not None and not verdict.crisis:
        return verdict.concern.value
    return None


async def flag_entry(session: AsyncSession, *, patient_id: int, message_id: int, flag: str) -> None:
    """Mark a journal entry for the counselor's review."""
    await session.execute(
        update(JournalEntry)
        .where(JournalEntry.patient_id == patient_id, JournalEntry.telegram_message_id == message_id)
        .values(flag=flag)
    )


async def plan_round(
    session: AsyncSession,
    *,
    alert: CrisisAlert,
    now: datetime,
    staff_chat_id: int | None,
    fallback_chat_id: int | None,
    max_realerts: int,
    force_fallback: bool = False,
) -> int | None:
    """Queue the next alert message for `alert`: the staff chat first, then the fallback contact once.
    Returns the outbox row to deliver now, or None when nothing more is to be sent."""
    alert.next_alert_at = None
    use_staff = staff_chat_id is not None and not force_fallback and alert.rounds <= max_realerts
    # The time in the key lets a round that a chat refused be planned again.
    stamp = now.strftime("%Y%m%dT%H%M%S")
    if use_staff:
        key, chat_id, payload = f"crisis:{alert.id}:{alert.rounds + 1}:{stamp}", staff_chat_id, {"fallback": False}
    elif fallback_chat_id is not None and alert.escalated_at is None:
        alert.escalated_at = now
        key, chat_id, payload = f"crisis:{alert.id}:fallback:{stamp}", fallback_chat_id, {"fallback": True}
    else:
        return None
    planned = outbox.Planned(
        key=key, kind=ALERT_KIND, due_at=now, chat_id=chat_id, payload={"alert_id": alert.id, **payload}
    )
    await outbox.enqueue(session, [planned], now=now)
    return await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))


async def due_alerts(session: AsyncSession, *, now: datetime) -> list[CrisisAlert]:
    rows = await session.scalars(
        select(CrisisAlert)
        .where(
            CrisisAlert.acknowledged_at.is_(None),
            CrisisAlert.next_alert_at.is_not(None),
            CrisisAlert.next_alert_at <= now,
        )
        .with_for_update(skip_locked=True)
    )
    return list(rows)


class AckResult(enum.StrEnum):
    DONE = "done"
    ALREADY = "already"
    NOT_STAFF = "not_staff"
    UNKNOWN = "unknown"


async def acknowledge(
    session: AsyncSession, *, alert_id: int, telegram_user_id: int, now: datetime
) -> tuple[AckResult, CrisisAlert | None]:
    member = await staff_by_telegram(session, telegram_user_id)
    if member is None or not may(member, Permission.CRISIS):
        return AckResult.NOT_STAFF, None
    alert = await session.get(CrisisAlert, alert_id, with_for_update=True)
    if alert is None:
        return AckResult.UNKNOWN, None
    if alert.acknowledged_at is not None:
        return AckResult.ALREADY, alert
    alert.acknowledged_at = now
    alert.acknowledged_by = member.id
    alert.acknowledged_by_name = member.name
    alert.next_alert_at = None
    await outbox.cancel_keys(session, prefix=f"crisis:{alert.id}:", reason="acknowledged")
    return AckResult.DONE, alert


async def refused(
    session: AsyncSession,
    *,
    alert: CrisisAlert,
    fallback_refused: bool,
    now: datetime,
    staff_chat_id: int | None,
    fallback_chat_id: int | None,
    max_realerts: int,
) -> int | None:
    """A chat refused the alert: the fallback gets it at once (the outbox row to send is returned); with nowhere
    left, it stays open and is tried again in `REFUSED_RETRY`, loudly."""
    if alert.acknowledged_at is not None:
        return None
    if fallback_refused:
        alert.escalated_at = None  # the fallback may be tried again in a later round
    else:
        queued = await plan_round(
            session,
            alert=alert,
            now=now,
            staff_chat_id=staff_chat_id,
            fallback_chat_id=fallback_chat_id,
            max_realerts=max_realerts,
            force_fallback=True,
        )
        if queued is not None:
            return queued
    log.error(
        "crisis alert %s was refused and has nowhere else to go; trying again in %s (check staff_chat_id and "
        "fallback_chat_id with `moodbot doctor`)",
        alert.id,
        REFUSED_RETRY,
    )
    alert.next_alert_at = now + REFUSED_RETRY
    return None


def next_reminder(now: datetime, ack_minutes: int) -> datetime:
    return now + timedelta(minutes=ack_minutes)
