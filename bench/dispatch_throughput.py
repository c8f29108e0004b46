"""How many check-ins a minute the dispatcher delivers to the stand-in.

Run: python bench/dispatch_throughput.py [patients] [--postgres URL]
Prints the rate with Telegram's real limits (about 30 messages a second in all) and with pacing switched off,
which shows what the dispatcher and database themselves can do.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from bot.clinic import load_clinic_config
from bot.local import LocalBot
from bot.sender import Limits
from storage.migrate import upgrade
from storage.models import Base, Patient, PatientStatus

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
UNLIMITED = Limits(
    global_per_second=1e9, global_burst=1e9, private_per_second=1e9, private_burst=1e9,
    group_per_minute=1e9, group_burst=1e9,
)  # fmt: skip


async def measure(url: str, patients: int, limits: Limits | None) -> tuple[float, int]:
    clinic = load_clinic_config(None)
    async with LocalBot(
        database_url=url, clinic=clinic, start=START, limits=limits or Limits(), real_pacing=True
    ) as bot:
        async with bot.runtime.session() as session:
            for table in reversed(Base.metadata.sorted_tables):  # a shared PostgreSQL database starts empty
                await session.execute(table.delete())
        async with bot.runtime.session() as session:
            session.add_all(
                Patient(
                    display_name=f"P{i}",
                    telegram_user_id=10_000 + i,
                    telegram_chat_id=10_000 + i,
                    timezone="UTC",
                    checkin_time=clock_time(12, 5),
                    country="US",
                    language="en",
                    status=PatientStatus.ACTIVE,
                    created_at=START,
                    enrolled_at=START,
                )
                for i in range(patients)
            )
        await bot.plan()
        bot.clock.advance(timedelta(minutes=5))
        sent = 0
        began = time.perf_counter()
        while sent < patients:
            report = await bot.dispatch()
            sent += report.get("sent", 0)
            if not report:
                break
        elapsed = time.perf_counter() - began
        return elapsed, sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("patients", type=int, nargs="?", default=600)
    parser.add_argument("--postgres", help="a postgresql+asyncpg:// URL of an empty database to use")
    args = parser.parse_args()
    for label, limits in (("Telegram limits", None), ("no pacing", UNLIMITED)):
        with tempfile.TemporaryDirectory() as folder:
            url = args.postgres or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            elapsed, sent = asyncio.run(measure(url, args.patients, limits))
        print(
            f"{label:16s} {'postgres' if args.postgres else 'sqlite':8s} {sent} check-ins in {elapsed:.2f} s"
            f" = {sent / elapsed * 60:,.0f} a minute ({sent / elapsed:.1f}/s)"
        )


if __name__ == "__main__":
    main()
