"""Can a crisis alert reach anyone? The staff chat and the fallback contact, asked of Telegram itself.

Checked at start (logged loudly) and by `moodbot doctor`: each chat must be set, exist, hold the bot and let it
post. The staff chat should be a group; the fallback may be a person (an on-call clinician's private chat).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from telegram import Bot, Chat, ChatMember
from telegram.error import TelegramError

from bot.clinic import ClinicConfig

log = logging.getLogger(__name__)


class ChatState(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"  # not set in the clinic settings
    UNREACHABLE = "unreachable"  # Telegram does not know it, or the bot may not see it
    NOT_MEMBER = "not_member"  # the bot was removed from it
    CANNOT_POST = "cannot_post"  # the bot is in it but may not send messages
    PERSON = "person"  # a private chat where a group is expected


@dataclass(frozen=True, slots=True)
class ChatCheck:
    role: str  # "staff_chat" or "fallback"
    chat_id: int | None
    state: ChatState
    detail: str = ""

    @property
    def reachable(self) -> bool:
        """An alert sent here would arrive."""
        return self.state in (ChatState.OK, ChatState.PERSON)


async def check_chat(bot: Bot, role: str, chat_id: int | None) -> ChatCheck:
    if chat_id is None:
        return ChatCheck(role, None, ChatState.MISSING)
    try:
        chat = await bot.get_chat(chat_id)
        member = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError as exc:
        return ChatCheck(role, chat_id, ChatState.UNREACHABLE, exc.message)
    if member.status in (ChatMember.LEFT, ChatMember.BANNED):
        return ChatCheck(role, chat_id, ChatState.NOT_MEMBER, member.status)
    if member.status == ChatMember.RESTRICTED and not getattr(member, "can_send_messages", True):
        return ChatCheck(role, chat_id, ChatState.CANNOT_POST, "restricted")
    if chat.type == Chat.PRIVATE and role == "staff_chat":
        return ChatCheck(role, chat_id, ChatState.PERSON, "a private chat, not a group")
    return ChatCheck(role, chat_id, ChatState.OK, chat.title or chat.type)


async def check_alert_chats(bot: Bot, clinic: ClinicConfig) -> list[ChatCheck]:
    return [
        await check_chat(bot, "staff_chat", clinic.clinic.staff_chat_id),
        await check_chat(bot, "fallback", clinic.safety.fallback_chat_id),
    ]


def alerts_reach_someone(checks: list[ChatCheck]) -> bool:
    return any(check.reachable for check in checks)


def log_alert_chats(checks: list[ChatCheck]) -> None:
    """Loud when an alert could go nowhere; a warning for each chat that is not as it should be."""
    for check in checks:
        if check.state is ChatState.OK:
            log.info("%s %s reachable (%s)", check.role, check.chat_id, check.detail)
        elif not (check.role == "fallback" and check.state is ChatState.MISSING):
            log.error("%s %s: %s %s", check.role, check.chat_id, check.state.value, check.detail)
    if not alerts_reach_someone(checks):
        log.critical(
            "crisis alerts can reach no one: set a reachable staff_chat_id or fallback_chat_id in the clinic file "
            "(`moodbot doctor` shows what is wrong)"
        )
