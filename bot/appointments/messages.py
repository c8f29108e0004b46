"""How appointment messages look, and the outbox kinds that send reminders and after-infusion follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.checkin.outbox_kind import DailyCheckin
from bot.checkin.render import score_keyboard
from bot.checkin.service import open_checkin
from bot.clinic import ClinicConfig
from bot.i18n.dates import local_day_and_time
from bot.outbox.dispatcher import Prepared, Skip
from bot.texts import t
from storage.models import STANDING, Appointment, AppointmentStatus, OutboxMessage, Patient, PatientStatus

FOLLOWUP = "followup"


def label_of(config: ClinicConfig, kind: str, language: str) -> str:
    found = config.appointments.kinds.get(kind)
    return found.label_in(language) if found else kind


def reminder_text(config: ClinicConfig, appointment: Appointment, patient: Patient, *, moved: bool = False) -> str:
    """A reminder, or (`moved`) the news that the clinic moved the booking, with what to bring and do."""
    language = patient.language
    where = t("appt.where", language, location=appointment.location) if appointment.location else ""
    text = t(
        "appt.moved" if moved else "appt.reminder",
        language,
        label=label_of(config, appointment.kind, language),
        when=local_day_and_time(appointment.starts_at, patient.timezone, language),
        where=where,
    )
    kind = config.appointments.kinds.get(appointment.kind)
    if kind and (steps := kind.instructions_in(language)):
        text += t("appt.instructions", language, items="\n".join(f"• {item}" for item in steps))
    if appointment.notes:
        text += t("appt.notes", language, notes=appointment.notes)
    if appointment.confirmed_at is not None:
        text += t("appt.state.confirmed", language)
    elif appointment.reschedule_requested_at is not None:
        text += t("appt.state.reschedule", language)
    return text


def reminder_keyboard(appointment_id: int, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("appt.confirm", language), callback_data=callbacks.reminder_answer(appointment_id, confirm=True)
                ),
                InlineKeyboardButton(
                    t("appt.reschedule", language),
                    callback_data=callbacks.reminder_answer(appointment_id, confirm=False),
                ),
            ]
        ]
    )


def effects_keyboard(checkin_id: int, selected: list[str] | None, language: str) -> InlineKeyboardMarkup:
    chosen = set(selected or [])

    def button(effect: str) -> InlineKeyboardButton:
        label = t(f"effect.{effect}", language)
        return InlineKeyboardButton(
            f"✓ {label}" if effect in chosen else label, callback_data=callbacks.effect_toggle(checkin_id, effect)
        )

    rows = [[button(e) for e in callbacks.EFFECTS[i : i + 2]] for i in range(0, len(callbacks.EFFECTS), 2)]
    rows.append([InlineKeyboardButton(t("checkin.skip", language), callback_data=callbacks.note_skip(checkin_id))])
    return InlineKeyboardMarkup(rows)


async def _patient_and_appointment(session: AsyncSession, row: OutboxMessage) -> tuple[Patient, Appointment] | Skip:
    appointment = await session.get(Appointment, row.payload.get("appointment_id"))
    patient = await session.get(Patient, row.patient_id)
    if appointment is None or appointment.status not in STANDING:
        missed = appointment is not None and appointment.status is AppointmentStatus.NO_SHOW
        return Skip("appointment missed" if missed else "appointment cancelled")
    if patient is None or patient.telegram_chat_id is None or patient.status is PatientStatus.DEACTIVATED:
        return Skip("patient not reachable")
    if patient.unreachable_since is not None:
        return Skip("patient unreachable")
    return patient, appointment


class _AppointmentMessage(DailyCheckin):
    """Reuses the check-in kind's handling of a patient who blocked the bot."""

    def __init__(self, config: ClinicConfig) -> None:
        super().__init__(config.clinic.staff_chat_id)
        self._config = config


class AppointmentReminder(_AppointmentMessage):
    """A reminder before an appointment, with Confirm and reschedule buttons."""

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        found = await _patient_and_appointment(session, row)
        if isinstance(found, Skip):
            return found
        patient, appointment = found
        if appointment.starts_at <= now:
            return Skip("appointment already began")
        text = reminder_text(self._config, appointment, patient, moved=bool(row.payload.get("moved")))
        return Prepared(patient.telegram_chat_id, text, reminder_keyboard(appointment.id, patient.language))  # type: ignore[arg-type]

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        return None


class InfusionFollowup(_AppointmentMessage):
    """The evening check-in after an infusion, recorded as a check-in tagged with the appointment."""

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip:
        found = await _patient_and_appointment(session, row)
        if isinstance(found, Skip):
            return found
        patient, appointment = found
        local_date: date = appointment.starts_at.astimezone(ZoneInfo(patient.timezone)).date()
        checkin = await open_checkin(session, patient_id=patient.id, local_date=local_date, now=now, kind=FOLLOWUP)
        checkin.appointment_id = appointment.id
        if checkin.score is not None:
            return Skip("already answered")
        row.payload = {**row.payload, "checkin_id": checkin.id}
        text = t(
            "appt.followup",
            patient.language,
            label=label_of(self._config, appointment.kind, patient.language),
            name=patient.display_name,
        )
        return Prepared(patient.telegram_chat_id, text, score_keyboard(checkin.id))  # type: ignore[arg-type]
