"""Logging in one place: ids only, never message text, names or the bot token."""

from __future__ import annotations

import logging
import re
import sys

_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactingFilter(logging.Filter):
    """Replaces the token, and anything shaped like a bot token, in the final message."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN_SHAPE.sub("<token>", message)
        for secret in self._secrets:
            cleaned = cleaned.replace(secret, "<token>")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            exc_text = logging.Formatter().formatException(record.exc_info)
            for secret in self._secrets:
                exc_text = exc_text.replace(secret, "<token>")
            record.exc_text = _TOKEN_SHAPE.sub("<token>", exc_text)
        return True


class _OverlappingRun(logging.Filter):
    """A periodic job still busy when its next tick comes is skipped by design (max_instances=1, coalesce):
    normal under load, not worth a warning every second."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_QUIET_SKIPS = _OverlappingRun()


def configure_logging(level: str, *, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    for name in ("httpx", "httpcore", "aiohttp.access", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)
    scheduler = logging.getLogger("apscheduler.scheduler")
    if _QUIET_SKIPS not in scheduler.filters:
        scheduler.addFilter(_QUIET_SKIPS)
    # Database drivers log each statement with its parameters (names, ids, excerpts): SQLAlchemy's engine at INFO,
    # aiosqlite at DEBUG. Their warnings and errors still show.
    for name in ("sqlalchemy", "aiosqlite", "asyncpg"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # At DEBUG python-telegram-bot logs whole updates, patients' words included: never below INFO.
    logging.getLogger("telegram").setLevel(max(logging.getLevelName(level), logging.INFO))
