"""Sends what the outbox holds when it is due, through the one sender, and records every outcome."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.runtime import Runtime
from bot.sender import Delivery, Outcome, Priority
from storage import outbox
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 200
CONCURRENCY = 10
LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Prepared:
    chat_id: int
    text: str
    buttons: InlineKeyboardMarkup | None = None
    priority: Priority = Priority.OUTBOX
    # Any refusal (a 400 such as "chat not found", too) is handled as a blocked chat: for staff alerts and
    # notices, whose kind then sends them elsewhere instead of dropping them.
    refusal_escalates: bool = False


@dataclass(frozen=True, slots=True)
class Skip:
    reason: str


class MessageKind(Protocol):
    """One kind of scheduled message: what to say when it is due, and what to remember once it went out."""

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared | Skip: ...

    async def on_sent(self, session: AsyncSession, row: OutboxMessage, message_id: int | None) -> None: ...

    async def on_blocked(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> int | None:
        """The chat refused the message for good; returns an outbox row to send at once instead, if any."""
        ...


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 30 min."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


class Dispatcher:
    def __init__(self, runtime: Runtime, kinds: Mapping[str, MessageKind]) -> None:
        self._rt = runtime
        self._kinds = kinds
        self._limit = asyncio.Semaphore(CONCURRENCY)

    async def run_once(self) -> Counter[str]:
        """Claim every due row and deliver it; returns how many ended in each state."""
        now = self._rt.clock.now()
        async with self._rt.session() as session:
            dropped = await outbox.drop_expired(session, now=now)
            ids = [
                row.id
                for row in await outbox.claim_due(session, now=now, limit=BATCH, lease=LEASE, max_attempts=MAX_ATTEMPTS)
            ]
        report: Counter[str] = Counter({"dropped": dropped} if dropped else {})
        results = await asyncio.gather(*(self._guarded(row_id) for row_id in ids))
        report.update(results)
        return report

    async def deliver_now(self, row_id: int) -> str:
        """Send one row at once (a crisis alert), if no other dispatcher has taken it already."""
        async with self._rt.session() as session:
            claimed = await outbox.claim_one(session, row_id=row_id, now=self._rt.clock.now())
        return await self._guarded(row_id) if claimed else "taken"

    async def _guarded(self, row_id: int) -> str:
        async with self._limit:
            try:
                return await self._deliver(row_id)
            except Exception:
                # The row stays claimed and is taken again after the lease: nothing is lost.
                log.exception("delivering outbox row %s failed", row_id)
                return "error"

    async def _deliver(self, row_id: int) -> str:
        rt = self._rt
        now = rt.clock.now()
        async with rt.session() as session:
            row = await session.get_one(OutboxMessage, row_id)
            kind = self._kinds.get(row.kind)
            prepared: Prepared | Skip = (
                Skip(f"unknown kind {row.kind}") if kind is None else await kind.prepare(session, row, now)
            )
            if isinstance(prepared, Skip):
                row.status = OutboxStatus.CANCELLED
                row.last_error = prepared.reason
                return "cancelled"
        delivery = await rt.sender.send_text(
            prepared.chat_id, prepared.text, buttons=prepared.buttons, priority=prepared.priority
        )
        if delivery.outcome is Outcome.REJECTED and prepared.refusal_escalates:
            delivery = replace(delivery, outcome=Outcome.BLOCKED)
        async with rt.session() as session:
            row = await session.get_one(OutboxMessage, row_id)
            status, instead = await self._record(session, row, kind, delivery)  # type: ignore[arg-type]
        if instead is not None:  # a staff alert refused: its fallback goes out now, not at the next tick
            await self.deliver_now(instead)
        return status

    async def _record(
        self, session: AsyncSession, row: OutboxMessage, kind: MessageKind, delivery: Delivery
    ) -> tuple[str, int | None]:
        now = self._rt.clock.now()
        row.last_error = delivery.error
        if delivery.outcome is Outcome.SENT:
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.telegram_message_id = delivery.message_id
            await kind.on_sent(session, row, delivery.message_id)
            return "sent", None
        if delivery.outcome is Outcome.RETRY and row.attempts < MAX_ATTEMPTS:
            wait = timedelta(seconds=delivery.retry_after) if delivery.retry_after else backoff(row.attempts)
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + wait
            return "retry", None
        row.status = OutboxStatus.FAILED
        if delivery.outcome is Outcome.BLOCKED:
            return "blocked", await kind.on_blocked(session, row, now)
        return "failed", None
