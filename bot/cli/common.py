"""What every command-line command shares: settings, the clinic file, the database, output and errors."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic import ClinicConfig, load_clinic_config
from bot.errors import ConfigError
from bot.settings import Settings, load_settings
from storage.db import create_engine, session_factory, session_scope
from storage.migrate import upgrade

T = TypeVar("T")

err_console = Console(stderr=True)


class UserError(Exception):
    """A mistake in what the user asked for; printed as one line, exit status 1."""


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


@dataclass
class Env:
    settings: Settings
    clinic: ClinicConfig


def load_env() -> Env:
    try:
        settings = load_settings()
        return Env(settings, load_clinic_config(settings.clinic_config))
    except ConfigError as exc:
        fail(str(exc), 2)


def with_session(env: Env, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed unit of work against an up-to-date schema."""
    upgrade(env.settings.database_url)

    async def main() -> T:
        engine = create_engine(env.settings.database_url, encryption_key=env.settings.encryption_key())
        try:
            async with session_scope(session_factory(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except UserError as exc:
        fail(str(exc))


def operator() -> str:
    """Who runs the command, for the audit trail: the operating-system user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in some containers
        return f"uid {os.getuid()}"


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str, indent=2) + "\n")


def date_option(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option, or a clear error naming the option."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"not a date: {value!r}; use YYYY-MM-DD", param_hint=option) from None
