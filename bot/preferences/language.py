"""`/language`: the patient picks the language the bot speaks to them in, with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.i18n.catalogue import LANGUAGES, NAMES, name_in_sentence
from bot.patients import enrolled_patient
from bot.presses import press_of
from bot.runtime import runtime
from bot.speaking import language_of
from bot.texts import t


def language_keyboard() -> InlineKeyboardMarkup:
    # Each language in its own words: someone who cannot read the current one still finds theirs.
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(NAMES[code], callback_data=callbacks.language_choice(code))] for code in LANGUAGES]
    )


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
    if patient is None:
        await rt.sender.send_text(chat.id, t("not_enrolled", await language_of(rt, user)))
        return
    ask = t("language.ask", patient.language, language=name_in_sentence(patient.language))
    await rt.sender.send_text(chat.id, ask, buttons=language_keyboard())


async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await press_of(update, context, callbacks.LanguageChoice)
    if found is None:
        return
    rt, query, message, press = found
    async with rt.session() as session:
        patient = await enrolled_patient(session, query.from_user.id)
        if patient is not None:
            patient.language = press.language
    if patient is None:
        await rt.sender.answer(query, t("button.stale", await language_of(rt, query.from_user)))
        return
    await rt.sender.answer(query)
    done = t("language.set", press.language, language=name_in_sentence(press.language))
    await rt.sender.edit_text(message.chat.id, message.message_id, done)
