"""The daily check-in as a scheduled message."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.render import score_keyboard
from bot.checkin.service import open_checkin
from bot.outbox.dispatcher import Prepared, Skip
from bot.staff.notices import patient_unreachable
from bot.texts import t
from storage.models import CheckIn, OutboxMessage, Patient, PatientStatus


async def reachable_patient(session: AsyncSession, row: OutboxMessage) -> Patient | Skip:
    """The row's patient if a scheduled message may go to them now: active, linked and not blocking the bot."""
    patient = await session.get(Patient, row.patient_id)
    if patient is None or patient.status is not PatientStatus.ACTIVE or patient.telegram_chat_id is None:
        return Skip("patient not active")
    if patient.unreachable_since is not None:
        return Skip("patient unreachable")
    return patient


class DailyCheckin:
    def __init__(self, staff_chat_id: int | None) -> None:
        self._staff_chat_id = staff_chat_id

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        patient = await reachable_patient(session, row)
        if isinstance(patient, Skip):
            return patient
        checkin = await open_checkin(
            session, patient_id=patient.id, local_date=date.fromisoformat(row.payload["local_date"]), now=now
        )
        if checkin.score is not None:
            return Skip("already answered")
        row.payload = {**row.payload, "checkin_id": checkin.id}
        text = t("checkin.ask", patient.language, name=patient.display_name)
        return Prepared(patient.telegram_chat_id, text, score_keyboard(checkin.id))

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        checkin = await session.get(CheckIn, row.payload.get("checkin_id"))
        if checkin is not None and message_id is not None:
            checkin.message_id = message_id
            checkin.asked_at = row.sent_at or checkin.asked_at

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
        patient = await session.get(Patient, row.patient_id)
        if patient is not None:
            await patient_unreachable(session, patient=patient, now=now, staff_chat_id=self._staff_chat_id)
