"""Updates of one chat in order, other chats alongside, and a crisis message never behind its chat's queue."""

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


async def test_one_chats_updates_wait_their_turn_but_a_crisis_does_not() -> None:
    processor = ChatOrderedUpdateProcessor()
    processor.urgent = lambda update: update.message is not None and update.message.text == "crisis"
    stuck = asyncio.Event()
    done: list[str] = []

    async def handle(name: str, until: asyncio.Event | None = None) -> None:
        if until is not None:
            await until.wait()
        done.append(name)

    first = asyncio.create_task(processor.process_update(text_update(1, 7, "slow"), handle("slow", stuck)))
    await asyncio.sleep(0)
    second = asyncio.create_task(processor.process_update(text_update(2, 7, "next"), handle("next")))
    other = asyncio.create_task(processor.process_update(text_update(3, 8, "other chat"), handle("other")))
    crisis = asyncio.create_task(processor.process_update(text_update(4, 7, "crisis"), handle("crisis")))
    await asyncio.wait_for(asyncio.gather(other, crisis), timeout=1)
    assert done == ["other", "crisis"] and not second.done()  # the same chat's next update still waits its turn
    stuck.set()
    await asyncio.wait_for(asyncio.gather(first, second), timeout=1)
    assert done == ["other", "crisis", "slow", "next"]
