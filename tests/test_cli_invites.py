"""`moodbot patients add` before the bot has ever run: the invite link names the bot Telegram says it is."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.local import TOKEN
from bot.standin.server import BotApiStandIn


async def add_patient(cli: CliRunner, name: str) -> dict[str, object]:
    # The command runs its own event loop in a worker thread while the stand-in answers on this one.
    result = await asyncio.to_thread(cli.invoke, app, ["patients", "add", "--name", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


async def test_the_link_names_the_bot_from_getme_and_remembers_it(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    async with BotApiStandIn(token=TOKEN, bot_username="riverside_care_bot") as standin:
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", standin.base_url)
        ana = await add_patient(cli, "Ana")
    assert ana["bot_username_known"] is True
    assert ana["invite_link"] == f"https://t.me/riverside_care_bot?start={ana['invite_code']}"
    # Telegram is gone now: the name it gave is kept in the database for the next invite.
    ben = await add_patient(cli, "Ben")
    assert ben["invite_link"] == f"https://t.me/riverside_care_bot?start={ben['invite_code']}"


async def test_without_an_answer_from_telegram_the_invite_is_made_with_a_note(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{port}/bot")
    result = await asyncio.to_thread(cli.invoke, app, ["patients", "add", "--name", "Ana"])
    assert result.exit_code == 0, result.output
    assert "https://t.me/<bot>?start=" in result.stdout
    assert "the bot's username is not known yet" in result.stderr and "Traceback" not in result.output
    assert TOKEN not in result.output
