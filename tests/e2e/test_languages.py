"""Patients in Spanish, German and French, through the stand-in: the language comes from the invite, else the
Telegram app, else the clinic; /language changes it; a crisis is answered in the words it was written in; no
English sentence reaches someone who reads another language."""

from __future__ import annotations

import re

from bot.i18n.catalogue import name_in_sentence, supported
from bot.local import LocalBot
from bot.texts import EN, Plural, t
from tests.factories import button, invite, load_patient

ROSA, KLAUS, CLAIRE, STRANGER = 3001, 3002, 3003, 3004

# Every stretch of English words of the catalogue between placeholders and line breaks, long enough to be a sentence.
ENGLISH = sorted(
    {
        part.strip()
        for entry in EN.values()
        for form in ((entry.one, entry.other) if isinstance(entry, Plural) else (entry,))
        for part in re.split(r"\{[^}]*\}|\n", form)
        if len(part.strip()) >= 20
    }
)


def no_english(texts: list[str]) -> None:
    for text in texts:
        found = [sentence for sentence in ENGLISH if sentence in text]
        assert not found, (found, text)


def received(bot: LocalBot, user: int) -> list[str]:
    return [m.text or m.caption or "" for m in bot.standin.sent(user)]


async def start(bot: LocalBot, user: int, telegram_language: str, **invited: object) -> int:
    """/start CODE from an app in `telegram_language` and agree to the consent, whatever its language."""
    patient_id, code = await invite(bot, **invited)  # type: ignore[arg-type]
    await bot.standin.send_command(user, "start", code, language_code=telegram_language)
    [consent] = await bot.standin.wait_for_messages(user, 1)
    language = invited.get("language") or supported(telegram_language) or "en"
    assert isinstance(language, str)
    await bot.standin.press_button(user, consent.message_id, button(consent, t("consent.agree", language)))
    await bot.standin.wait_for_messages(user, 2)
    return patient_id


async def test_a_spanish_app_gets_consent_help_a_checkin_and_a_crisis_reply_in_spanish(bot: LocalBot) -> None:
    patient_id = await start(bot, ROSA, "es-MX", name="Rosa", country="ES", language=None)
    consent, welcome = bot.standin.sent(ROSA)[:2]
    assert consent.text.startswith(t("consent", "es", name="Rosa", clinic=bot.runtime.clinic.clinic.name)[:40])
    assert (await load_patient(bot, patient_id)).language == "es"
    assert "Rosa" in welcome.text
    await bot.standin.send_command(ROSA, "help")
    await bot.standin.wait_for(lambda: len(bot.standin.sent(ROSA)) >= 3)
    assert "/language" in bot.standin.sent(ROSA)[-1].text
    await bot.standin.send_command(ROSA, "checkin")
    [*_, ask] = await bot.standin.wait_for_messages(ROSA, 4)
    await bot.standin.press_button(ROSA, ask.message_id, button(ask, "7"))
    await bot.standin.wait_for(lambda: t("checkin.note", "es") in received(bot, ROSA))
    await bot.standin.send_text(ROSA, "dormí mejor después de la infusión")
    await bot.standin.wait_for(lambda: t("checkin.note_saved", "es") in received(bot, ROSA))
    count = len(bot.standin.sent(ROSA))
    await bot.standin.send_text(ROSA, "ya no quiero vivir, esta noche lo termino todo")
    [*_, reply] = await bot.standin.wait_for_messages(ROSA, count + 1)
    assert "024" in reply.text  # Spain's line, for a patient from Spain
    no_english(received(bot, ROSA))


async def test_the_invite_language_wins_over_the_app_and_language_switches_mid_conversation(bot: LocalBot) -> None:
    await start(bot, KLAUS, "en", name="Klaus", country="DE", language="de")
    assert bot.standin.sent(KLAUS)[1].text == t(
        "consent.accepted", "de", name="Klaus", time="20:00", timezone="America/New_York"
    )
    await bot.standin.send_command(KLAUS, "language")
    [*_, ask] = await bot.standin.wait_for_messages(KLAUS, 3)
    assert ask.text == t("language.ask", "de", language="Deutsch")
    await bot.standin.press_button(KLAUS, ask.message_id, button(ask, "Français"))
    await bot.standin.wait_for(
        lambda: bot.standin.sent(KLAUS)[2].text == t("language.set", "fr", language=name_in_sentence("fr"))
    )
    await bot.standin.send_command(KLAUS, "help")
    [*_, help_text] = await bot.standin.wait_for_messages(KLAUS, 4)
    assert help_text.text.startswith(t("help", "fr"))
    no_english(received(bot, KLAUS))


async def test_a_crisis_is_answered_in_the_language_it_was_written_in(bot: LocalBot) -> None:
    await start(bot, CLAIRE, "de", name="Claire", country="FR", language=None)
    await bot.standin.send_text(CLAIRE, "je veux mourir, j'ai tout préparé pour ce soir")
    [*_, reply] = await bot.standin.wait_for_messages(CLAIRE, 3)
    assert "3114" in reply.text  # France's line
    assert reply.text.split("\n")[0] in t("crisis.reply.imminent", "fr", hotlines="", team="") + t(
        "crisis.reply", "fr", hotlines="", team=""
    )
    no_english(received(bot, CLAIRE))


async def test_a_stranger_is_answered_in_their_apps_language(bot: LocalBot) -> None:
    await bot.standin.send_text(STRANGER, "hola", language_code="es")
    [reply] = await bot.standin.wait_for_messages(STRANGER, 1)
    assert reply.text.startswith(t("stranger", "es", clinic=bot.runtime.clinic.clinic.name, hotlines="")[:30])
    no_english([reply.text])


async def test_the_command_menu_is_registered_in_every_language(bot: LocalBot) -> None:
    for language in ("es", "de", "fr"):
        menu = await bot.standin.wait_for(lambda language=language: bot.standin.commands_for(None, language) or None)
        described = {entry["command"]: entry["description"] for entry in menu}
        assert described["language"] == t("cmd.language", language)
        assert described["sos"] == t("cmd.sos", language) != t("cmd.sos")
