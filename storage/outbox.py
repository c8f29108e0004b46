"""The outbox of scheduled messages: enqueue idempotently, claim what is due, record what happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus
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


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta, max_attempts: int
) -> list[OutboxMessage]:
    """Take due rows for this dispatcher. A row claimed by a dispatcher that died is taken again after `lease`."""
    query = (
        select(OutboxMessage)
        .where(
            or_(
                (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at < now - lease),
            )
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = []
    for row in (await session.scalars(query)).all():
        if row.attempts >= max_attempts:
            # Taken again and again without an outcome (a crash after sending, say): stop, and say so.
            row.status = OutboxStatus.FAILED
            row.last_error = f"gave up after {row.attempts} attempts"
            continue
        row.status = OutboxStatus.SENDING
        row.claimed_at = now
        row.attempts += 1
        claimed.append(row)
    return claimed


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
