"""`moodbot run` as a process, as an operator watches it: JSON log lines and the figures on /metrics."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.standin.server import BotApiStandIn
from tests.processes import TOKEN, free_port, start_bot

USER = 8101
WORDS = "I don't want to be alive anymore"


def samples(page: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


async def test_json_logs_and_metrics_of_a_running_bot(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    async with BotApiStandIn(token=TOKEN) as standin:
        process = await start_bot(standin, database_url, tmp_path, LOG_FORMAT="json", CONSOLE_PORT=str(port))
        try:
            await standin.wait_for(lambda: standin.commands or None, timeout=30)
            await standin.send_text(USER, WORDS)
            await standin.wait_for_messages(USER, 1, timeout=30)
            async with aiohttp.ClientSession() as client:
                for _ in range(100):  # the update's time is recorded once its handlers are done
                    page = await (await client.get(f"http://127.0.0.1:{port}/metrics")).text()
                    figures = samples(page)
                    if figures.get(("moodbot_update_seconds_count", frozenset())):
                        break
                    await asyncio.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert figures[("moodbot_database_up", frozenset())] == 1
    assert figures[("moodbot_update_seconds_count", frozenset())] >= 1
    assert figures[("moodbot_crisis_verdicts_total", frozenset({("tier", "ideation")}))] == 1
    assert figures[("moodbot_telegram_sends_total", frozenset({("outcome", "sent")}))] >= 1

    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    lines = [json.loads(line) for line in log.splitlines()]  # every line is one JSON object
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert TOKEN not in log and TOKEN.split(":")[1] not in log and WORDS not in log
