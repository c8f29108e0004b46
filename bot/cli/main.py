"""The `moodbot` command line."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from telegram.error import InvalidToken, NetworkError

from bot.cli import appointments, patients, safety, staff
from bot.cli.common import fail, load_env
from bot.cli.doctor import doctor
from bot.cli.export import export
from bot.logging_setup import configure_logging
from storage.migrate import upgrade

app = typer.Typer(
    help="Mood-journal, reminder and crisis-safety bot for infusion clinics.",
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
app.command("export")(export)
app.command("doctor")(doctor)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    env = load_env()
    upgrade(env.settings.database_url)
    typer.echo("database is up to date", err=True)


@app.command()
def run(
    webhook: Annotated[bool, typer.Option("--webhook", help="Receive updates by webhook (WEBHOOK_URL …).")] = False,
) -> None:
    """Run the bot (long polling unless --webhook)."""
    import asyncio

    from bot.app import build_application
    from bot.console.server import ConsoleError, serve
    from storage.db import create_engine, session_factory
    from storage.single_instance import AlreadyRunning, claim_database

    env = load_env()
    settings = env.settings
    if settings.telegram_bot_token is None:
        fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env", 2)
    token = settings.telegram_bot_token.get_secret_value()
    configure_logging(settings.log_level, secrets=[token])
    if webhook and (not settings.webhook_url or settings.webhook_secret is None):
        fail("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET to be set (the secret keeps forged updates out)", 2)
    try:
        claim_database(settings.database_url)
    except AlreadyRunning as exc:
        fail(str(exc), 2)
    upgrade(settings.database_url)
    engine = create_engine(settings.database_url, encryption_key=settings.encryption_key())

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
