"""`bot.logging_setup`: one root handler that redacts the token, and noisy libraries turned down."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.logging_setup import configure_logging

TOKEN = "123456789:AAEhBP0av28Fha3DXgqFm1fRbLpN7BIRd1s"  # shaped like a real one: 35 chars after the colon
OTHER_TOKEN = "987654321:AAFzKq9vW3bX7yT2mN5pR8sJ4hL6cD1eG0u"  # not configured anywhere
SECRET = "s3cret-webhook"  # not token-shaped: only redacted because it is configured

NAMES = ("", "httpx", "httpcore", "aiohttp.access", "apscheduler", "telegram")
log = logging.getLogger("moodbot.test")


@contextmanager
def configured(level: str = "INFO", secrets: tuple[str, ...] = (TOKEN, SECRET, "")) -> Iterator[logging.Handler]:
    """configure_logging changes process-wide state: undo it before the test ends, in the same pytest phase
    (pytest adds and removes its own capturing handler on the root logger around each phase)."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in NAMES}
    configure_logging(level, secrets=list(secrets))
    try:
        yield root.handlers[0]
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


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
