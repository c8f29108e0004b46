"""`/metrics` through the console's ASGI app: each figure moves when the thing it counts happens.

The counters are process-wide (other tests count too), so each test reads them before and after.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot.local import LocalBot
from bot.safety.handlers import acknowledge_everywhere
from bot.staff.notices import KIND, notify_staff
from storage.models import CrisisAlert, OutboxMessage, OutboxStatus, Patient
from tests.console.helpers import browser
from tests.factories import add_staff, enrol, eventually, invite

ANA = 7201
STAFF = 7202
CRISIS = "I don't want to be alive anymore"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def figure(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def count(samples: Samples, name: str, **labels: str) -> float:
    value = figure(samples, name, **labels)
    assert value is not None, (name, labels)
    return value


async def queue_notice(bot: LocalBot, chat_id: int, key: str) -> None:
    patient_id, _ = await invite(bot)
    async with bot.runtime.session() as session:
        patient = await session.get_one(Patient, patient_id)
        await notify_staff(
            session, key=key, text_key="staff.blocked", patient=patient, staff_chat_id=chat_id, now=bot.clock.now()
        )


async def test_outbox_depth_by_kind_and_status_and_the_wait_of_the_oldest_due_row(bot: LocalBot) -> None:
    async with browser(bot) as client:
        empty = await scrape(client)
        assert figure(empty, "moodbot_database_up") == 1
        assert figure(empty, "moodbot_outbox_messages", kind=KIND, status="pending") is None
        assert figure(empty, "moodbot_outbox_oldest_due_seconds") == 0

        await queue_notice(bot, -1001, "metrics:a")
        await queue_notice(bot, -1002, "metrics:b")
        await queue_notice(bot, -1003, "metrics:c")
        async with bot.runtime.session() as session:  # one of them as a dispatcher holds it while sending
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.idempotency_key == "metrics:c")
                .values(status=OutboxStatus.SENDING)
            )
        bot.clock.advance(timedelta(seconds=90))
        waiting = await scrape(client)
        assert figure(waiting, "moodbot_outbox_messages", kind=KIND, status="pending") == 2
        assert figure(waiting, "moodbot_outbox_messages", kind=KIND, status="sending") == 1
        assert figure(waiting, "moodbot_outbox_oldest_due_seconds") == 90

        await bot.dispatch()
        drained = await scrape(client)
        assert figure(drained, "moodbot_outbox_messages", kind=KIND, status="pending") is None
        assert figure(drained, "moodbot_outbox_messages", kind=KIND, status="sending") == 1
        assert figure(drained, "moodbot_outbox_oldest_due_seconds") == 0


async def test_sends_are_counted_by_outcome_and_429s_apart(bot: LocalBot) -> None:
    outcomes = ("sent", "retry", "blocked", "rejected")

    async def counts(client: httpx.AsyncClient) -> list[float]:
        samples = await scrape(client)
        sends = [count(samples, "moodbot_telegram_sends_total", outcome=outcome) for outcome in outcomes]
        return [*sends, count(samples, "moodbot_telegram_429_total")]  # shown at 0 before the first

    async def change(client: httpx.AsyncClient, chat_id: int) -> list[float]:
        before = await counts(client)
        await queue_notice(bot, chat_id, f"metrics:{chat_id}")
        await bot.dispatch()
        after = await counts(client)
        return [a - b for a, b in zip(after, before, strict=True)]

    async with browser(bot) as client:
        assert (await change(client, -2001))[0] >= 1
        bot.standin.fail_next("sendMessage", status=429, retry_after=20, chat_id=-2002)
        assert (await change(client, -2002))[1:] == [1, 0, 0, 1]
        bot.standin.block_chat(-2003)
        assert (await change(client, -2003))[1:] == [0, 1, 0, 0]
        bot.standin.fail_next("sendMessage", status=400, chat_id=-2004, description="Bad Request: message is too long")
        assert (await change(client, -2004))[1:] == [0, 0, 1, 0]


async def test_verdicts_update_time_and_open_crisis_alerts(bot: LocalBot) -> None:
    await add_staff(bot, STAFF)
    await enrol(bot, ANA)
    async with browser(bot) as client:
        before = await scrape(client)
        assert figure(before, "moodbot_crisis_alerts_open") == 0
        assert figure(before, "moodbot_crisis_alert_oldest_open_seconds") == 0
        handled = figure(before, "moodbot_update_seconds_count") or 0

        await bot.standin.send_text(ANA, "a calm day, a walk by the river")
        await bot.standin.wait_for(lambda: "Saved" in (bot.standin.sent(ANA)[-1].text or ""))

        async def timed() -> bool:
            return (figure(await scrape(client), "moodbot_update_seconds_count") or 0) > handled

        await eventually(timed)
        calm = await scrape(client)
        verdicts = "moodbot_crisis_verdicts_total"
        assert count(calm, verdicts, tier="none") == count(before, verdicts, tier="none") + 1

        await bot.standin.send_text(ANA, CRISIS)

        async def alerted() -> bool:
            async with bot.runtime.session() as session:
                return (await session.scalar(select(CrisisAlert))) is not None

        await eventually(alerted)
        bot.clock.advance(timedelta(minutes=2))
        open_ = await scrape(client)
        assert count(open_, verdicts, tier="ideation") == count(calm, verdicts, tier="ideation") + 1
        assert figure(open_, "moodbot_crisis_alerts_open") == 1
        assert figure(open_, "moodbot_crisis_alert_oldest_open_seconds") == 120

        async with bot.runtime.session() as session:
            alert = await session.scalar(select(CrisisAlert))
        assert alert is not None
        await acknowledge_everywhere(bot.runtime, alert_id=alert.id, telegram_user_id=STAFF)
        taken = await scrape(client)
        assert figure(taken, "moodbot_crisis_alerts_open") == 0
        assert figure(taken, "moodbot_crisis_alert_oldest_open_seconds") == 0


async def test_a_database_that_is_down_is_reported_and_the_scrape_still_answers(bot: LocalBot, tmp_path: Path) -> None:
    working = bot.runtime.sessions
    broken = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/x.db")
    async with browser(bot) as client:
        bot.runtime.sessions = async_sessionmaker(broken)
        try:
            down = await scrape(client)
        finally:
            bot.runtime.sessions = working
            await broken.dispose()
        assert figure(down, "moodbot_database_up") == 0
        assert figure(down, "moodbot_crisis_alerts_open") is None  # left out rather than shown stale
        assert figure(down, "moodbot_telegram_sends_total", outcome="sent") is not None
        assert figure(await scrape(client), "moodbot_database_up") == 1
