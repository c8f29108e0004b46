"""`moodbot doctor`: what the set-up has, asked of the database, the model and Telegram (the stand-in)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.local import TOKEN
from bot.standin.server import BotApiStandIn

STAFF_CHAT = -1009876
FALLBACK = -1005555


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clinic.toml").write_text(
        f'[clinic]\nname = "Doctor Clinic"\nstaff_chat_id = {STAFF_CHAT}\n[safety]\nfallback_chat_id = {FALLBACK}\n'
    )
    monkeypatch.delenv("CLINIC_CONFIG", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/doctor.db")
    monkeypatch.setenv("MOODBOT_ENCRYPTION_KEY", "doctor-key")
    return CliRunner()


def checks(output: str) -> dict[str, str]:
    return {check["name"]: check["status"] for check in json.loads(output)["checks"]}


def test_an_unmigrated_database_degrades_the_crisis_path(env: CliRunner) -> None:
    result = env.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["degraded"] is True
    assert checks(result.stdout)["database"] == "fail"
    assert env.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = env.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.stdout
    found = checks(result.stdout)
    assert found["database"] == found["encryption key"] == found["detector model"] == found["settings"] == "ok"
    assert found["staff chats"] == "warn"  # no token: Telegram not asked


def test_a_key_that_cannot_read_the_journal_fails(env: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.invoke(app, ["patients", "add", "--name", "Ana"]).exit_code == 0
    asyncio.run(_write_journal(Path.cwd() / "doctor.db"))
    monkeypatch.setenv("MOODBOT_ENCRYPTION_KEY", "another-key")
    result = env.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1 and checks(result.stdout)["encryption key"] == "fail"


async def _write_journal(path: Path) -> None:
    from datetime import UTC, datetime

    from storage.db import create_engine, session_factory, session_scope
    from storage.models import JournalEntry

    engine = create_engine(f"sqlite+aiosqlite:///{path}", encryption_key="doctor-key")
    async with session_scope(session_factory(engine)) as session:
        session.add(JournalEntry(patient_id=1, text="hello", telegram_message_id=1, created_at=datetime.now(UTC)))
    await engine.dispose()


def test_a_model_that_cannot_load_fails(env: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    env.invoke(app, ["db", "upgrade"])
    monkeypatch.setattr("bot.cli.doctor.load_packaged", lambda: None)
    result = env.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "detector model" in result.stdout and "degraded" in result.stdout


def test_bad_settings_are_one_failed_check(env: CliRunner) -> None:
    Path("clinic.toml").write_text('[clinic]\ntimezone = "Mars/Base"\n')
    result = env.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1 and checks(result.stdout) == {"settings": "fail"}


@pytest.fixture
async def standin(env: CliRunner, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn(token=TOKEN) as server:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", server.base_url)
        upgraded = await asyncio.to_thread(env.invoke, app, ["db", "upgrade"])
        assert upgraded.exit_code == 0
        yield server


async def doctor(env: CliRunner) -> tuple[int, dict[str, str]]:
    # The command runs its own event loop in a worker thread while the stand-in answers on this one.
    result = await asyncio.to_thread(env.invoke, app, ["doctor", "--json"])
    return result.exit_code, checks(result.stdout)


async def test_reachable_staff_chat_and_fallback(env: CliRunner, standin: BotApiStandIn) -> None:
    code, found = await doctor(env)
    assert code == 0 and found["staff chat"] == found["fallback"] == "ok"


async def test_a_missing_staff_chat_with_a_working_fallback_is_a_warning(
    env: CliRunner, standin: BotApiStandIn
) -> None:
    standin.forget_chat(STAFF_CHAT)
    code, found = await doctor(env)
    assert code == 0 and (found["staff chat"], found["fallback"]) == ("warn", "ok")


async def test_no_chat_an_alert_could_reach_fails(env: CliRunner, standin: BotApiStandIn) -> None:
    standin.forget_chat(STAFF_CHAT)
    standin.block_chat(FALLBACK)  # the bot was removed from the group
    code, found = await doctor(env)
    assert code == 1 and (found["staff chat"], found["fallback"]) == ("fail", "fail")


async def test_a_person_as_the_staff_chat_is_a_warning(env: CliRunner, standin: BotApiStandIn) -> None:
    await standin.send_text(4242, "hello")
    clinic = f"[clinic]\nstaff_chat_id = 4242\n[safety]\nfallback_chat_id = {FALLBACK}\n"
    await asyncio.to_thread(Path("clinic.toml").write_text, clinic)
    code, found = await doctor(env)
    assert code == 0 and found["staff chat"] == "warn"
