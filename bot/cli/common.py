"""What every command-line command shares: settings, the clinic file, the database, output and errors."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Bot
from typer.core import TyperGroup

from bot.audit import Actor, ActorKind
from bot.clinic import ClinicConfig, load_clinic_config
from bot.errors import ConfigError
from bot.settings import DATABASE_FILE, KEY_FILE, Settings, load_settings
from storage import crypto
from storage.db import create_engine, session_factory, session_scope, sqlite_file
from storage.keycheck import WrongKey, holds_encrypted_data, verify_key
from storage.migrate import upgrade

T = TypeVar("T")

err_console = Console(stderr=True)


class UserError(Exception):
    """A mistake in what the user asked for; printed as one line, exit status 1."""


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _one_line() -> Iterator[None]:
    try:
        yield
    except typer.TyperException as exc:  # the base of every usage error Typer raises
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise  # the help is the answer
        context = getattr(exc, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if context is not None else ""
        fail(exc.format_message() + hint, exc.exit_code)


class OneLineErrors(TyperGroup):
    """Usage mistakes are one line on stderr like every other mistake; Typer would print the usage and a box."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _one_line():
            return super().invoke(ctx)


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


def describe_database(url: str) -> str:
    """The SQLite file, or the PostgreSQL address without its password."""
    path = sqlite_file(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


def prepare_folder(settings: Settings) -> None:
    """The database's folder exists (the data folder is made when the database lives there)."""
    path = sqlite_file(settings.database_url)
    if path is None:
        return
    if not settings.database_is_default:
        if not path.parent.is_dir():
            fail(f"cannot open the database {path}: the folder {path.parent} does not exist", 2)
        return
    # Before the data folder, an unset DATABASE_URL meant this file in the working folder: never start beside it
    # with an empty database.
    left_behind = Path(DATABASE_FILE).absolute()
    if left_behind != path and left_behind.exists() and not path.exists():
        fail(
            f"{left_behind} is from an older moodbot that kept its data in the working folder: move it and "
            f"{KEY_FILE} to {settings.moodbot_home}, or set DATABASE_URL and MOODBOT_KEY_FILE to where they are",
            2,
        )
    try:
        settings.ensure_home()
    except OSError as exc:
        fail(f"cannot create the data folder {settings.moodbot_home}: {exc.strerror}", 2)


def migrate(settings: Settings) -> None:
    """Bring the schema up to date; a database that cannot be opened is one line, not a traceback."""
    prepare_folder(settings)
    try:
        upgrade(settings.database_url)
    except (SQLAlchemyError, OSError) as exc:
        fail(f"cannot open the database {describe_database(settings.database_url)}: {_reason(exc)}", 2)


def open_database(settings: Settings) -> AsyncEngine:
    """The one way the bot and the command line reach the database: migrated, and with a key that opens it.

    A key is made only for a database that holds nothing encrypted; the key is checked against the database's
    check value (written on first use) before anything is written under it."""
    migrate(settings)
    try:
        key = settings.stored_key()
    except ConfigError as exc:
        fail(str(exc), 2)
    new_key = key is None
    # Without a key yet the engine gets a throwaway one: nothing is read or written under it before one is settled.
    engine = create_engine(
        settings.database_url, encryption_key=key or crypto.generate_key(), previous_keys=settings.previous_keys()
    )

    async def unlock() -> None:
        try:
            async with session_scope(session_factory(engine)) as session:
                if new_key:
                    if await holds_encrypted_data(session):
                        raise UserError(
                            f"no encryption key: {settings.moodbot_key_file.absolute()} does not exist but "
                            f"{describe_database(settings.database_url)} holds encrypted data; restore that file "
                            "from your backup or set MOODBOT_ENCRYPTION_KEY to the key the data was written with"
                        )
                    crypto.configure(settings.encryption_key(), settings.previous_keys())
                await verify_key(session)
        finally:
            # The engine serves another event loop next; connections opened in this one must not be reused there.
            await engine.dispose()

    try:
        asyncio.run(unlock())
    except (UserError, ConfigError) as exc:
        fail(str(exc), 2)
    except WrongKey as exc:
        fail(
            f"{exc}: {settings.key_source()} does not open {describe_database(settings.database_url)}; use the key "
            "it was written with (while rotating keys, the old one goes in MOODBOT_PREVIOUS_KEYS)",
            2,
        )
    except (SQLAlchemyError, OSError) as exc:
        fail(f"cannot open the database {describe_database(settings.database_url)}: {_reason(exc)}", 2)
    return engine


def with_session(env: Env, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed unit of work against an up-to-date schema."""
    engine = open_database(env.settings)

    async def main() -> T:
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


def cli_actor() -> Actor:
    """The command line's operator, as the audit trail names them."""
    return Actor(ActorKind.CLI, operator())


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


def api_bot(settings: Settings) -> Bot:
    """The Bot API client the running bot would use (token and address from the settings); the caller checks
    that a token is set."""
    from bot.app import file_url_for  # the bot's application, loaded only by the commands that talk to Telegram

    assert settings.telegram_bot_token is not None
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
    )


def local_moment(at: datetime, zone: str) -> str:
    """A moment as people there read it, with the zone named: "Thu 2026-03-05 10:00 EST"."""
    return at.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M %Z")
