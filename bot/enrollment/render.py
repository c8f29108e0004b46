"""How enrolment looks: the consent buttons, the welcome, and what people who are not enrolled read."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.clinic import ClinicConfig
from bot.safety.hotlines import render_hotlines
from bot.texts import t
from storage.models import Patient, PatientStatus


def consent_keyboard(invite_id: int, tag: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("consent.agree"), callback_data=callbacks.consent_answer(invite_id, tag, agree=True)
                )
            ],
            [
                InlineKeyboardButton(
                    t("consent.decline"), callback_data=callbacks.consent_answer(invite_id, tag, agree=False)
                )
            ],
        ]
    )


def welcome_text(patient: Patient) -> str:
    return t(
        "consent.accepted",
        patient.language,
        name=patient.display_name,
        time=patient.checkin_time.strftime("%H:%M"),
        timezone=patient.timezone,
    )


def not_enrolled_text(clinic: ClinicConfig, patient: Patient | None, *, code_given: bool) -> str:
    hotlines = render_hotlines(clinic, patient.country if patient else None)
    if patient is not None and patient.status is PatientStatus.DEACTIVATED:
        return t("deactivated", patient.language, clinic=clinic.clinic.name, hotlines=hotlines)
    if code_given:
        return t("invite.unknown") + "\n\n" + hotlines
    return t("stranger", clinic=clinic.clinic.name, hotlines=hotlines)
