"""`moodbot staff …`: who may use the staff commands and receive alerts."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import UserError, emit_json, load_env, with_session
from bot.clock import SystemClock
from storage.models import Staff, StaffRole

app = typer.Typer(help="Register clinic staff.", no_args_is_help=True)


def _row(member: Staff) -> dict[str, Any]:
    return {
        "id": member.id,
        "telegram_id": member.telegram_user_id,
        "name": member.name,
        "role": member.role.value,
        "created_at": member.created_at.isoformat(),
    }


@app.command("add")
def add(
    telegram_id: Annotated[int, typer.Option("--telegram-id", help="The person's numeric Telegram user id.")],
    name: Annotated[str, typer.Option("--name")],
    role: Annotated[StaffRole, typer.Option("--role", case_sensitive=False)] = StaffRole.COUNSELOR,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Register a staff member."""
    env = load_env()
    if telegram_id <= 0:
        raise typer.BadParameter("a Telegram user id is a positive number", param_hint="--telegram-id")
    if not name.strip():
        raise typer.BadParameter("give a name", param_hint="--name")

    async def work(session: AsyncSession) -> dict[str, Any]:
        if await session.scalar(select(Staff.id).where(Staff.telegram_user_id == telegram_id)) is not None:
            raise UserError(f"Telegram id {telegram_id} is already registered as staff")
        member = Staff(telegram_user_id=telegram_id, name=name.strip(), role=role, created_at=SystemClock().now())
        session.add(member)
        await session.flush()
        return _row(member)

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        Console().print(f"Staff #{result['id']} {result['name']} ({result['role']}) added.", highlight=False)


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List staff."""
    env = load_env()

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [_row(m) for m in await session.scalars(select(Staff).order_by(Staff.id))]

    rows = with_session(env, work)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "telegram id", "name", "role")
    for row in rows:
        table.add_row(str(row["id"]), str(row["telegram_id"]), row["name"], row["role"])
    Console().print(table)
