"""Exports in Telegram: staff /export, the patient's /mydata, /mood and /delete."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TypeGuard

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.audit import Actor, ActorKind
from bot.export.collect import collect
from bot.export.formats import Format, parse_format, render
from bot.export.model import ExportData
from bot.export.service import erase_patient_data, export_data
from bot.ids import parse_id
from bot.patients import local_today, patient_by_telegram, staff_may_see
from bot.presses import press_of
from bot.runtime import Runtime, runtime
from bot.speaking import language_of
from bot.staff.access import Permission
from bot.staff.language import staff_reply_language
from bot.texts import t
from storage.models import Patient, PatientStatus

log = logging.getLogger(__name__)

MOOD_DAYS = 30
# A confirmation older than this is asked again: the patient should decide with the question in front of them.
ERASE_CONFIRM_WINDOW = timedelta(minutes=15)


def _has_account(patient: Patient | None) -> TypeGuard[Patient]:
    """Anyone who once joined may see and erase their own data, even after their check-ins ended."""
    return patient is not None and patient.status is not PatientStatus.INVITED


async def _send_export(rt: Runtime, chat_id: int, data: ExportData, fmt: Format, caption: str) -> None:
    try:
        # Rendering a long PDF takes a second or two: off the event loop, so crisis replies never wait for it.
        file = await asyncio.to_thread(render, data, fmt)
    except Exception:
        log.exception("rendering a %s export failed", fmt.value)
        await rt.sender.send_text(chat_id, t("export.failed", data.reader_language))
        return
    await rt.sender.send_document(chat_id, file.content, file.filename, caption=caption)


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff: /export PATIENT_ID [csv|json|pdf|fhir] sends the patient's export back as a document."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    args = list(context.args or [])
    fmt = parse_format(args[1] if len(args) > 1 else None)
    now, data = rt.clock.now(), None
    async with rt.session() as session:
        language = await staff_reply_language(session, rt, user, personal=chat.type == "private")
        if not await staff_may_see(
            session, telegram_user_id=user.id, chat_id=chat.id, private=chat.type == "private",
            staff_chat_id=rt.clinic.clinic.staff_chat_id, permission=Permission.EXPORT,
        ):  # fmt: skip
            reply = t("staff.only", language)
        elif not args or (patient_id := parse_id(args[0])) is None or len(args) > 2 or fmt is None:
            reply = t("export.usage", language)
        elif (patient := await session.get(Patient, patient_id)) is None:
            reply = t("staff.appointments.unknown", language, id=patient_id)
        else:
            actor = Actor(ActorKind.STAFF, str(user.id))
            data = await export_data(
                session, patient=patient, config=rt.clinic, fmt=fmt, actor=actor, now=now, language=language
            )
            reply = t("export.caption", language, id=patient.id, name=patient.display_name, format=fmt.value)
    if data is None or fmt is None:
        await rt.sender.send_text(chat.id, reply)
        return
    await _send_export(rt, chat.id, data, fmt, reply)


async def mydata_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The patient's own export (a PDF unless they name another format)."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    args = list(context.args or [])
    fmt = parse_format(args[0] if args else None)
    now, data = rt.clock.now(), None
    async with rt.session() as session:
        patient = await patient_by_telegram(session, user.id)
        if not _has_account(patient):
            reply = t("not_enrolled", rt.language_for(user.language_code))
        elif fmt is None or len(args) > 1:
            reply = t("mydata.usage", patient.language)
        else:
            actor = Actor(ActorKind.PATIENT, str(user.id))
            data = await export_data(session, patient=patient, config=rt.clinic, fmt=fmt, actor=actor, now=now)
            reply = t("mydata.caption", patient.language, clinic=rt.clinic.clinic.name)
    if data is None or fmt is None:
        await rt.sender.send_text(chat.id, reply)
        return
    await _send_export(rt, chat.id, data, fmt, reply)


def _mood_picture(data: ExportData) -> bytes:
    # Imported here, in the worker thread: matplotlib takes a second to load and the event loop must not wait.
    from bot.export.chart import mood_chart_png

    return mood_chart_png(data, days=MOOD_DAYS)


async def mood_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A picture of the patient's mood over the last 30 days."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = rt.clock.now()
    data = None
    async with rt.session() as session:
        patient = await patient_by_telegram(session, user.id)
        if _has_account(patient):
            today = local_today(patient, now)
            first = today - timedelta(days=MOOD_DAYS - 1)
            data = await collect(session, patient=patient, config=rt.clinic, start=first, end=today, now=now)
    if data is None:
        await rt.sender.send_text(chat.id, t("not_enrolled", await language_of(rt, user)))
        return
    language = data.reader_language
    if not any(c.score is not None for c in data.checkins):
        await rt.sender.send_text(chat.id, t("mood.empty", language))
        return
    picture = await asyncio.to_thread(_mood_picture, data)
    await rt.sender.send_photo(chat.id, picture, caption=t("mood.caption", language))


def erase_keyboard(patient_id: int, language: str) -> InlineKeyboardMarkup:
    def button(key: str, *, confirm: bool) -> list[InlineKeyboardButton]:
        data = callbacks.erase_answer(patient_id, confirm=confirm)
        return [InlineKeyboardButton(t(key, language), callback_data=data)]

    return InlineKeyboardMarkup([button("delete.confirm", confirm=True), button("delete.cancel", confirm=False)])


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask before erasing: say what goes and what the clinic keeps."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        patient = await patient_by_telegram(session, user.id)
    if not _has_account(patient):
        await rt.sender.send_text(chat.id, t("not_enrolled", await language_of(rt, user)))
        return
    text = t("delete.ask", patient.language, clinic=rt.clinic.clinic.name)
    await rt.sender.send_text(chat.id, text, buttons=erase_keyboard(patient.id, patient.language))


async def erase_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase on "yes" from the patient themselves, on a recent question; "cancel" erases nothing."""
    found = await press_of(update, context, callbacks.EraseAnswer)
    if found is None:
        return
    rt, query, message, press = found
    now = rt.clock.now()
    clinic = rt.clinic.clinic.name
    async with rt.session() as session:
        patient = await patient_by_telegram(session, query.from_user.id)
        if not _has_account(patient) or patient.id != press.patient_id:
            reply = None
        elif (asked_at := getattr(message, "date", None)) is None or now - asked_at > ERASE_CONFIRM_WINDOW:
            reply = t("delete.expired", patient.language)
        elif not press.confirm:
            reply = t("delete.cancelled", patient.language)
        else:
            erased = await erase_patient_data(
                session, patient=patient, actor=Actor(ActorKind.PATIENT, str(query.from_user.id)), now=now
            )
            log.info("patient %s erased %s records", patient.id, erased.total)
            reply = t("delete.done", patient.language, clinic=clinic)
    if reply is None:
        await rt.sender.answer(query, t("checkin.not_yours", await language_of(rt, query.from_user)))
        return
    await rt.sender.answer(query)
    await rt.sender.edit_text(message.chat.id, message.message_id, reply)
