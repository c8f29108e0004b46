"""Writes that two processes may make at once: both succeed, the last value stands, nothing is duplicated."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.local import LocalBot
from storage.models import Meta
from storage.upsert import insert_ignoring_conflicts, upsert


async def test_an_upsert_inserts_then_updates_and_two_at_once_both_succeed(bot: LocalBot) -> None:
    async def write(value: str) -> None:
        async with bot.runtime.session() as session:
            await upsert(session, Meta, {"key": "probe", "value": value}, key=["key"])

    await write("first")
    await asyncio.gather(write("a"), write("b"))
    async with bot.runtime.session() as session:
        rows = (await session.scalars(select(Meta).where(Meta.key == "probe"))).all()
    assert len(rows) == 1 and rows[0].value in {"a", "b"}


async def test_inserts_ignoring_conflicts_count_only_new_rows_in_statements_below_the_parameter_limit(
    bot: LocalBot,
) -> None:
    rows = [{"key": f"k{i}", "value": str(i)} for i in range(20_000)]  # 40,000 parameters: more than one statement
    async with bot.runtime.session() as session:
        assert await insert_ignoring_conflicts(session, Meta, rows, key=["key"]) == 20_000
        assert await insert_ignoring_conflicts(session, Meta, rows[:10], key=["key"]) == 0
        assert await session.scalar(select(func.count()).select_from(Meta).where(Meta.key.like("k%"))) == 20_000
