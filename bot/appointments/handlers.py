"""Telegram side of appointments: the reminder's buttons, after-effects, and /appointments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.appointments.messages import effects_keyboard, label_of, reminder_keyboard, reminder_text
from bot.appointments.service import AnswerResult, answer_reminder, appointment_state, upcoming
from bot.clinic import ClinicConfig
from bot.i18n.dates import local_day_and_time
from bot.ids import parse_id
from bot.patients import is_enrolled, is_staff, patient_by_telegram, staff_may_see
from bot.presses import press_of
from bot.runtime import runtime
from bot.speaking import language_of
from bot.staff.language import staff_reply_language
from bot.staff.notices import notify_staff
from bot.texts import t
from storage.models import Appointment, CheckIn, Patient


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm an appointment, or ask to reschedule it (the staff chat is told)."""
    found = await press_of(update, context, callbacks.ReminderAnswer)
    if found is None:
        return
    rt, query, message, press = found
    now = rt.clock.now()
    async with rt.session() as session:
        result, appointment, patient = await answer_reminder(
            session,
            appointment_id=press.appointment_id,
            telegram_user_id=query.from_user.id,
            confirm=press.confirm,
            now=now,
        )
        if result is AnswerResult.RESCHEDULE and appointment is not None and patient is not None:
            await notify_staff(
                session,
                key=f"reschedule:{appointment.id}:{now.isoformat()}",
                text_key="staff.reschedule",
                patient=patient,
                staff_chat_id=rt.clinic.clinic.staff_chat_id,
                now=now,
                values={  # staff read it in the clinic's zone and language
                    "label": label_of(rt.clinic, appointment.kind, rt.clinic.clinic.language),
                    "when": local_day_and_time(
                        appointment.starts_at, rt.clinic.clinic.timezone, rt.clinic.clinic.language
                    ),
                },
            )
        text = reminder_text(rt.clinic, appointment, patient) if appointment and patient else None
    if result in (AnswerResult.NOT_YOURS, AnswerResult.CLOSED):
        key = "checkin.not_yours" if result is AnswerResult.NOT_YOURS else "appt.closed"
        await rt.sender.answer(query, t(key, await language_of(rt, query.from_user)))
        return
    assert patient is not None and appointment is not None and text is not None
    if result is AnswerResult.CONFIRMED:
        reply = "appt.confirmed"
    else:  # only promise a call back when the clinic is actually told
        reply = "appt.reschedule_sent" if rt.clinic.clinic.staff_chat_id is not None else "appt.reschedule_call"
    await rt.sender.answer(query, t(reply, patient.language))
    await rt.sender.edit_text(
        message.chat.id,
        message.message_id,
        text,
        buttons=reminder_keyboard(appointment.id, patient.language),
    )


async def effect_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tick or untick an after-effect on the follow-up after an infusion."""
    found = await press_of(update, context, callbacks.EffectToggle)
    if found is None:
        return
    rt, query, message, press = found
    async with rt.session() as session:
        patient = await patient_by_telegram(session, query.from_user.id)
        checkin = await session.get(CheckIn, press.checkin_id, with_for_update=True)
        mine = patient is not None and checkin is not None and checkin.patient_id == patient.id
        if mine:
            assert patient is not None and checkin is not None
            chosen = [e for e in (checkin.effects or []) if e != "none"]
            if press.effect == "none":
                chosen = ["none"]
            elif press.effect in chosen:
                chosen.remove(press.effect)
            else:
                chosen.append(press.effect)
            checkin.effects = chosen
            language = patient.language
    if not mine:
        await rt.sender.answer(query, t("checkin.not_yours", await language_of(rt, query.from_user)))
        return
    await rt.sender.answer(query)
    await rt.sender.edit_text(
        message.chat.id,
        message.message_id,
        t("appt.effects", language),
        buttons=effects_keyboard(press.checkin_id, chosen, language),
    )


async def appointments_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A patient's own upcoming appointments; staff give a patient id to see that patient's bookings."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    args = list(context.args or [])
    now = rt.clock.now()
    async with rt.session() as session:
        staff = await staff_reply_language(session, rt, user, personal=chat.type == "private")
        if args:
            if not await staff_may_see(
                session, telegram_user_id=user.id, chat_id=chat.id, private=chat.type == "private",
                staff_chat_id=rt.clinic.clinic.staff_chat_id,
            ):  # fmt: skip
                reply = t("staff.only", staff)
            elif (patient_id := parse_id(args[0])) is None:
                reply = t("staff.appointments.usage", staff)
            else:
                reply = await _staff_view(session, rt.clinic, patient_id, staff)
        else:
            patient = await patient_by_telegram(session, user.id)
            if not is_enrolled(patient):
                reply = t("staff.appointments.usage" if await is_staff(session, user.id) else "not_enrolled", staff)
            else:
                assert patient is not None
                booked = await upcoming(session, patient_id=patient.id, now=now)
                rows = [
                    t(
                        "appt.list.row",
                        patient.language,
                        label=label_of(rt.clinic, a.kind, patient.language),
                        when=local_day_and_time(a.starts_at, patient.timezone, patient.language),
                        where=f" – {a.location}" if a.location else "",
                    )
                    for a in booked
                ]
                reply = (
                    "\n".join([t("appt.list.header", patient.language), *rows])
                    if rows
                    else t("appt.list.empty", patient.language)
                )
    await rt.sender.send_text(chat.id, reply)


async def _staff_view(session: AsyncSession, config: ClinicConfig, patient_id: int, language: str) -> str:
    patient = await session.get(Patient, patient_id)
    if patient is None:
        return t("staff.appointments.unknown", language, id=patient_id)
    booked = list(
        await session.scalars(
            select(Appointment).where(Appointment.patient_id == patient_id).order_by(Appointment.starts_at)
        )
    )
    if not booked:
        return t("staff.appointments.empty", language, id=patient.id, name=patient.display_name)
    rows = [
        t(
            "staff.appointments.row",
            language,
            appointment=a.id,
            label=label_of(config, a.kind, language),
            when=local_day_and_time(a.starts_at, patient.timezone, language),
            state=t(f"state.{appointment_state(a)}", language),
        )
        for a in booked
    ]
    return "\n".join([t("staff.appointments.header", language, id=patient.id, name=patient.display_name), *rows])
