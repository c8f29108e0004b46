"""/help and /sos: what the bot does, and where to turn in a crisis."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n.catalogue import supported
from bot.patients import patient_by_telegram
from bot.runtime import runtime
from bot.safety.hotlines import sos_text
from bot.safety.respond import LOOKUP_SECONDS
from bot.texts import t

log = logging.getLogger(__name__)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the patient commands, in the patient's language (a newcomer's Telegram language)."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    language = supported(user.language_code) or rt.clinic.clinic.language
    try:
        async with asyncio.timeout(LOOKUP_SECONDS), rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
            if patient is not None:
                language = patient.language
    except Exception:  # help still comes, in the account's language
        log.exception("patient lookup for /help failed")
    await rt.sender.send_text(chat.id, t("help", language) + "\n\n" + t("help.language", language))


async def sos_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The crisis lines for the patient's country; sent even when the database cannot be read."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    country = language = None
    try:
        async with asyncio.timeout(LOOKUP_SECONDS), rt.session() as session:
            patient = await patient_by_telegram(session, user.id)
            if patient is not None:
                country, language = patient.country, patient.language
    except Exception:  # the lines must go out whatever the database does
        log.exception("patient lookup for /sos failed; sending the clinic's lines")
    await rt.sender.send_text(chat.id, sos_text(rt.clinic, country, language or "en"))
