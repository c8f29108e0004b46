"""Patient and staff commands through the stand-in."""

from __future__ import annotations

from datetime import time

import pytest

from bot.local import LocalBot
from tests.factories import add_staff, enrol, load_patient

ANA = 5001
EVE = 5002
STAFF = 5003
STAFF_CHAT = -1001234567890


async def last_reply(bot: LocalBot, chat_id: int, count: int) -> str:
    return (await bot.standin.wait_for_messages(chat_id, count))[-1].text or ""


async def test_command_menu_is_registered(bot: LocalBot) -> None:
    names = [c["command"] for c in bot.standin.commands]
    assert {"checkin", "settings", "pause", "resume", "sos", "help"} <= set(names)


async def test_help_and_sos(bot: LocalBot) -> None:
    await enrol(bot, ANA, country="DE")
    await bot.standin.send_command(ANA, "help")
    assert "/checkin" in await last_reply(bot, ANA, 3)
    await bot.standin.send_command(ANA, "sos")
    sos = await last_reply(bot, ANA, 4)
    assert "0800 111 0 111" in sos and "112" in sos
    await bot.standin.send_command(EVE, "sos")
    assert "988" in await last_reply(bot, EVE, 1)


async def test_sos_for_a_country_without_lines_falls_back_to_the_clinic(bot: LocalBot) -> None:
    await enrol(bot, ANA, country="ZZ")
    await bot.standin.send_command(ANA, "sos")
    sos = await last_reply(bot, ANA, 3)
    assert "988" in sos and "local emergency number" in sos and "911" not in sos


@pytest.mark.parametrize(
    ("args", "time", "zone"),
    [
        ("Europe/Berlin", "20:00", "Europe/Berlin"),
        ("berlin", "20:00", "Europe/Berlin"),
        ("21:30", "21:30", "America/New_York"),
        ("7 pm new york", "19:00", "America/New_York"),
    ],
)
async def test_settings_accepts_what_people_type(bot: LocalBot, args: str, time: str, zone: str) -> None:
    patient = await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "settings", args)
    reply = await last_reply(bot, ANA, 3)
    assert f"{time}, {zone}" in reply
    patient = await load_patient(bot, patient.id)
    assert (patient.checkin_time.strftime("%H:%M"), patient.timezone) == (time, zone)


@pytest.mark.parametrize("args", ["Mars/Olympus", "25:99", "tomorrow-ish", "x" * 300])
async def test_settings_nonsense_gets_an_example(bot: LocalBot, args: str) -> None:
    patient = await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "settings", args)
    reply = await last_reply(bot, ANA, 3)
    assert "20:00" in reply and "Europe/Berlin" in reply
    assert (await load_patient(bot, patient.id)).timezone == "America/New_York"


async def test_settings_without_arguments_shows_the_current_ones(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "settings")
    assert "20:00, America/New_York" in await last_reply(bot, ANA, 3)


@pytest.mark.parametrize("args", ["0", "91", "soon", "-3"])
async def test_pause_with_a_bad_count(bot: LocalBot, args: str) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "pause", args)
    assert "1 to 90" in await last_reply(bot, ANA, 3)


async def test_commands_from_strangers(bot: LocalBot) -> None:
    for number, command in enumerate(["checkin", "settings", "pause", "resume"], start=1):
        await bot.standin.send_command(EVE, command)
        assert "link from your clinic" in await last_reply(bot, EVE, number)


async def test_unknown_command_shows_help(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "frobnicate")
    assert "/checkin" in await last_reply(bot, ANA, 3)


async def test_staff_commands_refuse_everyone_else(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana")
    for number, command in enumerate(["patients", "today"], start=3):
        await bot.standin.send_command(ANA, command)
        reply = await last_reply(bot, ANA, number)
        assert "only for the clinic's staff" in reply and "Ana" not in reply


async def test_staff_see_patients_and_who_has_not_checked_in(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana")
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "patients")
    roster = await last_reply(bot, STAFF, 1)
    assert "Ana" in roster and "active" in roster
    await bot.standin.send_command(STAFF, "today", chat_id=STAFF_CHAT)
    today = await last_reply(bot, STAFF_CHAT, 1)
    assert "Ana" in today


async def test_a_long_roster_arrives_in_parts(bot: LocalBot) -> None:
    from bot.enrollment.service import create_patient

    async with bot.runtime.session() as session:
        for number in range(120):
            await create_patient(
                session, name=f"Patient with a rather long name {number}", timezone="America/New_York",
                checkin_time=time(20, 0), country="US", language="en", now=bot.clock.now(),
            )  # fmt: skip
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "patients")
    await bot.standin.wait_for(lambda: any("long name 119" in (m.text or "") for m in bot.standin.sent(STAFF)))
    parts = bot.standin.sent(STAFF)
    assert len(parts) > 1 and all(len(p.text) <= 4096 for p in parts)


async def test_staff_commands_stay_out_of_other_groups(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana")
    await add_staff(bot, STAFF)
    other_group = -1005555555555
    await bot.standin.send_command(STAFF, "patients", chat_id=other_group)
    reply = await last_reply(bot, other_group, 1)
    assert "only for the clinic's staff" in reply and "Ana" not in reply
