"""`moodbot run` as a process: it serves the stand-in, keeps the token and patients' words out of its log,
and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.standin.server import BotApiStandIn
from storage.db import is_sqlite
from tests.processes import TOKEN, free_port, start_bot

USER = 8001


async def test_run_serves_and_stops_cleanly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    async with BotApiStandIn(token=TOKEN) as standin:
        process = await start_bot(
            standin, database_url, tmp_path, LOG_LEVEL="DEBUG", DISPATCH_INTERVAL_SECONDS="1", CONSOLE_PORT=str(port)
        )
        try:
            await standin.wait_for(lambda: standin.commands or None, timeout=30)
            await standin.send_text(USER, "my very private words")
            [reply] = await standin.wait_for_messages(USER, 1, timeout=30)
            assert "patients of" in reply.text
            async with aiohttp.ClientSession() as client:
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                assert health.status == 200 and "frame-ancestors 'none'" in health.headers["content-security-policy"]
                front = await client.get(f"http://127.0.0.1:{port}/", allow_redirects=False)
                assert front.status == 303 and front.headers["location"] == "/signin"
                for _ in range(100):  # ready once the learned layer has loaded in the background
                    ready = await client.get(f"http://127.0.0.1:{port}/readyz")
                    if ready.status == 200:
                        break
                    await asyncio.sleep(0.1)
                assert ready.status == 200, await ready.text()
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "my very private words" not in log
    assert "Traceback" not in log


async def test_webhook_mode_checks_the_secret_and_serves(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    async with BotApiStandIn(token=TOKEN) as standin:
        process = await start_bot(
            standin, database_url, tmp_path, "--webhook",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram", WEBHOOK_SECRET="s3cret-header-value",
            WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
        )  # fmt: skip
        try:
            await standin.wait_for(lambda: standin.webhook_url or None, timeout=30)
            await standin.send_text(USER, "hello over the webhook")
            [reply] = await standin.wait_for_messages(USER, 1, timeout=30)
            assert "patients of" in reply.text
            async with aiohttp.ClientSession() as client:
                forged = await client.post(f"http://127.0.0.1:{port}/telegram", json={"update_id": 99})
                assert forged.status == 403
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert TOKEN not in stderr.decode()


async def test_a_second_run_on_one_sqlite_file_is_refused_in_one_line(database_url: str, tmp_path: Path) -> None:
    if not is_sqlite(database_url):
        pytest.skip("PostgreSQL takes several instances (tests/e2e/test_instances.py)")
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    async with BotApiStandIn(token=TOKEN) as standin:
        first = await start_bot(standin, database_url, tmp_path / "first")
        try:
            await standin.wait_for(lambda: standin.commands or None, timeout=30)
            second = await start_bot(standin, database_url, tmp_path / "second")
            _, stderr = await asyncio.wait_for(second.communicate(), timeout=60)
            assert first.returncode is None, "the first instance must keep running"
        finally:
            first.kill()
            await first.wait()
    message = stderr.decode()
    assert second.returncode == 2, message[-2000:]
    assert "already running" in message and "PostgreSQL" in message and "Traceback" not in message
    assert len(message.strip().splitlines()) == 1, message


async def test_a_console_port_in_use_is_one_clear_line(database_url: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        async with BotApiStandIn(token=TOKEN) as standin:
            process = await start_bot(standin, database_url, tmp_path, CONSOLE_PORT=str(port))
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in stderr.decode() and "Traceback" not in stderr.decode()


async def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in stderr.decode() and "Traceback" not in stderr.decode()
    assert stdout == b""


async def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://example.invalid/telegram"}
    env.pop("WEBHOOK_SECRET", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode != 0 and "WEBHOOK_SECRET" in stderr.decode()
