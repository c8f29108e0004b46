"""The dispatcher keeps to the shared schedule even when its process stalls."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.local import LocalBot
from bot.outbox.dispatcher import Dispatcher, Prepared
from storage import outbox
from storage.models import OutboxMessage
from storage.outbox import Pace, Planned

PACE = Pace(
    per_second=10,
    private_gap=timedelta(seconds=1),
    group_gap=timedelta(seconds=3),
    horizon=timedelta(seconds=2),
    lease=timedelta(seconds=15),
)


class Hello:
    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared:
        return Prepared(row.chat_id or 0, f"hello {row.chat_id}")

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None:
        return None

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> int | None:
        return None


async def test_a_message_late_for_its_place_takes_a_new_one_instead_of_crowding_the_next_second(
    bot: LocalBot,
) -> None:
    stalls = [0.5]  # the first wait overruns by half a second, as a stalled process would

    async def sleep(seconds: float) -> None:
        bot.clock.advance(timedelta(seconds=seconds + (stalls.pop() if stalls else 0)))
        await asyncio.sleep(0)

    async with bot.runtime.session() as session:
        await outbox.enqueue(
            session,
            [Planned(key=f"h:{chat}", kind="hello", due_at=bot.clock.now(), chat_id=chat) for chat in (11, 12, 13)],
            now=bot.clock.now(),
        )
    report = await Dispatcher(bot.runtime, {"hello": Hello()}, PACE, sleep=sleep).run_once()
    assert report["rescheduled"] >= 1 and report["sent"] == 3
    for chat in (11, 12, 13):
        assert [m.text for m in bot.standin.sent(chat)] == [f"hello {chat}"]
