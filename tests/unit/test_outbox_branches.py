"""The outbox's every way out, through the running bot: what is sent, retried, given up, cancelled or dropped.

Planted faults that once passed the whole suite fail here: a periodic dispatch job that does nothing, an outbox
that never gives up on a failing row, and a dispatcher that lets one row's error stop the others.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.app import build_application
from bot.local import UNPACED, LocalBot
from bot.outbox.dispatcher import MAX_ATTEMPTS
from bot.runtime import DISPATCHER_KEY
from bot.staff.notices import StaffNotice, notify_staff
from storage import outbox
from storage.models import OutboxMessage, OutboxStatus, Patient
from tests.factories import invite

STAFF = -1001234567890
OTHER = -1009876543210
# Longer than any back-off (30 min at most) and any claim's lease: the next tick takes the row again.
LATER = timedelta(hours=1)


async def notice(bot: LocalBot, chat_id: int, key: str, **changes: Any) -> str:
    """A staff notice due now, queued as the bot queues one, then given `changes`; returns its idempotency key."""
    patient_id, _ = await invite(bot)
    async with bot.runtime.session() as session:
        patient = await session.get_one(Patient, patient_id)
        await notify_staff(
            session, key=key, text_key="staff.blocked", patient=patient, staff_chat_id=chat_id, now=bot.clock.now()
        )
    if changes:
        async with bot.runtime.session() as session:
            queued = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
            for name, value in changes.items():
                setattr(queued, name, value)
    return key


async def row(bot: LocalBot, key: str) -> OutboxMessage:
    async with bot.runtime.session() as session:
        return await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))  # type: ignore[return-value]


def attempts_to(bot: LocalBot, chat_id: int) -> int:
    """sendMessage requests to the chat, answered or refused."""
    return sum(1 for params in bot.standin.calls("sendMessage") if int(params["chat_id"]) == chat_id)


Prepare = Callable[[StaffNotice, Any, OutboxMessage, datetime], Awaitable[Any]]


def break_prepare_for(monkeypatch: pytest.MonkeyPatch, chat_id: int) -> list[int]:
    """A bug in the notice kind for one chat only; returns the ids of the rows it was asked to prepare."""
    original: Prepare = StaffNotice.prepare
    seen: list[int] = []

    async def prepare(self: StaffNotice, session: Any, row: OutboxMessage, now: datetime) -> Any:
        if row.chat_id != chat_id:
            return await original(self, session, row, now)
        seen.append(row.id)
        raise RuntimeError("a bug in one kind of message")

    monkeypatch.setattr(StaffNotice, "prepare", prepare)
    return seen


async def test_the_periodic_dispatch_job_sends_what_is_due(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "job")
    # The job as `moodbot run` registers it, run once against the running bot instead of on a timer.
    scheduled = build_application(
        bot.settings(), bot.clinic, sessions=bot.runtime.sessions, clock=bot.clock, limits=UNPACED, load_model=False
    )
    assert scheduled.job_queue is not None
    [job] = scheduled.job_queue.get_jobs_by_name("dispatch")
    assert bot.app is not None
    await job.run(bot.app)
    [sent] = await bot.standin.wait_for_messages(STAFF, 1)
    assert "blocked the bot" in sent.text
    done = await row(bot, key)
    # When and as which message: the pace of the next message to the chat, and later edits, go by these.
    assert (done.status, done.sent_at, done.telegram_message_id) == (
        OutboxStatus.SENT,
        bot.clock.now(),
        sent.message_id,
    )


async def test_an_error_in_one_row_stops_neither_the_others_nor_a_later_try(
    bot: LocalBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken, fine = await notice(bot, OTHER, "broken"), await notice(bot, STAFF, "fine")
    tried = break_prepare_for(monkeypatch, OTHER)
    report = await bot.dispatch()
    assert report["error"] == 1 and report["sent"] == 1
    assert len(tried) == 1 and attempts_to(bot, STAFF) == 1 and attempts_to(bot, OTHER) == 0
    assert (await row(bot, fine)).status is OutboxStatus.SENT
    # Neither given up nor forgotten: once the bug is gone, the next claim sends it.
    assert (await row(bot, broken)).status not in (OutboxStatus.FAILED, OutboxStatus.CANCELLED, OutboxStatus.SENT)
    monkeypatch.undo()
    bot.clock.advance(LATER)
    assert (await bot.dispatch())["sent"] == 1
    assert attempts_to(bot, OTHER) == 1 and (await row(bot, broken)).status is OutboxStatus.SENT


async def test_a_row_that_errors_every_time_is_given_up_after_max_attempts(
    bot: LocalBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await notice(bot, OTHER, "always-broken")
    tried = break_prepare_for(monkeypatch, OTHER)
    for _ in range(MAX_ATTEMPTS + 3):
        await bot.dispatch()
        bot.clock.advance(LATER)
    given_up = await row(bot, key)
    assert len(tried) == MAX_ATTEMPTS
    assert given_up.status is OutboxStatus.FAILED and given_up.attempts == MAX_ATTEMPTS
    assert str(MAX_ATTEMPTS) in (given_up.last_error or "")


async def test_telegram_failing_every_time_backs_off_then_gives_up(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "unlucky")
    bot.standin.fail_next("sendMessage", status=502, chat_id=STAFF, times=MAX_ATTEMPTS + 10)
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 3):
        report = await bot.dispatch()
        current = await row(bot, key)
        if attempt < MAX_ATTEMPTS:
            assert report["retry"] == 1 and current.status is OutboxStatus.PENDING
            waits.append(current.next_attempt_at - bot.clock.now())
        elif attempt == MAX_ATTEMPTS:  # the last failure ends it there and then
            assert report["failed"] == 1 and current.status is OutboxStatus.FAILED
        bot.clock.advance(LATER)
    assert waits == [timedelta(seconds=min(30 * 2**n, 1800)) for n in range(MAX_ATTEMPTS - 1)]
    assert attempts_to(bot, STAFF) == MAX_ATTEMPTS
    assert current.status is OutboxStatus.FAILED and current.attempts == MAX_ATTEMPTS


async def test_a_retry_is_not_taken_before_its_back_off(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "once-unlucky")
    bot.standin.fail_next("sendMessage", status=502, chat_id=STAFF)
    assert (await bot.dispatch())["retry"] == 1
    bot.clock.advance(timedelta(seconds=29))
    assert not (await bot.dispatch()) and attempts_to(bot, STAFF) == 1
    bot.clock.advance(timedelta(seconds=1))
    assert (await bot.dispatch())["sent"] == 1
    assert (await row(bot, key)).attempts == 2


async def test_a_refused_message_fails_at_once_and_is_not_tried_again(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "refused")
    bot.standin.fail_next("sendMessage", status=400, chat_id=STAFF, description="Bad Request: message is too long")
    assert (await bot.dispatch())["failed"] == 1
    bot.clock.advance(LATER)
    await bot.dispatch()
    failed = await row(bot, key)
    assert attempts_to(bot, STAFF) == 1
    assert failed.status is OutboxStatus.FAILED and "400" in (failed.last_error or "")


async def test_a_blocked_chat_is_given_up_at_once_and_the_kind_is_told(
    bot: LocalBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await notice(bot, OTHER, "blocked")
    told: list[int] = []

    async def on_blocked(self: StaffNotice, session: Any, row: OutboxMessage, now: datetime) -> None:
        told.append(row.id)

    monkeypatch.setattr(StaffNotice, "on_blocked", on_blocked)
    bot.standin.block_chat(OTHER)
    assert (await bot.dispatch())["blocked"] == 1
    bot.clock.advance(LATER)
    await bot.dispatch()
    blocked = await row(bot, key)
    assert told == [blocked.id] and attempts_to(bot, OTHER) == 1
    assert blocked.status is OutboxStatus.FAILED and "403" in (blocked.last_error or "")


async def test_a_row_of_an_unknown_kind_is_cancelled_unsent(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "mystery", kind="no-such-kind")
    assert (await bot.dispatch())["cancelled"] == 1
    cancelled = await row(bot, key)
    assert cancelled.status is OutboxStatus.CANCELLED and "no-such-kind" in (cancelled.last_error or "")
    bot.clock.advance(LATER)
    await bot.dispatch()
    assert attempts_to(bot, STAFF) == 0


async def test_a_row_past_its_deadline_is_dropped_and_one_at_its_deadline_is_sent(bot: LocalBot) -> None:
    now = bot.clock.now()
    late = await notice(bot, OTHER, "late", not_after=now - timedelta(microseconds=1))
    just = await notice(bot, STAFF, "just", not_after=now)
    report = await bot.dispatch()
    assert report["dropped"] == 1 and report["sent"] == 1
    dropped = await row(bot, late)
    assert dropped.status is OutboxStatus.DROPPED and dropped.last_error
    assert (await row(bot, just)).status is OutboxStatus.SENT
    assert attempts_to(bot, OTHER) == 0 and attempts_to(bot, STAFF) == 1


async def test_a_row_due_later_waits(bot: LocalBot) -> None:
    key = await notice(bot, STAFF, "soon", due_at=bot.clock.now() + LATER, next_attempt_at=bot.clock.now() + LATER)
    assert not await bot.dispatch()
    assert (await row(bot, key)).status is OutboxStatus.PENDING and attempts_to(bot, STAFF) == 0
    bot.clock.advance(LATER)
    assert (await bot.dispatch())["sent"] == 1


async def test_a_row_sent_at_once_is_sent_once(bot: LocalBot) -> None:
    """`deliver_now` (crisis alerts, their fallback) takes a pending row only, so two callers never both send it."""
    key = await notice(bot, STAFF, "urgent")
    assert bot.app is not None
    dispatcher = bot.app.bot_data[DISPATCHER_KEY]
    urgent = await row(bot, key)
    assert await dispatcher.deliver_now(urgent.id) == "sent"
    assert await dispatcher.deliver_now(urgent.id) == "taken"
    assert not await bot.dispatch()
    sent = await row(bot, key)
    assert attempts_to(bot, STAFF) == 1 and (sent.status, sent.attempts) == (OutboxStatus.SENT, 1)
    assert sent.sent_at == bot.clock.now()


# --- Taking planned rows back: only pending rows, only the ones asked for -------------------------------------


async def planned_rows(bot: LocalBot) -> dict[str, tuple[OutboxStatus, str | None]]:
    async with bot.runtime.session() as session:
        return {r.idempotency_key: (r.status, r.last_error) for r in await session.scalars(select(OutboxMessage))}


async def plan_for_two_patients(bot: LocalBot) -> tuple[int, int]:
    """Check-ins and reminders for Ana and Ben, two of each; Ana's check-in of yesterday has gone out already."""
    (ana, _), (ben, _) = await invite(bot, name="Ana"), await invite(bot, name="Ben")
    now = bot.clock.now()
    async with bot.runtime.session() as session:
        await outbox.enqueue(
            session,
            [
                outbox.Planned(key=f"{kind}:{who}:{day}", kind=kind, due_at=now + LATER, chat_id=who, patient_id=who)
                for who in (ana, ben)
                for kind in ("checkin", "reminder")
                for day in ("today", "yesterday")
            ],
            now=now,
        )
        history = f"checkin:{ana}:yesterday"
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.idempotency_key == history).values(status=OutboxStatus.SENT)
        )
    return ana, ben


