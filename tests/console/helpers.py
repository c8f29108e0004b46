"""Signing staff in to the console through its ASGI app, as a browser would: the link, its form, the cookie."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.console.app import build_console
from bot.console.auth import issue_link
from bot.local import LocalBot
from storage.models import Staff, StaffRole

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def make_staff(
    bot: LocalBot,
    telegram_id: int,
    *,
    role: StaffRole = StaffRole.COUNSELOR,
    name: str = "Dr. Reyes",
    language: str | None = None,
) -> Staff:
    async with bot.runtime.session() as session:
        member = Staff(
            telegram_user_id=telegram_id, name=name, role=role, created_at=bot.clock.now(), language=language
        )
        session.add(member)
        await session.flush()
        return member


async def link_for(bot: LocalBot, member: Staff) -> str:
    async with bot.runtime.session() as session:
        token, _ = await issue_link(session, member=member, now=bot.clock.now())
    return f"/login/{token}"


@asynccontextmanager
async def browser(bot: LocalBot) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the console app that keeps cookies, as a browser does."""
    transport = httpx.ASGITransport(app=build_console(bot.runtime), client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
        yield client


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:500]
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, bot: LocalBot, member: Staff) -> str:
    """Open a fresh link, press "Sign in"; returns the session's CSRF token."""
    link = await link_for(bot, member)
    form = await client.get(link)
    assert form.status_code == 200, form.text
    done = await client.post(link, data={"csrf": csrf_of(form.text)})
    assert done.status_code == 303 and done.headers["location"] == "/", done.text
    return csrf_of((await client.get("/")).text)
