"""`moodbot run` as real processes pointed at the stand-in: one, or several behind the stand-in as load balancer."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp

from bot.standin.server import BotApiStandIn

TOKEN = "987654321:RUN-TEST-TOKEN-abcdefghijklmnopqrstu"
KEY = "run-test"
WEBHOOK_SECRET = "fleet-secret-header"


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
