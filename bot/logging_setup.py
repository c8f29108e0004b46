"""Logging in one place: ids only, never message text, names or the bot token."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Literal

LogFormat = Literal["text", "json"]

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


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and, when there is one, the exception.

    Only these fields: whatever else a record carries (`extra=` values, the call's arguments) never reaches the log.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class _OverlappingRun(logging.Filter):
    """A periodic job still busy when its next tick comes is skipped by design (max_instances=1, coalesce):
    normal under load, not worth a warning every second."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_QUIET_SKIPS = _OverlappingRun()


def configure_logging(level: str, *, secrets: list[str], log_format: LogFormat = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Python's warnings too go through the handler: redacted, and in the chosen format rather than as loose lines.
    logging.captureWarnings(True)
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
