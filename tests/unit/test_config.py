"""The clinic file (`bot.clinic`) and process settings (`bot.settings`)."""

from __future__ import annotations

import os
import stat
from datetime import date, time
from pathlib import Path

import pytest

import bot.clinic
from bot.clinic import ClinicConfig, load_clinic_config
from bot.errors import ConfigError
from bot.settings import DEFAULT_API_BASE_URL, load_settings

FULL = """\
[clinic]
name = "Riverside Ketamine Clinic"
timezone = "Europe/Berlin"
country = "DE"
staff_chat_id = -1001234567890
language = "de"
checkin_time = "19:30"
invite_days = 7
checkin_grace_hours = 2
note_window_minutes = 60
answer_window_days = 2

[safety]
ack_minutes = 10
max_realerts = 2
fallback_chat_id = 555
extra_phrases = { ideation = ["blue whale"], imminent = ["final goodbye"] }

[appointments]
quiet_start = "21:00"
quiet_end = "07:30"

[appointments.kinds.infusion]
lead_hours = [2, 48]

[appointments.kinds.booster]
label = "booster infusion"
followup = true
"""


def write(tmp_path: Path, text: str, name: str = "clinic.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_clinic_config(path)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(str(path)), message
    return message


def test_a_full_file(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = load_clinic_config(path)
    clinic = config.clinic
    assert (clinic.name, clinic.timezone, clinic.country, clinic.language) == (
        "Riverside Ketamine Clinic",
        "Europe/Berlin",
        "DE",
        "de",
    )
    assert clinic.staff_chat_id == -1001234567890
    assert clinic.checkin_time == time(19, 30)
    assert (clinic.invite_days, clinic.checkin_grace_hours, clinic.note_window_minutes) == (7, 2, 60)
    assert clinic.answer_window_days == 2
    assert (config.safety.ack_minutes, config.safety.max_realerts, config.safety.fallback_chat_id) == (10, 2, 555)
    assert config.safety.extra_phrases == {"ideation": ("blue whale",), "imminent": ("final goodbye",)}
    assert (config.appointments.quiet_start, config.appointments.quiet_end) == (time(21, 0), time(7, 30))
    kinds = config.appointments.kinds
    assert set(kinds) == {"infusion", "therapy", "booster"}
    # A kind in the file changes the built-in one key by key: the lead times change, the rest stays.
    assert kinds["infusion"].lead_hours == (48.0, 2.0)
    assert kinds["infusion"].followup is True and kinds["infusion"].instructions
    assert kinds["booster"].label_in("en") == "booster infusion" and kinds["booster"].duration_minutes == 60
    assert kinds["therapy"].duration_minutes == 50
    assert config.source == str(path)
    assert "US" in config.hotlines


def test_a_file_with_only_the_name(tmp_path: Path) -> None:
    config = load_clinic_config(write(tmp_path, '[clinic]\nname = "Only A Name"\n'))
    defaults = ClinicConfig().clinic
    assert config.clinic.name == "Only A Name"
    assert config.clinic.model_dump(exclude={"name"}) == defaults.model_dump(exclude={"name"})
    assert config.clinic.timezone == "America/New_York" and config.clinic.checkin_time == time(20, 0)
    assert set(config.appointments.kinds) == {"infusion", "therapy"}
    assert config.hotlines.keys() == load_clinic_config(None).hotlines.keys() != set()


def test_defaults_when_there_is_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_clinic_config(None)
    assert config.source == "built-in defaults"
    assert config.clinic.name == "your clinic"
    assert (config.clinic.timezone, config.clinic.country, config.clinic.checkin_time) == (
        "America/New_York",
        "US",
        time(20, 0),
    )
    assert config.clinic.staff_chat_id is None
    assert config.hotlines["US"].emergency == "911"
    assert config.hotlines["US"].lines[0].call == "988"


def test_clinic_toml_in_the_working_directory_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[clinic]\nname = "Here"\n')
    config = load_clinic_config(None)
    assert config.clinic.name == "Here"
    assert config.source == "clinic.toml"


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\nname = "unterminated\n')
    message = refusal(path)
    assert "not valid TOML" in message and "line 2" in message


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    message = refusal(tmp_path / "nope.toml")
    assert "cannot read" in message


def test_an_unknown_key_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\nname = "x"\ncolour = "red"\n')
    assert refusal(path) == f"{path}: line 3: clinic.colour: unknown key"


def test_an_unknown_key_in_another_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\nname = "x"\n\n[safety]\nack_minutes = 10\nbogus = 1\n')
    assert refusal(path) == f"{path}: line 6: safety.bogus: unknown key"


def test_an_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, 'colour = "red"\n')
    assert refusal(path) == f"{path}: line 1: colour: unknown key"


def test_a_bad_time_zone_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\nname = "x"\n\ntimezone = "Mars/Base"\n')
    message = refusal(path)
    assert message.startswith(f"{path}: line 4: clinic.timezone: ")
    assert "Mars/Base" in message


def test_a_bad_checkin_time_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\ncheckin_time = "25:00"\n')
    message = refusal(path)
    assert message.startswith(f"{path}: line 2: clinic.checkin_time: ")
    assert "25:00" in message


def test_an_unquoted_checkin_time_is_refused_with_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[clinic]\ncheckin_time = 2000\n")
    message = refusal(path)
    assert message.startswith(f"{path}: line 2: clinic.checkin_time: ")


def test_a_toml_time_literal_is_accepted(tmp_path: Path) -> None:
    config = load_clinic_config(write(tmp_path, "[clinic]\ncheckin_time = 07:15:00\n"))
    assert config.clinic.checkin_time == time(7, 15)


def test_the_record_system_is_a_uri_and_kinds_take_keywords(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\nrecord_system = "MRN"\n')
    assert refusal(path).startswith(f"{path}: line 2: clinic.record_system: ")
    text = '[clinic]\nrecord_system = "urn:oid:1.2.3"\n[appointments.kinds.therapy]\nkeywords = ["Sitzung"]\n'
    config = load_clinic_config(write(tmp_path, text))
    assert config.clinic.record_system == "urn:oid:1.2.3"
    assert config.appointments.kinds["therapy"].keywords == ("Sitzung",)
    assert "ketamine" in config.appointments.kinds["infusion"].keywords  # the built-in kind keeps its own
    path = write(tmp_path, '[appointments.kinds.therapy]\nkeywords = [""]\n')
    assert refusal(path) == f"{path}: appointments.kinds.therapy.keywords.0: String should have at least 1 character"


def test_a_bad_country_code(tmp_path: Path) -> None:
    path = write(tmp_path, '[clinic]\ncountry = "usa"\n')
    assert refusal(path).startswith(f"{path}: line 2: clinic.country: ")


def test_a_country_without_lines(tmp_path: Path) -> None:
    path = write(tmp_path, '[hotlines.US]\nemergency = "911"\nlines = []\n')
    assert refusal(path).startswith(f"{path}: line 3: hotlines.US.lines: ")


US_OVERRIDE = """\
[hotlines.US]
emergency = "911"
checked = 2026-01-15
[[hotlines.US.lines]]
name = "Riverside after-hours line"
call = "+1 555 0100"
hours = "18:00-08:00"
"""


def test_overriding_one_country_keeps_the_other_built_in_countries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_in = {
        "US": {"emergency": "911", "lines": [{"name": "988 Suicide & Crisis Lifeline", "call": "988"}]},
        "GB": {"emergency": "999", "lines": [{"name": "Samaritans", "call": "116 123"}]},
    }
    monkeypatch.setattr(bot.clinic, "default_hotlines", lambda: built_in)
    config = load_clinic_config(write(tmp_path, US_OVERRIDE))
    assert set(config.hotlines) == {"US", "GB"}
    us = config.hotlines["US"]
    assert [line.name for line in us.lines] == ["Riverside after-hours line"]
    assert (us.checked, us.lines[0].call, us.lines[0].always_open) == (date(2026, 1, 15), "+1 555 0100", False)
    assert config.hotlines["GB"].lines[0].name == "Samaritans"


def test_overriding_the_us_keeps_every_other_shipped_country(tmp_path: Path) -> None:
    shipped = set(load_clinic_config(None).hotlines)
    config = load_clinic_config(write(tmp_path, US_OVERRIDE))
    assert set(config.hotlines) == shipped | {"US"}
    assert config.hotlines["US"].lines[0].name == "Riverside after-hours line"
    for country in shipped - {"US"}:
        assert config.hotlines[country] == load_clinic_config(None).hotlines[country]


DOCUMENTED_COUNTRIES = {
    *("US", "CA", "GB", "IE", "AU", "NZ", "DE", "AT", "CH", "FR", "BE"),
    *("NL", "ES", "PT", "IT", "SE", "IN", "BR", "MX", "KR", "SG"),
}


def test_the_built_in_hotlines_cover_the_documented_countries() -> None:
    hotlines = load_clinic_config(None).hotlines
    assert set(hotlines) >= DOCUMENTED_COUNTRIES
    for country in DOCUMENTED_COUNTRIES:
        assert hotlines[country].lines, country
        assert hotlines[country].checked is not None, country


def test_only_unverified_emergency_numbers_are_left_out() -> None:
    # The November 2026 check could not confirm Switzerland's and Mexico's emergency numbers: those patients are
    # told to call their local emergency number rather than given one that may be wrong.
    hotlines = load_clinic_config(None).hotlines
    assert sorted(country for country, block in hotlines.items() if not block.emergency) == ["CH", "MX"]


def test_a_clinic_country_added_in_the_file(tmp_path: Path) -> None:
    text = '[clinic]\ncountry = "DE"\n\n[hotlines.DE]\nemergency = "112"\n[[hotlines.DE.lines]]\nname = "TS"\n'
    config = load_clinic_config(write(tmp_path, text))
    assert config.hotlines_for("DE")[0:1] == ("DE",)
    assert config.hotlines_for(None)[0] == "DE"


def test_hotlines_for(tmp_path: Path) -> None:
    text = '[hotlines.GB]\nemergency = "999"\n[[hotlines.GB.lines]]\nname = "Samaritans"\ncall = "116 123"\n'
    config = load_clinic_config(write(tmp_path, text))
    country, lines, fallback = config.hotlines_for("gb")
    assert (country, lines.emergency, fallback) == ("GB", "999", False)
    # An unknown country gets the clinic's own country, flagged as a fallback.
    country, lines, fallback = config.hotlines_for("ZZ")
    assert (country, fallback) == ("US", True)
    assert lines is config.hotlines["US"]
    # No country at all: the clinic's, and that is not a fallback.
    assert config.hotlines_for(None)[0::2] == ("US", False)


# --- settings -----------------------------------------------------------------------------------------------

SETTING_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_BOT_USERNAME",
    "DATABASE_URL",
    "CLINIC_CONFIG",
    "MOODBOT_ENCRYPTION_KEY",
    "MOODBOT_KEY_FILE",
    "LOG_LEVEL",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "DISPATCH_INTERVAL_SECONDS",
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    for name in SETTING_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOODBOT_HOME", str(tmp_path))
    return monkeypatch


def settings_error() -> str:
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "\n" not in message, message
    return message


def test_settings_defaults(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.database_url == f"sqlite+aiosqlite:///{Path(os.environ['MOODBOT_HOME']) / 'moodbot.db'}"
    assert settings.telegram_api_base_url == DEFAULT_API_BASE_URL
    assert settings.log_level == "INFO"
    assert settings.clinic_config is None
    assert settings.dispatch_interval_seconds == 5


def test_settings_from_the_environment(env: pytest.MonkeyPatch) -> None:
    env.setenv("TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    env.setenv("LOG_LEVEL", "debug")
    env.setenv("DATABASE_URL", "postgresql+asyncpg://bot@db/moodbot")
    env.setenv("CLINIC_CONFIG", "/etc/moodbot/clinic.toml")
    settings = load_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123456789:" + "A" * 35
    assert "A" * 35 not in repr(settings)
    assert settings.log_level == "DEBUG"
    assert settings.database_url == "postgresql+asyncpg://bot@db/moodbot"
    assert settings.clinic_config == Path("/etc/moodbot/clinic.toml")


def test_a_dotenv_file_in_the_working_directory_is_read(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=WARNING\n", encoding="utf-8")
    assert load_settings().log_level == "WARNING"


def test_a_bad_log_level(env: pytest.MonkeyPatch) -> None:
    env.setenv("LOG_LEVEL", "LOUD")
    message = settings_error()
    assert message.startswith("environment: LOG_LEVEL: ")
    assert "DEBUG" in message


@pytest.mark.parametrize("url", ["mysql://x", "sqlite:///moodbot.db", "postgresql://u@h/db"])
def test_a_bad_database_url(env: pytest.MonkeyPatch, url: str) -> None:
    env.setenv("DATABASE_URL", url)
    message = settings_error()
    assert message.startswith("environment: DATABASE_URL: ")
    assert "sqlite+aiosqlite" in message


def test_a_bad_webhook_port(env: pytest.MonkeyPatch) -> None:
    env.setenv("WEBHOOK_PORT", "70000")
    assert settings_error().startswith("environment: WEBHOOK_PORT: ")


def test_the_encryption_key_from_the_environment_makes_no_file(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("MOODBOT_ENCRYPTION_KEY", "from-env")
    assert load_settings().encryption_key() == "from-env"
    assert not (tmp_path / "moodbot.key").exists()


def test_the_encryption_key_file_is_made_once_with_mode_0600(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = load_settings().encryption_key()
    key_file = tmp_path / "moodbot.key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first and first == key_file.read_text().strip()
    made = key_file.stat().st_mtime_ns
    second = load_settings().encryption_key()
    assert second == first
    assert key_file.stat().st_mtime_ns == made
    assert load_settings().encryption_key() == first
