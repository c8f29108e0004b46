"""Updates of one chat in order, other chats alongside, and a crisis message answered before its chat's queue."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import ChatOrderedUpdateProcessor


def text_update(update_id: int, chat_id: int, text: str) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        },
        None,
    )


async def test_a_crisis_is_answered_at_once_and_then_waits_its_chats_turn() -> None:
    processor = ChatOrderedUpdateProcessor()
    stuck = asyncio.Event()
    done: list[str] = []

    async def answer_first(update: Update) -> None:
        if update.message is not None and update.message.text == "crisis":
            done.append("crisis answered")

    processor.answer_first = answer_first

    async def handle(name: str, until: asyncio.Event | None = None) -> None:
        if until is not None:
            await until.wait()
        done.append(name)

    first = asyncio.create_task(processor.process_update(text_update(1, 7, "slow"), handle("slow", stuck)))
    await asyncio.sleep(0)
    second = asyncio.create_task(processor.process_update(text_update(2, 7, "next"), handle("next")))
    other = asyncio.create_task(processor.process_update(text_update(3, 8, "other chat"), handle("other")))
    crisis = asyncio.create_task(processor.process_update(text_update(4, 7, "crisis"), handle("crisis")))
    await asyncio.wait_for(other, timeout=1)
    for _ in range(10):
        await asyncio.sleep(0)
    # The answer went out while the chat's first update is stuck; the rest of the crisis update waits its turn.
    assert done == ["other", "crisis answered"] and not second.done() and not crisis.done()
    stuck.set()
    await asyncio.wait_for(asyncio.gather(first, second, crisis), timeout=1)
    assert done == ["other", "crisis answered", "slow", "next", "crisis"]


async def test_a_failed_early_answer_leaves_the_update_to_be_handled_in_turn() -> None:
    processor = ChatOrderedUpdateProcessor()

    async def broken(update: Update) -> None:
        raise RuntimeError("network down")

    processor.answer_first = broken
    done: list[str] = []

    async def handle() -> None:
        done.append("handled")

    await asyncio.wait_for(processor.process_update(text_update(1, 7, "crisis"), handle()), timeout=1)
    assert done == ["handled"]
