"""The language of the bot's words to staff in Telegram."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import User

from bot.runtime import Runtime
from bot.staff.access import staff_by_telegram, staff_language


async def staff_reply_language(session: AsyncSession, rt: Runtime, user: User, *, personal: bool) -> str:
    """A reply only this member reads (a private chat, a button's answer) follows their own language, else the
    clinic's; a reply in a group follows the clinic's, which everyone there reads. Someone not on staff reads their
    app's language."""
    member = await staff_by_telegram(session, user.id)
    if member is None or not member.active:
        return rt.language_for(user.language_code)
    return staff_language(member, rt.clinic.clinic.language) if personal else rt.clinic.clinic.language
