"""The dispatcher's loop, leases and lateness at their edges: what mutation testing of `bot/outbox/dispatcher.py`
showed untested.

Every test runs one dispatcher on the bot's manual clock, with a stand-in for the sender that the test holds and lets
go, so that "a send that takes long" or "a process that stops renewing" are steps the test takes, never waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

import bot.outbox.dispatcher as dispatcher_module
from bot.clock import ManualClock
from bot.local import LocalBot
from bot.outbox.dispatcher import IN_FLIGHT, LATE, MAX_ATTEMPTS, Dispatcher, Prepared, pace_for
from bot.runtime import Runtime
from bot.sender import Delivery, Limits, Outcome, Priority
from storage import outbox
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import Pace, Planned
from tests.unit.test_dispatch_pace import Hello

SAFETY = 10.0  # seconds: only a broken dispatcher ever reaches it
LEASE = timedelta(seconds=15)
# One row per claim: the schedule is full at once, and the dispatcher then waits for time to pass.
ONE_AT_A_TIME = Pace(
    per_second=1,
    private_gap=timedelta(seconds=1),
    group_gap=timedelta(seconds=3),
    horizon=timedelta(seconds=1),
    lease=LEASE,
)
# Another instance on the same database, claiming what is due or whose lease ran out.
OTHER_INSTANCE = replace(ONE_AT_A_TIME, per_second=100)


class Telegram:
    """The sender as the dispatcher sees it. Records what reached it and what went out, at the clock's time; sends to
    chats for which `held` is true wait until the test lets them go, and sends to chats in `broken` raise."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.arrived: list[int] = []
        self.sent: list[tuple[int, datetime]] = []
        self.held: Callable[[int], bool] = lambda chat: False
        self.broken: set[int] = set()
        self._gate = asyncio.Semaphore(0)
        self._changed = asyncio.Condition()

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: InlineKeyboardMarkup | None = None,
        priority: Priority = Priority.REPLY,
    ) -> Delivery:
        self.arrived.append(chat_id)
        await self._notify()
        if self.held(chat_id):
            await self._gate.acquire()
        if chat_id in self.broken:
            raise RuntimeError(f"a bug while sending to {chat_id}")
        self.sent.append((chat_id, self.clock.now()))
        await self._notify()
        return Delivery(Outcome.SENT, message_id=len(self.sent))

    def let_go(self, sends: int) -> None:
        for _ in range(sends):
            self._gate.release()

    async def until(self, condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(SAFETY), self._changed:
            await self._changed.wait_for(condition)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def chats_sent(self) -> list[int]:
        return sorted(chat for chat, _ in self.sent)


class StandingClock:
    """The dispatcher's `sleep` on a clock that stands still: every wait returns at once, and is recorded with the task
    that asked for it (the dispatcher's own loop, or one delivery waiting for its place)."""

    def __init__(self) -> None:
        self.asked: list[tuple[asyncio.Task[Any] | None, timedelta]] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append((asyncio.current_task(), timedelta(seconds=seconds)))
        await asyncio.sleep(0)

    def asked_by(self, task: asyncio.Task[Any] | None) -> list[timedelta]:
        return [wait for asker, wait in self.asked if asker is task]


class MovingClock:
    """The dispatcher's `sleep` on a clock that moves by every wait."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


class Parked:
    """The dispatcher's `sleep` when the test keeps its loop from claiming more: the loop's wait for time to pass
    lasts until the test lets it go; deliveries waiting for their place go at once."""

    def __init__(self) -> None:
        self.runner: asyncio.Task[Counter[str]] | None = None
        self._free = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        if asyncio.current_task() is self.runner:
            await self._free.wait()
        await asyncio.sleep(0)

    async def finish(self) -> Counter[str]:
        """Let the loop go on, and wait for the run to end: every row it took is recorded by then."""
        self._free.set()
        assert self.runner is not None
        async with asyncio.timeout(SAFETY):
            return await self.runner


class RenewalSteps:
    """Stands in for `asyncio` in the dispatcher's module. The claims' renewal waits in real time, as the lease runs;
    here each of its waits is a step the test takes on the manual clock. All else is asyncio itself."""

    def __init__(self) -> None:
        self.asked: list[timedelta] = []
        self._waiting = asyncio.Event()
        self._go = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, seconds: float) -> None:
        self.asked.append(timedelta(seconds=seconds))
        self._waiting.set()
        await self._go.wait()
        self._go.clear()

    async def waiting(self) -> timedelta:
        """Once the renewal is waiting: for how long it asked to wait."""
        async with asyncio.timeout(SAFETY):
            await self._waiting.wait()
        return self.asked[-1]

    async def renew(self) -> None:
        """Its wait is over: it renews its claims, and waits again."""
        self._waiting.clear()
        self._go.set()
        await self.waiting()


@pytest.fixture
def telegram(bot: LocalBot) -> Telegram:
    return Telegram(bot.clock)


@pytest.fixture
def runtime(bot: LocalBot, telegram: Telegram) -> Runtime:
    return replace(bot.runtime, sender=telegram)


@pytest.fixture
def renewals(monkeypatch: pytest.MonkeyPatch) -> Iterator[RenewalSteps]:
    steps = RenewalSteps()
    monkeypatch.setattr(dispatcher_module, "asyncio", steps)
    yield steps


async def plan(bot: LocalBot, chats: list[int], *, prefix: str = "hello") -> list[int]:
    """A hello due now for each chat; returns the rows' ids in the order of `chats`."""
    planned = [
        Planned(key=f"{prefix}:{n}", kind="hello", due_at=bot.clock.now(), chat_id=chat) for n, chat in enumerate(chats)
    ]
    async with bot.runtime.session() as session:
        await outbox.enqueue(session, planned, now=bot.clock.now())
    async with bot.runtime.session() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix)))
        ids = {row.idempotency_key: row.id for row in rows}
    return [ids[p.key] for p in planned]


