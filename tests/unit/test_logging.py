"""`bot.logging_setup`: one root handler that redacts the token, and noisy libraries turned down."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from bot.errors import ConfigError
from bot.logging_setup import LogFormat, configure_logging
from bot.settings import load_settings

TOKEN = "123456789:AAEhBP0av28Fha3DXgqFm1fRbLpN7BIRd1s"  # shaped like a real one: 35 chars after the colon
OTHER_TOKEN = "987654321:AAFzKq9vW3bX7yT2mN5pR8sJ4hL6cD1eG0u"  # not configured anywhere
SECRET = "s3cret-webhook"  # not token-shaped: only redacted because it is configured

NAMES = ("", "httpx", "httpcore", "aiohttp.access", "apscheduler", "telegram")
log = logging.getLogger("moodbot.test")


@contextmanager
def configured(
    level: str = "INFO", secrets: tuple[str, ...] = (TOKEN, SECRET, ""), log_format: LogFormat = "text"
) -> Iterator[logging.Handler]:
    """configure_logging changes process-wide state: undo it before the test ends, in the same pytest phase
    (pytest adds and removes its own capturing handler on the root logger around each phase)."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in NAMES}
    configure_logging(level, secrets=list(secrets), log_format=log_format)
    try:
        yield root.handlers[0]
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)
        logging.captureWarnings(False)


def test_one_handler_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with configured("WARNING") as handler:
        root = logging.getLogger()
        assert root.handlers == [handler]
        assert isinstance(handler, logging.StreamHandler)
        assert root.level == logging.WARNING
        log.warning("to stderr")
    captured = capsys.readouterr()
    assert "WARNING moodbot.test: to stderr" in captured.err
    assert captured.out == ""


