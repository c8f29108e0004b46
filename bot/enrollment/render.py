"""How enrolment looks: the consent buttons, the welcome, and what people who are not enrolled read."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.clinic import ClinicConfig
from bot.i18n.catalogue import country_of, supported
from bot.safety.hotlines import render_hotlines
from bot.texts import t
from storage.models import Patient, PatientStatus


def consent_keyboard(invite_id: int, tag: str, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("consent.agree", language), callback_data=callbacks.consent_answer(invite_id, tag, agree=True)
                )
            ],
            [
                InlineKeyboardButton(
                    t("consent.decline", language), callback_data=callbacks.consent_answer(invite_id, tag, agree=False)
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


def enrolment_language(patient: Patient, telegram_language: str | None) -> str:
    """The invite's language when one was chosen, else the Telegram app's when the bot speaks it, else the clinic's."""
    if patient.language_chosen:
        return patient.language
    return supported(telegram_language) or patient.language


def not_enrolled_text(
    clinic: ClinicConfig, patient: Patient | None, *, code_given: bool, telegram_language: str | None
) -> str:
    """For someone without an enrolled account: in the patient's language, else their Telegram app's, else the
    clinic's."""
    language = patient.language if patient else supported(telegram_language) or clinic.clinic.language
    guessed = country_of(telegram_language)
    country = patient.country if patient else guessed if clinic.serves(guessed) else None
    hotlines = render_hotlines(clinic, country, language)
    if patient is not None and patient.status is PatientStatus.DEACTIVATED:
        return t("deactivated", language, clinic=clinic.clinic.name, hotlines=hotlines)
    if code_given:
        return t("invite.unknown", language) + "\n\n" + hotlines
    return t("stranger", language, clinic=clinic.clinic.name, hotlines=hotlines)
