"""The daily check-in end to end: scheduling in the patient's zone, taps, notes, and presses that must fail."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from bot.local import LocalBot
from storage.models import CheckIn, JournalEntry, OutboxMessage, OutboxStatus
from tests.factories import button, enrol

ANA = 2001  # America/New_York
BEN = 2002  # Europe/Berlin
EVE = 2003


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def checkins(bot: LocalBot, patient_id: int) -> list[CheckIn]:
    async with bot.runtime.session() as session:
        rows = await session.scalars(
            select(CheckIn).where(CheckIn.patient_id == patient_id).order_by(CheckIn.local_date)
        )
        return list(rows)


def asks(bot: LocalBot, chat_id: int) -> list:
    """The bot's check-in messages in a chat: those carrying the 0–10 score buttons."""
    return [
        m
        for m in bot.standin.sent(chat_id)
        if any(data.startswith("ci:") for _, data in bot.standin.buttons(m) if data)
    ]


async def test_checkin_arrives_at_local_time_in_two_zones(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana", timezone="America/New_York")
    await enrol(bot, BEN, name="Ben", timezone="Europe/Berlin")
    bot.clock.set(utc(2026, 3, 2, 18, 59))
    await bot.tick()
    assert asks(bot, ANA) == [] and asks(bot, BEN) == []
    bot.clock.set(utc(2026, 3, 2, 19, 0))  # 20:00 in Berlin (CET)
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, BEN)) == 1)
    assert asks(bot, ANA) == []
    bot.clock.set(utc(2026, 3, 3, 1, 0))  # 20:00 in New York (EST)
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
    assert len(asks(bot, BEN)) == 1
    [ask] = asks(bot, ANA)
    labels = [key["text"] for row in ask.reply_markup["inline_keyboard"] for key in row]
    assert [label.split()[0] for label in labels] == [str(n) for n in range(11)]


async def test_checkin_follows_the_dst_change(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, timezone="America/New_York")
    bot.clock.set(utc(2026, 3, 8, 1, 0))  # Sat 7 March 20:00 EST
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
    bot.clock.set(utc(2026, 3, 8, 23, 59))  # Sun 8 March 19:59 EDT: the clocks went forward that morning
    await bot.tick()
    assert len(asks(bot, ANA)) == 1
    bot.clock.set(utc(2026, 3, 9, 0, 0))  # Sun 8 March 20:00 EDT, an hour earlier in UTC than the day before
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 2)
    assert [c.local_date.isoformat() for c in await checkins(bot, patient.id)] == ["2026-03-07", "2026-03-08"]


async def _first_checkin(bot: LocalBot, user: int, **kwargs: object):
    patient = await enrol(bot, user, **kwargs)
    bot.clock.set(utc(2026, 3, 3, 1, 0))
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, user)) == 1)
    return patient, asks(bot, user)[0]


async def test_tap_change_and_note(bot: LocalBot) -> None:
    patient, ask = await _first_checkin(bot, ANA)
    before = len(bot.standin.sent(ANA))
    query = await bot.standin.press_button(ANA, ask.message_id, button(ask, "7"))
    [prompt] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert "add a few words" in prompt.text and "Skip" in prompt.reply_markup["inline_keyboard"][0][0]["text"]
    assert bot.standin.callback_answer(query)["text"] == "Saved: 7"
    await bot.standin.wait_for(lambda: "You chose 7" in bot.standin.sent(ANA)[ask_index(bot, ask)].text)
    [checkin] = await checkins(bot, patient.id)
    assert checkin.score == 7 and checkin.local_date.isoformat() == "2026-03-02"
    first_answer = checkin.answered_at

    bot.clock.advance(timedelta(minutes=1))
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "4"))
    await bot.standin.wait_for(lambda: "You chose 4" in bot.standin.sent(ANA)[ask_index(bot, ask)].text)
    [checkin] = await checkins(bot, patient.id)
    assert checkin.score == 4 and checkin.answered_at == first_answer
    assert len(bot.standin.sent(ANA)) == before + 1  # no second note prompt

    await bot.standin.send_text(ANA, "Slept badly but the walk helped")
    [reply] = (await bot.standin.wait_for_messages(ANA, before + 2))[before + 1 :]
    assert "added that to today's check-in" in reply.text
    [checkin] = await checkins(bot, patient.id)
    assert checkin.note == "Slept badly but the walk helped"
    async with bot.runtime.session() as session:
        assert await session.scalar(select(func.count()).select_from(JournalEntry)) == 0


def ask_index(bot: LocalBot, ask) -> int:
    return [m.message_id for m in bot.standin.sent(ask.chat_id)].index(ask.message_id)


async def test_skip_declines_the_note_and_the_next_text_is_journal(bot: LocalBot) -> None:
    patient, ask = await _first_checkin(bot, ANA)
    before = len(bot.standin.sent(ANA))
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "5"))
    [prompt] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    await bot.standin.press_button(ANA, prompt.message_id, button(prompt, "Skip"))
    await bot.standin.wait_for(lambda: "no note today" in bot.standin.sent(ANA)[before].text)
    await bot.standin.send_text(ANA, "Later thought")
    await bot.standin.wait_for_messages(ANA, before + 2)
    [checkin] = await checkins(bot, patient.id)
    assert checkin.note is None and checkin.score == 5
    async with bot.runtime.session() as session:
        assert (await session.scalars(select(JournalEntry.text))).all() == ["Later thought"]


