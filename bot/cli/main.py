"""The `moodbot` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from telegram.error import InvalidToken, NetworkError

from bot.cli import appointments, keys, patients, safety, staff
from bot.cli.common import OneLineErrors, fail, load_env, migrate, open_database, prepare_folder
from bot.cli.doctor import doctor
from bot.cli.export import export
from bot.logging_setup import configure_logging

app = typer.Typer(
    help="Mood-journal, reminder and crisis-safety bot for infusion clinics.",
    cls=OneLineErrors,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(patients.app, name="patients")
app.add_typer(staff.app, name="staff")
app.add_typer(appointments.app, name="appointments")
app.add_typer(safety.app, name="safety")
app.add_typer(db_app, name="db")
app.add_typer(keys.app, name="keys")
app.command("export")(export)
app.command("doctor")(doctor)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    env = load_env()
    migrate(env.settings)
    typer.echo("database is up to date", err=True)


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="The file to write the copy to.")],
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists.")] = False,
) -> None:
    """Copy the SQLite database, safely while the bot runs (PostgreSQL: use pg_dump)."""
    from sqlalchemy.engine import URL, make_url

    from storage.backup import BackupError, backup_sqlite
    from storage.db import is_sqlite, sqlite_file

    url = load_env().settings.database_url
    source = sqlite_file(url)
    if source is None and not is_sqlite(url):
        found = make_url(url)
        # The address without the driver pg_dump does not know, nor the password it should not see on a command line.
        address = URL.create(
            "postgresql", username=found.username, host=found.host, port=found.port, database=found.database
        )
        fail(f"db backup copies SQLite files; for PostgreSQL run: pg_dump --format=custom --file={path} '{address}'")
    if source is None:
        fail("DATABASE_URL names no file (an in-memory database); there is nothing to copy")
    try:
        size = backup_sqlite(source, path.absolute(), force=force)
    except BackupError as exc:
        fail(str(exc))
    typer.echo(f"backed up {source} to {path.absolute()} ({size:,} bytes); keep the encryption key safe too", err=True)


@app.command()
def run(
    webhook: Annotated[bool, typer.Option("--webhook", help="Receive updates by webhook (WEBHOOK_URL …).")] = False,
) -> None:
    """Run the bot (long polling unless --webhook)."""
    import asyncio

    from bot.app import build_application
    from bot.console.server import ConsoleError, serve
    from storage.db import session_factory
    from storage.single_instance import AlreadyRunning, claim_database

    env = load_env()
    settings = env.settings
    if settings.telegram_bot_token is None:
        fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env", 2)
    token = settings.telegram_bot_token.get_secret_value()
    configure_logging(settings.log_level, secrets=[token], log_format=settings.log_format)
    if webhook and (not settings.webhook_url or settings.webhook_secret is None):
        fail("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET to be set (the secret keeps forged updates out)", 2)
    prepare_folder(settings)  # the lock file sits beside the database
    try:
        claim_database(settings.database_url)
    except AlreadyRunning as exc:
        fail(str(exc), 2)
    engine = open_database(settings)

    async def dispose(_app: Any) -> None:
        await engine.dispose()

    application = build_application(settings, env.clinic, sessions=session_factory(engine), post_shutdown=dispose)
    try:
        asyncio.run(serve(application, settings, webhook=webhook))
    except ConsoleError as exc:
        fail(f"{exc}; set CONSOLE_PORT (0 turns the console off)", 2)
    except InvalidToken:
        fail("Telegram rejected TELEGRAM_BOT_TOKEN; copy it again from @BotFather", 2)
    except NetworkError as exc:
        fail(f"cannot reach the Bot API at {settings.telegram_api_base_url}: {type(exc).__name__}", 2)


@app.command()
def demo() -> None:
    """Run the real bot against the built-in Bot API stand-in and print a short conversation."""
    import asyncio

    from rich.console import Console

    from bot.demo import play

    env = load_env()
    configure_logging("WARNING", secrets=[])
    asyncio.run(play(env.clinic, Console()))


def main() -> None:
    app()
