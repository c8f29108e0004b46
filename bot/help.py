"""/help and /sos: what the bot does, and where to turn in a crisis."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n.catalogue import supported
from bot.patients import patient_by_telegram
from bot.runtime import Runtime, runtime
from bot.safety.hotlines import sos_text
from bot.safety.respond import LOOKUP_SECONDS
from bot.texts import t
from storage.models import Patient

log = logging.getLogger(__name__)


async def _patient_in_time(rt: Runtime, telegram_user_id: int, command: str) -> Patient | None:
    """The account's patient row, or None when there is none or the database cannot say within the lookup time:
    these answers go out whatever the database does."""
    try:
        async with asyncio.timeout(LOOKUP_SECONDS), rt.session() as session:
            return await patient_by_telegram(session, telegram_user_id)
    except Exception:
        log.exception("patient lookup for /%s failed; answering without it", command)
        return None


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the patient commands, in the patient's language (a newcomer's Telegram language)."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    patient = await _patient_in_time(rt, user.id, "help")
    language = patient.language if patient else supported(user.language_code) or rt.clinic.clinic.language
    await rt.sender.send_text(chat.id, t("help", language) + "\n\n" + t("help.language", language))


async def sos_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The crisis lines for the patient's country; sent even when the database cannot be read."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    patient = await _patient_in_time(rt, user.id, "sos")
    country, language = (patient.country, patient.language) if patient else (None, "en")
    await rt.sender.send_text(chat.id, sos_text(rt.clinic, country, language))
