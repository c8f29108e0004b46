"""`moodbot doctor`: what the set-up has, and whether the crisis path is whole.

Every check is ok, warn or fail. The exit status is 1 when any check fails: the crisis path is degraded (no
database to record alerts in, settings that cannot load, no learned layer, no chat an alert can reach, a key that
cannot read what is stored).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict, dataclass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import TelegramError

from bot.cli.common import api_bot, describe_database
from bot.clinic import ClinicConfig, load_clinic_config
from bot.errors import ConfigError
from bot.safety.alert_chats import ChatState, alerts_reach_someone, check_alert_chats
from bot.safety.model import load_packaged
from bot.settings import Settings, load_settings

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: str
    detail: str


def doctor(json_output: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False) -> None:
    """Check the database, clinic settings, staff chats, detector model and encryption key."""
    checks = asyncio.run(_checks())
    degraded = any(check.status == FAIL for check in checks)
    if json_output:
        document = {"degraded": degraded, "checks": [asdict(check) for check in checks]}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table("check", "status", "detail", title="moodbot doctor")
        colour = {OK: "green", WARN: "yellow", FAIL: "red"}
        for check in checks:
            table.add_row(check.name, f"[{colour[check.status]}]{check.status}[/]", check.detail)
        console = Console()
        console.print(table)
        console.print(
            "[red]the crisis path is degraded[/red]" if degraded else "[green]the crisis path is whole[/green]"
        )
    if degraded:
        raise typer.Exit(1)


async def _checks() -> list[Check]:
    checks: list[Check] = []
    try:
        settings = load_settings()
        clinic = load_clinic_config(settings.clinic_config)
    except ConfigError as exc:
        return [Check("settings", FAIL, str(exc))]
    checks.append(Check("settings", OK, f"clinic {clinic.clinic.name!r}, file {settings.clinic_config or 'built-in'}"))
    home = settings.moodbot_home
    checks.append(Check("data folder", OK, str(home) if home.is_dir() else f"{home} (made on first use)"))
    checks.extend(await _database(settings))
    model = await asyncio.to_thread(load_packaged)
    if model is None:
        checks.append(Check("detector model", FAIL, "the learned layer could not be loaded; the rules alone decide"))
    else:
        checks.append(
            Check("detector model", OK, f"{model.meta.get('examples')} examples, corpus {model.meta['corpus'][:12]}")
        )
    checks.extend(await _alert_chats(settings, clinic))
    return checks


async def _database(settings: Settings) -> list[Check]:
    from storage.crypto import generate_key
    from storage.db import create_engine, session_factory, session_scope, sqlite_file
    from storage.health import current_revision
    from storage.migrate import head_revision

    url = settings.database_url
    where = f"{describe_database(url)} ({'default' if settings.database_is_default else 'DATABASE_URL'})"
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return [Check("database", FAIL, f"{where}: not there yet: run `moodbot db upgrade`")]
    try:
        key: str | None = settings.stored_key()
    except ConfigError as exc:
        key, unreadable = None, Check("encryption key", FAIL, str(exc))
    else:
        unreadable = None
    # Without a key the engine gets a throwaway one: then the doctor only asks whether anything is encrypted.
    engine = create_engine(url, encryption_key=key or generate_key(), previous_keys=settings.previous_keys())
    try:
        try:
            revision = await current_revision(engine)
        except Exception as exc:
            return [Check("database", FAIL, f"{where}: cannot connect: {type(exc).__name__}")]
        head = head_revision()
        if revision != head:
            expected = f"schema at {revision or 'nothing'}, expected {head}: run `moodbot db upgrade`"
            return [Check("database", FAIL, f"{where}: {expected}")]
        async with session_scope(session_factory(engine)) as session:
            found = unreadable or await _key(settings, key, session)
        return [Check("database", OK, f"{where}, schema at {revision}"), found]
    finally:
        await engine.dispose()


async def _key(settings: Settings, key: str | None, session: AsyncSession) -> Check:
    from storage.keycheck import holds_encrypted_data, key_opens

    source = settings.key_source()
    if key is None:
        if await holds_encrypted_data(session):
            return Check("encryption key", FAIL, f"{source} is missing and the database holds encrypted data")
        return Check("encryption key", OK, f"{source}, made on first use")
    opens = await key_opens(session)
    if opens is None:
        return Check("encryption key", OK, f"{source}; nothing stored yet")
    if opens:
        return Check("encryption key", OK, f"{source}; opens what is stored")
    return Check("encryption key", FAIL, f"{source} does not open what is stored")


async def _alert_chats(settings: Settings, clinic: ClinicConfig) -> list[Check]:
    if settings.telegram_bot_token is None:
        return [Check("staff chats", WARN, "not checked: TELEGRAM_BOT_TOKEN is not set")]
    try:
        async with api_bot(settings) as bot:
            found = await check_alert_chats(bot, clinic)
    except TelegramError as exc:
        return [Check("staff chats", FAIL, f"cannot reach the Bot API: {type(exc).__name__}")]
    reachable = alerts_reach_someone(found)
    checks = []
    for chat in found:
        if chat.state is ChatState.OK:
            status = OK
        elif chat.reachable or (chat.role == "fallback" and chat.state is ChatState.MISSING):
            status = WARN
        else:
            status = WARN if reachable else FAIL
        detail = f"{chat.chat_id}: {chat.state.value}" + (f" ({chat.detail})" if chat.detail else "")
        checks.append(Check(chat.role.replace("_", " "), status, detail))
    return checks
