"""One data folder: the default database and key live in MOODBOT_HOME (else the platform's user data folder),
whatever folder a command runs from."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli.main import app
from bot.settings import load_settings


@pytest.fixture
def home(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No DATABASE_URL, no key in the environment: everything comes from the data folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("MOODBOT_HOME", str(folder))
    for name in ("DATABASE_URL", "MOODBOT_ENCRYPTION_KEY", "MOODBOT_KEY_FILE", "MOODBOT_PREVIOUS_KEYS"):
        monkeypatch.delenv(name, raising=False)
    return folder


def invoke(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(app, list(args))


def test_the_defaults_live_in_the_data_folder(home: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite+aiosqlite:///{home / 'moodbot.db'}"
    assert settings.moodbot_key_file == home / "moodbot.key"
    assert settings.database_is_default and settings.key_source() == f"the key file {home / 'moodbot.key'}"
    assert not home.exists()  # made when needed, not when settings are read


def test_explicit_settings_win(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/elsewhere.db")
    monkeypatch.setenv("MOODBOT_KEY_FILE", str(tmp_path / "elsewhere.key"))
    settings = load_settings()
    assert settings.database_url.endswith("/elsewhere.db") and not settings.database_is_default
    assert settings.moodbot_key_file == tmp_path / "elsewhere.key"


def test_without_moodbot_home_the_platform_folder_is_used(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOODBOT_HOME")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(home.parent / "xdg"))
    assert load_settings().moodbot_home == home.parent / "xdg" / "moodbot"


def test_every_folder_reaches_the_same_database_and_key(
    cli: CliRunner, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("clinic-desk", "somewhere/else"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "clinic-desk")
    assert invoke(cli, "patients", "add", "--name", "Ana").exit_code == 0
    monkeypatch.chdir(tmp_path / "somewhere" / "else")
    result = invoke(cli, "patients", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert [patient["name"] for patient in json.loads(result.stdout)] == ["Ana"]
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "moodbot.key").stat().st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.rglob("moodbot.*")) == ["moodbot.db", "moodbot.key"]


def test_a_database_left_in_the_working_folder_is_not_replaced(cli: CliRunner, home: Path, tmp_path: Path) -> None:
    (tmp_path / "moodbot.db").write_bytes(b"")  # where an older moodbot kept it (the cli folder is tmp_path)
    result = invoke(cli, "patients", "list")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert str(tmp_path / "moodbot.db") in line and str(home) in line and "DATABASE_URL" in line
    assert not (home / "moodbot.db").exists()


def test_an_empty_key_in_dotenv_is_no_key(cli: CliRunner, home: Path, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MOODBOT_ENCRYPTION_KEY=\nDATABASE_URL=\n", encoding="utf-8")
    settings = load_settings()
    assert settings.moodbot_encryption_key is None and settings.database_is_default
    assert invoke(cli, "patients", "add", "--name", "Ana").exit_code == 0
    assert len((home / "moodbot.key").read_text().strip()) == 44  # a minted Fernet key, not an empty secret


def test_doctor_names_the_folder_database_and_key_source(cli: CliRunner, home: Path) -> None:
    assert invoke(cli, "db", "upgrade").exit_code == 0
    result = invoke(cli, "doctor", "--json")
    details = {check["name"]: check["detail"] for check in json.loads(result.stdout)["checks"]}
    assert details["data folder"] == str(home)
    assert details["database"].startswith(f"{home / 'moodbot.db'} (default)")
    assert details["encryption key"] == f"the key file {home / 'moodbot.key'}, made on first use"
    assert invoke(cli, "patients", "add", "--name", "Ana").exit_code == 0
    result = invoke(cli, "doctor", "--json")
    details = {check["name"]: check["detail"] for check in json.loads(result.stdout)["checks"]}
    assert details["encryption key"] == f"the key file {home / 'moodbot.key'}; opens what is stored"
    assert (home / "moodbot.key").read_text().strip() not in result.stdout
