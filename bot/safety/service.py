"""Crisis events and staff alerts: recorded after the patient has been answered, repeated until acknowledged."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.safety.detector import Tier, Verdict
from storage import outbox
from storage.models import CrisisAlert, CrisisEvent, OutboxMessage, Staff

ALERT_KIND = "crisis_alert"


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
    session: AsyncSession, *, person: Person, verdict: Verdict, excerpt: str, message_id: int | None, now: datetime
) -> tuple[CrisisAlert, bool]:
    """Add the event to the person's open alert, or open one. Returns the alert and whether it must go out now:
    a new alert, or one whose tier just became more severe."""
    assert verdict.tier is not None
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
    session.add(
        CrisisEvent(
            alert_id=alert.id,
            patient_id=person.patient_id,
            telegram_user_id=person.telegram_user_id,
            telegram_message_id=message_id,
            tier=verdict.tier.value,
            rule=verdict.rule or "",
            language=verdict.language,
            excerpt=excerpt,
            detected_at=now,
        )
    )
    return alert, send_now


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
    if use_staff:
        key, chat_id, payload = f"crisis:{alert.id}:{alert.rounds + 1}", staff_chat_id, {"fallback": False}
    elif fallback_chat_id is not None and alert.escalated_at is None:
        alert.escalated_at = now
        key, chat_id, payload = f"crisis:{alert.id}:fallback", fallback_chat_id, {"fallback": True}
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
    member = await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id))
    if member is None:
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


def next_reminder(now: datetime, ack_minutes: int) -> datetime:
    return now + timedelta(minutes=ack_minutes)
