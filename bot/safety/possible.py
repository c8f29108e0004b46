"""A possible crisis: the bot asks first, warmly and at once, with the crisis lines in the same message.

"Yes" or "I'd like a call" takes the full crisis path; "No" gets a kind word and flags the entry for the
counselor; no answer within `possible_answer_minutes` sends the staff a notice (not an alert). The question
and the notice are database rows first, so a restart loses neither.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.ext import ContextTypes

from bot import callbacks
from bot.clinic import ClinicConfig
from bot.outbox.dispatcher import Prepared, Skip
from bot.presses import press_of
from bot.runtime import Runtime
from bot.safety.detector import Tier, Verdict
from bot.safety.explain import explain, shorten
from bot.safety.hotlines import render_hotlines
from bot.safety.respond import LOOKUP_SECONDS, STORED_EXCERPT_CHARS, answer_in_crisis, identify
from bot.safety.service import (
    POSSIBLE_KIND,
    UNANSWERED,
    PossibleResult,
    answer_possible,
    flag_entry,
    record_possible,
)
from bot.sender import Priority
from bot.texts import t
from storage import outbox
from storage.models import CrisisEvent, OutboxMessage, Patient

log = logging.getLogger(__name__)


def likely_tier(rule: str | None) -> Tier:
    """The tier the learned layer found likeliest ("model.self_harm"), for a possible crisis confirmed."""
    name = (rule or "").rpartition(".")[2]
    return Tier(name) if name in (Tier.IMMINENT, Tier.SELF_HARM, Tier.IDEATION) else Tier.IDEATION


def question_keyboard(event_id: int, language: str, *, call: bool) -> InlineKeyboardMarkup:
    answers = ["yes", "no", "call"] if call else ["yes", "no"]
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(f"crisis.possible.{answer}", language), callback_data=callbacks.possible_answer(event_id, answer)
                )
            ]
            for answer in answers
        ]
    )


async def ask_first(
    rt: Runtime,
    context: ContextTypes.DEFAULT_TYPE,
    user: User,
    chat_id: int,
    message_id: int | None,
    verdict: Verdict,
    words: str,
) -> None:
    """Ask whether the person is having thoughts of ending their life or hurting themselves."""
    person = await identify(rt, user)
    safety = rt.clinic.safety
    try:
        async with asyncio.timeout(LOOKUP_SECONDS), rt.session() as session:
            event = await record_possible(
                session,
                person=person,
                verdict=verdict,
                excerpt=shorten(words, STORED_EXCERPT_CHARS),
                message_id=message_id,
                now=rt.clock.now(),
                staff_chat_id=rt.clinic.clinic.staff_chat_id or safety.fallback_chat_id,
                wait=timedelta(minutes=safety.possible_answer_minutes),
            )
            event_id = event.id
    except Exception:
        # Without a row the answer could not be followed up: the uncertain case is treated as a clear one.
        log.exception("could not record a possible crisis; answering it as a crisis")
        clear = replace(verdict, tier=likely_tier(verdict.rule))
        await answer_in_crisis(rt, context, user, chat_id, clear, words, message_id)
        return
    text = t(
        "crisis.possible.ask", person.language, hotlines=render_hotlines(rt.clinic, person.country, person.language)
    )
    # A call back needs a patient the clinic knows; someone not enrolled is offered yes and no.
    buttons = question_keyboard(event_id, person.language, call=person.patient_id is not None)
    await rt.sender.send_text(chat_id, text, buttons=buttons, priority=Priority.CRISIS)


async def possible_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to the question: yes and "call" take the crisis path, no is thanked and flagged."""
    found = await press_of(update, context, callbacks.PossibleAnswer)
    if found is None:
        return
    rt, query, message, press = found
    async with rt.session() as session:
        result, event = await answer_possible(
            session,
            event_id=press.event_id,
            telegram_user_id=query.from_user.id,
            answer=press.answer,
            now=rt.clock.now(),
        )
        if event is not None:
            verdict = Verdict(
                likely_tier(event.rule), event.matched, f"possible.{press.answer}", event.language, score=event.score
            )
            words, message_id = event.excerpt, event.telegram_message_id
    if result is PossibleResult.NOT_YOURS:
        await rt.sender.answer(query, t("crisis.possible.not_yours", rt.language_for(query.from_user.language_code)))
        return
    if result is PossibleResult.UNKNOWN or event is None:
        await rt.sender.answer(query, t("button.stale", rt.language_for(query.from_user.language_code)))
        return
    person = await identify(rt, query.from_user)
    if result is PossibleResult.ALREADY:
        await rt.sender.answer(query, t("crisis.possible.already", person.language))
        return
    await rt.sender.answer(query, t("crisis.possible.thanks", person.language))
    question = getattr(message, "text", None)
    if question:
        chosen = t(f"crisis.possible.{press.answer}", person.language)
        await rt.sender.edit_text(
            message.chat.id,
            message.message_id,
            t("crisis.possible.answered", person.language, question=question, answer=chosen),
        )
    chat_id = message.chat.id
    if press.answer == "no":
        await rt.sender.send_text(chat_id, t("crisis.possible.no_reply", person.language))
        return
    reply = None
    if press.answer == "call":
        hotlines = render_hotlines(rt.clinic, person.country, person.language)
        reply = t("crisis.possible.call_reply", person.language, hotlines=hotlines)
    await answer_in_crisis(
        rt, context, query.from_user, chat_id, verdict, words, message_id, reply=reply, answer=press.answer
    )


def _person_label(patient: Patient | None, event: CrisisEvent, language: str) -> str:
    if patient is None:
        return t("crisis.person.stranger_id", language, id=event.telegram_user_id)
    return t("crisis.person.patient", language, id=patient.id, name=patient.display_name)


class PossibleUnanswered:
    """The outbox kind that tells the staff a possible crisis went unanswered."""

    def __init__(self, config: ClinicConfig) -> None:
        self._config = config

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        event = await session.get(CrisisEvent, row.payload.get("event_id"))
        if event is None or row.chat_id is None:
            return Skip("event gone")
        if event.answer not in (None, UNANSWERED):
            return Skip("answered")
        patient = await session.get(Patient, event.patient_id) if event.patient_id is not None else None
        staff = self._config.clinic.language
        text = t(
            "staff.possible.unanswered",
            staff,
            person=_person_label(patient, event, staff),
            minutes=int((now - event.detected_at).total_seconds() // 60),
            excerpt=shorten(event.excerpt),
            why=explain(rule=event.rule, matched=event.matched, score=event.score, language=staff),
        )
        return Prepared(row.chat_id, text, refusal_escalates=True)

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        event = await session.get(CrisisEvent, row.payload.get("event_id"), with_for_update=True)
        if event is None or event.answer is not None:
            return
        event.answer = UNANSWERED
        if event.patient_id is not None and event.telegram_message_id is not None:
            await flag_entry(
                session,
                patient_id=event.patient_id,
                message_id=event.telegram_message_id,
                flag=f"possible:{UNANSWERED}",
            )

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> int | None:
        """The staff chat refused the notice: the fallback contact gets it instead, at once."""
        fallback = self._config.safety.fallback_chat_id
        if fallback is None or row.chat_id == fallback:
            log.error("a notice about an unanswered possible crisis reached no one (outbox row %s)", row.id)
            return None
        key = f"{row.idempotency_key}:fallback"
        planned = outbox.Planned(key=key, kind=POSSIBLE_KIND, due_at=now, chat_id=fallback, payload=row.payload)
        await outbox.enqueue(session, [planned], now=now)
        return await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))
