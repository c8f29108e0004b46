"""The outbox of scheduled messages: enqueue idempotently, claim what is due, record what happened."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Meta, OutboxMessage, OutboxStatus
from storage.upsert import insert_ignoring_conflicts


@dataclass(frozen=True, slots=True)
class Planned:
    key: str
    kind: str
    due_at: datetime
    chat_id: int | None = None
    patient_id: int | None = None
    not_after: datetime | None = None
    payload: dict[str, Any] | None = None


async def enqueue(session: AsyncSession, planned: Sequence[Planned], *, now: datetime) -> int:
    rows = [
        {
            "idempotency_key": p.key,
            "kind": p.kind,
            "patient_id": p.patient_id,
            "chat_id": p.chat_id,
            "payload": p.payload or {},
            "due_at": p.due_at,
            "not_after": p.not_after,
            "status": OutboxStatus.PENDING,
            "next_attempt_at": p.due_at,
            "attempts": 0,
            "created_at": now,
        }
        for p in planned
    ]
    return await insert_ignoring_conflicts(session, OutboxMessage, rows, key=["idempotency_key"])


async def drop_expired(session: AsyncSession, *, now: datetime) -> int:
    """Rows that can no longer go out in time are dropped, and say so, rather than sent late."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.not_after.is_not(None),
            OutboxMessage.not_after < now,
        )
        .values(status=OutboxStatus.DROPPED, last_error="too late to send")
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast scheduled messages may leave, summed over every instance that shares the database."""

    per_second: float  # all scheduled messages together
    private_gap: timedelta  # between two messages to one person
    group_gap: timedelta  # between two messages to one group (the staff chat)
    horizon: timedelta  # only what can go out this soon is claimed, so a crash strands little
    lease: timedelta  # a claim not renewed for this long belongs to a dead dispatcher and is taken over


@dataclass(frozen=True, slots=True)
class Claim:
    row_id: int
    send_at: datetime


@dataclass(frozen=True, slots=True)
class Claimed:
    rows: list[Claim]
    waiting: bool  # due rows were left for a later claim: the pace or a chat's gap held them back
    full: bool = False  # the schedule has no room left within the horizon


NEXT_SEND_KEY = "outbox_next_send"
_CLAIM_LOCK = 0x6D6F6F64  # any fixed number: the PostgreSQL advisory lock that serialises claims


async def claim_due(
    session: AsyncSession, *, now: datetime, pace: Pace, max_attempts: int, limit: int = 1000
) -> Claimed:
    """Take due rows and give each a send time on one schedule shared by every instance.

    Claims are serialised (an advisory lock on PostgreSQL; SQLite's write lock does the same), so the schedule in
    `meta` and the chats in flight are read and written by one claimer at a time. A chat gets at most one row per
    claim and none while another of its messages is in flight or was sent within its gap.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})
    # Whole microseconds, rounded up, so that no second can hold one message more than the pace.
    spacing = math.ceil(1_000_000 / pace.per_second)
    now_us = _micros(now)
    end = now_us + _micros_of(pace.horizon)
    budget = await session.get(Meta, NEXT_SEND_KEY)
    next_send = max(int(budget.value) if budget is not None else 0, now_us)
    if next_send >= end:
        return Claimed([], waiting=True, full=True)
    room = min((end - next_send - 1) // spacing + 1, limit)
    candidates = (
        await session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
                    (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at < now - pace.lease),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(room * 2)
            .with_for_update(skip_locked=True)
        )
    ).all()
    busy = await _busy_chats(session, {row.chat_id for row in candidates if row.chat_id is not None}, now, pace)
    claimed: list[Claim] = []
    waiting = False
    for row in candidates:
        if row.attempts >= max_attempts:
            # Taken again and again without an outcome (a crash after sending, say): stop, and say so.
            row.status = OutboxStatus.FAILED
            row.last_error = f"gave up after {row.attempts} attempts"
            continue
        if row.chat_id in busy or next_send >= end or len(claimed) == room:
            waiting = True
            continue
        if row.chat_id is not None:
            busy.add(row.chat_id)
        row.status = OutboxStatus.SENDING
        row.claimed_at = now
        row.attempts += 1
        claimed.append(Claim(row.id, EPOCH + timedelta(microseconds=next_send)))
        next_send += spacing
    if claimed:
        await session.merge(Meta(key=NEXT_SEND_KEY, value=str(next_send)))
    return Claimed(claimed, waiting=waiting or len(candidates) == room * 2, full=next_send >= end)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(instant: datetime) -> int:
    return _micros_of(instant - EPOCH)


def _micros_of(span: timedelta) -> int:
    return (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds


async def _busy_chats(session: AsyncSession, chats: set[int], now: datetime, pace: Pace) -> set[int]:
    """Chats with a message in flight, or sent to too recently for another one now."""
    if not chats:
        return set()
    found: set[int] = set()
    listed = sorted(chats)
    for start in range(0, len(listed), 5000):
        found.update(
            await session.scalars(
                select(OutboxMessage.chat_id)
                .where(
                    OutboxMessage.chat_id.in_(listed[start : start + 5000]),
                    or_(
                        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at >= now - pace.lease),
                        OutboxMessage.sent_at > now - pace.private_gap,
                        (OutboxMessage.chat_id < 0) & (OutboxMessage.sent_at > now - pace.group_gap),
                    ),
                )
                .distinct()
            )
        )
    return found


async def renew(session: AsyncSession, row_ids: Sequence[int], *, now: datetime) -> None:
    """Keep the claims of rows still in flight: a live dispatcher's rows are never taken over."""
    if row_ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(row_ids)), OutboxMessage.status == OutboxStatus.SENDING)
            .values(claimed_at=now)
        )


async def reschedule(session: AsyncSession, row_id: int, *, now: datetime) -> None:
    """Give a claimed row back, unsent and with its attempt not counted, to be claimed again with a new place."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING, next_attempt_at=now, attempts=OutboxMessage.attempts - 1)
    )


async def claim_one(session: AsyncSession, *, row_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def cancel_keys(session: AsyncSession, *, prefix: str, reason: str) -> int:
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.idempotency_key.startswith(prefix), OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error=reason)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def cancel_pending(
    session: AsyncSession, *, patient_id: int, kinds: Sequence[str] | None = None, reason: str
) -> int:
    query = update(OutboxMessage).where(
        OutboxMessage.patient_id == patient_id, OutboxMessage.status == OutboxStatus.PENDING
    )
    if kinds is not None:
        query = query.where(OutboxMessage.kind.in_(list(kinds)))
    result = await session.execute(query.values(status=OutboxStatus.CANCELLED, last_error=reason))
    return result.rowcount or 0  # type: ignore[attr-defined]


async def forget_cancelled(session: AsyncSession, *, patient_id: int, reason: str) -> None:
    """Rows withdrawn for `reason` are forgotten, so that their keys can be planned again (a reactivation)."""
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.patient_id == patient_id,
            OutboxMessage.status == OutboxStatus.CANCELLED,
            OutboxMessage.last_error == reason,
        )
    )


async def delete_pending(session: AsyncSession, *, patient_id: int, kind: str) -> None:
    """Forget planned rows (and so their keys) so that they can be planned again at a new time."""
    rows = await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.patient_id == patient_id,
            OutboxMessage.kind == kind,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    for row in rows:
        await session.delete(row)
