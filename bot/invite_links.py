"""Links that open a chat with the bot (t.me/<bot>?start=<code>): patients' and staff invites."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Meta

BOT_USERNAME = "bot_username"  # the Meta key the bot records its username under at start


async def known_bot_username(session: AsyncSession, configured: str | None) -> str | None:
    """TELEGRAM_BOT_USERNAME, else what the bot recorded when it last ran."""
    if configured:
        return configured.lstrip("@")
    return await session.scalar(select(Meta.value).where(Meta.key == BOT_USERNAME))


def start_link(username: str | None, code: str) -> str:
    return f"https://t.me/{username or '<bot>'}?start={code}"
