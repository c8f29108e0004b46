"""How a check-in looks in Telegram."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.texts import t


def score_keyboard(checkin_id: int, selected: int | None = None) -> InlineKeyboardMarkup:
    def button(score: int) -> InlineKeyboardButton:
        label = f"{score} ✓" if score == selected else str(score)
        return InlineKeyboardButton(label, callback_data=callbacks.score_tap(checkin_id, score))

    return InlineKeyboardMarkup([[button(s) for s in range(6)], [button(s) for s in range(6, 11)]])


def note_keyboard(checkin_id: int, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("checkin.skip", language), callback_data=callbacks.note_skip(checkin_id))]]
    )
