"""Telegram side of the questionnaires: /phq9 and /gad7, and the answer buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update, User
from telegram.ext import ContextTypes

from bot import callbacks
from bot.patients import enrolled_patient
from bot.presses import press_of
from bot.questionnaires.crisis import alert_excerpt, crisis_verdict, possible_crisis
from bot.questionnaires.instruments import instruments
from bot.questionnaires.render import answer_keyboard, ask, item_text, result_text
from bot.questionnaires.service import AnswerResult, record_answer, remember_message, start_or_resume
from bot.questionnaires.wording import wording
from bot.runtime import Runtime, runtime
from bot.safety.detector import Verdict
from bot.safety.respond import answer_in_crisis
from bot.speaking import language_of
from bot.texts import t


async def phq9_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start the PHQ-9 now, or continue an unfinished one."""
    await _ask_now(update, context, "phq9")


async def gad7_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start the GAD-7 now, or continue an unfinished one."""
    await _ask_now(update, context, "gad7")


async def _ask_now(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            opened = None
        else:
            opened = await start_or_resume(
                session,
                patient_id=patient.id,
                instrument=key,
                now=rt.clock.now(),
                expire=rt.clinic.questionnaires.expiry,
            )
            name, language = patient.display_name, patient.language
    if opened is None:
        await rt.sender.send_text(chat.id, t("not_enrolled", await language_of(rt, user)))
        return
    spec = instruments()[key]
    words = wording(spec, rt.clinic.questionnaires.translated_items, language)
    text, buttons = ask(spec, opened, name=name, language=language, words=words)
    await _send_item(rt, chat.id, opened.response.id, text, buttons)


async def _send_item(rt: Runtime, chat_id: int, response_id: int, text: str, buttons: InlineKeyboardMarkup) -> None:
    delivery = await rt.sender.send_text(chat_id, text, buttons=buttons)
    if delivery.ok and delivery.message_id is not None:
        async with rt.session() as session:
            await remember_message(session, response_id=response_id, message_id=delivery.message_id)


async def answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record an answer, then ask the next item or show the total. An answer above 0 to the crisis item takes
    the crisis path at once: the crisis lines for the patient, and an alert for the staff."""
    found = await press_of(update, context, callbacks.QuestionnaireAnswer)
    if found is None:
        return
    rt, query, message, press = found
    chat_id = message.chat.id
    try:
        async with rt.session() as session:
            answered = await record_answer(
                session,
                response_id=press.response_id,
                telegram_user_id=query.from_user.id,
                item=press.item,
                score=press.score,
                now=rt.clock.now(),
            )
    except Exception:
        # Safety first: what may be a crisis answer is answered even when the database cannot say whose it is.
        await rt.sender.answer(query)
        suspect = possible_crisis(press.item, press.score)
        verdict = crisis_verdict(suspect, press.item, press.score, "en") if suspect is not None else None
        if suspect is not None and verdict is not None:
            excerpt = alert_excerpt(suspect, press.item, press.score)
            await _crisis(rt, context, query.from_user, chat_id, verdict, excerpt)
        raise
    if answered.result in (AnswerResult.NOT_YOURS, AnswerResult.NOT_ASKED):
        key = "checkin.not_yours" if answered.result is AnswerResult.NOT_YOURS else "button.stale"
        await rt.sender.answer(query, t(key, await language_of(rt, query.from_user)))
        return
    assert answered.response is not None and answered.patient is not None
    response, language = answered.response, answered.patient.language
    spec = instruments()[response.instrument]
    words = wording(spec, rt.clinic.questionnaires.translated_items, language)
    if answered.result is AnswerResult.CLOSED:
        reply = t("questionnaire.closed", language, command=spec.key)
    elif answered.result is AnswerResult.FINISHED:
        reply = t("questionnaire.finished", language)
    else:
        reply = t("questionnaire.saved", language, answer=words.answers[spec.answer(press.score).score])
    await rt.sender.answer(query, reply)
    # A crisis answer counts even on a questionnaire that has closed, though it is no longer recorded there.
    # Choosing the same answer again is no new signal; choosing 0 after a higher answer undoes nothing.
    verdict = crisis_verdict(spec, press.item, press.score, language) if answered.previous != press.score else None
    if verdict is not None:
        await _crisis(rt, context, query.from_user, chat_id, verdict, alert_excerpt(spec, press.item, press.score))
    if not answered.saved:
        return
    await rt.sender.edit_text(
        chat_id,
        message.message_id,
        item_text(spec, press.item, language, words),
        buttons=answer_keyboard(spec, response.id, press.item, press.score, words),
    )
    if answered.result is AnswerResult.COMPLETED:
        assert response.total is not None
        await rt.sender.send_text(chat_id, result_text(spec, response.total, language))
    elif answered.result is AnswerResult.RECORDED and answered.next_item is not None:
        number = answered.next_item
        buttons = answer_keyboard(spec, response.id, number, None, words)
        await _send_item(rt, chat_id, response.id, item_text(spec, number, language, words), buttons)


async def _crisis(
    rt: Runtime, context: ContextTypes.DEFAULT_TYPE, user: User, chat_id: int, verdict: Verdict, excerpt: str
) -> None:
    """The same path as a crisis text: the patient's answer first, then the recorded, repeated staff alert."""
    await answer_in_crisis(rt, context, user, chat_id, verdict, excerpt, None)
