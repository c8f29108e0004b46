"""Notices to the clinic's staff chat, sent through the outbox like every scheduled message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox.dispatcher import Prepared, Skip
from bot.texts import t
from storage import outbox
from storage.models import OutboxMessage, Patient

KIND = "staff_notice"


async def patient_unreachable(
    session: AsyncSession, *, patient: Patient, now: datetime, staff_chat_id: int | None
) -> None:
    """Stop writing to a patient who blocked the bot, and tell the clinic once a day at most."""
    patient.unreachable_since = now
    await outbox.cancel_pending(session, patient_id=patient.id, reason="patient unreachable")
    await notify_staff(
        session,
        key=f"unreachable:{patient.id}:{now.date().isoformat()}",
        text_key="staff.blocked",
        patient=patient,
        staff_chat_id=staff_chat_id,
        now=now,
    )


async def notify_staff(
    session: AsyncSession,
    *,
    key: str,
    text_key: str,
    patient: Patient | None,
    staff_chat_id: int | None,
    now: datetime,
    values: dict[str, str] | None = None,
) -> None:
    """Queue a notice (about `patient`, when given) for the staff chat; `key` makes repeating it harmless."""
    if staff_chat_id is None:
        return
    payload = {"key": text_key, "patient_id": patient.id if patient else None, "values": values or {}}
    await outbox.enqueue(
        session, [outbox.Planned(key=key, kind=KIND, due_at=now, chat_id=staff_chat_id, payload=payload)], now=now
    )


class StaffNotice:
    """A notice in the clinic's language, which everyone in the staff chat reads."""

    def __init__(self, language: str) -> None:
        self._language = language

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        if row.chat_id is None:
            return Skip("no staff chat")
        values = dict(row.payload.get("values", {}))
        if row.payload.get("patient_id") is not None:
            patient = await session.get(Patient, row.payload["patient_id"])
            if patient is None:
                return Skip("patient gone")
            values |= {"id": patient.id, "name": patient.display_name}
        return Prepared(row.chat_id, t(row.payload["key"], self._language, **values))

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        return None

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
        return None
