"""`moodbot run` as real processes pointed at the stand-in (one, or several behind the stand-in as load balancer),
a roster of patients with a check-in due, and what to measure of what reached the stand-in."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import aiohttp

from bot.standin.models import SentMessage
from bot.standin.server import BotApiStandIn
from storage.db import create_engine, session_factory, session_scope
from storage.models import Patient, PatientStatus

TOKEN = "987654321:RUN-TEST-TOKEN-abcdefghijklmnopqrstu"
KEY = "run-test"
WEBHOOK_SECRET = "fleet-secret-header"
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


async def start_bot(
    standin: BotApiStandIn, database_url: str, folder: Path, *args: str, log: Path | None = None, **settings: str
) -> asyncio.subprocess.Process:
    """`python -m bot run …` as its own process. Its log goes to `log` when given (a long run would fill a pipe)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "DATABASE_URL": database_url,
        "MOODBOT_ENCRYPTION_KEY": KEY,
        "MOODBOT_HOME": str(folder),
        "CONSOLE_PORT": "0",
        **settings,
    }
    stderr = log.open("ab") if log is not None else asyncio.subprocess.PIPE
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", *args,
            cwd=folder, env=env, stdout=asyncio.subprocess.PIPE if log is None else asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
    finally:
        if log is not None:
            stderr.close()  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Fleet:
    """N webhook instances sharing one database; the stand-in delivers each update to one of them."""

    def __init__(self, standin: BotApiStandIn, database_url: str, folder: Path, size: int, **settings: str) -> None:
        self.standin, self.database_url, self.folder, self.settings = standin, database_url, folder, settings
        self.ports = [free_port() for _ in range(size)]
        self.processes: list[asyncio.subprocess.Process | None] = [None] * size
        standin.balance([f"http://127.0.0.1:{port}" for port in self.ports])

    def log(self, number: int) -> Path:
        return self.folder / f"instance-{number}.log"

    async def start(self, number: int) -> None:
        port = self.ports[number]
        self.processes[number] = await start_bot(
            self.standin, self.database_url, self.folder, "--webhook", log=self.log(number),
            WEBHOOK_URL="http://127.0.0.1:9/telegram", WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), **self.settings,
        )  # fmt: skip
        await self.wait_healthy(number)

    async def wait_healthy(self, number: int, timeout: float = 60) -> None:  # noqa: ASYNC109
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as client:
            while True:
                process = self.processes[number]
                if process is not None and process.returncode is not None:
                    raise AssertionError(f"instance {number} exited: {self.log(number).read_text()[-3000:]}")
                try:
                    async with client.get(f"http://127.0.0.1:{self.ports[number]}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"instance {number} never came up: {self.log(number).read_text()[-3000:]}")
                await asyncio.sleep(0.2)

    async def kill(self, number: int) -> None:
        """As a crash would: SIGKILL, no goodbye."""
        process = self.processes[number]
        assert process is not None
        process.kill()
        await process.wait()

    async def stop_all(self) -> None:
        for process in self.processes:
            if process is not None and process.returncode is None:
                process.terminate()
        for process in self.processes:
            if process is not None and process.returncode is None:
                try:
                    await asyncio.wait_for(process.wait(), timeout=30)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def seed_patients(url: str, count: int, now: datetime, *, key: str = KEY) -> None:
    """Active patients whose check-in fell due two minutes ago (the planner in the instances plans them)."""
    due = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    engine = create_engine(url, encryption_key=key)
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


def checkins(standin: BotApiStandIn, count: int) -> list[SentMessage]:
    """The check-ins (messages with buttons) the first `count` seeded patients were sent, repeats included."""
    return [m for m in standin.all_sent() if FIRST_CHAT <= m.chat_id < FIRST_CHAT + count and m.reply_markup]


def delivered(standin: BotApiStandIn, count: int) -> int:
    """How many of the first `count` seeded patients have had their check-in."""
    return len({m.chat_id for m in checkins(standin, count)})


def busiest_second(messages: list[SentMessage]) -> int:
    times = sorted(m.sent_at for m in messages)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= timedelta(seconds=1):
            start += 1
        most = max(most, end - start + 1)
    return most


async def until(
    condition: object,
    timeout: float,  # noqa: ASYNC109 - a deadline for a condition, not for one call
    what: str,
    every: float = 0.5,
    *,
    fleet: Fleet | None = None,
) -> None:
    """Polled gently: the stand-in shares this process, and a busy poll would delay what it records. On a timeout
    the end of each instance's log says why."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            ports = fleet.ports if fleet is not None else []
            logs = "".join(f"\n--- instance {n}:\n{fleet.log(n).read_text()[-2000:]}" for n in range(len(ports)))  # type: ignore[union-attr]
            raise AssertionError(f"timed out waiting for {what}{logs}")
        await asyncio.sleep(every)
