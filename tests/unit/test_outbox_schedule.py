"""The outbox's shared schedule: what any number of dispatchers on one database may claim, and when it may go."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import outbox
from storage.db import create_engine, session_factory, session_scope
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import Claim, Pace, Planned

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PACE = Pace(
    per_second=30,
    private_gap=timedelta(seconds=1),
    group_gap=timedelta(seconds=3),
    horizon=timedelta(seconds=2),
    lease=timedelta(seconds=15),
)
STAFF = -100123


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url, encryption_key="k")
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def plan(sessions: async_sessionmaker[AsyncSession], chats: list[int], *, prefix: str = "r") -> None:
    rows = [Planned(key=f"{prefix}:{n}", kind="x", due_at=NOW, chat_id=chat) for n, chat in enumerate(chats)]
    async with session_scope(sessions) as session:
        await outbox.enqueue(session, rows, now=NOW)


async def claim(
    sessions: async_sessionmaker[AsyncSession], at: datetime = NOW, pace: Pace = PACE, max_attempts: int = 8
) -> outbox.Claimed:
    async with session_scope(sessions) as session:
        return await outbox.claim_due(session, now=at, pace=pace, max_attempts=max_attempts)


async def mark_sent(sessions: async_sessionmaker[AsyncSession], claims: list[Claim]) -> None:
    async with session_scope(sessions) as session:
        for item in claims:
            row = await session.get_one(OutboxMessage, item.row_id)
            row.status, row.sent_at = OutboxStatus.SENT, item.send_at


def busiest_second(times: list[datetime]) -> int:
    """The most send times in any window [t, t + 1 s)."""
    ordered = sorted(times)
    return max((sum(1 for u in ordered[i:] if u - t < timedelta(seconds=1)) for i, t in enumerate(ordered)), default=0)


async def test_claims_reach_only_the_horizon_and_are_spaced_at_the_pace(sessions: async_sessionmaker) -> None:
    await plan(sessions, list(range(1, 501)))
    first = await claim(sessions)
    assert len(first.rows) == 60 and first.waiting  # 2 seconds at 30 a second, no burst on top
    times = [c.send_at for c in first.rows]
    assert times[0] == NOW and busiest_second(times) == 30
    assert {b - a for a, b in itertools.pairwise(times)} == {timedelta(microseconds=33_334)}
    # Another dispatcher (any instance) claiming at the same moment finds the schedule full.
    assert (await claim(sessions)).rows == []


async def test_two_dispatchers_continue_one_schedule(sessions: async_sessionmaker) -> None:
    await plan(sessions, list(range(1, 2001)))
    times: list[datetime] = []
    ids: list[int] = []
    at = NOW
    while True:
        for _ in range(2):  # two instances, turn by turn
            claimed = await claim(sessions, at)
            await mark_sent(sessions, claimed.rows)
            times += [c.send_at for c in claimed.rows]
            ids += [c.row_id for c in claimed.rows]
        if len(ids) == 2000:
            break
        at += timedelta(milliseconds=700)
    assert len(set(ids)) == 2000  # each row claimed once
    assert busiest_second(times) <= 30
    assert max(times) - NOW >= timedelta(seconds=2000 / 30 - 1)  # and the pace is used, not wasted


async def test_one_message_per_chat_in_flight_and_a_gap_after_it(sessions: async_sessionmaker) -> None:
    await plan(sessions, [7, 7, 7, STAFF, STAFF])
    first = await claim(sessions)
    assert len(first.rows) == 2 and first.waiting  # one for the person, one for the staff group
    assert (await claim(sessions)).rows == []  # both still in flight
    await mark_sent(sessions, first.rows)
    assert (await claim(sessions, NOW + timedelta(milliseconds=500))).rows == []
    after_a_second = await claim(sessions, NOW + timedelta(seconds=1, milliseconds=1))
    assert len(after_a_second.rows) == 1  # the person's next; the group waits three seconds, not sleeping anywhere
    await mark_sent(sessions, after_a_second.rows)
    later = await claim(sessions, NOW + timedelta(seconds=3, milliseconds=100))
    chats = await chats_of(sessions, [c.row_id for c in later.rows])
    assert sorted(chats) == [STAFF, 7]


async def chats_of(sessions: async_sessionmaker, ids: list[int]) -> list[int]:
    async with session_scope(sessions) as session:
        return list(await session.scalars(select(OutboxMessage.chat_id).where(OutboxMessage.id.in_(ids))))


async def test_a_dead_dispatchers_rows_are_taken_over_after_the_lease_and_a_live_ones_are_not(
    sessions: async_sessionmaker,
) -> None:
    await plan(sessions, [1, 2, 3])
    dead = await claim(sessions)
    assert len(dead.rows) == 3
    live = [dead.rows[0].row_id]
    async with session_scope(sessions) as session:
        await outbox.renew(session, live, now=NOW + timedelta(seconds=10))
    assert (await claim(sessions, NOW + timedelta(seconds=14))).rows == []
    taken = await claim(sessions, NOW + timedelta(seconds=16))
    assert sorted(c.row_id for c in taken.rows) == sorted(c.row_id for c in dead.rows[1:])
    assert next(c.send_at for c in taken.rows) == NOW + timedelta(seconds=16)


async def test_a_row_taken_again_and_again_is_given_up(sessions: async_sessionmaker) -> None:
    await plan(sessions, [1])
    at = NOW
    for _ in range(3):
        assert len((await claim(sessions, at, max_attempts=3)).rows) == 1
        at += timedelta(seconds=16)
    assert (await claim(sessions, at, max_attempts=3)).rows == []
    async with session_scope(sessions) as session:
        row = (await session.scalars(select(OutboxMessage))).one()
    assert row.status is OutboxStatus.FAILED and row.last_error == "gave up after 3 attempts"


async def test_a_row_not_yet_due_is_not_claimed(sessions: async_sessionmaker) -> None:
    await plan(sessions, [1])
    async with session_scope(sessions) as session:
        await session.execute(update(OutboxMessage).values(next_attempt_at=NOW + timedelta(seconds=30)))
    claimed = await claim(sessions)
    assert claimed.rows == [] and not claimed.waiting
    assert len((await claim(sessions, NOW + timedelta(seconds=30))).rows) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    chats=st.lists(st.integers(min_value=-3, max_value=40).filter(bool), min_size=1, max_size=120),
    steps=st.lists(st.integers(min_value=0, max_value=1500), min_size=1, max_size=40),
)
async def test_no_window_ever_holds_more_than_the_pace_or_a_chat_twice_a_second(
    database_url: str, chats: list[int], steps: list[int]
) -> None:
    engine = create_engine(database_url, encryption_key="k")
    sessions = session_factory(engine)
    try:
        async with session_scope(sessions) as session:
            await session.execute(OutboxMessage.__table__.delete())
        await plan(sessions, chats)
        sent: list[tuple[int, datetime]] = []
        at = NOW
        for step in steps:
            claimed = await claim(sessions, at)
            await mark_sent(sessions, claimed.rows)
            sent += list(
                zip(await chats_of_in_order(sessions, claimed.rows), [c.send_at for c in claimed.rows], strict=True)
            )
            at += timedelta(milliseconds=step)
        assert busiest_second([when for _, when in sent]) <= PACE.per_second
        for chat in {chat for chat, _ in sent}:
            times = sorted(when for c, when in sent if c == chat)
            gap = PACE.group_gap if chat < 0 else PACE.private_gap
            assert all(b - a >= gap for a, b in itertools.pairwise(times))
    finally:
        await engine.dispose()


async def chats_of_in_order(sessions: async_sessionmaker, claims: list[Claim]) -> list[int]:
    async with session_scope(sessions) as session:
        found = {
            row.id: row.chat_id
            for row in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_([c.row_id for c in claims]))
            )
        }
    return [found[c.row_id] for c in claims]
