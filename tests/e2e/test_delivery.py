"""Restarts and Telegram errors while check-ins go out: nothing lost, nothing sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.local import LocalBot
from storage.models import CheckIn, OutboxMessage, OutboxStatus, Patient
from tests.e2e.test_checkin import asks
from tests.factories import button, enrol, load_patient

ANA = 3001
STAFF_CHAT = -1001234567890
DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 20:00 in New York on 2 March


async def outbox_rows(bot: LocalBot, patient_id: int) -> list[OutboxMessage]:
    async with bot.runtime.session() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.patient_id == patient_id).order_by(OutboxMessage.due_at)
        )
        return list(rows)


async def test_restart_between_planning_and_sending(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.clock.set(DUE - timedelta(minutes=1))
    await bot.tick()
    assert asks(bot, ANA) == []
    await bot.restart()
    bot.clock.set(DUE)
    await bot.tick()
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
    await bot.restart()
    await bot.tick()
    assert len(asks(bot, ANA)) == 1
    today = [r for r in await outbox_rows(bot, patient.id) if r.due_at == DUE]
    assert len(today) == 1 and today[0].status is OutboxStatus.SENT


async def test_restart_between_sending_and_answering(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.clock.set(DUE)
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
    [ask] = asks(bot, ANA)
    await bot.restart()
    bot.clock.advance(timedelta(minutes=30))
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "3"))
    await bot.standin.wait_for(lambda: any("add a few words" in (m.text or "") for m in bot.standin.sent(ANA)))
    await bot.restart()
    await bot.standin.send_text(ANA, "a hard day")
    await bot.standin.wait_for(lambda: "added that" in (bot.standin.sent(ANA)[-1].text or ""))
    async with bot.runtime.session() as session:
        [checkin] = (await session.scalars(select(CheckIn).where(CheckIn.patient_id == patient.id))).all()
    assert (checkin.score, checkin.note, checkin.message_id) == (3, "a hard day", ask.message_id)


async def test_429_is_delivered_once_after_retry_after(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.standin.fail_next("sendMessage", status=429, retry_after=30, chat_id=ANA)
    bot.clock.set(DUE)
    report = await bot.tick()
    assert report["retry"] == 1 and asks(bot, ANA) == []
    [row] = [r for r in await outbox_rows(bot, patient.id) if r.due_at == DUE]
    assert row.status is OutboxStatus.PENDING and row.next_attempt_at == DUE + timedelta(seconds=30)
    bot.clock.advance(timedelta(seconds=29))
    await bot.tick()
    assert asks(bot, ANA) == []
    bot.clock.advance(timedelta(seconds=1))
    report = await bot.tick()
    assert report["sent"] == 1
    await bot.tick()
    assert len(asks(bot, ANA)) == 1


async def test_5xx_is_retried_with_backoff_and_delivered_once(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.standin.fail_next("sendMessage", status=502, chat_id=ANA, times=2)
    bot.clock.set(DUE)
    assert (await bot.tick())["retry"] == 1
    bot.clock.advance(timedelta(seconds=30))
    assert (await bot.tick())["retry"] == 1
    bot.clock.advance(timedelta(seconds=59))
    assert (await bot.tick()).get("sent", 0) == 0
    bot.clock.advance(timedelta(seconds=1))
    assert (await bot.tick())["sent"] == 1
    assert len(asks(bot, ANA)) == 1
    [row] = [r for r in await outbox_rows(bot, patient.id) if r.due_at == DUE]
    assert row.attempts == 3


async def test_blocked_patient_stops_delivery_and_tells_the_clinic(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.standin.block_chat(ANA)
    bot.clock.set(DUE)
    assert (await bot.tick())["blocked"] == 1
    assert (await load_patient(bot, patient.id)).unreachable_since == DUE
    await bot.tick()
    [notice] = await bot.standin.wait_for_messages(STAFF_CHAT, 1)
    assert f"#{patient.id}" in notice.text and "blocked" in notice.text
    statuses = {r.status for r in await outbox_rows(bot, patient.id) if r.kind == "checkin"}
    assert OutboxStatus.PENDING not in statuses
    bot.clock.advance(timedelta(days=1))
    await bot.tick()
    assert len(bot.standin.sent(STAFF_CHAT)) == 1

    bot.standin.unblock_chat(ANA)
    await bot.standin.send_text(ANA, "I'm back")
    await bot.standin.wait_for(lambda: "Saved to your journal" in (bot.standin.sent(ANA)[-1].text or ""))
    async with bot.runtime.session() as session:
        assert (await session.get_one(Patient, patient.id)).unreachable_since is None
    bot.clock.set(DUE + timedelta(days=2))
    await bot.tick()
    await bot.standin.wait_for(lambda: len(asks(bot, ANA)) == 1)
