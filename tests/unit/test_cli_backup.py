"""`moodbot db backup PATH`: an online copy of the SQLite database, written whole, never over a file by accident."""

from __future__ import annotations

import json
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli.main import app
from storage.migrate import head_revision


def invoke(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(app, list(args))


def refused(cli: CliRunner, *args: str) -> str:
    """One line on stderr, a non-zero exit, no traceback; returns the line."""
    result = invoke(cli, *args)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), (result.stderr, result.exception)
    assert result.stdout == "" and "Traceback" not in result.stderr
    return " ".join(result.stderr.split())


def add_patient(cli: CliRunner, name: str) -> None:
    result = invoke(cli, "patients", "add", "--name", name, "--json")
    assert result.exit_code == 0, result.stderr


def test_a_backup_taken_while_the_database_is_being_written_opens_and_holds_the_rows(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_patient(cli, "Ana")
    (tmp_path / "backups").mkdir()
    # The bot in the middle of a write: the lock held, a change not yet committed.
    with closing(sqlite3.connect(tmp_path / "cli.db", isolation_level=None)) as bot:
        bot.execute("BEGIN IMMEDIATE")
        bot.execute("DELETE FROM patients")
        result = invoke(cli, "db", "backup", "backups/copy.db")
        bot.execute("ROLLBACK")
    assert result.exit_code == 0, result.stderr
    assert "backed up" in result.stderr and "encryption key" in result.stderr

    copy = tmp_path / "backups" / "copy.db"
    assert [p.name for p in copy.parent.iterdir()] == ["copy.db"]  # no temporary file left behind
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, nothing beside it
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{copy}")
    listed = invoke(cli, "patients", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [p["name"] for p in json.loads(listed.stdout)] == ["Ana"]  # the bot's own reading, key and all


def test_an_existing_file_is_replaced_only_with_force(cli: CliRunner, tmp_path: Path) -> None:
    add_patient(cli, "Ana")
    target = tmp_path / "copy.db"
    target.write_text("last week's backup")
    line = refused(cli, "db", "backup", str(target))
    assert "exists" in line and "--force" in line
    assert target.read_text() == "last week's backup"

    assert invoke(cli, "db", "backup", str(target), "--force").exit_code == 0
    with closing(sqlite3.connect(target)) as db:
        assert db.execute("SELECT count(*) FROM patients").fetchone() == (1,)
    assert "database itself" in refused(cli, "db", "backup", "cli.db", "--force")


def test_mistakes_are_one_line(cli: CliRunner, tmp_path: Path) -> None:
    assert "no database" in refused(cli, "db", "backup", "copy.db")
    assert not (tmp_path / "cli.db").exists()  # looking for it made no empty one
    add_patient(cli, "Ana")
    assert "does not exist" in refused(cli, "db", "backup", "missing/copy.db")
    assert "folder" in refused(cli, "db", "backup", str(tmp_path))


def test_postgresql_is_pointed_at_pg_dump_without_its_password(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://clinic:s3cret@db.example:5432/moodbot")
    line = refused(cli, "db", "backup", "moodbot.dump")
    assert "pg_dump --format=custom --file=moodbot.dump 'postgresql://clinic@db.example:5432/moodbot'" in line
    assert "s3cret" not in line
