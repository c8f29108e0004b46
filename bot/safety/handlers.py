"""The crisis path in Telegram: answer first, then record and alert; and the staff's Acknowledge button."""

from __future__ import annotations

import logging

from telegram import Update, User
from telegram.ext import ContextTypes

from bot import callbacks
from bot.metrics import VERDICTS
from bot.presses import press_of
from bot.runtime import Runtime, runtime
from bot.safety.alerts import alert_text
from bot.safety.detector import Concern, Tier, Verdict
from bot.safety.explain import shorten
from bot.safety.hotlines import render_hotlines
from bot.safety.possible import ask_first
from bot.safety.respond import alert_staff, answer_in_crisis, identify, reply_in_crisis
from bot.safety.service import AckResult, acknowledge, due_alerts, plan_round
from bot.sender import Priority
from bot.staff.language import staff_reply_language
from bot.staff.notices import notify_staff
from bot.texts import t
from storage.models import Patient

log = logging.getLogger(__name__)


def guard_answers(verdict: Verdict) -> bool:
    """Whether the crisis guard has answered the message itself, so the journal adds no "saved"."""
    return verdict.crisis or verdict.concern is Concern.OTHER_PERSON


async def answer_first(rt: Runtime, update: Update) -> None:
    """Send the crisis reply to a private message that is clearly a crisis, before the update waits for its chat's
    turn; the guard then records it and alerts the staff in order. The verdict is cached: the guard does not judge
    the words again."""
    message, user = update.message or update.edited_message, update.effective_user
    if message is None or user is None or message.chat.type != "private":
        return
    words = message.text or message.caption
    if not words or not (verdict := rt.detector.check(words)).clear:
        return
    await reply_in_crisis(rt, user, message.chat_id, verdict)
    rt.answered_first.add(update.update_id)


async def crisis_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any sign of crisis at once, before any other handler; then record it and alert the staff.
    A possible crisis is asked about; someone else's crisis gets how to help."""
    rt = runtime(context)
    message, user = update.effective_message, update.effective_user
    words = message.text or message.caption if message is not None else None
    if message is None or user is None or not words:
        return
    verdict = rt.detector.check(words)
    VERDICTS.labels(verdict.tier or "none").inc()
    if verdict.clear and update.update_id in rt.answered_first:
        rt.answered_first.discard(update.update_id)
        await alert_staff(rt, context, await identify(rt, user), verdict, words, message.message_id)
    elif verdict.clear:
        await answer_in_crisis(rt, context, user, message.chat_id, verdict, words, message.message_id)
    elif verdict.tier is Tier.POSSIBLE:
        await ask_first(rt, context, user, message.chat_id, message.message_id, verdict, words)
    elif verdict.concern is Concern.OTHER_PERSON:
        await help_someone_else(rt, user, message.chat_id, message.message_id, words)


async def help_someone_else(rt: Runtime, user: User, chat_id: int, message_id: int, words: str) -> None:
    """How to help someone in crisis, with the lines; the staff get a notice, not an alert."""
    person = await identify(rt, user)
    hotlines = render_hotlines(rt.clinic, person.country, person.language, emergency_first=True)
    await rt.sender.send_text(
        chat_id, t("crisis.other.reply", person.language, hotlines=hotlines), priority=Priority.CRISIS
    )
    if person.patient_id is None:
        return
    try:
        async with rt.session() as session:
            patient = await session.get_one(Patient, person.patient_id)
            await notify_staff(
                session,
                key=f"other_person:{patient.id}:{message_id}",
                text_key="staff.other_person",
                patient=patient,
                staff_chat_id=rt.clinic.clinic.staff_chat_id,
                now=rt.clock.now(),
                values={"excerpt": shorten(words)},
            )
    except Exception:
        log.exception("could not queue the staff notice about someone else's crisis")


async def acknowledge_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff take an alert: who and when are recorded, repeats stop, and every copy of the alert says so."""
    found = await press_of(update, context, callbacks.Acknowledge)
    if found is None:
        return
    rt, query, _, press = found
    result, by = await acknowledge_everywhere(rt, alert_id=press.alert_id, telegram_user_id=query.from_user.id)
    async with rt.session() as session:
        language = await staff_reply_language(session, rt, query.from_user, personal=True)
    if result is AckResult.NOT_STAFF:
        await rt.sender.answer(query, t("staff.only", language))
    elif result is AckResult.UNKNOWN:
        await rt.sender.answer(query, t("button.stale", language))
    elif result is AckResult.ALREADY:
        await rt.sender.answer(query, t("crisis.ack.already", language, name=by))
    else:
        await rt.sender.answer(query, t("crisis.ack.done", language))


async def acknowledge_everywhere(rt: Runtime, *, alert_id: int, telegram_user_id: int) -> tuple[AckResult, str]:
    """Take an alert (from Telegram or the console): recorded once, and every copy in Telegram says who took it.
    Returns the result and who has it."""
    async with rt.session() as session:
        result, alert = await acknowledge(
            session, alert_id=alert_id, telegram_user_id=telegram_user_id, now=rt.clock.now()
        )
        if alert is None:
            return result, ""
        text = await alert_text(session, rt.clinic, alert)
        shown = [(chat_id, msg_id) for chat_id, msg_id in alert.staff_messages]
        by = alert.acknowledged_by_name or "?"
    if result is AckResult.DONE:
        for chat_id, msg_id in shown:
            await rt.sender.edit_text(chat_id, msg_id, text)
    return result, by


async def sweep_alerts(rt: Runtime) -> list[int]:
    """Queue the next round of every alert nobody acknowledged in time; returns the outbox rows to deliver at once,
    so that a repeat never waits behind the scheduled messages."""
    safety = rt.clinic.safety
    now = rt.clock.now()
    queued: list[int] = []
    async with rt.session() as session:
        for alert in await due_alerts(session, now=now):
            row = await plan_round(
                session,
                alert=alert,
                now=now,
                staff_chat_id=rt.clinic.clinic.staff_chat_id,
                fallback_chat_id=safety.fallback_chat_id,
                max_realerts=safety.max_realerts,
            )
            if row is not None:
                queued.append(row)
    return queued
