"""Button presses: the one place a press is parsed and a stale or forged one is answered."""

from __future__ import annotations

from typing import TypeVar

from telegram import CallbackQuery, MaybeInaccessibleMessage, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.runtime import Runtime, runtime
from bot.speaking import language_of
from bot.texts import t

Press = TypeVar("Press")


async def press_of(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: type[Press]
) -> tuple[Runtime, CallbackQuery, MaybeInaccessibleMessage, Press] | None:
    """The press if it is of `kind` and its message is known; anything else is answered as stale."""
    rt = runtime(context)
    query = update.callback_query
    assert query is not None
    press = callbacks.parse(query.data)
    if not isinstance(press, kind) or query.message is None:
        await rt.sender.answer(query, t("button.stale", await language_of(rt, query.from_user)))
        return None
    return rt, query, query.message, press
