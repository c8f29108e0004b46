"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when TEST_DATABASE_URL says so),
the clinic file, and the real bot running against the stand-in on a manual clock."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url
from typer.testing import CliRunner

from bot.clinic import ClinicConfig, load_clinic_config
from bot.local import LocalBot
from storage.migrate import upgrade
from storage.models import Base

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning, before any DST change


@pytest.fixture(autouse=True)
def _logging_put_back() -> Iterator[None]:
    """`configure_logging` (a test of it, `moodbot run` or `demo` run in-process) sets up logging for the whole
    process: its handler writes to that test's stderr, which is closed once the test ends, and every later test's
    log line then prints a "Logging error" traceback into whatever that test captures. Undo it after each test."""
    root = logging.getLogger()
    handlers, level, showwarning = list(root.handlers), root.level, warnings.showwarning
    levels = {name: lg.level for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    yield
    for handler in list(root.handlers):
        if handler not in handlers and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)
    if warnings.showwarning is not showwarning:
        logging.captureWarnings(False)


@pytest.fixture(autouse=True)
def _data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the real user data folder (the default home of the database and the key)."""
    monkeypatch.setenv("MOODBOT_HOME", str(tmp_path / "moodbot-home"))


@pytest.fixture(scope="session")
def _database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated once per run; each test gets a copy (SQLite) or an emptied database (PostgreSQL)."""
    if not TEST_DATABASE_URL:
        path = tmp_path_factory.mktemp("db") / "template.db"
        upgrade(f"sqlite+aiosqlite:///{path}")
        yield str(path)
        return
    base = make_url(TEST_DATABASE_URL)
    name = f"moodbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_execute(base, f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    try:
        yield url
    finally:
        asyncio.run(_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _execute(url: URL, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password, database=url.database or "postgres",
    )  # fmt: skip
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
async def database_url(_database_template: str, tmp_path: Path) -> AsyncIterator[str]:
    if not TEST_DATABASE_URL:
        path = tmp_path / "moodbot.db"
        shutil.copy(_database_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    await _truncate(_database_template)
    yield _database_template


async def _truncate(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    # Every test shares this database: a planner or sweeper role (a session advisory lock) still held by an
    # earlier test's connection would keep this test's instances from ever planning.
    await _execute(
        make_url(url),
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    await _execute(make_url(url), f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


CLINIC_TOML = """
[clinic]
name = "Riverside Ketamine Clinic"
timezone = "America/New_York"
country = "US"
staff_chat_id = -1001234567890
checkin_time = "20:00"

[safety]
ack_minutes = 15
max_realerts = 3
fallback_chat_id = 7777
"""


@pytest.fixture
def clinic(tmp_path: Path) -> ClinicConfig:
    path = tmp_path / "clinic.toml"
    path.write_text(CLINIC_TOML)
    return load_clinic_config(path)


@pytest.fixture
async def bot(database_url: str, clinic: ClinicConfig) -> AsyncIterator[LocalBot]:
    async with LocalBot(database_url=database_url, clinic=clinic, start=START) as local:
        yield local


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The command line in-process, in an empty folder with its own SQLite database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("MOODBOT_ENCRYPTION_KEY", "test")
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "riverside_bot")
    monkeypatch.delenv("CLINIC_CONFIG", raising=False)
    return CliRunner()
