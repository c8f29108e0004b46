"""The encryption key: checked against the database before anything is written, never minted beside encrypted
data, and rotated by `moodbot keys rotate` in resumable batches (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select, text
from typer.testing import CliRunner, Result

from bot.cli.main import app
from storage.crypto import generate_key
from storage.db import create_engine, session_factory, session_scope
from storage.keycheck import CHECK_KEY
from storage.models import CheckIn, CrisisEvent, JournalEntry, Meta

OLD, NEW = generate_key(), generate_key()
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Every encrypted column, as stored: table, column.
TOKENS = [("checkins", "note"), ("journal_entries", "text"), ("crisis_events", "excerpt"), ("crisis_events", "matched")]


@pytest.fixture
def keys(cli: CliRunner, database_url: str, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The command line on the test database (SQLite or PostgreSQL), written under OLD."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MOODBOT_ENCRYPTION_KEY", OLD)
    monkeypatch.delenv("MOODBOT_PREVIOUS_KEYS", raising=False)
    return monkeypatch


def invoke(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(app, list(args))


def one_line_refusal(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def add_patient(cli: CliRunner) -> int:
    result = invoke(cli, "patients", "add", "--name", "Ana", "--json")
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)["id"])


async def write_records(url: str, key: str, patient: int, count: int) -> dict[tuple[str, int], str | None]:
    """`count` rows in each table with an encrypted column; returns what each token says, by (column, row)."""
    engine = create_engine(url, encryption_key=key)
    said: dict[tuple[str, int], str | None] = {}
    async with session_scope(session_factory(engine)) as session:
        for n in range(count):
            note = f"note {n}" if n % 3 else None  # some rows hold no token in a column
            matched = f"words {n}" if n % 2 else None
            checkin = CheckIn(patient_id=patient, local_date=date(2026, 3, 1 + n), asked_at=WHEN, note=note)
            entry = JournalEntry(patient_id=patient, text=f"entry {n}", telegram_message_id=n, created_at=WHEN)
            event = CrisisEvent(
                telegram_user_id=1, tier="possible", rule="r", excerpt=f"excerpt {n}", detected_at=WHEN, matched=matched
            )
            session.add_all([checkin, entry, event])
            await session.flush()
            said |= {
                ("checkins.note", checkin.id): note,
                ("journal_entries.text", entry.id): f"entry {n}",
                ("crisis_events.excerpt", event.id): f"excerpt {n}",
                ("crisis_events.matched", event.id): matched,
            }
    await engine.dispose()
    return said


async def raw_tokens(url: str) -> dict[tuple[str, int], str]:
    """Every stored token, read as stored (no key involved)."""
    engine = create_engine(url, encryption_key=generate_key())
    found: dict[tuple[str, int], str] = {}
    async with engine.connect() as connection:
        for table, column in TOKENS:
            rows = await connection.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))
            found |= {(f"{table}.{column}", row[0]): row[1] for row in rows}
    await engine.dispose()
    return found


async def read_with(url: str, key: str, previous: list[str] | None = None) -> dict[tuple[str, int], str | None]:
    """Every encrypted column through the models, with `key` (and `previous`) alone."""
    engine = create_engine(url, encryption_key=key, previous_keys=previous or [])
    async with session_scope(session_factory(engine)) as session:
        said: dict[tuple[str, int], str | None] = {}
        for checkin in await session.scalars(select(CheckIn)):
            said[("checkins.note", checkin.id)] = checkin.note
        for entry in await session.scalars(select(JournalEntry)):
            said[("journal_entries.text", entry.id)] = entry.text
        for event in await session.scalars(select(CrisisEvent)):
            said[("crisis_events.excerpt", event.id)] = event.excerpt
            said[("crisis_events.matched", event.id)] = event.matched
    await engine.dispose()
    return said


def under(key: str, tokens: dict[tuple[str, int], str]) -> int:
    """How many tokens `key` opens, checked with Fernet itself."""
    opened = 0
    for token in tokens.values():
        try:
            Fernet(key.encode()).decrypt(token.encode())
            opened += 1
        except InvalidToken:
            pass
    return opened


def test_a_different_key_is_refused_in_one_line(cli: CliRunner, keys: pytest.MonkeyPatch) -> None:
    add_patient(cli)  # the first use writes the check value
    keys.setenv("MOODBOT_ENCRYPTION_KEY", NEW)
    line = one_line_refusal(invoke(cli, "patients", "list"))
    assert "this database was written with a different encryption key" in line
    assert "MOODBOT_ENCRYPTION_KEY" in line and NEW not in line and OLD not in line
    keys.setenv("MOODBOT_ENCRYPTION_KEY", OLD)
    assert invoke(cli, "patients", "list").exit_code == 0


def test_a_database_from_before_the_check_is_verified_then_checked(
    cli: CliRunner, keys: pytest.MonkeyPatch, database_url: str
) -> None:
    patient = add_patient(cli)
    asyncio.run(write_records(database_url, OLD, patient, 1))
    asyncio.run(_forget_check(database_url))
    keys.setenv("MOODBOT_ENCRYPTION_KEY", NEW)
    assert "different encryption key" in one_line_refusal(invoke(cli, "patients", "list"))
    assert asyncio.run(_check_value(database_url)) is None  # nothing written under the wrong key
    keys.setenv("MOODBOT_ENCRYPTION_KEY", OLD)
    assert invoke(cli, "patients", "list").exit_code == 0
    check = asyncio.run(_check_value(database_url))
    assert check is not None and OLD not in check
    assert Fernet(OLD.encode()).decrypt(check.encode())


async def _forget_check(url: str) -> None:
    engine = create_engine(url, encryption_key=OLD)
    async with session_scope(session_factory(engine)) as session:
        await session.execute(delete(Meta).where(Meta.key == CHECK_KEY))
    await engine.dispose()


async def _check_value(url: str) -> str | None:
    engine = create_engine(url, encryption_key=OLD)
    async with session_scope(session_factory(engine)) as session:
        value = await session.scalar(select(Meta.value).where(Meta.key == CHECK_KEY))
    await engine.dispose()
    return value


def test_no_key_is_made_beside_encrypted_data(cli: CliRunner, keys: pytest.MonkeyPatch, tmp_path: Path) -> None:
    add_patient(cli)
    key_file = tmp_path / "moodbot.key"
    keys.delenv("MOODBOT_ENCRYPTION_KEY")
    keys.setenv("MOODBOT_KEY_FILE", str(key_file))
    line = one_line_refusal(invoke(cli, "patients", "list"))
    assert f"no encryption key: {key_file} does not exist" in line and "MOODBOT_ENCRYPTION_KEY" in line
    assert not key_file.exists()


def test_an_empty_database_gets_a_key_file_once(cli: CliRunner, keys: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key_file = tmp_path / "moodbot.key"
    keys.delenv("MOODBOT_ENCRYPTION_KEY")
    keys.setenv("MOODBOT_KEY_FILE", str(key_file))
    add_patient(cli)
    made = key_file.read_text()
    assert invoke(cli, "patients", "list").exit_code == 0
    assert key_file.read_text() == made
    keys.setenv("MOODBOT_ENCRYPTION_KEY", made.strip())  # the same key, now from the environment
    assert invoke(cli, "patients", "list").exit_code == 0


def test_rotation_moves_every_column_to_the_new_key(
    cli: CliRunner, keys: pytest.MonkeyPatch, database_url: str
) -> None:
    said = asyncio.run(write_records(database_url, OLD, add_patient(cli), 7))
    tokens = len([value for value in said.values() if value is not None])
    keys.setenv("MOODBOT_ENCRYPTION_KEY", NEW)
    keys.setenv("MOODBOT_PREVIOUS_KEYS", OLD)
    result = invoke(cli, "keys", "rotate", "--batch", "3", "--json")
    assert result.exit_code == 0, result.stderr
    # 7 journal entries and 7 crisis events; 4 of the 7 check-ins hold a note.
    assert json.loads(result.stdout) == {"rows": 18, "reencrypted": tokens}
    stored = asyncio.run(raw_tokens(database_url))
    assert under(NEW, stored) == len(stored) == tokens and under(OLD, stored) == 0
    assert asyncio.run(read_with(database_url, NEW)) == said

    again = invoke(cli, "keys", "rotate", "--json")  # a rerun finds nothing left to do
    assert again.exit_code == 0 and json.loads(again.stdout)["reencrypted"] == 0
    keys.delenv("MOODBOT_PREVIOUS_KEYS")
    assert invoke(cli, "patients", "list").exit_code == 0  # the new key alone opens the database
    keys.setenv("MOODBOT_ENCRYPTION_KEY", OLD)
    assert "different encryption key" in one_line_refusal(invoke(cli, "patients", "list"))


def test_an_interrupted_rotation_finishes_on_a_rerun(
    cli: CliRunner, keys: pytest.MonkeyPatch, database_url: str
) -> None:
    said = asyncio.run(write_records(database_url, OLD, add_patient(cli), 6))
    tokens = len([value for value in said.values() if value is not None])
    keys.setenv("MOODBOT_ENCRYPTION_KEY", NEW)
    keys.setenv("MOODBOT_PREVIOUS_KEYS", OLD)

    from storage import key_rotation

    calls = 0
    real = key_rotation.reencrypt

    def failing(token: str) -> str | None:
        nonlocal calls
        calls += 1
        if calls == 9:  # in the second batch of check-ins, after the 6 journal entries and 2 notes
            raise RuntimeError("power cut")
        return real(token)

    keys.setattr(key_rotation, "reencrypt", failing)
    assert isinstance(invoke(cli, "keys", "rotate", "--batch", "2").exception, RuntimeError)
    stored = asyncio.run(raw_tokens(database_url))
    done = under(NEW, stored)
    assert done == 8 and done + under(OLD, stored) == tokens  # whole batches only, nothing lost
    # Meanwhile both keys read everything, and the old key alone no longer starts.
    assert asyncio.run(read_with(database_url, NEW, [OLD])) == said
    keys.setenv("MOODBOT_ENCRYPTION_KEY", OLD)
    keys.delenv("MOODBOT_PREVIOUS_KEYS")
    assert "different encryption key" in one_line_refusal(invoke(cli, "patients", "list"))

    keys.setattr(key_rotation, "reencrypt", real)
    keys.setenv("MOODBOT_ENCRYPTION_KEY", NEW)
    keys.setenv("MOODBOT_PREVIOUS_KEYS", OLD)
    result = invoke(cli, "keys", "rotate", "--batch", "2", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["reencrypted"] == tokens - done  # the rows already moved are skipped
    assert asyncio.run(read_with(database_url, NEW)) == said


def test_rotation_needs_the_old_key_apart_from_the_new(cli: CliRunner, keys: pytest.MonkeyPatch) -> None:
    add_patient(cli)
    line = one_line_refusal(invoke(cli, "keys", "rotate"), code=1)
    assert "MOODBOT_PREVIOUS_KEYS" in line
    keys.setenv("MOODBOT_PREVIOUS_KEYS", OLD)
    assert "holds the current key" in one_line_refusal(invoke(cli, "keys", "rotate"), code=1)
