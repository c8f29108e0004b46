"""The planner's tick at 1k, 10k and 100k patients: its work follows whose turn came, not the roster.

Run: python bench/planner_scale.py [--postgres URL] [--sizes 1000 10000 100000]

For each roster size: the first planning of everyone (spread over ticks of at most 20,000 patients), then the
steady state, where each patient's next look falls somewhere in the next six hours as it does in a running
clinic: a tick with nobody's turn, a tick where 100 patients' turn has come, and the average tick (the roster's
share of one minute). The PostgreSQL database given must be empty and migrated; it is emptied for each size.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.progress import Progress
from sqlalchemy import insert, text, update

from bot.app import PLAN_BATCH, plan_due
from bot.clinic import load_clinic_config
from bot.local import LocalBot
from bot.patients import LOOK_AGAIN
from storage.migrate import upgrade
from storage.models import Base, Patient, PatientStatus

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def row(number: int) -> dict[str, object]:
    return {
        "display_name": f"P{number}", "telegram_user_id": 1_000_000 + number, "telegram_chat_id": 1_000_000 + number,
        "timezone": "America/New_York", "checkin_time": dt_time(20, 0), "country": "US", "language": "en",
        "status": PatientStatus.ACTIVE, "created_at": START, "enrolled_at": START - timedelta(days=3),
    }  # fmt: skip


async def seed(bot: LocalBot, size: int, progress: Progress) -> None:
    async with bot.runtime.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())
    task = progress.add_task(f"adding {size:,} patients", total=size)
    for start in range(0, size, 2000):
        rows = [row(n) for n in range(start, min(size, start + 2000))]
        async with bot.runtime.session() as session:
            await session.execute(insert(Patient), rows)
        progress.advance(task, len(rows))


async def timed_tick(bot: LocalBot) -> tuple[float, int]:
    began = time.perf_counter()
    planned = await plan_due(bot.runtime)
    return (time.perf_counter() - began) * 1000, planned


async def spread_looks(bot: LocalBot, size: int, due_now: int) -> None:
    """Next looks spread over six hours, as in a running clinic; `due_now` patients' turn has just come."""
    now = bot.clock.now()
    async with bot.runtime.session() as session:
        for start in range(0, size, 5000):
            ids = range(start + 1, min(size, start + 5000) + 1)
            await session.execute(
                update(Patient),
                [
                    {"id": i, "next_plan_at": now + timedelta(seconds=random.uniform(60, LOOK_AGAIN.total_seconds()))}
                    for i in ids
                ],
            )
        await session.execute(update(Patient).where(Patient.id <= due_now).values(next_plan_at=now))
    if bot.engine is not None and bot.engine.dialect.name == "postgresql":
        # Rewriting the whole roster at once leaves a dead index entry per patient, which every tick would visit
        # until autovacuum's next round; a running clinic changes a few rows a minute, so vacuum as it would.
        async with bot.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE patients"))


async def measure(url: str, size: int, progress: Progress) -> dict[str, float]:
    async with LocalBot(database_url=url, clinic=load_clinic_config(None), start=START, learned_layer=False) as bot:
        await seed(bot, size, progress)
        began = time.perf_counter()
        while (await timed_tick(bot))[1]:
            pass
        first = time.perf_counter() - began
        figures = {"first planning s": first}
        idle, hundred = [], []
        for _ in range(5):
            await spread_looks(bot, size, 0)
            idle.append((await timed_tick(bot))[0])
            await spread_looks(bot, size, 100)
            hundred.append((await timed_tick(bot))[0])
        figures["nobody due ms"] = statistics.median(idle)
        figures["100 due ms"] = statistics.median(hundred)
        per_minute = max(1, round(size / (LOOK_AGAIN.total_seconds() / 60)))
        averages = []
        for _ in range(5):
            await spread_looks(bot, size, per_minute)
            averages.append((await timed_tick(bot))[0])
        figures["average tick ms"] = statistics.median(averages)
        figures["patients a tick"] = per_minute
        return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a postgresql+asyncpg:// URL of an empty, migrated database")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    results = {}
    with Progress() as progress:
        for size in args.sizes:
            url = args.postgres
            if url is None:
                url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'planner.db'}"
                upgrade(url)
            results[size] = asyncio.run(measure(url, size, progress))
    print(f"planner on {'PostgreSQL' if args.postgres else 'SQLite'} (batch {PLAN_BATCH}):")
    for size, figures in results.items():
        print(
            f"  {size:>7,} patients: first planning {figures['first planning s']:.1f} s; tick with nobody due "
            f"{figures['nobody due ms']:.1f} ms, with 100 due {figures['100 due ms']:.1f} ms, average "
            f"({figures['patients a tick']:.0f} due) {figures['average tick ms']:.1f} ms"
        )
    smallest, largest = min(results), max(results)
    for name in ("nobody due ms", "100 due ms"):
        print(f"  ratio {largest:,}/{smallest:,} for '{name}': {results[largest][name] / results[smallest][name]:.2f}")


if __name__ == "__main__":
    main()
