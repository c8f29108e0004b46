"""Every set-up mistake is one line on stderr and a non-zero exit, never a traceback nor Typer's boxed panel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app


def one_line(cli: CliRunner, *args: str, code: int = 2) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == "" and "Traceback" not in result.stderr and "╭" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_a_sqlite_folder_that_does_not_exist(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///no/such/folder/moodbot.db")
    line = one_line(cli, "patients", "list")
    assert f"cannot open the database {tmp_path}/no/such/folder/moodbot.db" in line
    assert f"the folder {tmp_path}/no/such/folder does not exist" in line
    assert not (tmp_path / "no").exists()


def test_a_file_that_is_not_a_database(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes.txt").write_text("not a database, just words " * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/notes.txt")
    line = one_line(cli, "db", "upgrade")
    assert f"cannot open the database {tmp_path}/notes.txt: file is not a database" in line


def test_a_postgresql_server_that_does_not_answer(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot:hunter2@127.0.0.1:9/moodbot")
    line = one_line(cli, "staff", "list")
    assert "cannot open the database postgresql+asyncpg://bot:***@127.0.0.1:9/moodbot" in line
    assert "hunter2" not in line


@pytest.mark.parametrize("url", ["mysql://bot@db/moodbot", "sqlite:///moodbot.db", "moodbot.db"])
def test_a_database_url_of_another_kind(cli: CliRunner, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    line = one_line(cli, "patients", "list")
    assert "DATABASE_URL" in line and "sqlite+aiosqlite:///PATH" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "--out", "x.pdf"], "Missing option '--patient'. (see: root export --help)"),
        (["patients", "show", "abc"], "'patient_id'"),
        (["patients", "lst"], "No such command 'lst'"),
        (["staff", "list", "--colour"], "No such option: --colour"),
        (["keys", "rotate", "--batch", "0"], "--batch"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_usage_mistakes(cli: CliRunner, args: list[str], expected: str) -> None:
    assert expected in one_line(cli, *args)


def test_a_message_with_brackets_is_printed_as_written(cli: CliRunner) -> None:
    # Rich would take the brackets for markup and drop them.
    line = one_line(cli, "patients", "add", "--name", "Ana", "--timezone", "[red]Mars[/red]")
    assert "unknown time zone '[red]Mars[/red]'" in line


def test_run_with_a_different_key_stops_before_telegram(cli: CliRunner, tmp_path: Path) -> None:
    assert cli.invoke(app, ["patients", "add", "--name", "Ana"]).exit_code == 0  # written under "test"
    env = {**os.environ, "MOODBOT_ENCRYPTION_KEY": "another", "TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35}
    env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:9/bot"  # never reached
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if "error" in line.lower()]  # the rest is the start-up log
    assert line.startswith("error: this database was written with a different encryption key")
    assert done.stderr.strip().endswith(line)
