"""`moodbot staff …`: who may use the staff commands and receive alerts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import Env, UserError, cli_actor, emit_json, load_env, local_moment, with_session
from bot.cli.links import bot_username, print_invite
from bot.clock import SystemClock
from bot.console.auth import issue_link
from bot.invite_links import start_link
from bot.staff.invites import DAYS, issue_staff_invite
from bot.staff.manage import StaffError, add_staff, deactivate, set_role
from storage.models import Staff, StaffRole

app = typer.Typer(help="Register clinic staff.", no_args_is_help=True)


def _row(member: Staff) -> dict[str, Any]:
    return {
        "id": member.id,
        "telegram_id": member.telegram_user_id,
        "name": member.name,
        "role": member.role.value,
        "state": "active" if member.active else "deactivated",
        "created_at": member.created_at.isoformat(),
    }


def _change(env: Env, change: Callable[[AsyncSession], Awaitable[Staff]]) -> dict[str, Any]:
    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            return _row(await change(session))
        except StaffError as exc:
            raise UserError(str(exc)) from None

    return with_session(env, work)


def _print(result: dict[str, Any], as_json: bool, done: str) -> None:
    if as_json:
        emit_json(result)
    else:
        Console().print(f"Staff #{result['id']} {result['name']} ({result['role']}) {done}.", highlight=False)


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
    now = SystemClock().now()
    result = _change(
        env,
        lambda s: add_staff(s, telegram_id=telegram_id, name=name, role=role, now=now, actor=cli_actor()),
    )
    _print(result, as_json, "added")


@app.command("deactivate")
def deactivate_(
    staff_id: Annotated[int, typer.Argument(help="The staff member's id (moodbot staff list).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stop a staff member: no more console, staff commands or acknowledgements; their sessions end now."""
    env = load_env()
    now = SystemClock().now()
    _print(_change(env, lambda s: deactivate(s, staff_id=staff_id, now=now, actor=cli_actor())), as_json, "deactivated")


@app.command("set-role")
def set_role_(
    staff_id: Annotated[int, typer.Argument(help="The staff member's id (moodbot staff list).")],
    role: Annotated[StaffRole, typer.Argument(case_sensitive=False)],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Make a staff member a counselor or an admin."""
    env = load_env()
    now = SystemClock().now()
    result = _change(env, lambda s: set_role(s, staff_id=staff_id, role=role, now=now, actor=cli_actor()))
    _print(result, as_json, "is now " + role.value)


@app.command("login-link")
def login_link(
    staff_id: Annotated[int, typer.Argument(help="The staff member's id (moodbot staff list).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A one-time link into the web console for a staff member, valid 10 minutes."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        member = await session.get(Staff, staff_id)
        if member is None or not member.active:
            raise UserError(f"there is no active staff member #{staff_id}")
        token, expires = await issue_link(session, member=member, now=now)
        return {"url": f"{env.settings.console_base()}/login/{token}", "expires_at": expires.isoformat()}

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        Console().print(f"{result['url']}\nworks once, until {result['expires_at']}", highlight=False, soft_wrap=True)


@app.command("invite")
def invite(
    name: Annotated[str, typer.Option("--name", help="The name the clinic knows them by.")],
    role: Annotated[StaffRole, typer.Option("--role", case_sensitive=False)] = StaffRole.COUNSELOR,
    days: Annotated[int, typer.Option("--days", min=1, max=30, help="How long the link works.")] = DAYS,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A one-time link that registers whoever opens it in Telegram as staff: no Telegram id needed."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            made, code = await issue_staff_invite(session, name=name, role=role, now=now, actor=cli_actor(), days=days)
        except StaffError as exc:
            raise UserError(str(exc)) from None
        username = await bot_username(session, env)
        return {
            "name": made.name,
            "role": made.role.value,
            "invite_link": start_link(username, code),
            "expires_at": made.expires_at.isoformat(),
            "expires_local": local_moment(made.expires_at, env.clinic.clinic.timezone),
            "bot_username_known": username is not None,
        }

    result = with_session(env, work)
    if as_json:
        emit_json(result)
        return
    print_invite(
        f"Staff invite for {result['name']} ({result['role']})",
        result["invite_link"],
        f"Works once, until {result['expires_local']}. Send it to them privately.",
        bot_known=result["bot_username_known"],
    )


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
    table = Table("id", "telegram id", "name", "role", "state")
    for row in rows:
        table.add_row(str(row["id"]), str(row["telegram_id"]), row["name"], row["role"], row["state"])
    Console().print(table)
