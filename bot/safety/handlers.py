"""The crisis path in Telegram: answer first, then record and alert; and the staff's Acknowledge button."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update, User
from telegram.ext import ContextTypes

from bot import callbacks
from bot.clinic import ClinicConfig
from bot.patients import patient_by_telegram
from bot.presses import press_of
from bot.runtime import DISPATCHER_KEY, Runtime, runtime
from bot.safety.alerts import ack_keyboard, alert_text, shorten
from bot.safety.detector import Tier, Verdict
from bot.safety.hotlines import render_hotlines
from bot.safety.service import AckResult, Person, acknowledge, due_alerts, plan_round, record_crisis
from bot.sender import Priority
from bot.texts import t
from storage.models import PatientStatus

log = logging.getLogger(__name__)

# The patient's answer must not wait on a slow or broken database for longer than this.
LOOKUP_SECONDS = 1.5
STORED_EXCERPT_CHARS = 1000


def telegram_name(user: User) -> str:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return f"{name} @{user.username}" if user.username else name


async def identify(rt: Runtime, user: User) -> Person:
    """The patient behind a Telegram account, or a stranger when unknown or the database cannot say."""
    stranger = Person(user.id, t("crisis.person.stranger", name=telegram_name(user), id=user.id))
    try:
        async with asyncio.timeout(LOOKUP_SECONDS), rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
    except Exception:  # the answer goes out whatever the database does
        log.exception("patient lookup failed during a crisis reply; answering with the clinic's lines")
        return stranger
    if patient is None or patient.status is PatientStatus.INVITED:
        return stranger
    return Person(
        user.id,
        t("crisis.person.patient", id=patient.id, name=patient.display_name),
        patient_id=patient.id,
        country=patient.country,
        language=patient.language,
    )


def crisis_reply(config: ClinicConfig, person: Person, verdict: Verdict) -> str:
    imminent = verdict.tier is Tier.IMMINENT
    hotlines = render_hotlines(config, person.country, person.language, emergency_first=imminent)
    team_told = person.patient_id is not None and config.clinic.staff_chat_id is not None
    return t(
        "crisis.reply.imminent" if imminent else "crisis.reply",
        person.language,
        hotlines=hotlines,
        team=t("crisis.team", person.language) if team_told else "",
    )


async def crisis_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any sign of crisis at once, before any other handler; then record it and alert the staff."""
    rt = runtime(context)
    message, user = update.effective_message, update.effective_user
    words = message.text or message.caption if message is not None else None
    if message is None or user is None or not words:
        return
    verdict = rt.detector.check(words)
    if not verdict.crisis:
        return
    person = await identify(rt, user)
    await rt.sender.send_text(message.chat_id, crisis_reply(rt.clinic, person, verdict), priority=Priority.CRISIS)
    await alert_staff(rt, context, person, verdict, words, message.message_id)


async def alert_staff(
    rt: Runtime,
    context: ContextTypes.DEFAULT_TYPE,
    person: Person,
    verdict: Verdict,
    words: str,
    message_id: int | None,
) -> None:
    safety = rt.clinic.safety
    try:
        async with rt.session() as session:
            alert, send_now = await record_crisis(
                session,
                person=person,
                verdict=verdict,
                excerpt=shorten(words, STORED_EXCERPT_CHARS),
                message_id=message_id,
                now=rt.clock.now(),
            )
            row_id = None
            if send_now:
                row_id = await plan_round(
                    session,
                    alert=alert,
                    now=rt.clock.now(),
                    staff_chat_id=rt.clinic.clinic.staff_chat_id,
                    fallback_chat_id=safety.fallback_chat_id,
                    max_realerts=safety.max_realerts,
                )
            updated = await alert_text(session, rt.clinic, alert)
            shown = [(chat_id, msg_id) for chat_id, msg_id in alert.staff_messages]
            alert_id = alert.id
    except Exception:
        log.exception("could not record a crisis event; alerting staff directly")
        await _unrecorded_alert(rt, person, verdict, words)
        return
    if row_id is not None:
        await context.application.bot_data[DISPATCHER_KEY].deliver_now(row_id)
    for chat_id, msg_id in shown:
        await rt.sender.edit_text(chat_id, msg_id, updated, buttons=ack_keyboard(alert_id))


async def _unrecorded_alert(rt: Runtime, person: Person, verdict: Verdict, words: str) -> None:
    chats = [c for c in (rt.clinic.clinic.staff_chat_id, rt.clinic.safety.fallback_chat_id) if c is not None]
    if not chats:
        log.critical("crisis detected but no staff chat or fallback contact is configured")
        return
    text = t(
        "crisis.alert.unrecorded",
        tier=t(f"crisis.tier.{verdict.tier}"),
        person=person.label,
        excerpt=shorten(words),
    )
    await rt.sender.send_text(chats[0], text, priority=Priority.CRISIS)


async def acknowledge_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff take an alert: who and when are recorded, repeats stop, and every copy of the alert says so."""
    found = await press_of(update, context, callbacks.Acknowledge)
    if found is None:
        return
    rt, query, _, press = found
    async with rt.session() as session:
        result, alert = await acknowledge(
            session, alert_id=press.alert_id, telegram_user_id=query.from_user.id, now=rt.clock.now()
        )
        if alert is not None:
            text = await alert_text(session, rt.clinic, alert)
            shown = [(chat_id, msg_id) for chat_id, msg_id in alert.staff_messages]
            by = alert.acknowledged_by_name or "?"
    if result is AckResult.NOT_STAFF:
        await rt.sender.answer(query, t("staff.only"))
        return
    if result is AckResult.UNKNOWN or alert is None:
        await rt.sender.answer(query, t("button.stale"))
        return
    if result is AckResult.ALREADY:
        await rt.sender.answer(query, t("crisis.ack.already", name=by))
        return
    await rt.sender.answer(query, t("crisis.ack.done"))
    for chat_id, msg_id in shown:
        await rt.sender.edit_text(chat_id, msg_id, text)


async def sweep_alerts(rt: Runtime) -> int:
    """Queue the next round of every alert nobody acknowledged in time; the dispatcher sends them."""
    safety = rt.clinic.safety
    now = rt.clock.now()
    queued = 0
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
            queued += row is not None
    return queued
