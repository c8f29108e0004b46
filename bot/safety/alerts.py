"""Staff crisis alerts as outbox messages: what they say, their Acknowledge button, and the repeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.clinic import ClinicConfig
from bot.i18n.dates import local_day_and_time
from bot.outbox.dispatcher import Prepared, Skip
from bot.safety.explain import explain, shorten
from bot.safety.service import next_reminder, refused
from bot.sender import Priority
from bot.texts import t
from storage.models import CrisisAlert, CrisisEvent, OutboxMessage


def clinic_time(config: ClinicConfig, instant: datetime) -> str:
    return local_day_and_time(instant, config.clinic.timezone, config.clinic.language)


def ack_keyboard(config: ClinicConfig, alert_id: int) -> InlineKeyboardMarkup:
    label = t("crisis.ack.button", config.clinic.language)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=callbacks.acknowledge(alert_id))]])


async def alert_text(session: AsyncSession, config: ClinicConfig, alert: CrisisAlert) -> str:
    latest = await session.scalar(
        select(CrisisEvent).where(CrisisEvent.alert_id == alert.id).order_by(CrisisEvent.id.desc()).limit(1)
    )
    first = await session.scalar(
        select(CrisisEvent).where(CrisisEvent.alert_id == alert.id).order_by(CrisisEvent.id).limit(1)
    )
    staff = config.clinic.language  # the staff chat reads the clinic's language
    repeats = (
        t("crisis.alert.repeats", staff, count=alert.events, latest=clinic_time(config, alert.last_event_at))
        if alert.events > 1
        else ""
    )
    text = t(
        "crisis.alert",
        staff,
        tier=t(f"crisis.tier.{alert.tier}", staff),
        person=alert.person,
        excerpt=shorten(latest.excerpt if latest else ""),
        when=clinic_time(config, first.detected_at if first else alert.opened_at),
        why=explain(rule=latest.rule, matched=latest.matched, score=latest.score, answer=latest.answer, language=staff)
        if latest
        else "?",
        repeats=repeats,
    )
    if alert.acknowledged_at is not None:
        text += "\n\n" + t(
            "crisis.acked",
            staff,
            name=alert.acknowledged_by_name or "?",
            when=clinic_time(config, alert.acknowledged_at),
        )
    return text


class CrisisAlertMessage:
    """The outbox kind for staff alerts; a staff chat that refuses the bot sends the alert to the fallback."""

    def __init__(self, config: ClinicConfig) -> None:
        self._config = config

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        alert = await session.get(CrisisAlert, row.payload.get("alert_id"))
        if alert is None or row.chat_id is None:
            return Skip("alert gone")
        if alert.acknowledged_at is not None:
            return Skip("acknowledged")
        prefix = ""
        if row.payload.get("fallback"):
            minutes = int((now - alert.opened_at).total_seconds() // 60)
            prefix = t("crisis.alert.fallback", self._config.clinic.language, minutes=minutes)
        elif alert.rounds >= 1:
            prefix = t("crisis.alert.reminder", self._config.clinic.language, round=alert.rounds)
        text = prefix + await alert_text(session, self._config, alert)
        return Prepared(
            row.chat_id, text, ack_keyboard(self._config, alert.id), priority=Priority.ALERT, refusal_escalates=True
        )

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        alert = await session.get(CrisisAlert, row.payload.get("alert_id"), with_for_update=True)
        if alert is None or row.chat_id is None or message_id is None:
            return
        alert.staff_messages = [*alert.staff_messages, [row.chat_id, message_id]]
        if row.payload.get("fallback"):
            return
        alert.rounds += 1
        if alert.acknowledged_at is None:
            alert.next_alert_at = next_reminder(row.sent_at or alert.last_event_at, self._config.safety.ack_minutes)

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> int | None:
        alert = await session.get(CrisisAlert, row.payload.get("alert_id"), with_for_update=True)
        if alert is None:
            return None
        return await refused(
            session,
            alert=alert,
            fallback_refused=bool(row.payload.get("fallback")),
            now=now,
            staff_chat_id=self._config.clinic.staff_chat_id,
            fallback_chat_id=self._config.safety.fallback_chat_id,
            max_realerts=self._config.safety.max_realerts,
        )
