"""Telegram side of the journal: free text, edits, and messages that are not text."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import ContextTypes

from bot.checkin.service import edit_note, take_note
from bot.enrollment.render import not_enrolled_text
from bot.journal.service import add_entry, edit_entry
from bot.patients import enrolled_patient, is_enrolled, patient_by_telegram
from bot.reachability import reachable_again
from bot.runtime import runtime
from bot.safety.handlers import guard_answers
from bot.safety.service import review_flag
from bot.texts import t

log = logging.getLogger(__name__)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep an enrolled patient's words: as the awaited check-in note, else as a journal entry."""
    rt = runtime(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    verdict = rt.detector.check(message.text)
    answered = guard_answers(verdict)
    try:
        async with rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
            if not is_enrolled(patient):
                if answered:
                    return  # answered by the crisis path, and nothing of a stranger is kept here
                reply = not_enrolled_text(rt.clinic, patient, code_given=False, telegram_language=user.language_code)
            else:
                assert patient is not None
                now = rt.clock.now()
                if patient.unreachable_since is not None:
                    await reachable_again(session, patient=patient, config=rt.clinic, now=now, grace=rt.checkin_grace)
                flag = review_flag(verdict)
                note = None
                if not answered and flag is None:
                    note = await take_note(
                        session, patient=patient, text=message.text, message_id=message.message_id, now=now
                    )
                if note is None:
                    await add_entry(
                        session,
                        patient_id=patient.id,
                        text=message.text,
                        message_id=message.message_id,
                        at=message.date,
                        flag=flag,
                    )
                if answered:
                    return  # the crisis guard's answer stands; no cheerful "saved" after it
                reply = t("checkin.note_saved" if note is not None else "journal.saved", patient.language)
    except SQLAlchemyError:
        log.exception("could not store message %s", message.message_id)
        reply = t("journal.not_saved", rt.language_for(user.language_code if user else None))
    await rt.sender.send_text(message.chat_id, reply)


async def edited_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edit replaces the stored text of its journal entry or check-in note, keeping when it was edited."""
    rt = runtime(context)
    message, user = update.edited_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    at = message.edit_date or rt.clock.now()
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            return
        found = await edit_entry(
            session, patient_id=patient.id, message_id=message.message_id, text=message.text, at=at
        ) or await edit_note(session, patient_id=patient.id, message_id=message.message_id, text=message.text, now=at)
        if not found and not message.text.startswith("/"):
            # The original was never kept (the bot was down, or it was not text): keep the words now.
            await add_entry(session, patient_id=patient.id, text=message.text, message_id=message.message_id, at=at)


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice notes, stickers, files: a kind word that only text is kept."""
    rt = runtime(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if message.caption and guard_answers(rt.detector.check(message.caption)):
        return  # the crisis guard's reply is the answer
    async with rt.session() as session:
        patient = await patient_by_telegram(session, user.id)
        reply = (
            t("nontext", patient.language)
            if is_enrolled(patient) and patient is not None
            else not_enrolled_text(rt.clinic, patient, code_given=False, telegram_language=user.language_code)
        )
    await rt.sender.send_text(message.chat_id, reply)
