"""Several `moodbot run --webhook` processes on one PostgreSQL database, proven with real processes and a crash.

The stand-in is Telegram and the load balancer: updates go to any instance, an instance that dies is passed over.
2,000 check-ins at the shared pace take about 80 seconds, so `MOODBOT_FLEET_CHECKINS` can make the run smaller.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.standin.server import BotApiStandIn
from storage.models import CrisisAlert, OutboxMessage, OutboxStatus
from tests.conftest import TEST_DATABASE_URL
from tests.processes import (
    CLINIC,
    FIRST_CHAT,
    STAFF_CHAT,
    TOKEN,
    Fleet,
    busiest_second,
    checkins,
    database_figure,
    seed_patients,
    until,
)

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="several instances need PostgreSQL")

CHECKINS = int(os.environ.get("MOODBOT_FLEET_CHECKINS", "2000"))


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
            await until(
                lambda: len(checkins(standin, CHECKINS)) >= CHECKINS // 4, 120, "the fan-out to begin", fleet=fleet
            )

            # A crisis in the middle of the fan-out: the reply and the staff alert do not queue behind it.
            crisis_chat = FIRST_CHAT + CHECKINS - 1
            before = len(standin.sent(STAFF_CHAT))
            began = time.monotonic()
            await standin.send_text(crisis_chat, "I am going to kill myself tonight")
            await until(
                lambda: any("988" in (m.text or "") for m in standin.sent(crisis_chat)), 10, "reply", 0.01, fleet=fleet
            )
            reply_seconds = time.monotonic() - began
            await until(lambda: len(standin.sent(STAFF_CHAT)) > before, 10, "staff alert", 0.01, fleet=fleet)
            alert_seconds = time.monotonic() - began

            await fleet.kill(0)
            in_flight = await database_figure(
                database_url, select(func.count()).where(OutboxMessage.status == OutboxStatus.SENDING)
            )
            await until(
                lambda: len({m.chat_id for m in checkins(standin, CHECKINS)}) == CHECKINS, CHECKINS / 20 + 90, "all"
            )
            # The open alert (nobody acknowledges it) is repeated by the survivor after ack_minutes.
            alerts_sent = len(standin.sent(STAFF_CHAT))
            await until(lambda: len(standin.sent(STAFF_CHAT)) > alerts_sent, 90, "the alert's repeat", fleet=fleet)
            survivor_log = fleet.log(1).read_text()
        finally:
            await fleet.stop_all()
    sent = checkins(standin, CHECKINS)
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