async def test_cancelling_a_patients_rows_leaves_other_patients_kinds_and_history(bot: LocalBot) -> None:
    ana, ben = await plan_for_two_patients(bot)
    async with bot.runtime.session() as session:
        assert await outbox.cancel_pending(session, patient_id=ana, kinds=["reminder"], reason="paused") == 2
    async with bot.runtime.session() as session:
        assert await outbox.cancel_pending(session, patient_id=ben, reason="deactivated") == 4
    rows = await planned_rows(bot)
    assert rows[f"reminder:{ana}:today"] == rows[f"reminder:{ana}:yesterday"] == (OutboxStatus.CANCELLED, "paused")
    assert rows[f"checkin:{ana}:today"] == (OutboxStatus.PENDING, None)
    assert rows[f"checkin:{ana}:yesterday"] == (OutboxStatus.SENT, None)
    assert {rows[f"{kind}:{ben}:{day}"] for kind in ("checkin", "reminder") for day in ("today", "yesterday")} == {
        (OutboxStatus.CANCELLED, "deactivated")
    }


async def test_cancelling_by_key_prefix_takes_only_pending_rows_under_it(bot: LocalBot) -> None:
    ana, _ = await plan_for_two_patients(bot)
    async with bot.runtime.session() as session:
        assert await outbox.cancel_keys(session, prefix=f"checkin:{ana}:", reason="acknowledged") == 1
    async with bot.runtime.session() as session:
        assert await outbox.cancel_keys(session, prefix="nothing:", reason="none") == 0
    rows = await planned_rows(bot)
    assert rows.pop(f"checkin:{ana}:today") == (OutboxStatus.CANCELLED, "acknowledged")
    assert rows.pop(f"checkin:{ana}:yesterday") == (OutboxStatus.SENT, None)
    assert set(rows.values()) == {(OutboxStatus.PENDING, None)}


async def test_forgetting_planned_rows_frees_their_keys_for_that_patient_and_kind_only(bot: LocalBot) -> None:
    ana, _ = await plan_for_two_patients(bot)
    async with bot.runtime.session() as session:
        await outbox.delete_pending(session, patient_id=ana, kind="checkin")
    rows = await planned_rows(bot)
    assert f"checkin:{ana}:today" not in rows and rows[f"checkin:{ana}:yesterday"] == (OutboxStatus.SENT, None)
    assert len(rows) == 7
    # The key is free again: planning the check-in anew at another time works.
    async with bot.runtime.session() as session:
        again = outbox.Planned(key=f"checkin:{ana}:today", kind="checkin", due_at=bot.clock.now(), patient_id=ana)
        assert await outbox.enqueue(session, [again], now=bot.clock.now()) == 1