def test_configuring_twice_does_not_duplicate_lines(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        configure_logging("INFO", secrets=[TOKEN])
        log.info("once")
    assert capsys.readouterr().err.count("once") == 1


def test_the_token_in_the_message_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        log.info(f"calling https://api.telegram.org/bot{TOKEN}/getMe")
    out = capsys.readouterr().err
    assert TOKEN not in out
    assert "INFO moodbot.test: calling https://api.telegram.org/bot<token>/getMe" in out


def test_the_token_in_args_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        log.warning("url %s returned %d", f"/bot{TOKEN}/sendMessage", 502)
    out = capsys.readouterr().err
    assert TOKEN not in out
    assert "url /bot<token>/sendMessage returned 502" in out


def test_a_configured_secret_is_redacted_even_if_not_token_shaped(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        log.info("secret header %s", SECRET)
    out = capsys.readouterr().err
    assert SECRET not in out
    assert "secret header <token>" in out


def test_the_token_in_a_traceback_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        try:
            raise RuntimeError(f"cannot reach /bot{TOKEN}/getUpdates and {OTHER_TOKEN}")
        except RuntimeError:
            log.exception("polling failed")
    out = capsys.readouterr().err
    assert TOKEN not in out and OTHER_TOKEN not in out
    assert "ERROR moodbot.test: polling failed" in out
    assert "Traceback (most recent call last)" in out
    assert "RuntimeError: cannot reach /bot<token>/getUpdates and <token>" in out


def test_anything_shaped_like_a_token_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    with configured(secrets=()):
        log.info("leaked %s here", OTHER_TOKEN)
        log.info(f"and inline {TOKEN}.")
    out = capsys.readouterr().err
    assert OTHER_TOKEN not in out and TOKEN not in out
    assert "leaked <token> here" in out
    assert "and inline <token>." in out


def test_ordinary_numbers_and_times_are_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        log.info("patient %d check-in at %s for chat %d", 42, "20:00", -1001234567890)
    assert "patient 42 check-in at 20:00 for chat -1001234567890" in capsys.readouterr().err


def test_records_below_the_level_are_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        log.debug("quiet")
    assert "quiet" not in capsys.readouterr().err


def test_the_root_handlers_filter_redacts_a_record() -> None:
    with configured(secrets=(TOKEN,)) as handler:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", (TOKEN,), None)
        assert handler.filter(record)
        assert handler.format(record).endswith("INFO x: token=<token>")


def test_noisy_libraries_are_turned_down() -> None:
    with configured("DEBUG", secrets=()):
        assert logging.getLogger("httpx").level == logging.WARNING
        assert logging.getLogger("httpcore").level == logging.WARNING
        # python-telegram-bot logs whole updates at DEBUG: never below INFO.
        assert logging.getLogger("telegram").level == logging.INFO
        assert logging.getLogger().level == logging.DEBUG


def test_httpx_info_lines_do_not_appear(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
        logging.getLogger("httpcore").info("connect")
        logging.getLogger("httpx").warning("slow")
    out = capsys.readouterr().err
    assert "HTTP Request" not in out and "connect" not in out
    assert "WARNING httpx: slow" in out


async def test_database_drivers_never_log_statement_parameters_even_at_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    from storage.db import create_engine, session_factory, session_scope

    configure_logging("DEBUG", secrets=[])
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/log.db", encryption_key="k")
    try:
        async with session_scope(session_factory(engine)) as session:
            await session.execute(text("SELECT :name"), {"name": "Patient Ana Weber"})
    finally:
        await engine.dispose()
    assert "Ana Weber" not in capsys.readouterr().err
    assert logging.getLogger("sqlalchemy.engine").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("aiosqlite").getEffectiveLevel() >= logging.WARNING


def test_a_skipped_overlapping_tick_is_not_a_warning_but_other_scheduler_warnings_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", secrets=[])
    scheduler = logging.getLogger("apscheduler.scheduler")
    scheduler.warning('Execution of job "dispatch" skipped: maximum number of running instances reached (%d)', 1)
    scheduler.warning('Run time of job "plan" was missed by 0:10:00')
    err = capsys.readouterr().err
    assert "maximum number of running instances" not in err and "was missed by" in err


def json_lines(err: str) -> list[dict[str, str]]:
    lines = err.splitlines()
    assert lines, "nothing logged"
    return [json.loads(line) for line in lines]


def test_json_logs_are_one_object_a_line_with_time_level_logger_and_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with (
        configured(log_format="json"),
        time_machine.travel(datetime(2026, 3, 3, 9, 30, 5, 250000, tzinfo=UTC), tick=False),
    ):
        log.warning("patient %d check-in at %s", 42, "20:00")
        log.debug("below the level")
    assert json_lines(capsys.readouterr().err) == [
        {
            "time": "2026-03-03T09:30:05.250+00:00",
            "level": "WARNING",
            "logger": "moodbot.test",
            "message": "patient 42 check-in at 20:00",
        }
    ]


def test_a_json_exception_stays_on_its_line_with_the_token_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    with configured(log_format="json"):
        try:
            raise RuntimeError(f"cannot reach /bot{TOKEN}/getUpdates with {SECRET}")
        except RuntimeError:
            log.exception("polling failed for %s", TOKEN)
    err = capsys.readouterr().err
    assert TOKEN not in err and SECRET not in err
    [entry] = json_lines(err)
    assert entry["level"] == "ERROR" and entry["message"] == "polling failed for <token>"
    assert entry["exception"].startswith("Traceback (most recent call last)")
    assert entry["exception"].endswith("RuntimeError: cannot reach /bot<token>/getUpdates with <token>")


def test_json_logs_carry_nothing_but_their_fields(capsys: pytest.CaptureFixture[str]) -> None:
    """What a record carries besides its message (here a journal text passed as `extra`) never reaches the log."""
    with configured(log_format="json"):
        log.info("journal entry %d saved", 7, extra={"text": "I felt so alone tonight", "user": "Ana Weber"})
    err = capsys.readouterr().err
    assert "alone" not in err and "Ana" not in err
    [entry] = json_lines(err)
    assert set(entry) == {"time", "level", "logger", "message"}


def test_python_warnings_become_log_lines_in_the_chosen_format(capsys: pytest.CaptureFixture[str]) -> None:
    with configured(log_format="json"):
        warnings.warn(f"deprecated call with {TOKEN}", DeprecationWarning, stacklevel=1)
    [entry] = json_lines(capsys.readouterr().err)
    assert entry["logger"] == "py.warnings" and entry["level"] == "WARNING"
    assert "DeprecationWarning: deprecated call with <token>" in entry["message"]


def test_log_format_is_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert load_settings().log_format == "text"
    monkeypatch.setenv("LOG_FORMAT", "json")
    settings = load_settings()
    with configured(log_format=settings.log_format):
        log.info("started")
    assert json_lines(capsys.readouterr().err)[0]["message"] == "started"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        load_settings()
