"""Telegram side of the check-in: /checkin, the score buttons and the note's Skip button."""

from __future__ import annotations

from sqlalchemy import update as sql_update
from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.appointments.messages import FOLLOWUP, effects_keyboard
from bot.checkin.render import note_keyboard, score_keyboard
from bot.checkin.service import SkipResult, TapResult, open_checkin, record_score, skip_note
from bot.patients import enrolled_patient, local_today
from bot.presses import press_of
from bot.runtime import runtime
from bot.speaking import language_of
from bot.texts import t
from storage.models import CheckIn


async def checkin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask today's check-in now (the same check-in as the scheduled one)."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = rt.clock.now()
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            checkin = None
        else:
            checkin = await open_checkin(session, patient_id=patient.id, local_date=local_today(patient, now), now=now)
            language, name = patient.language, patient.display_name
    if checkin is None:
        await rt.sender.send_text(chat.id, t("not_enrolled", await language_of(rt, user)))
        return
    if checkin.score is None:
        text = t("checkin.ask", language, name=name)
    else:
        text = t("checkin.answered", language, score=checkin.score)
    delivery = await rt.sender.send_text(chat.id, text, buttons=score_keyboard(checkin.id, checkin.score))
    if delivery.ok:
        async with rt.session() as session:
            await session.execute(
                sql_update(CheckIn).where(CheckIn.id == checkin.id).values(message_id=delivery.message_id)
            )


async def score_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record (or change) the mood score, then offer an optional note."""
    found = await press_of(update, context, callbacks.ScoreTap)
    if found is None:
        return
    rt, query, message, press = found
    async with rt.session() as session:
        tap = await record_score(
            session,
            checkin_id=press.checkin_id,
            telegram_user_id=query.from_user.id,
            score=press.score,
            now=rt.clock.now(),
            window_days=rt.clinic.clinic.answer_window_days,
            note_window=rt.note_window,
        )
    if tap.result is TapResult.NOT_YOURS:
        await rt.sender.answer(query, t("checkin.not_yours", await language_of(rt, query.from_user)))
        return
    assert tap.patient is not None and tap.checkin is not None
    language = tap.patient.language
    if tap.result is TapResult.CLOSED:
        await rt.sender.answer(query, t("checkin.closed", language))
        return
    await rt.sender.answer(query, t("checkin.recorded", language, score=press.score))
    chat_id = message.chat.id
    if tap.checkin.kind == FOLLOWUP:
        answered = t("appt.followup.answered", language, score=press.score)
    else:
        answered = t("checkin.answered", language, score=press.score)
    await rt.sender.edit_text(
        chat_id, message.message_id, answered, buttons=score_keyboard(tap.checkin.id, press.score)
    )
    if tap.ask_note and tap.checkin.kind == FOLLOWUP:
        prompt = t("appt.effects", language)
        await rt.sender.send_text(
            chat_id, prompt, buttons=effects_keyboard(tap.checkin.id, tap.checkin.effects, language)
        )
    elif tap.ask_note:
        await rt.sender.send_text(chat_id, t("checkin.note", language), buttons=note_keyboard(tap.checkin.id, language))


async def skip_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Decline the optional note."""
    found = await press_of(update, context, callbacks.NoteSkip)
    if found is None:
        return
    rt, query, message, press = found
    async with rt.session() as session:
        result = await skip_note(session, checkin_id=press.checkin_id, telegram_user_id=query.from_user.id)
    language = await language_of(rt, query.from_user)
    if result is not SkipResult.SKIPPED:
        key = "checkin.not_yours" if result is SkipResult.NOT_YOURS else "button.stale"
        await rt.sender.answer(query, t(key, language))
        return
    await rt.sender.answer(query)
    await rt.sender.edit_text(message.chat.id, message.message_id, t("checkin.skipped", language))
