"""The whole bot with its learned layer: start-up, resident memory, and crisis replies under a backlog.

Run: python bench/bot_footprint.py [--messages 200] [--backlog 2000]

Starts the real bot against the built-in stand-in (real HTTP, SQLite in a temporary folder), loads the crisis
model as `moodbot run` does, then measures:
* the time to load the model, and the process's resident memory once everything is up (VmRSS, and VmHWM, the peak);
* the time from a patient's crisis message to the bot's reply (p50, p99), each sent while `--backlog` scheduled
  messages are being dispatched.
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

from bot.clinic import load_clinic_config
from bot.local import LocalBot
from storage import outbox
from storage.migrate import upgrade
from tests.factories import enrol

CLINIC = """
[clinic]
name = "Bench Clinic"
timezone = "America/New_York"
country = "US"
staff_chat_id = -100123
"""


def memory() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


async def main(url: str, folder: Path, messages: int, backlog: int) -> None:
    began = time.perf_counter()
    async with LocalBot(
        database_url=url, clinic=load_clinic_config(folder / "clinic.toml"), start=datetime.now(UTC)
    ) as bot:
        print(f"bot up with the learned layer in {time.perf_counter() - began:.2f} s")
        rss = memory()
        print(f"resident memory: {rss['VmRSS']:.0f} MB now, {rss['VmHWM']:.0f} MB at the peak")
        patient = await enrol(bot, 5001)
        now = bot.clock.now()
        payload = {"key": "staff.blocked", "patient_id": patient.id}
        async with bot.runtime.session() as session:
            for start in range(0, backlog, 500):
                rows = [
                    outbox.Planned(key=f"b:{n}", kind="staff_notice", due_at=now, chat_id=900000 + n, payload=payload)
                    for n in range(start, min(backlog, start + 500))
                ]
                await outbox.enqueue(session, rows, now=now)
        dispatching = asyncio.create_task(_drain(bot))
        times = []
        for number in range(messages):
            sent = len(bot.standin.sent(5001))
            began = time.perf_counter()
            await bot.standin.send_text(5001, f"I want to die ({number})")
            await bot.standin.wait_for_messages(5001, sent + 1)
            times.append((time.perf_counter() - began) * 1000)
        dispatching.cancel()
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"crisis reply, message in to reply out, over {messages} messages with {backlog} scheduled waiting: "
            f"median {statistics.median(times):.0f} ms, p99 {p99:.0f} ms, max {times[-1]:.0f} ms"
        )
        print(f"resident memory after the run: {memory()['VmRSS']:.0f} MB (peak {memory()['VmHWM']:.0f} MB)")


async def _drain(bot: LocalBot) -> None:
    while True:
        await bot.dispatch()
        await asyncio.sleep(0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--backlog", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    (folder / "clinic.toml").write_text(CLINIC)
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    upgrade(url)
    asyncio.run(main(url, folder, args.messages, args.backlog))
