"""The crisis safety net through the stand-in: the answer first, then the staff alert until acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot.local import LocalBot
from storage.models import CrisisAlert, CrisisEvent, JournalEntry, OutboxMessage, Patient
from tests.e2e.test_checkin import asks
from tests.factories import add_staff, button, enrol, eventually

ANA = 6001
EVE = 6002
STAFF = 6003
STAFF_CHAT = -1001234567890
FALLBACK = 7777
DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
CRISIS = "I don't want to be alive anymore"


def alerts(bot: LocalBot, chat_id: int = STAFF_CHAT) -> list:
    return [m for m in bot.standin.sent(chat_id) if "Crisis alert" in (m.text or "")]


async def rows(bot: LocalBot, model: type) -> list:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(model)))


async def alert_state(bot: LocalBot, **expected: object) -> None:
    """Wait until the bot has recorded what it did with the alert (that happens just after sending)."""

    async def matches() -> bool:
        found = await rows(bot, CrisisAlert)
        return len(found) == 1 and all(getattr(found[0], key) == value for key, value in expected.items())

    await eventually(matches)


async def crisis_reply(bot: LocalBot, chat_id: int, count: int):
    replies = await bot.standin.wait_for_messages(chat_id, count)
    return replies[-1]


async def test_patient_crisis_gets_hotlines_and_staff_are_alerted(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, name="Ana")
    await bot.standin.send_text(ANA, CRISIS)
    reply = await crisis_reply(bot, ANA, 3)
    assert "988" in reply.text and "911" in reply.text
    assert "around the clock" in reply.text and "care team" in reply.text
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert f"Patient #{patient.id} Ana" in alert.text and CRISIS in alert.text
    assert bot.standin.buttons(alert)[0][0] == "Acknowledge"

    async def kept() -> bool:
        return [e.text for e in await rows(bot, JournalEntry)] == [CRISIS]

    await eventually(kept)
    [event] = await rows(bot, CrisisEvent)
    assert (event.patient_id, event.tier, event.excerpt) == (patient.id, "ideation", CRISIS)
    assert len(bot.standin.sent(ANA)) == 3  # no "saved to your journal" after a crisis answer


async def test_imminent_puts_the_emergency_number_first(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "I have the pills ready and I'm doing it tonight")
    reply = await crisis_reply(bot, ANA, 3)
    assert reply.text.index("911") < reply.text.index("988")
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert "IMMINENT" in alert.text


async def test_crisis_mid_checkin_and_mid_note(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.clock.set(DUE)
    await bot.tick()
    [ask] = await bot.standin.wait_for(lambda: asks(bot, ANA) or None)
    await bot.standin.send_text(ANA, "honestly I want to kill myself")
    reply = await crisis_reply(bot, ANA, 4)
    assert "988" in reply.text
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "1"))
    await bot.standin.wait_for(lambda: "add a few words" in (bot.standin.sent(ANA)[-1].text or ""))
    await bot.standin.send_text(ANA, "everyone would be better off without me")
    reply = await crisis_reply(bot, ANA, 6)
    assert "988" in reply.text

    async def both_kept() -> bool:
        texts = [e.text for e in await rows(bot, JournalEntry)]
        return texts == ["honestly I want to kill myself", "everyone would be better off without me"]

    await eventually(both_kept)
    assert [e.patient_id for e in await rows(bot, CrisisEvent)] == [patient.id, patient.id]


async def test_stranger_in_crisis_is_answered_and_staff_see_the_telegram_name(bot: LocalBot) -> None:
    await bot.standin.send_text(EVE, "quiero morirme", first_name="Eva", username="eva_r")
    reply = await crisis_reply(bot, EVE, 1)
    assert "988" in reply.text and "care team" not in reply.text
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert "Eva @eva_r" in alert.text and str(EVE) in alert.text
    assert len(bot.standin.sent(EVE)) == 1
    async with bot.runtime.session() as session:
        assert await session.scalar(select(func.count()).select_from(Patient)) == 0
        assert await session.scalar(select(func.count()).select_from(JournalEntry)) == 0


async def test_hotline_reply_arrives_when_the_database_is_down(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    broken = create_async_engine("sqlite+aiosqlite:////nonexistent/folder/moodbot.db")
    bot.runtime.sessions = async_sessionmaker(broken)
    try:
        await bot.standin.send_text(ANA, CRISIS)
        reply = await crisis_reply(bot, ANA, 3)
        assert "988" in reply.text
        [alert] = await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
        assert "could not be reached" in alert.text and CRISIS in alert.text
    finally:
        await broken.dispose()


async def test_acknowledge_records_who_and_stops_the_repeats(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await add_staff(bot, STAFF, name="Dr. Reyes")
    await bot.standin.send_text(ANA, CRISIS)
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    bot.clock.advance(timedelta(minutes=4))
    query = await bot.standin.press_button(STAFF, alert.message_id, button(alert, "Acknowledge"), chat_id=STAFF_CHAT)
    await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    await bot.standin.wait_for(lambda: "Acknowledged by Dr. Reyes" in bot.standin.sent(STAFF_CHAT)[0].text)
    assert not bot.standin.buttons(bot.standin.sent(STAFF_CHAT)[0])
    [row] = await rows(bot, CrisisAlert)
    assert row.acknowledged_by_name == "Dr. Reyes" and row.acknowledged_at is not None
    bot.clock.advance(timedelta(hours=2))
    await bot.tick()
    assert len(bot.standin.sent(STAFF_CHAT)) == 1 and bot.standin.sent(FALLBACK) == []


async def test_non_staff_cannot_acknowledge(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, CRISIS)
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    query = await bot.standin.press_button(EVE, alert.message_id, button(alert, "Acknowledge"), chat_id=STAFF_CHAT)
    answer = await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    assert "only for the clinic's staff" in answer["text"]
    [row] = await rows(bot, CrisisAlert)
    assert row.acknowledged_at is None


async def test_unacknowledged_alert_repeats_then_reaches_the_fallback_across_a_restart(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    start = bot.clock.now()
    await bot.standin.send_text(ANA, CRISIS)
    await alert_state(bot, rounds=1, next_alert_at=start + timedelta(minutes=15))
    bot.clock.set(start + timedelta(minutes=14, seconds=59))
    await bot.tick()
    assert len(alerts(bot)) == 1
    bot.clock.set(start + timedelta(minutes=15))
    await bot.tick()
    assert len(alerts(bot)) == 2 and "Reminder 1" in alerts(bot)[-1].text
    await bot.restart()
    bot.clock.set(start + timedelta(minutes=30))
    await bot.tick()
    bot.clock.set(start + timedelta(minutes=45))
    await bot.tick()
    assert len(alerts(bot)) == 4
    assert bot.standin.sent(FALLBACK) == []
    bot.clock.set(start + timedelta(minutes=60))
    await bot.tick()
    [fallback] = bot.standin.sent(FALLBACK)
    assert "No one has acknowledged" in fallback.text and "60 minutes" in fallback.text
    bot.clock.set(start + timedelta(hours=5))
    await bot.tick()
    assert len(alerts(bot)) == 4 and len(bot.standin.sent(FALLBACK)) == 1


async def test_a_flood_updates_one_alert_and_answers_every_message(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    for number in range(5):
        await bot.standin.send_text(ANA, f"{CRISIS} ({number})")
    replies = await bot.standin.wait_for_messages(ANA, 2 + 5)
    assert all("988" in r.text for r in replies[2:])
    await bot.standin.wait_for(lambda: "Messages like this: 5" in (alerts(bot)[0].text if alerts(bot) else ""))
    assert len(alerts(bot)) == 1
    [row] = await rows(bot, CrisisAlert)
    assert row.events == 5 and len(await rows(bot, CrisisEvent)) == 5


async def test_a_more_severe_message_alerts_again_at_once(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, CRISIS)
    await bot.standin.wait_for(lambda: len(alerts(bot)) == 1)
    await bot.standin.send_text(ANA, "I'm on the bridge now")
    await bot.standin.wait_for(lambda: len(alerts(bot)) == 2)
    assert "IMMINENT" in alerts(bot)[-1].text


async def test_staff_chat_unreachable_goes_to_the_fallback(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    bot.standin.block_chat(STAFF_CHAT)
    await bot.standin.send_text(ANA, CRISIS)
    assert "988" in (await crisis_reply(bot, ANA, 3)).text
    await alert_state(bot, escalated_at=bot.clock.now())
    await bot.tick()
    [fallback] = await bot.standin.wait_for_messages(FALLBACK, 1)
    assert "Crisis alert" in fallback.text


async def test_429_during_the_alert_is_sent_after_retry_after(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    bot.standin.fail_next("sendMessage", status=429, retry_after=20, chat_id=STAFF_CHAT)
    await bot.standin.send_text(ANA, CRISIS)
    assert "988" in (await crisis_reply(bot, ANA, 3)).text

    async def rescheduled() -> bool:
        async with bot.runtime.session() as session:
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "crisis_alert"))
        return row is not None and row.next_attempt_at == bot.clock.now() + timedelta(seconds=20)

    await eventually(rescheduled)
    await bot.tick()
    assert alerts(bot) == []
    bot.clock.advance(timedelta(seconds=20))
    await bot.tick()
    assert len(alerts(bot)) == 1


async def test_429_on_the_patient_reply_is_retried(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    bot.standin.fail_next("sendMessage", status=429, retry_after=1, chat_id=ANA)
    await bot.standin.send_text(ANA, CRISIS)
    reply = await crisis_reply(bot, ANA, 3)
    assert "988" in reply.text


async def test_sos_works_any_time(bot: LocalBot) -> None:
    await bot.standin.send_command(EVE, "sos")
    assert "988" in (await crisis_reply(bot, EVE, 1)).text
