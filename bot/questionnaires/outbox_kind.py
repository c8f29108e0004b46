"""A scheduled questionnaire as an outbox message: its first (or next unanswered) item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.outbox_kind import DailyCheckin, reachable_patient
from bot.clinic import ClinicConfig
from bot.outbox.dispatcher import Prepared, Skip
from bot.questionnaires.instruments import instruments
from bot.questionnaires.render import ask
from bot.questionnaires.service import NotStarted, remember_message, start_scheduled
from bot.questionnaires.wording import wording
from storage.models import OutboxMessage


class ScheduledQuestionnaire(DailyCheckin):
    """Reuses the check-in kind's handling of a patient who blocked the bot."""

    def __init__(self, config: ClinicConfig) -> None:
        super().__init__(config.clinic.staff_chat_id)
        self._config = config

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        patient = await reachable_patient(session, row)
        if isinstance(patient, Skip):
            return patient
        key = row.payload["instrument"]
        section = self._config.questionnaires
        opened = await start_scheduled(
            session,
            patient_id=patient.id,
            instrument=key,
            trigger=row.payload["trigger"],
            response_id=row.payload.get("response_id"),
            now=now,
            expire=section.expiry,
            min_days_between=section.schedule(key).min_days_between,
        )
        if isinstance(opened, NotStarted):
            return Skip(opened.value)
        # Kept so that a retry of this message continues the same sitting instead of refusing it as open.
        row.payload = {**row.payload, "response_id": opened.response.id}
        spec = instruments()[key]
        words = wording(spec, section.translated_items, patient.language)
        text, buttons = ask(spec, opened, name=patient.display_name, language=patient.language, words=words)
        return Prepared(patient.telegram_chat_id, text, buttons)

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        response_id = row.payload.get("response_id")
        if response_id is not None and message_id is not None:
            await remember_message(session, response_id=response_id, message_id=message_id)
