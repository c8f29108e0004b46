"""Concurrent updates across chats, in order within a chat.

One patient's slow database write must not delay another patient's crisis reply, yet a patient's own
messages (a note right after a tap) must be handled in the order they were sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import UPDATE_SECONDS

log = logging.getLogger(__name__)


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    # Updates waiting for their chat's turn still hold one of these slots, so there are many: a flood from one
    # chat must never leave another chat's crisis message without one.
    def __init__(self, max_concurrent_updates: int = 1024) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        # A crisis message is answered before it waits for its chat's turn: the patient's earlier update may be
        # stuck on a busy database, and the answer to a crisis must not be. What follows the answer (the record,
        # the staff alert, the journal) still takes its turn, so a flood makes one alert and keeps its order.
        self.answer_first: Callable[[Update], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await _timed(coroutine)
            return
        if self.answer_first is not None:
            try:
                await self.answer_first(update)  # type: ignore[arg-type]
            except Exception:  # the guard answers in the update's turn instead
                log.exception("the early crisis reply failed")
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await _timed(coroutine)
        finally:
            self._users[chat.id] -= 1
            if self._users[chat.id] == 0:
                del self._users[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


async def _timed(coroutine: Awaitable[Any]) -> None:
    with UPDATE_SECONDS.time():
        await coroutine