async def in_flight(bot: LocalBot) -> int:
    async with bot.runtime.session() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENDING)
        )  # type: ignore[return-value]


async def other_instance_takes(bot: LocalBot) -> list[int]:
    """What another instance's claim takes now: rows due, and rows whose claim was not renewed within the lease."""
    async with bot.runtime.session() as session:
        claimed = await outbox.claim_due(session, now=bot.clock.now(), pace=OTHER_INSTANCE, max_attempts=MAX_ATTEMPTS)
    return sorted(c.row_id for c in claimed.rows)


async def load(bot: LocalBot, row_id: int) -> OutboxMessage:
    async with bot.runtime.session() as session:
        return await session.get_one(OutboxMessage, row_id)


# --- How much one process has under way -----------------------------------------------------------------------


async def test_one_process_never_has_more_than_its_bound_of_deliveries_under_way(
    bot: LocalBot, runtime: Runtime, telegram: Telegram
) -> None:
    """Telegram stalls: what one process has claimed and not yet recorded stays bounded (a crash strands little),
    the next row is claimed as soon as one send ends, and in the end everything goes out once."""
    chats = list(range(1, 2 * IN_FLIGHT + 21))
    await plan(bot, chats)
    telegram.held = lambda chat: True
    fast = replace(ONE_AT_A_TIME, per_second=1000, horizon=timedelta(seconds=2))  # room for far more than the bound
    runner = asyncio.create_task(Dispatcher(runtime, {"hello": Hello()}, fast, sleep=StandingClock()).run_once())
    await telegram.until(lambda: len(telegram.arrived) == IN_FLIGHT)
    assert await in_flight(bot) == IN_FLIGHT
    telegram.let_go(1)
    # One send ended: one more row is claimed at once, and no more.
    await telegram.until(lambda: len(telegram.arrived) == IN_FLIGHT + 1)
    assert await in_flight(bot) == IN_FLIGHT
    telegram.let_go(len(chats))
    async with asyncio.timeout(SAFETY):
        report = await runner
    assert report == {"sent": len(chats)}
    assert telegram.chats_sent() == chats and await in_flight(bot) == 0


# --- The loop: when it claims again, and when it returns ------------------------------------------------------


async def test_with_the_schedule_full_the_loop_returns_with_every_claimed_row_recorded(
    bot: LocalBot, runtime: Runtime, telegram: Telegram
) -> None:
    """On a clock that stands still (tests, the demo) a full schedule ends the run instead of spinning; what the run
    claimed is sent and recorded before it returns, and what it could not claim goes at the next run."""
    pace = replace(ONE_AT_A_TIME, horizon=timedelta(seconds=3))  # three rows, a second apart, fill it
    first, second, third, fourth = await plan(bot, [1, 2, 3, 4])
    sleep = StandingClock()
    async with asyncio.timeout(SAFETY):
        report = await Dispatcher(runtime, {"hello": Hello()}, pace, sleep=sleep).run_once()
    assert report == {"sent": 3}
    assert [(await load(bot, row)).status for row in (first, second, third, fourth)] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
    ]
    # It came back for more before what it had claimed was all gone: the pace is kept up, not left idle.
    waits = sleep.asked_by(asyncio.current_task())
    assert waits and all(timedelta(0) < wait < pace.horizon for wait in waits)
    bot.clock.advance(pace.horizon)
    async with asyncio.timeout(SAFETY):
        assert await Dispatcher(runtime, {"hello": Hello()}, pace, sleep=sleep).run_once() == {"sent": 1}
    assert telegram.chats_sent() == [1, 2, 3, 4]


