"""Faults during a fan-out: a crash and restart, a flaky Telegram, database connections cut. Nothing is lost, at most
what was in flight is sent twice, and the hotline reply still arrives."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.local import LocalBot
from bot.standin.server import BotApiStandIn
from storage.models import OutboxMessage, OutboxStatus
from tests.conftest import TEST_DATABASE_URL
from tests.processes import (
    CLINIC,
    FIRST_CHAT,
    STAFF_CHAT,
    TOKEN,
    Fleet,
    checkins,
    database_figure,
    delivered,
    seed_patients,
    until,
)  # fmt: skip

DUE = 300  # twelve seconds of check-ins at the shared pace
SENDING = select(func.count()).where(OutboxMessage.status == OutboxStatus.SENDING)


def duplicates(standin: BotApiStandIn) -> int:
    return sum(n - 1 for n in Counter(m.chat_id for m in checkins(standin, DUE)).values())


async def test_kill_9_mid_fan_out_then_restart_loses_nothing(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "clinic.toml").write_text(CLINIC)
    await seed_patients(database_url, DUE, datetime.now(UTC))
    async with BotApiStandIn(token=TOKEN) as standin:
        fleet = Fleet(standin, database_url, tmp_path, 1, CLINIC_CONFIG=str(tmp_path / "clinic.toml"))
        try:
            await fleet.start(0)
            await until(lambda: delivered(standin, DUE) >= DUE // 3, 60, "a third of the fan-out", 0.05, fleet=fleet)
            await fleet.kill(0)
            in_flight = await database_figure(database_url, SENDING)
            sent_at_kill = delivered(standin, DUE)
            await fleet.start(0)  # a restart takes over the dead claims once their 15-second lease runs out
            await until(lambda: delivered(standin, DUE) == DUE, 90, "every check-in", fleet=fleet)
        finally:
            await fleet.stop_all()
    print(f"\nkill -9 and restart: {DUE} due, {sent_at_kill} sent before the kill, {in_flight} in flight at it, "
          f"0 lost, {duplicates(standin)} duplicated")  # fmt: skip
    assert 0 < sent_at_kill < DUE
    assert duplicates(standin) <= in_flight


async def test_a_flaky_telegram_still_gets_every_checkin_exactly_once(bot: LocalBot) -> None:
    """One send in ten answered 502, and a burst of 429s: everything arrives, once."""
    now = bot.clock.now()
    await seed_patients(bot.database_url, DUE, now, key="local-test-key")
    bot.standin.fail_at_random("sendMessage", share=0.1, status=502, seed=13)
    bot.standin.fail_next("sendMessage", status=429, retry_after=7, times=40)
    outcomes: Counter[str] = Counter()
    for _ in range(120):
        await bot.plan()
        outcomes.update(await bot.dispatch())
        if delivered(bot.standin, DUE) == DUE and not await bot_figure(bot, SENDING):
            break
        bot.clock.advance(timedelta(seconds=30))
    per_chat = Counter(m.chat_id for m in checkins(bot.standin, DUE))
    assert len(per_chat) == DUE and set(per_chat.values()) == {1}
    assert outcomes["retry"] >= 40 + DUE // 20  # the faults really happened
    async with bot.runtime.session() as session:
        statuses = Counter((await session.scalars(select(OutboxMessage.status))).all())
    assert statuses[OutboxStatus.SENT] == DUE and statuses[OutboxStatus.PENDING] == DUE  # tomorrow's wait
    assert set(statuses) == {OutboxStatus.SENT, OutboxStatus.PENDING}


async def bot_figure(bot: LocalBot, query: object) -> int:
    async with bot.runtime.session() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="cuts PostgreSQL connections")
async def test_cut_database_connections_during_a_fan_out_and_a_crisis(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "clinic.toml").write_text(CLINIC)
    await seed_patients(database_url, DUE, datetime.now(UTC))
    crisis_chat = FIRST_CHAT + DUE - 1
    async with BotApiStandIn(token=TOKEN) as standin:
        fleet = Fleet(standin, database_url, tmp_path, 1, CLINIC_CONFIG=str(tmp_path / "clinic.toml"))
        try:
            await fleet.start(0)
            await until(lambda: delivered(standin, DUE) >= DUE // 4, 60, "a quarter of the fan-out", 0.05, fleet=fleet)
            in_flight = await cut_connections(database_url)
            await until(lambda: delivered(standin, DUE) >= DUE // 2, 60, "the fan-out to go on", 0.05, fleet=fleet)
            await cut_connections(database_url)
            await standin.send_text(crisis_chat, "I am going to kill myself tonight")
            await until(
                lambda: any("988" in (m.text or "") for m in standin.sent(crisis_chat)), 10, "reply", 0.02, fleet=fleet
            )
            await until(lambda: standin.sent(STAFF_CHAT), 30, "the staff alert", 0.05, fleet=fleet)
            await until(lambda: delivered(standin, DUE) == DUE, 90, "every check-in", fleet=fleet)
        finally:
            await fleet.stop_all()
    log = fleet.log(0).read_text()
    assert duplicates(standin) <= in_flight
    assert TOKEN not in log and "kill myself" not in log


async def cut_connections(url: str) -> int:
    """Every other connection to the bot's database is terminated, as a failover or a network cut would; returns
    the rows in flight at that moment."""
    in_flight = await database_figure(url, SENDING)
    await database_figure(
        url,
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ),
    )
    return in_flight
