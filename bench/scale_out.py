"""Real `moodbot run --webhook` processes on PostgreSQL, 1 and then 2 of them, with a fan-out of check-ins due.

Run: python bench/scale_out.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/DB [--checkins 2000]
     [--crises 20]

The database must be empty and migrated (`DATABASE_URL=… moodbot db upgrade`); it is emptied between runs.
Prints, per number of instances: delivered a second against the 30/s ceiling and the busiest one-second window,
the time from a patient's crisis message to the bot's reply and to the staff alert (p50, p99) while the
check-ins go out, and each instance's resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bot.standin.server import BotApiStandIn
from storage.db import create_engine
from storage.models import Base
from tests.processes import CLINIC, FIRST_CHAT, KEY, STAFF_CHAT, TOKEN, Fleet, busiest_second, seed_patients


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def empty(url: str) -> None:
    engine = create_engine(url, encryption_key=KEY)
    try:
        async with engine.begin() as connection:
            tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


async def run(url: str, instances: int, checkins: int, crises: int) -> None:
    await empty(url)
    folder = Path(tempfile.mkdtemp())
    (folder / "clinic.toml").write_text(CLINIC.replace("ack_minutes = 1", "ack_minutes = 30"))
    await seed_patients(url, checkins, datetime.now(UTC))
    chats = range(FIRST_CHAT, FIRST_CHAT + checkins)
    async with BotApiStandIn(token=TOKEN) as standin:
        fleet = Fleet(
            standin, url, folder, instances,
            CLINIC_CONFIG=str(folder / "clinic.toml"), DISPATCH_INTERVAL_SECONDS="1", LOG_LEVEL="WARNING",
        )  # fmt: skip
        try:
            await asyncio.gather(*(fleet.start(n) for n in range(instances)))

            def delivered() -> list:  # type: ignore[type-arg]
                return [m for m in standin.all_sent() if m.chat_id in chats and m.reply_markup]

            await standin.wait_for(delivered, timeout=120)
            began = time.monotonic()
            replies, alerts = [], []
            for number in range(crises):  # crisis messages from patients whose check-in is still to come
                chat = FIRST_CHAT + checkins - 1 - number
                staff_before = len(standin.sent(STAFF_CHAT))
                sent_at = time.monotonic()
                await standin.send_text(chat, "I am going to kill myself tonight")
                await standin.wait_for(lambda: any("988" in (m.text or "") for m in standin.sent(chat)))  # noqa: B023
                replies.append((time.monotonic() - sent_at) * 1000)
                await standin.wait_for(lambda: len(standin.sent(STAFF_CHAT)) > staff_before)  # noqa: B023
                alerts.append((time.monotonic() - sent_at) * 1000)
                await asyncio.sleep(1)
            memory = [resident_mb(process.pid) for process in fleet.processes if process is not None]
            while len({m.chat_id for m in delivered()}) < checkins:  # noqa: ASYNC110 - polled gently, see the test
                await asyncio.sleep(0.5)
            elapsed = time.monotonic() - began
        finally:
            await fleet.stop_all()
    sent = delivered()
    print(
        f"{instances} instance(s): {len(sent)} check-ins in {elapsed:.1f} s = {len(sent) / elapsed:.1f}/s "
        f"(ceiling 30/s, scheduled pace 25/s); busiest second {busiest_second(sent)}"
    )
    print(
        f"  crisis reply p50 {statistics.median(replies):.0f} ms, p99 {percentile(replies, 0.99):.0f} ms; "
        f"staff alert p50 {statistics.median(alerts):.0f} ms, p99 {percentile(alerts, 0.99):.0f} ms "
        f"({crises} crises during the fan-out)"
    )
    print(f"  resident memory per instance: {', '.join(f'{mb:.0f} MB' for mb in memory)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="a postgresql+asyncpg:// URL of a migrated database")
    parser.add_argument("--checkins", type=int, default=2000)
    parser.add_argument("--crises", type=int, default=20)
    args = parser.parse_args()
    for instances in (1, 2):
        asyncio.run(run(args.postgres, instances, args.checkins, args.crises))


if __name__ == "__main__":
    main()