async def test_a_late_answer_counts_for_its_own_day(bot: LocalBot) -> None:
    patient, ask = await _first_checkin(bot, ANA)
    bot.clock.set(utc(2026, 3, 3, 15, 0))  # the next local day, before that day's check-in
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "6"))
    await bot.standin.wait_for(lambda: "You chose 6" in bot.standin.sent(ANA)[ask_index(bot, ask)].text)
    [checkin] = await checkins(bot, patient.id)
    assert checkin.local_date.isoformat() == "2026-03-02" and checkin.score == 6


async def test_old_checkins_close(bot: LocalBot) -> None:
    patient, ask = await _first_checkin(bot, ANA)
    bot.clock.advance(timedelta(days=5))
    query = await bot.standin.press_button(ANA, ask.message_id, button(ask, "6"))
    await bot.standin.wait_for(lambda: bot.standin.callback_answer(query) is not None)
    assert "closed" in bot.standin.callback_answer(query)["text"]
    [checkin] = await checkins(bot, patient.id)
    assert checkin.score is None


async def test_forged_and_garbage_presses_change_nothing(bot: LocalBot) -> None:
    patient, ask = await _first_checkin(bot, ANA)
    await enrol(bot, EVE, name="Eve")
    other = await bot.standin.press_button(EVE, ask.message_id, button(ask, "9"))
    garbage = [
        await bot.standin.press_button(ANA, ask.message_id, data)
        for data in ("ci:abc:3", "ci:1:11", "ci:99999:3", "hello", "cs:1:zz:y", "cn:1:skip", "ci:" + "9" * 60)
    ]
    await bot.standin.wait_for(lambda: all(bot.standin.callback_answer(q) is not None for q in [other, *garbage]))
    assert "isn't for you" in bot.standin.callback_answer(other)["text"]
    for query in garbage:
        assert bot.standin.callback_answer(query)["text"]
    [checkin] = await checkins(bot, patient.id)
    assert checkin.score is None


async def test_checkin_command_reuses_todays_checkin(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.clock.set(utc(2026, 3, 2, 15, 0))
    await bot.standin.send_command(ANA, "checkin")
    ask = await bot.standin.wait_for(lambda: next(iter(asks(bot, ANA)), None))
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "8"))
    await bot.standin.wait_for(lambda: len(bot.standin.sent(ANA)) >= 4)
    bot.clock.set(utc(2026, 3, 3, 1, 0))
    await bot.tick()  # the scheduled one for the same day is not sent: it was answered
    async with bot.runtime.session() as session:
        row = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"checkin:{patient.id}:2026-03-02")
        )
    assert row is not None and row.status is OutboxStatus.CANCELLED
    assert len(asks(bot, ANA)) == 1
    assert [c.score for c in await checkins(bot, patient.id)] == [8]


async def test_paused_patients_get_no_checkin_until_resumed(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "pause", "3")
    await bot.standin.wait_for(lambda: "paused until" in bot.standin.sent(ANA)[-1].text)
    bot.clock.set(utc(2026, 3, 3, 1, 0))
    await bot.tick()
    assert asks(bot, ANA) == []
    await bot.standin.send_command(ANA, "resume")
    await bot.standin.wait_for(lambda: "Welcome back" in bot.standin.sent(ANA)[-1].text)
    bot.clock.set(utc(2026, 3, 4, 1, 0))
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)


async def test_a_checkin_too_late_to_send_is_dropped(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await bot.plan()  # planned while running
    bot.clock.set(utc(2026, 3, 3, 5, 30))  # the bot was down until past midnight local time
    await bot.tick()
    assert asks(bot, ANA) == []
    async with bot.runtime.session() as session:
        query = select(OutboxMessage.idempotency_key, OutboxMessage.status)
        rows = await session.execute(query.where(OutboxMessage.patient_id == patient.id))
        statuses = {key: status for key, status in rows}
    assert statuses[f"checkin:{patient.id}:2026-03-02"] is OutboxStatus.DROPPED
    assert statuses[f"checkin:{patient.id}:2026-03-03"] is OutboxStatus.PENDING


async def test_settings_change_moves_the_checkin(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, checkin_time=time(20, 0))
    await bot.standin.send_command(ANA, "settings", "8am berlin")
    await bot.standin.wait_for(lambda: "08:00, Europe/Berlin" in bot.standin.sent(ANA)[-1].text)
    bot.clock.set(utc(2026, 3, 3, 6, 59))
    await bot.tick()
    assert asks(bot, ANA) == []
    bot.clock.set(utc(2026, 3, 3, 7, 0))
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
    assert [c.local_date.isoformat() for c in await checkins(bot, patient.id)] == ["2026-03-03"]
