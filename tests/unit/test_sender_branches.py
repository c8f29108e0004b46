"""The sender's ways of going wrong that the happy path hides: long texts in parts, a part that fails, odd errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Conflict, Forbidden, RetryAfter

from bot.sender import MESSAGE_LIMIT, Delivery, Outcome, Sender, split_message

BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("Acknowledge", callback_data="ack:1")]])


class Chat:
    """A bot whose `send_message` answers message ids 1, 2, … and fails the calls numbered in `failing`."""

    def __init__(self, failing: dict[int, Exception] | None = None) -> None:
        self.failing = failing or {}
        self.sent: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> Any:
        self.sent.append(kwargs)
        if (error := self.failing.get(len(self.sent))) is not None:
            raise error
        return SimpleNamespace(message_id=len(self.sent))


def long_text(parts: int) -> str:
    line = "a line of a long staff alert\n"
    return (line * (MESSAGE_LIMIT // len(line))).rstrip("\n") + "\n" + "\n".join(["tail"] * (parts - 1) * 1000)


async def test_a_long_text_goes_out_in_parts_in_order_with_the_buttons_on_the_last() -> None:
    chat = Chat()
    text = long_text(3)
    delivery = await Sender(chat).send_text(5, text, buttons=BUTTONS)  # type: ignore[arg-type]
    assert len(chat.sent) == len(split_message(text)) >= 3
    assert "\n".join(call["text"] for call in chat.sent) == text
    assert [call["reply_markup"] for call in chat.sent] == [None] * (len(chat.sent) - 1) + [BUTTONS]
    assert delivery == Delivery(Outcome.SENT, message_id=len(chat.sent))


@pytest.mark.parametrize("failing", [1, 2])
async def test_a_part_that_fails_stops_the_rest_and_is_the_outcome(failing: int) -> None:
    chat = Chat({failing: Forbidden("Forbidden: bot was blocked by the user")})
    delivery = await Sender(chat).send_text(5, long_text(3))  # type: ignore[arg-type]
    assert len(chat.sent) == failing
    assert delivery.outcome is Outcome.BLOCKED


async def test_an_unexpected_telegram_error_is_a_rejection_that_names_it() -> None:
    chat = Chat({1: Conflict("terminated by other getUpdates request")})
    delivery = await Sender(chat).send_text(5, "hello")  # type: ignore[arg-type]
    assert delivery.outcome is Outcome.REJECTED and not delivery.ok
    assert delivery.error == "Conflict: terminated by other getUpdates request"


async def test_a_429_says_so_in_its_error() -> None:
    delivery = await Sender(Chat({1: RetryAfter(7)})).send_text(5, "hello")  # type: ignore[arg-type]
    assert (delivery.outcome, delivery.retry_after, delivery.error) == (Outcome.RETRY, 7.0, "429")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("x" * 10, ["x" * 10]),  # exactly the limit: one part, no empty one after it
        ("x" * 11, ["x" * 10, "x"]),
        ("aaa\nbbb\nccc", ["aaa\nbbb", "ccc"]),  # cut at the last line end that fits, not the first
        ("a\n" + "b" * 12, ["a", "b" * 10, "bb"]),
        ("\n" + "b" * 12, ["\n" + "b" * 9, "b" * 3]),  # a line end at the very start is no place to cut
        ("aaaa\n  indented line", ["aaaa", "  indented", " line"]),  # only line ends are dropped at a cut
    ],
)
def test_split_message_edges(text: str, parts: list[str]) -> None:
    assert split_message(text, limit=10) == parts
