"""Sends what the outbox holds when it is due, through the one sender, and records every outcome."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.runtime import Runtime
from bot.sender import Delivery, Limits, Outcome, Priority
from storage import outbox
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import Pace

log = logging.getLogger(__name__)
FIRST = asyncio.FIRST_COMPLETED

MAX_ATTEMPTS = 8
# Claims reach this far ahead only: a crash strands at most a few seconds of messages.
HORIZON = timedelta(seconds=2)
# A dead dispatcher's rows are taken over after this; a live one renews its claims three times as often.
LEASE = timedelta(seconds=15)
# A message this late for its place on the schedule (a stalled process) is not sent in a rush: at 25 a second,
# what leaves within 0.1 s of its place keeps every second under 30, with room for the network's jitter.
LATE = timedelta(milliseconds=100)
# Deliveries under way at once in one process: the horizon's worth at the pace, and a bound when pacing is off.
IN_FLIGHT = 50


def pace_for(limits: Limits) -> Pace:
    """Scheduled traffic leaves room under Telegram's global limit for replies to people who just wrote."""
    return Pace(
        per_second=limits.scheduled_per_second,
        private_gap=timedelta(seconds=1 / limits.private_per_second),
        group_gap=timedelta(seconds=60 / limits.group_per_minute),
        horizon=HORIZON,
        lease=LEASE,
    )


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
    def __init__(
        self,
        runtime: Runtime,
        kinds: Mapping[str, MessageKind],
        pace: Pace,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._rt = runtime
        self._kinds = kinds
        self._pace = pace
        self._sleep = sleep
        self._held: set[int] = set()  # rows this process has claimed and not yet recorded

    async def run_once(self) -> Counter[str]:
        """Deliver everything due, each row at its place on the shared schedule; returns how rows ended.

        Claims are small and repeated while work remains, so other instances share the work and a crash leaves
        little behind. Returns when nothing is due, or when what is due must wait for time to pass.
        """
        report: Counter[str] = Counter()
        async with self._rt.session() as session:
            dropped = await outbox.drop_expired(session, now=self._rt.clock.now())
        if dropped:
            report["dropped"] = dropped
        running: set[asyncio.Task[str]] = set()
        renewal = asyncio.create_task(self._renew_while_held())
        try:
            while True:
                if len(running) >= IN_FLIGHT:
                    await asyncio.wait(running, return_when=FIRST)
                async with self._rt.session() as session:
                    claimed = await outbox.claim_due(
                        session,
                        now=self._rt.clock.now(),
                        pace=self._pace,
                        max_attempts=MAX_ATTEMPTS,
                        limit=IN_FLIGHT - sum(not task.done() for task in running),
                    )
                for claim in claimed.rows:
                    self._held.add(claim.row_id)
                    running.add(asyncio.create_task(self._guarded(claim.row_id, claim.send_at)))
                if claimed.full:
                    # The next part of the schedule opens as this one goes out: claim it when half has gone.
                    if not await self._time_passes(self._pace.horizon.total_seconds() / 2):
                        break
                elif not claimed.rows:  # else claim on at once: the schedule may have room for more
                    if running:
                        # Claim again once a message has gone out (its chat is free, or it took a new place).
                        await asyncio.wait(running, timeout=self._pace.horizon.total_seconds() / 2, return_when=FIRST)
                    elif not (claimed.waiting and await self._time_passes(0.25)):
                        break
                report.update(task.result() for task in running if task.done())
                running = {task for task in running if not task.done()}
            report.update(await asyncio.gather(*running))
        finally:
            renewal.cancel()
        return report

    async def _time_passes(self, seconds: float) -> bool:
        """Wait for the schedule to move; False on a clock that stands still (tests and the demo)."""
        before = self._rt.clock.now()
        await self._sleep(seconds)
        return self._rt.clock.now() > before

    async def _renew_while_held(self) -> None:
        while True:
            await asyncio.sleep(self._pace.lease.total_seconds() / 3)  # real time, as the lease is
            try:
                async with self._rt.session() as session:
                    await outbox.renew(session, sorted(self._held), now=self._rt.clock.now())
            except Exception:
                log.warning("could not renew outbox claims; they are taken over if this keeps failing")

    async def deliver_now(self, row_id: int) -> str:
        """Send one row at once (a crisis alert), if no other dispatcher has taken it already. It shares nothing
        with the scheduled rows: no place on their schedule, no slot among them."""
        async with self._rt.session() as session:
            claimed = await outbox.claim_one(session, row_id=row_id, now=self._rt.clock.now())
        if not claimed:
            return "taken"
        self._held.add(row_id)
        return await self._guarded(row_id, None)

    async def _guarded(self, row_id: int, send_at: datetime | None) -> str:
        try:
            return await self._deliver(row_id, send_at)
        except Exception:
            # The row stays claimed and is taken again once its lease runs out: nothing is lost.
            log.exception("delivering outbox row %s failed", row_id)
            return "error"
        finally:
            self._held.discard(row_id)

    async def _deliver(self, row_id: int, send_at: datetime | None) -> str:
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
        if send_at is not None and (wait := (send_at - rt.clock.now()).total_seconds()) > 0:
            await self._sleep(wait)
        if send_at is not None and rt.clock.now() - send_at > LATE:
            # Sent now, it would crowd a later second of the shared schedule: it takes a new place instead.
            async with rt.session() as session:
                await outbox.reschedule(session, row_id, now=rt.clock.now())
            return "rescheduled"
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
