"""The bot's username for invite links made from the command line, asked of Telegram when nothing recorded it."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import TelegramError

from bot.cli.common import Env, api_bot
from bot.invite_links import BOT_USERNAME, known_bot_username
from storage.models import Meta
from storage.upsert import upsert

UNKNOWN_BOT_NOTE = "note: the bot's username is not known yet; set TELEGRAM_BOT_USERNAME or start the bot once."


async def bot_username(session: AsyncSession, env: Env) -> str | None:
    """TELEGRAM_BOT_USERNAME, else what the bot recorded when it last ran, else Telegram's getMe (recorded)."""
    known = await known_bot_username(session, env.settings.telegram_bot_username)
    if known is not None or env.settings.telegram_bot_token is None:
        return known
    try:
        async with api_bot(env.settings) as bot:  # initialising asks getMe
            asked = bot.username
    except TelegramError:
        return None  # offline or a wrong token: the invite is still made, with a note on the link
    await upsert(session, Meta, {"key": BOT_USERNAME, "value": asked}, key=["key"])
    return asked


def print_invite(title: str, link: str, expiry: str, *, bot_known: bool) -> None:
    """An invite as the person making it reads it; the note about an unknown bot on stderr."""
    console = Console()
    console.print(title, highlight=False)
    console.print(f"Invite link: {link}", highlight=False, soft_wrap=True)
    console.print(expiry, highlight=False)
    if not bot_known:
        Console(stderr=True).print(UNKNOWN_BOT_NOTE, highlight=False)
