"""The outbox's claims and give-backs at their edges: what mutation testing of `storage/outbox.py` showed untested.

A row sent at once is never taken twice and never stranded, a lease that was renewed still runs out, a late row
given back keeps its attempts and leaves every other row alone, and cancelling never rewrites what has gone out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.enrollment.service import create_patient
from storage import outbox
from storage.db import create_engine, session_factory, session_scope
from storage.models import Meta, OutboxMessage, OutboxStatus
from storage.outbox import Claimed, Pace, Planned
from tests.conftest import TEST_DATABASE_URL
from tests.unit.test_outbox_schedule import PACE

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MAX_ATTEMPTS = 8
SECOND = timedelta(seconds=1)

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    engine = create_engine(database_url, encryption_key="k")
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def plan(sessions: Sessions, chats: list[int], *, prefix: str = "r") -> list[int]:
    """One row due now per chat; returns their ids in the order of `chats`."""
    planned = [Planned(key=f"{prefix}:{n}", kind="x", due_at=NOW, chat_id=chat) for n, chat in enumerate(chats)]
    async with session_scope(sessions) as session:
        await outbox.enqueue(session, planned, now=NOW)
    async with session_scope(sessions) as session:
        rows = {r.idempotency_key: r.id for r in await session.scalars(select(OutboxMessage))}
    return [rows[p.key] for p in planned]


async def claim(sessions: Sessions, at: datetime = NOW) -> Claimed:
    async with session_scope(sessions) as session:
        return await outbox.claim_due(session, now=at, pace=PACE, max_attempts=MAX_ATTEMPTS)


async def claim_one(sessions: Sessions, row_id: int, at: datetime = NOW) -> bool:
    async with session_scope(sessions) as session:
        return await outbox.claim_one(session, row_id=row_id, now=at)


async def reschedule(sessions: Sessions, row_id: int, at: datetime) -> None:
    async with session_scope(sessions) as session:
        await outbox.reschedule(session, row_id, now=at)


async def load(sessions: Sessions, row_id: int) -> OutboxMessage:
    async with session_scope(sessions) as session:
        return await session.get_one(OutboxMessage, row_id)


def ids(claimed: Claimed) -> list[int]:
    return [c.row_id for c in claimed.rows]


# --- A row sent at once (crisis alerts) -----------------------------------------------------------------------


async def test_a_row_sent_at_once_is_taken_by_one_caller_only_while_it_is_in_flight(sessions: Sessions) -> None:
    [alert] = await plan(sessions, [-100123])
    assert await claim_one(sessions, alert)
    # A second instance reacting to the same crisis, and the scheduled claims, leave it to the first.
    assert not await claim_one(sessions, alert)
    assert ids(await claim(sessions)) == []
    taken = await load(sessions, alert)
    assert (taken.status, taken.attempts) == (OutboxStatus.SENDING, 1)


async def test_a_row_sent_at_once_by_an_instance_that_died_is_taken_over_after_the_lease(sessions: Sessions) -> None:
    [alert] = await plan(sessions, [-100123])
    assert await claim_one(sessions, alert)
    assert ids(await claim(sessions, NOW + PACE.lease - SECOND)) == []
    assert ids(await claim(sessions, NOW + PACE.lease + SECOND)) == [alert]
    assert (await load(sessions, alert)).attempts == 2


# --- Leases ---------------------------------------------------------------------------------------------------


async def test_a_renewed_claim_still_runs_out_when_its_dispatcher_dies_after_renewing(sessions: Sessions) -> None:
    [row_id] = await plan(sessions, [7])
    assert ids(await claim(sessions)) == [row_id]
    renewed_at = NOW + timedelta(seconds=10)
    async with session_scope(sessions) as session:
        await outbox.renew(session, [row_id], now=renewed_at)
    assert ids(await claim(sessions, renewed_at + PACE.lease - SECOND)) == []
    # Not renewed again: the dispatcher is gone, and its row must not stay in flight for ever.
    assert ids(await claim(sessions, renewed_at + PACE.lease + SECOND)) == [row_id]


# --- Giving a late row back -----------------------------------------------------------------------------------


async def test_a_row_given_back_again_and_again_is_never_given_up_and_keeps_its_attempts(sessions: Sessions) -> None:
    """A stalled process gives its late rows back; that is no failed send, so it must not use up the attempts
    that decide the back-off and when a row is given up."""
    [row_id] = await plan(sessions, [7])
    at = NOW
    for _ in range(MAX_ATTEMPTS * 2):
        assert ids(await claim(sessions, at)) == [row_id]
        assert (await load(sessions, row_id)).attempts == 1
        at += SECOND
        await reschedule(sessions, row_id, at)
        back = await load(sessions, row_id)
        assert (back.status, back.attempts) == (OutboxStatus.PENDING, 0)
        at += SECOND  # past the chat's gap: nothing was sent to it
    assert (await load(sessions, row_id)).status is OutboxStatus.PENDING


async def test_giving_one_row_back_leaves_the_other_rows_in_flight_alone(sessions: Sessions) -> None:
    late, *others = await plan(sessions, [1, 2, 3])
    assert sorted(ids(await claim(sessions))) == sorted([late, *others])
    await reschedule(sessions, late, NOW + SECOND)
    # Only the late row is claimed again; the others are still being sent and must not go out twice.
    assert ids(await claim(sessions, NOW + SECOND)) == [late]
    for row_id in others:
        still = await load(sessions, row_id)
        assert (still.status, still.attempts) == (OutboxStatus.SENDING, 1)


async def test_a_row_taken_over_and_sent_is_not_given_back_by_the_stalled_dispatcher(sessions: Sessions) -> None:
    [row_id] = await plan(sessions, [7])
    assert ids(await claim(sessions)) == [row_id]  # a dispatcher that then stalls past its lease
    takeover = NOW + PACE.lease + SECOND
    assert ids(await claim(sessions, takeover)) == [row_id]  # another instance takes it over and sends it
    async with session_scope(sessions) as session:
        sent = await session.get_one(OutboxMessage, row_id)
        sent.status, sent.sent_at = OutboxStatus.SENT, takeover
    # The stalled dispatcher wakes up, finds itself late, and gives back what it still thinks is its row.
    await reschedule(sessions, row_id, takeover + SECOND)
    assert (await load(sessions, row_id)).status is OutboxStatus.SENT
    assert ids(await claim(sessions, takeover + timedelta(minutes=5))) == []


# --- Cancelling -----------------------------------------------------------------------------------------------


async def patient_with_history(sessions: Sessions) -> int:
    """A patient with one check-in sent, one failed (a blocked chat) and one still to go."""
    async with session_scope(sessions) as session:
        patient = await create_patient(
            session, name="Ana", timezone="America/New_York", checkin_time=time(20), country="US", language="en",
            now=NOW,
        )  # fmt: skip
        planned = [
            Planned(key=f"checkin:{name}", kind="checkin", due_at=NOW, chat_id=7, patient_id=patient.id)
            for name in ("sent", "failed", "pending")
        ]
        await outbox.enqueue(session, planned, now=NOW)
        patient_id = patient.id
    async with session_scope(sessions) as session:
        for row in await session.scalars(select(OutboxMessage)):
            if row.idempotency_key == "checkin:sent":
                row.status, row.sent_at = OutboxStatus.SENT, NOW
            elif row.idempotency_key == "checkin:failed":
                row.status, row.last_error = OutboxStatus.FAILED, "403 blocked"
    return patient_id


async def test_cancelling_all_of_a_patients_rows_leaves_what_has_gone_out(sessions: Sessions) -> None:
    patient_id = await patient_with_history(sessions)
    async with session_scope(sessions) as session:
        assert await outbox.cancel_pending(session, patient_id=patient_id, reason="deactivated") == 1
    async with session_scope(sessions) as session:
        rows = {r.idempotency_key: (r.status, r.last_error) for r in await session.scalars(select(OutboxMessage))}
    assert rows == {
        "checkin:sent": (OutboxStatus.SENT, None),
        "checkin:failed": (OutboxStatus.FAILED, "403 blocked"),
        "checkin:pending": (OutboxStatus.CANCELLED, "deactivated"),
    }
    # Nothing left to cancel: it says so.
    async with session_scope(sessions) as session:
        assert await outbox.cancel_pending(session, patient_id=patient_id, reason="again") == 0
        assert await outbox.cancel_pending(session, patient_id=patient_id, kinds=["checkin"], reason="again") == 0


# --- Where and in what order rows go on the schedule ----------------------------------------------------------


async def test_a_claim_between_two_seconds_places_its_first_row_at_that_instant(sessions: Sessions) -> None:
    """Not a fraction of a second earlier: a place in the past would make the row late before it is even prepared."""
    first, second = await plan(sessions, [1, 2])
    at = NOW + timedelta(seconds=3, microseconds=654_321)
    claimed = await claim(sessions, at)
    assert [(c.row_id, c.send_at) for c in claimed.rows] == [
        (first, at),
        (second, at + timedelta(microseconds=33_334)),
    ]


async def test_the_row_waiting_longest_goes_first_when_not_all_fit(sessions: Sessions) -> None:
    """Rows planned later can be due earlier (a retry, a reminder): what has waited longest takes the free place."""
    planned = [
        Planned(key="checkin", kind="x", due_at=NOW, chat_id=1),
        Planned(key="retry", kind="x", due_at=NOW - timedelta(hours=1), chat_id=2),
    ]
    async with session_scope(sessions) as session:
        await outbox.enqueue(session, planned, now=NOW)
    one_place = Pace(per_second=1, private_gap=SECOND, group_gap=3 * SECOND, horizon=SECOND, lease=PACE.lease)
    async with session_scope(sessions) as session:
        claimed = await outbox.claim_due(session, now=NOW, pace=one_place, max_attempts=MAX_ATTEMPTS)
        [taken] = [(await session.get_one(OutboxMessage, c.row_id)).idempotency_key for c in claimed.rows]
    assert taken == "retry" and claimed.waiting


async def test_a_row_given_up_does_not_hold_back_the_rows_behind_it(sessions: Sessions) -> None:
    stuck, fine = await plan(sessions, [1, 2])
    async with session_scope(sessions) as session:
        row = await session.get_one(OutboxMessage, stuck)
        row.attempts = MAX_ATTEMPTS  # taken again and again without an outcome
    assert ids(await claim(sessions)) == [fine]
    assert (await load(sessions, stuck)).status is OutboxStatus.FAILED


# --- A chat's gap and a claim's lease, to the microsecond ------------------------------------------------------


async def mark_sent(sessions: Sessions, row_ids: list[int], at: datetime) -> None:
    async with session_scope(sessions) as session:
        for row_id in row_ids:
            row = await session.get_one(OutboxMessage, row_id)
            row.status, row.sent_at = OutboxStatus.SENT, at


async def test_the_staff_group_gets_one_message_every_three_seconds_and_a_person_one_a_second(
    sessions: Sessions,
) -> None:
    group = -100123
    first_to_group, first_to_person = await plan(sessions, [group, 7])
    await mark_sent(sessions, [first_to_group, first_to_person], NOW)
    next_to_group, next_to_person = await plan(sessions, [group, 7], prefix="next")
    # A person's gap is over after exactly one second; the group's is not over for three.
    assert ids(await claim(sessions, NOW + SECOND)) == [next_to_person]
    await mark_sent(sessions, [next_to_person], NOW + SECOND)
    assert ids(await claim(sessions, NOW + 2 * SECOND)) == []
    assert ids(await claim(sessions, NOW + 3 * SECOND - timedelta(microseconds=1))) == []
    assert ids(await claim(sessions, NOW + 3 * SECOND)) == [next_to_group]


async def test_a_claim_exactly_one_lease_old_is_still_its_dispatchers(sessions: Sessions) -> None:
    """At the lease's last instant a row is neither taken over nor joined by another message to its chat; a row
    without a chat is not taken over either."""
    in_flight, chatless = await plan(sessions, [7, 0])
    async with session_scope(sessions) as session:
        row = await session.get_one(OutboxMessage, chatless)
        row.chat_id = None
    assert sorted(ids(await claim(sessions))) == sorted([in_flight, chatless])
    [same_chat] = await plan(sessions, [7], prefix="next")
    assert ids(await claim(sessions, NOW + SECOND)) == []
    assert ids(await claim(sessions, NOW + PACE.lease)) == []
    after = NOW + PACE.lease + timedelta(microseconds=1)
    # Only then are both taken over; the chat's next message still waits behind its first.
    assert sorted(ids(await claim(sessions, after))) == sorted([in_flight, chatless])
    assert (await load(sessions, same_chat)).status is OutboxStatus.PENDING


# --- Dropping what is too late ---------------------------------------------------------------------------------


async def test_dropping_what_is_too_late_leaves_rows_that_already_ended_as_they_ended(sessions: Sessions) -> None:
    keys = ["sent", "failed", "cancelled", "pending", "sending"]
    planned = [Planned(key=k, kind="x", due_at=NOW, chat_id=n + 1, not_after=NOW) for n, k in enumerate(keys)]
    async with session_scope(sessions) as session:
        await outbox.enqueue(session, planned, now=NOW)
    async with session_scope(sessions) as session:
        for row in await session.scalars(select(OutboxMessage)):
            row.status = OutboxStatus(row.idempotency_key)
    async with session_scope(sessions) as session:
        assert await outbox.drop_expired(session, now=NOW + SECOND) == 2
    async with session_scope(sessions) as session:
        statuses = {r.idempotency_key: r.status for r in await session.scalars(select(OutboxMessage))}
    assert statuses == {
        "sent": OutboxStatus.SENT,
        "failed": OutboxStatus.FAILED,
        "cancelled": OutboxStatus.CANCELLED,
        "pending": OutboxStatus.DROPPED,
        "sending": OutboxStatus.DROPPED,
    }


# --- Two instances claiming at once (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite's one writer serialises claims by itself")
async def test_two_instances_claiming_at_once_share_one_schedule(sessions: Sessions) -> None:
    """On PostgreSQL two instances' claims run at the same time; the second must wait for the first, or both read the
    same next free place and put two messages in each: the pace doubled."""
    await plan(sessions, [1, 2, 3, 4])
    async with session_scope(sessions) as session:
        session.add(Meta(key=outbox.NEXT_SEND_KEY, value="0"))

    async def claim_two(session: AsyncSession) -> Claimed:
        return await outbox.claim_due(session, now=NOW, pace=PACE, max_attempts=MAX_ATTEMPTS, limit=2)

    async def second_instance() -> Claimed:
        async with session_scope(sessions) as session:
            return await claim_two(session)

    async with session_scope(sessions) as first_session:
        first = await claim_two(first_session)
        second_task = asyncio.create_task(second_instance())
        # The second claim has gone as far as it can while the first is open: it waits for a lock, or is done.
        async with asyncio.timeout(10):
            while not (second_task.done() or await waiting_for_a_lock(sessions)):
                continue  # each look at the locks is a round trip, in which the second claim goes on
    second = await second_task
    places = [c.send_at for c in [*first.rows, *second.rows]]
    assert len(first.rows) == len(second.rows) == 2
    assert len(set(places)) == 4 and {c.row_id for c in first.rows}.isdisjoint(c.row_id for c in second.rows)


async def waiting_for_a_lock(sessions: Sessions) -> bool:
    async with session_scope(sessions) as session:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE NOT l.granted AND d.datname = current_database()"
            )
        )
    return bool(waiting)
