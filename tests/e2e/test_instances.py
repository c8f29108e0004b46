"""Several `moodbot run --webhook` processes on one PostgreSQL database, proven with real processes and a crash.

The stand-in is Telegram and the load balancer: updates go to any instance, an instance that dies is passed over.
2,000 check-ins at the shared pace take about 80 seconds, so `MOODBOT_FLEET_CHECKINS` can make the run smaller.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.standin.models import SentMessage
from bot.standin.server import BotApiStandIn
from storage.db import create_engine, session_factory, session_scope
from storage.models import CrisisAlert, OutboxMessage, OutboxStatus, Patient, PatientStatus
from tests.conftest import TEST_DATABASE_URL
from tests.processes import KEY, TOKEN, Fleet

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="several instances need PostgreSQL")

CHECKINS = int(os.environ.get("MOODBOT_FLEET_CHECKINS", "2000"))
FIRST_CHAT = 200_000
STAFF_CHAT = -100_555
CLINIC = f"""
[clinic]
name = "Fleet Clinic"
timezone = "UTC"
country = "US"
staff_chat_id = {STAFF_CHAT}

[safety]
ack_minutes = 1
"""


async def seed_patients(url: str, count: int, now: datetime) -> None:
    """Active patients whose check-in fell due two minutes ago (the planner in the instances plans them)."""
    due = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    engine = create_engine(url, encryption_key=KEY)
    try:
        async with session_scope(session_factory(engine)) as session:
            session.add_all(patient(n, due, now) for n in range(count))
    finally:
        await engine.dispose()


def patient(number: int, due: dt_time, now: datetime) -> Patient:
    return Patient(
        display_name=f"Patient {number}", telegram_user_id=FIRST_CHAT + number, telegram_chat_id=FIRST_CHAT + number,
        timezone="UTC", checkin_time=due, country="US", language="en", status=PatientStatus.ACTIVE,
        created_at=now - timedelta(days=1), enrolled_at=now - timedelta(days=1),
    )  # fmt: skip


async def database_figure(url: str, query: object) -> int:
    engine = create_engine(url, encryption_key=KEY)
    try:
        async with session_scope(session_factory(engine)) as session:
            return int(await session.scalar(query) or 0)  # type: ignore[call-overload]
    finally:
        await engine.dispose()


def checkins(standin: BotApiStandIn) -> list[SentMessage]:
    return [m for m in standin.all_sent() if FIRST_CHAT <= m.chat_id < FIRST_CHAT + CHECKINS and m.reply_markup]


def busiest_second(messages: list[SentMessage]) -> int:
    times = sorted(m.sent_at for m in messages)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= timedelta(seconds=1):
            start += 1
        most = max(most, end - start + 1)
    return most


async def until(condition: object, timeout: float, what: str, every: float = 0.5) -> None:  # noqa: ASYNC109
    """Polled gently: the stand-in shares this process, and a busy poll would delay what it records."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


async def test_two_instances_deliver_every_checkin_once_at_the_shared_pace_through_a_crash(
    database_url: str, tmp_path: Path
) -> None:
    (tmp_path / "clinic.toml").write_text(CLINIC)
    await seed_patients(database_url, CHECKINS, datetime.now(UTC))
    async with BotApiStandIn(token=TOKEN) as standin:
        fleet = Fleet(
            standin, database_url, tmp_path, 2,
            CLINIC_CONFIG=str(tmp_path / "clinic.toml"), DISPATCH_INTERVAL_SECONDS="1", LOG_LEVEL="INFO",
        )  # fmt: skip
        try:
            await asyncio.gather(fleet.start(0), fleet.start(1))
            await until(lambda: len(checkins(standin)) >= CHECKINS // 4, 120, "the fan-out to begin")

            # A crisis in the middle of the fan-out: the reply and the staff alert do not queue behind it.
            crisis_chat = FIRST_CHAT + CHECKINS - 1
            before = len(standin.sent(STAFF_CHAT))
            began = time.monotonic()
            await standin.send_text(crisis_chat, "I am going to kill myself tonight")
            await until(lambda: any("988" in (m.text or "") for m in standin.sent(crisis_chat)), 10, "reply", 0.01)
            reply_seconds = time.monotonic() - began
            await until(lambda: len(standin.sent(STAFF_CHAT)) > before, 10, "staff alert", 0.01)
            alert_seconds = time.monotonic() - began

            await fleet.kill(0)
            in_flight = await database_figure(
                database_url, select(func.count()).where(OutboxMessage.status == OutboxStatus.SENDING)
            )
            await until(
                lambda: len({m.chat_id for m in checkins(standin)}) == CHECKINS, CHECKINS / 20 + 90, "every check-in"
            )
            # The open alert (nobody acknowledges it) is repeated by the survivor after ack_minutes.
            alerts_sent = len(standin.sent(STAFF_CHAT))
            await until(lambda: len(standin.sent(STAFF_CHAT)) > alerts_sent, 90, "the alert's repeat")
            survivor_log = fleet.log(1).read_text()
        finally:
            await fleet.stop_all()
    sent = checkins(standin)
    per_chat = Counter(m.chat_id for m in sent)
    duplicates = sum(n - 1 for n in per_chat.values())
    print(
        f"\nfleet: {CHECKINS} due, {len(sent)} sent, {len(per_chat)} delivered, {CHECKINS - len(per_chat)} lost, "
        f"{duplicates} duplicated ({in_flight} in flight at the kill); busiest second {busiest_second(sent)}; "
        f"crisis reply {reply_seconds * 1000:.0f} ms, staff alert {alert_seconds * 1000:.0f} ms"
    )
    assert len(per_chat) == CHECKINS  # nothing lost
    assert duplicates <= in_flight
    assert busiest_second(sent) <= 30
    assert reply_seconds < 2 and alert_seconds < 2
    assert "holds the planner role" in survivor_log or "holds the planner role" in fleet.log(0).read_text()
    assert TOKEN not in survivor_log and "kill myself" not in survivor_log
    open_alerts = await database_figure(database_url, select(func.count()).where(CrisisAlert.acknowledged_at.is_(None)))
    assert open_alerts == 1