async def test_a_persons_next_message_goes_in_the_same_run_as_soon_as_their_gap_has_passed(
    bot: LocalBot, runtime: Runtime, telegram: Telegram
) -> None:
    pace = replace(ONE_AT_A_TIME, per_second=10, horizon=timedelta(seconds=2))
    start = bot.clock.now()
    await plan(bot, [7, 7])
    async with asyncio.timeout(SAFETY):
        report = await Dispatcher(runtime, {"hello": Hello()}, pace, sleep=MovingClock(bot.clock)).run_once()
    assert report == {"sent": 2}
    [(_, first), (_, second)] = telegram.sent
    assert first == start
    # Not before the person's gap, and no more than a quarter of a second after it.
    assert pace.private_gap <= second - first < pace.private_gap + timedelta(milliseconds=250)


# --- Lateness -------------------------------------------------------------------------------------------------


class SlowToPrepare(Hello):
    """Preparing the first message takes `slow` of the clock's time (a stalled process)."""

    def __init__(self, clock: ManualClock, slow: timedelta) -> None:
        self.clock, self.slow = clock, slow

    async def prepare(self, session: AsyncSession, row: OutboxMessage, now: datetime) -> Prepared:
        self.clock.advance(self.slow)
        self.slow = timedelta(0)
        return await super().prepare(session, row, now)


@pytest.mark.parametrize(
    ("slow", "report"),
    [
        (LATE, {"sent": 1}),  # within the allowance of its place: sent
        (LATE + timedelta(microseconds=1), {"rescheduled": 1, "sent": 1}),  # beyond it: a new place first
    ],
)
async def test_a_message_as_late_as_the_allowance_is_sent_in_its_place(
    bot: LocalBot, runtime: Runtime, telegram: Telegram, slow: timedelta, report: dict[str, int]
) -> None:
    await plan(bot, [7])
    kinds = {"hello": SlowToPrepare(bot.clock, slow)}
    pace = replace(ONE_AT_A_TIME, per_second=10, horizon=timedelta(seconds=2))
    async with asyncio.timeout(SAFETY):
        assert await Dispatcher(runtime, kinds, pace, sleep=StandingClock()).run_once() == report
    assert telegram.chats_sent() == [7]


# --- Leases ---------------------------------------------------------------------------------------------------


async def start_holding_one(bot: LocalBot, runtime: Runtime, telegram: Telegram) -> tuple[Dispatcher, Parked, int]:
    """A run whose one row (to chat 1) takes long to send, and that claims nothing more meanwhile. Sends to chat 3
    take long too; sends to chat 2 break."""
    [row] = await plan(bot, [1], prefix="slow")
    telegram.held = lambda chat: chat != 2
    telegram.broken = {2}
    parked = Parked()
    dispatcher = Dispatcher(runtime, {"hello": Hello()}, ONE_AT_A_TIME, sleep=parked)
    parked.runner = asyncio.create_task(dispatcher.run_once())
    await telegram.until(lambda: 1 in telegram.arrived)
    return dispatcher, parked, row


async def test_a_live_dispatcher_keeps_its_claims_for_as_long_as_its_sends_take_and_no_longer(
    bot: LocalBot, runtime: Runtime, telegram: Telegram, renewals: RenewalSteps
) -> None:
    """A slow send, scheduled or sent at once (a crisis alert), is never taken over by another instance while its
    dispatcher lives, however long it takes: that would send it twice. Once the dispatcher stops renewing, its rows
    are taken over one lease after the last renewal: nothing is stranded."""
    claimed_at = bot.clock.now()
    dispatcher, run, scheduled = await start_holding_one(bot, runtime, telegram)
    [alert] = await plan(bot, [3], prefix="alert")
    at_once = asyncio.create_task(dispatcher.deliver_now(alert))
    await telegram.until(lambda: 3 in telegram.arrived)
    while bot.clock.now() - claimed_at <= 2 * LEASE:
        bot.clock.advance(await renewals.waiting())
        assert await other_instance_takes(bot) == []
        await renewals.renew()
    # The dispatcher stops renewing (its process hangs): a lease later, another instance takes both over.
    bot.clock.advance(LEASE)
    assert await other_instance_takes(bot) == []
    bot.clock.advance(timedelta(seconds=1))
    assert await other_instance_takes(bot) == sorted([scheduled, alert])
    telegram.let_go(2)
    async with asyncio.timeout(SAFETY):
        assert await at_once == "sent"
    assert await run.finish() == {"sent": 1}
    assert telegram.chats_sent() == [1, 3]
    assert [(await load(bot, row)).status for row in (scheduled, alert)] == [OutboxStatus.SENT] * 2


