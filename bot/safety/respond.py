"""Answering a person in crisis and alerting the staff: shared by crisis texts, questionnaire answers and a
"yes" to the bot's question. The person's answer never waits on the database."""

from __future__ import annotations

import asyncio
import logging

from telegram import User
from telegram.ext import ContextTypes

from bot.clinic import ClinicConfig
from bot.i18n.catalogue import country_of, supported
from bot.patients import patient_by_telegram
from bot.runtime import DISPATCHER_KEY, Runtime
from bot.safety.alerts import ack_keyboard, alert_text
from bot.safety.detector import Tier, Verdict
from bot.safety.explain import explain, shorten
from bot.safety.hotlines import render_hotlines
from bot.safety.service import Person, plan_round, record_crisis
from bot.sender import Priority
from bot.texts import t
from storage.models import PatientStatus

log = logging.getLogger(__name__)

# The patient's answer waits this long at most for the database to say who they are; the staff alert, which must
# name the patient, waits longer.
REPLY_LOOKUP_SECONDS = 0.15
LOOKUP_SECONDS = 1.5
STORED_EXCERPT_CHARS = 1000


def telegram_name(user: User) -> str:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    # The name goes into the alert's row, and PostgreSQL text cannot hold a NUL.
    return (f"{name} @{user.username}" if user.username else name).replace("\x00", "")


def stranger(config: ClinicConfig, user: User) -> Person:
    """Someone not enrolled: their app's language, and the lines of the country it points to when the clinic
    serves it (else the clinic's own); the staff read about them in the clinic's language."""
    label = t("crisis.person.stranger", config.clinic.language, name=telegram_name(user), id=user.id)
    country = country_of(user.language_code)
    return Person(
        user.id,
        label,
        country=country if config.serves(country) else None,
        language=supported(user.language_code) or config.clinic.language,
    )


async def lookup(rt: Runtime, user: User, *, within: float) -> Person | None:
    """The patient behind a Telegram account, a stranger when unknown, or None when the database cannot say in time."""
    try:
        async with asyncio.timeout(within), rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
    except Exception:  # the answer goes out whatever the database does
        log.warning("patient lookup failed or was slow during a crisis reply")
        return None
    if patient is None or patient.status is PatientStatus.INVITED:
        return stranger(rt.clinic, user)
    return Person(
        user.id,
        t("crisis.person.patient", rt.clinic.clinic.language, id=patient.id, name=patient.display_name),
        patient_id=patient.id,
        country=patient.country,
        language=patient.language,
    )


async def identify(rt: Runtime, user: User) -> Person:
    """The patient behind a Telegram account, or a stranger when unknown or the database cannot say."""
    return await lookup(rt, user, within=LOOKUP_SECONDS) or stranger(rt.clinic, user)


def crisis_reply(config: ClinicConfig, person: Person, verdict: Verdict) -> str:
    imminent = verdict.tier is Tier.IMMINENT
    # Answered in the words the person wrote in, when the detector knew them.
    language = supported(verdict.language) or person.language
    hotlines = render_hotlines(config, person.country, language, emergency_first=imminent)
    team_told = person.patient_id is not None and config.clinic.staff_chat_id is not None
    return t(
        "crisis.reply.imminent" if imminent else "crisis.reply",
        language,
        hotlines=hotlines,
        team=t("crisis.team", language) if team_told else "",
    )


async def answer_in_crisis(
    rt: Runtime,
    context: ContextTypes.DEFAULT_TYPE,
    user: User,
    chat_id: int,
    verdict: Verdict,
    words: str,
    message_id: int | None,
    *,
    reply: str | None = None,
    answer: str | None = None,
) -> None:
    """The crisis path: the person's answer first (the crisis reply unless `reply` is given), then the
    recorded, repeated staff alert."""
    found = await reply_in_crisis(rt, user, chat_id, verdict, reply=reply)
    if found is None:  # given more time now that the answer is out, so that the alert names the patient
        found = await identify(rt, user)
    await alert_staff(rt, context, found, verdict, words, message_id, answer=answer)


async def reply_in_crisis(
    rt: Runtime, user: User, chat_id: int, verdict: Verdict, *, reply: str | None = None
) -> Person | None:
    """Send the crisis reply (or `reply`) at once; the person, if the database said in time who they are."""
    found = await lookup(rt, user, within=REPLY_LOOKUP_SECONDS)
    text = reply if reply is not None else crisis_reply(rt.clinic, found or stranger(rt.clinic, user), verdict)
    await rt.sender.send_text(chat_id, text, priority=Priority.CRISIS)
    return found


async def alert_staff(
    rt: Runtime,
    context: ContextTypes.DEFAULT_TYPE,
    person: Person,
    verdict: Verdict,
    words: str,
    message_id: int | None,
    *,
    answer: str | None = None,
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
                answer=answer,
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
        await unrecorded_alert(rt, person, verdict, words, answer=answer)
        return
    if row_id is not None:
        await context.application.bot_data[DISPATCHER_KEY].deliver_now(row_id)
    for chat_id, msg_id in shown:
        await rt.sender.edit_text(chat_id, msg_id, updated, buttons=ack_keyboard(rt.clinic, alert_id))


async def unrecorded_alert(rt: Runtime, person: Person, verdict: Verdict, words: str, *, answer: str | None) -> None:
    """Without a database the alert cannot be repeated: it goes to the staff chat, else to the fallback."""
    chats = [c for c in (rt.clinic.clinic.staff_chat_id, rt.clinic.safety.fallback_chat_id) if c is not None]
    staff = rt.clinic.clinic.language
    text = t(
        "crisis.alert.unrecorded",
        staff,
        tier=t(f"crisis.tier.{verdict.tier}", staff),
        person=person.label,
        excerpt=shorten(words),
        why=explain(rule=verdict.rule, matched=verdict.matched, score=verdict.score, answer=answer, language=staff),
    )
    for chat_id in chats:
        if (await rt.sender.send_text(chat_id, text, priority=Priority.CRISIS)).ok:
            return
    log.critical("a crisis alert reached no one: no staff chat or fallback configured, or both refused it")
