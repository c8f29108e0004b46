"""Telegram side of a patient's settings: /settings, /pause, /resume."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n.dates import local_day_and_time
from bot.patients import enrolled_patient
from bot.preferences.service import apply_settings, parse_pause_days, parse_settings, pause, resume
from bot.runtime import runtime
from bot.texts import t
from storage.models import Patient


def _when(patient: Patient) -> dict[str, str]:
    return {"time": patient.checkin_time.strftime("%H:%M"), "timezone": patient.timezone}


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show or change the daily check-in time and time zone."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    change = parse_settings(list(context.args or []))
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            reply = t("not_enrolled", rt.language_for(user.language_code))
        else:
            if change.not_understood is not None:
                reply = t("settings.invalid", patient.language, value=change.not_understood)
            elif change.empty:
                reply = t("settings.show", patient.language, **_when(patient))
            else:
                await apply_settings(
                    session, patient=patient, change=change, now=rt.clock.now(), grace=rt.checkin_grace
                )
                reply = t("settings.saved", patient.language, **_when(patient))
    await rt.sender.send_text(chat.id, reply)


async def pause_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pause check-ins, for a number of days or until /resume."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    days = parse_pause_days(list(context.args or []))
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            reply = t("not_enrolled", rt.language_for(user.language_code))
        elif days is False:
            reply = t("pause.invalid", patient.language)
        else:
            until = await pause(session, patient=patient, days=days or None, now=rt.clock.now())
            if until is None:
                reply = t("pause.done", patient.language)
            else:
                when = local_day_and_time(until, patient.timezone, patient.language)
                reply = t("pause.done_days", patient.language, until=when)
    await rt.sender.send_text(chat.id, reply)


async def resume_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start check-ins again."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        patient = await enrolled_patient(session, user.id)
        if patient is None:
            reply = t("not_enrolled", rt.language_for(user.language_code))
        else:
            was_paused = await resume(session, patient=patient, now=rt.clock.now(), grace=rt.checkin_grace)
            reply = t("resume.done" if was_paused else "resume.not_paused", patient.language, **_when(patient))
    await rt.sender.send_text(chat.id, reply)