async def test_a_row_whose_delivery_broke_is_taken_over_after_its_lease_while_its_dispatcher_runs_on(
    bot: LocalBot, runtime: Runtime, telegram: Telegram, renewals: RenewalSteps, caplog: pytest.LogCaptureFixture
) -> None:
    """An error while sending leaves the row claimed, and says which row; the dispatcher, still busy with another
    row, does not keep that claim alive, so a claim takes the row once its lease runs out: nothing is lost."""
    dispatcher, run, scheduled = await start_holding_one(bot, runtime, telegram)
    [broken] = await plan(bot, [2], prefix="broken")
    claimed_at = bot.clock.now()
    with caplog.at_level(logging.ERROR, logger=dispatcher_module.__name__):
        assert await dispatcher.deliver_now(broken) == "error"
    [logged] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged.exc_info is not None and str(broken) in logged.getMessage()
    while True:
        bot.clock.advance(await renewals.waiting())
        expired = bot.clock.now() - claimed_at > LEASE
        assert await other_instance_takes(bot) == ([broken] if expired else [])
        if expired:
            break
        await renewals.renew()
    telegram.let_go(1)
    assert await run.finish() == {"sent": 1}
    assert telegram.chats_sent() == [1] and (await load(bot, scheduled)).status is OutboxStatus.SENT


async def test_an_alert_whose_sending_at_once_broke_goes_out_after_its_lease(
    bot: LocalBot, runtime: Runtime, telegram: Telegram
) -> None:
    [alert] = await plan(bot, [2], prefix="alert")
    telegram.broken = {2}
    dispatcher = Dispatcher(runtime, {"hello": Hello()}, ONE_AT_A_TIME, sleep=StandingClock())
    assert await dispatcher.deliver_now(alert) == "error"
    telegram.broken = set()
    bot.clock.advance(LEASE - timedelta(seconds=1))
    async with asyncio.timeout(SAFETY):
        assert await dispatcher.run_once() == {}
    bot.clock.advance(timedelta(seconds=2))
    async with asyncio.timeout(SAFETY):
        assert await dispatcher.run_once() == {"sent": 1}
    assert telegram.chats_sent() == [2]
    sent = await load(bot, alert)
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 2)


# --- The pace in production -----------------------------------------------------------------------------------


async def test_the_default_limits_pace_a_person_at_one_a_second_and_the_staff_group_at_twenty_a_minute(
    bot: LocalBot,
) -> None:
    pace = pace_for(Limits())
    staff = bot.clinic.clinic.staff_chat_id
    sent = await plan(bot, [staff, 7], prefix="sent")
    async with bot.runtime.session() as session:
        for row_id in sent:
            row = await session.get_one(OutboxMessage, row_id)
            row.status, row.sent_at = OutboxStatus.SENT, bot.clock.now()
    to_staff, to_person = await plan(bot, [staff, 7])
    start = bot.clock.now()

    async def claimable_after(seconds: float) -> list[int]:
        async with bot.runtime.session() as session:
            claimed = await outbox.claim_due(
                session, now=start + timedelta(seconds=seconds), pace=pace, max_attempts=MAX_ATTEMPTS
            )
        return [c.row_id for c in claimed.rows]

    assert await claimable_after(0.999) == []
    assert await claimable_after(1) == [to_person]
    assert await claimable_after(2.999) == []
    assert await claimable_after(3) == [to_staff]


# --- Rows given up --------------------------------------------------------------------------------------------


async def test_rows_given_up_do_not_hide_a_row_behind_them_from_the_run(
    bot: LocalBot, runtime: Runtime, telegram: Telegram
) -> None:
    """Rows taken again and again without an outcome (crashes after claiming them) are given up when next met; when
    they fill a whole claim, the run claims again instead of leaving what lies behind them for a later run."""
    pace = replace(ONE_AT_A_TIME, horizon=timedelta(seconds=2))  # room for two: a claim looks at four rows
    stuck = await plan(bot, [1, 2, 4, 5], prefix="stuck")
    async with bot.runtime.session() as session:
        for row_id in stuck:
            row = await session.get_one(OutboxMessage, row_id)
            row.status, row.attempts = OutboxStatus.SENDING, MAX_ATTEMPTS
            row.claimed_at = bot.clock.now() - 2 * LEASE
    [fine] = await plan(bot, [3])
    async with asyncio.timeout(SAFETY):
        report = await Dispatcher(runtime, {"hello": Hello()}, pace, sleep=MovingClock(bot.clock)).run_once()
    assert report == {"sent": 1} and telegram.chats_sent() == [3]
    assert [(await load(bot, row)).status for row in [*stuck, fine]] == [*[OutboxStatus.FAILED] * 4, OutboxStatus.SENT]
