"""Enrolment through the stand-in: invite codes, consent, and everyone who should not get in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.local import LocalBot
from storage.models import Invite, Patient, PatientStatus
from tests.factories import button, enrol, invite, load_patient

ANA = 1001
EVE = 1002


async def test_accepting_consent_enrols_and_spends_the_code(bot: LocalBot) -> None:
    patient_id, code = await invite(bot, name="Ana")
    await bot.standin.send_command(ANA, "start", code)
    [consent] = await bot.standin.wait_for_messages(ANA, 1)
    assert "nobody watches this chat around the clock" in consent.text
    assert "/sos" in consent.text
    assert "delete" in consent.text
    await bot.standin.press_button(ANA, consent.message_id, button(consent, "Yes, I agree"))
    _, welcome = await bot.standin.wait_for_messages(ANA, 2)
    assert "20:00" in welcome.text and "America/New_York" in welcome.text
    patient = await load_patient(bot, patient_id)
    assert patient.status is PatientStatus.ACTIVE
    assert patient.telegram_user_id == ANA and patient.telegram_chat_id == ANA
    async with bot.runtime.session() as session:
        used = await session.scalar(select(Invite.used_at).where(Invite.patient_id == patient_id))
    assert used is not None
    edited = bot.standin.sent(ANA)[0]
    assert edited.reply_markup is None or not edited.reply_markup.get("inline_keyboard")


async def test_declining_binds_nothing(bot: LocalBot) -> None:
    patient_id, code = await invite(bot)
    await bot.standin.send_command(ANA, "start", code)
    [consent] = await bot.standin.wait_for_messages(ANA, 1)
    await bot.standin.press_button(ANA, consent.message_id, button(consent, "No"))
    await bot.standin.wait_for(lambda: "completely fine" in (bot.standin.sent(ANA)[0].text or ""))
    patient = await load_patient(bot, patient_id)
    assert patient.status is PatientStatus.INVITED and patient.telegram_user_id is None
    # Changing one's mind: the same link still works.
    await bot.standin.send_command(ANA, "start", code)
    [_, again] = await bot.standin.wait_for_messages(ANA, 2)
    await bot.standin.press_button(ANA, again.message_id, button(again, "Yes"))
    await bot.standin.wait_for_messages(ANA, 3)
    assert (await load_patient(bot, patient_id)).telegram_user_id == ANA


async def test_a_code_works_once(bot: LocalBot) -> None:
    _, code = await invite(bot)
    await bot.standin.send_command(ANA, "start", code)
    [consent] = await bot.standin.wait_for_messages(ANA, 1)
    await bot.standin.press_button(ANA, consent.message_id, button(consent, "Yes"))
    await bot.standin.wait_for_messages(ANA, 2)
    await bot.standin.send_command(EVE, "start", code)
    [reply] = await bot.standin.wait_for_messages(EVE, 1)
    assert "doesn't work" in reply.text
    assert "988" in reply.text  # a stranger still gets the crisis line
    assert not reply.reply_markup
    async with bot.runtime.session() as session:
        assert await session.scalar(select(Patient).where(Patient.telegram_user_id == EVE)) is None


async def test_expired_and_unknown_codes_are_refused(bot: LocalBot) -> None:
    _, code = await invite(bot, now=bot.clock.now() - timedelta(days=15), days=14)
    await bot.standin.send_command(ANA, "start", code)
    await bot.standin.send_command(EVE, "start", "not-a-real-code")
    [expired] = await bot.standin.wait_for_messages(ANA, 1)
    [unknown] = await bot.standin.wait_for_messages(EVE, 1)
    for reply in (expired, unknown):
        assert "doesn't work" in reply.text and not reply.reply_markup
    async with bot.runtime.session() as session:
        linked = await session.scalar(select(func.count()).where(Patient.telegram_user_id.is_not(None)))
    assert linked == 0


async def test_start_without_code_explains_and_gives_the_crisis_line(bot: LocalBot) -> None:
    await bot.standin.send_command(EVE, "start")
    [reply] = await bot.standin.wait_for_messages(EVE, 1)
    assert "Riverside Ketamine Clinic" in reply.text and "988" in reply.text


async def test_consent_pressed_after_the_code_was_used_elsewhere(bot: LocalBot) -> None:
    _, code = await invite(bot)
    await bot.standin.send_command(ANA, "start", code)
    await bot.standin.send_command(EVE, "start", code)
    [ana_consent] = await bot.standin.wait_for_messages(ANA, 1)
    [eve_consent] = await bot.standin.wait_for_messages(EVE, 1)
    await bot.standin.press_button(ANA, ana_consent.message_id, button(ana_consent, "Yes"))
    await bot.standin.wait_for_messages(ANA, 2)
    await bot.standin.press_button(EVE, eve_consent.message_id, button(eve_consent, "Yes"))
    await bot.standin.wait_for(lambda: "doesn't work" in (bot.standin.sent(EVE)[0].text or ""))
    async with bot.runtime.session() as session:
        assert await session.scalar(select(Patient).where(Patient.telegram_user_id == EVE)) is None


async def test_forged_consent_press_binds_nothing(bot: LocalBot) -> None:
    patient_id, _ = await invite(bot)
    async with bot.runtime.session() as session:
        invite_id = await session.scalar(select(Invite.id).where(Invite.patient_id == patient_id))
    query = await bot.standin.press_button(EVE, 999, f"cs:{invite_id}:0123456789abcdef:y")
    await bot.standin.wait_for(lambda: bot.standin.callback_answer(query) is not None)
    patient = await load_patient(bot, patient_id)
    assert patient.telegram_user_id is None


async def test_enrolled_patient_starting_again_is_welcomed_back(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    _, other_code = await invite(bot, name="Someone else")
    await bot.standin.send_command(ANA, "start", other_code)
    replies = await bot.standin.wait_for_messages(ANA, 3)
    assert "Welcome back" in replies[-1].text
    assert (await load_patient(bot, patient.id)).enrolled_at == patient.enrolled_at
