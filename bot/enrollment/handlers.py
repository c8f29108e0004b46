"""Telegram side of enrolment: /start with an invite code, and the consent buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.checkin.service import replan_for
from bot.enrollment.render import consent_keyboard, enrolment_language, not_enrolled_text, welcome_text
from bot.enrollment.service import (
    InviteProblem,
    accept_consent,
    check_code,
    consent_tag,
    valid_consent_invite,
)
from bot.i18n.catalogue import supported
from bot.patients import is_enrolled, patient_by_telegram
from bot.presses import press_of
from bot.reachability import reachable_again
from bot.runtime import runtime
from bot.texts import t
from storage.models import Patient


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the consent question for a valid invite code; welcome back an enrolled patient."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    code = context.args[0] if context.args else ""
    buttons = None
    async with rt.session() as session:
        patient = await patient_by_telegram(session, user.id)
        if is_enrolled(patient):
            assert patient is not None
            text = t("welcome.back", patient.language, name=patient.display_name)
            if patient.unreachable_since is not None:
                await reachable_again(
                    session, patient=patient, config=rt.clinic, now=rt.clock.now(), grace=rt.checkin_grace
                )
        else:
            check = await check_code(session, code=code, now=rt.clock.now())
            if check.ok and check.invite is not None:
                invited = await session.get_one(Patient, check.invite.patient_id)
                language = enrolment_language(invited, user.language_code)
                text = t("consent", language, name=invited.display_name, clinic=rt.clinic.clinic.name)
                buttons = consent_keyboard(check.invite.id, consent_tag(check.invite), language)
            else:
                text = not_enrolled_text(
                    rt.clinic, patient, code_given=bool(code), telegram_language=user.language_code
                )
    await rt.sender.send_text(chat.id, text, buttons=buttons)


async def consent_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Bind the account on "agree"; on "decline" keep nothing."""
    found = await press_of(update, context, callbacks.ConsentAnswer)
    if found is None:
        return
    rt, query, message, press = found
    chat_id = message.chat.id
    if chat_id != query.from_user.id:  # consent is given in one's own private chat only
        await rt.sender.answer(query, t("button.stale", rt.language_for(query.from_user.language_code)))
        return
    now = rt.clock.now()
    welcome = None
    async with rt.session() as session:
        if not press.agree:
            valid = await valid_consent_invite(session, invite_id=press.invite_id, tag=press.tag, now=now)
            language = supported(query.from_user.language_code) or rt.clinic.clinic.language
            outcome = t("consent.declined", language) if valid else t("consent.closed", language)
        else:
            patient, problem = await accept_consent(
                session,
                invite_id=press.invite_id,
                tag=press.tag,
                telegram_user_id=query.from_user.id,
                chat_id=chat_id,
                now=now,
            )
            if patient is not None:
                patient.language = enrolment_language(patient, query.from_user.language_code)
                patient.language_chosen = True
                await session.flush()
                await replan_for(session, patient=patient, now=now, grace=rt.checkin_grace)
                outcome, welcome = "✓ " + t("consent.agree", patient.language), welcome_text(patient)
            elif problem is InviteProblem.ACCOUNT_TAKEN:
                outcome = t("consent.closed", rt.language_for(query.from_user.language_code))
            else:
                outcome = t("invite.unknown", rt.language_for(query.from_user.language_code))
    await rt.sender.answer(query)
    original = getattr(message, "text", None) or ""
    await rt.sender.edit_text(chat_id, message.message_id, f"{original}\n\n{outcome}".strip())
    if welcome:
        await rt.sender.send_text(chat_id, welcome)
