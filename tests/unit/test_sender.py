"""`bot.sender`: pacing per chat and globally, per-chat 429 pauses, priorities, and the outcome mapping."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import ManualClock
from bot.sender import Delivery, Limits, Outcome, PacingRateLimiter, Priority, Sender, TokenBucket
from tests.unit.sender_doubles import Calls, FakeSleep, request

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PRIVATE, OTHER, GROUP = 1001, 1002, -100123


# --- the bucket -------------------------------------------------------------------------------------------


def test_token_bucket_burst_then_rate(clock: ManualClock) -> None:
    bucket = TokenBucket(rate=1.0, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    clock.advance(timedelta(seconds=10))
    # Refilled only up to the burst: the debt of 2 is paid off and three more are free.
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]


def test_token_bucket_refills_at_its_rate(clock: ManualClock) -> None:
    bucket = TokenBucket(rate=20 / 60, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.reserve() == pytest.approx(3.0)
    clock.advance(timedelta(seconds=3))
    assert bucket.reserve() == pytest.approx(3.0)


# --- pacing -----------------------------------------------------------------------------------------------


async def test_private_chat_one_per_second_after_a_burst_of_three(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for _ in range(6):
        await request(limiter, PRIVATE)
    assert sleep.delays == pytest.approx([1.0, 1.0, 1.0])


async def test_group_twenty_per_minute_after_a_burst_of_three(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for _ in range(5):
        await request(limiter, GROUP)
    assert sleep.delays == pytest.approx([3.0, 3.0])


async def test_thirty_per_second_across_chats(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for chat in range(1, 31):
        await request(limiter, chat)
    assert sleep.delays == []
    await request(limiter, 31)
    await request(limiter, 32)
    assert sleep.delays == pytest.approx([1 / 30, 1 / 30], abs=1e-5)  # the clock moves in whole microseconds


async def test_one_chat_does_not_slow_another(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for _ in range(4):
        await request(limiter, PRIVATE)
    assert sleep.delays == pytest.approx([1.0])
    await request(limiter, OTHER)
    assert sleep.delays == pytest.approx([1.0])


@pytest.mark.parametrize("endpoint", ["answerCallbackQuery", "getUpdates", "getMe", "setWebhook"])
async def test_unpaced_endpoints_pass_straight_through(
    limiter: PacingRateLimiter, sleep: FakeSleep, endpoint: str
) -> None:
    calls = Calls(*({"n": n} for n in range(10)))
    results = [await request(limiter, PRIVATE, endpoint=endpoint, callback=calls) for _ in range(10)]
    assert results == [{"n": n} for n in range(10)]
    assert sleep.delays == []
    # They took nothing from the chat's bucket either.
    await request(limiter, PRIVATE)
    assert sleep.delays == []


async def test_unpaced_endpoints_do_not_catch_429(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    calls = Calls(RetryAfter(5))
    with pytest.raises(RetryAfter):
        await request(limiter, PRIVATE, endpoint="answerCallbackQuery", callback=calls)
    assert calls.count == 1 and sleep.delays == []


async def test_requests_without_a_chat_only_use_the_global_bucket(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for _ in range(31):
        await request(limiter, None)
    assert sleep.delays == pytest.approx([1 / 30])


# --- 429 ----------------------------------------------------------------------------------------------------


async def test_a_429_pauses_only_that_chat(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    with pytest.raises(RetryAfter):
        await request(limiter, PRIVATE, priority=Priority.OUTBOX, callback=Calls(RetryAfter(5)))
    assert sleep.delays == []  # OUTBOX goes back to the outbox at once
    await request(limiter, OTHER, priority=Priority.OUTBOX)
    assert sleep.delays == []
    # A scheduled message to the paused chat goes back to the outbox for the rest of the pause, never sleeps here.
    with pytest.raises(RetryAfter) as raised:
        await request(limiter, PRIVATE, priority=Priority.OUTBOX)
    assert raised.value.retry_after == timedelta(seconds=5) and sleep.delays == []


async def test_a_reply_waits_out_the_429_and_retries(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    calls = Calls(RetryAfter(5), {"message_id": 9})
    assert await request(limiter, PRIVATE, priority=Priority.REPLY, callback=calls) == {"message_id": 9}
    assert calls.count == 2
    assert sleep.delays == pytest.approx([5.0])


async def test_reply_is_the_default_priority(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    calls = Calls(RetryAfter(5), {"message_id": 9})
    assert await request(limiter, PRIVATE, callback=calls) == {"message_id": 9}
    assert calls.count == 2 and sleep.delays == pytest.approx([5.0])


async def test_a_reply_gives_up_after_its_retries(clock: ManualClock, sleep: FakeSleep) -> None:
    limiter = PacingRateLimiter(clock, Limits(reply_retries=2), sleep=sleep)
    calls = Calls(RetryAfter(1), RetryAfter(1), RetryAfter(1), {"ok": True})
    with pytest.raises(RetryAfter):
        await request(limiter, PRIVATE, priority=Priority.REPLY, callback=calls)
    assert calls.count == 3
    assert sleep.delays == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize("priority", [Priority.OUTBOX, Priority.ALERT])
async def test_scheduled_and_alert_traffic_reraise_a_429_at_once(
    limiter: PacingRateLimiter, sleep: FakeSleep, priority: Priority
) -> None:
    calls = Calls(RetryAfter(5))
    with pytest.raises(RetryAfter):
        await request(limiter, PRIVATE, priority=priority, callback=calls)
    assert calls.count == 1 and sleep.delays == []


async def test_crisis_is_never_delayed_by_the_bucket(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for _ in range(10):
        await request(limiter, PRIVATE, priority=Priority.CRISIS)
    for _ in range(10):
        await request(limiter, GROUP, priority=Priority.ALERT)
    assert sleep.delays == []


async def test_crisis_is_never_delayed_by_the_global_bucket(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    for chat in range(1, 31):
        await request(limiter, chat)
    await request(limiter, 99, priority=Priority.CRISIS)
    assert sleep.delays == []


async def test_crisis_is_never_delayed_by_a_pause(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    with pytest.raises(RetryAfter):
        await request(limiter, PRIVATE, priority=Priority.OUTBOX, callback=Calls(RetryAfter(30)))
    calls = Calls({"message_id": 1})
    assert await request(limiter, PRIVATE, priority=Priority.CRISIS, callback=calls) == {"message_id": 1}
    assert sleep.delays == []
    # A reply in the same chat does wait the pause out.
    await request(limiter, PRIVATE, priority=Priority.REPLY)
    assert sleep.delays == pytest.approx([30.0])


async def test_a_timedelta_retry_after_is_understood(limiter: PacingRateLimiter, sleep: FakeSleep) -> None:
    calls = Calls(RetryAfter(timedelta(seconds=7)), {"ok": True})
    await request(limiter, PRIVATE, callback=calls)
    assert sleep.delays == pytest.approx([7.0])


# --- Sender outcome mapping ---------------------------------------------------------------------------------


class FakeBot:
    """Bot methods that raise `error`, or return a message with id 321."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def _answer(self, method: str, kwargs: dict[str, Any]) -> Any:
        self.calls.append((method, kwargs))
        if self.error is not None:
            raise self.error
        return SimpleNamespace(message_id=321)

    async def send_message(self, **kwargs: Any) -> Any:
        return await self._answer("send_message", kwargs)

    async def edit_message_text(self, **kwargs: Any) -> Any:
        return await self._answer("edit_message_text", kwargs)


async def send(error: Exception | None, *, edit: bool = False) -> Delivery:
    sender = Sender(FakeBot(error))  # type: ignore[arg-type]
    if edit:
        return await sender.edit_text(5, 44, "hello")
    return await sender.send_text(5, "hello")


@pytest.mark.parametrize("edit", [False, True])
async def test_success_returns_the_message_id(edit: bool) -> None:
    delivery = await send(None, edit=edit)
    assert delivery == Delivery(Outcome.SENT, message_id=321)
    assert delivery.ok


@pytest.mark.parametrize("edit", [False, True])
async def test_429_is_retry_with_its_wait(edit: bool) -> None:
    delivery = await send(RetryAfter(5), edit=edit)
    assert (delivery.outcome, delivery.retry_after) == (Outcome.RETRY, 5.0)
    assert not delivery.ok


@pytest.mark.parametrize("edit", [False, True])
async def test_403_is_blocked(edit: bool) -> None:
    delivery = await send(Forbidden("Forbidden: bot was blocked by the user"), edit=edit)
    assert delivery.outcome is Outcome.BLOCKED
    assert delivery.error is not None and delivery.error.startswith("403")


@pytest.mark.parametrize("edit", [False, True])
async def test_not_modified_counts_as_sent(edit: bool) -> None:
    delivery = await send(BadRequest("Message is not modified"), edit=edit)
    assert delivery.outcome is Outcome.SENT and delivery.ok


@pytest.mark.parametrize("edit", [False, True])
async def test_other_400_is_rejected(edit: bool) -> None:
    delivery = await send(BadRequest("Chat not found"), edit=edit)
    assert delivery.outcome is Outcome.REJECTED
    assert delivery.error == "400 Chat not found"


@pytest.mark.parametrize("error", [TimedOut(), NetworkError("Bad Gateway")])
@pytest.mark.parametrize("edit", [False, True])
async def test_timeouts_and_network_errors_are_retried(error: Exception, edit: bool) -> None:
    delivery = await send(error, edit=edit)
    assert delivery.outcome is Outcome.RETRY
    assert delivery.retry_after is None
    assert delivery.error is not None and type(error).__name__ in delivery.error


async def test_sender_passes_the_priority_to_the_rate_limiter() -> None:
    bot = FakeBot()
    await Sender(bot).send_text(5, "hi", priority=Priority.CRISIS)  # type: ignore[arg-type]
    await Sender(bot).edit_text(5, 44, "hi")  # type: ignore[arg-type]
    (m1, send_kwargs), (m2, edit_kwargs) = bot.calls
    assert (m1, send_kwargs["chat_id"], send_kwargs["text"]) == ("send_message", 5, "hi")
    assert send_kwargs["rate_limit_args"] == {"priority": Priority.CRISIS}
    assert (m2, edit_kwargs["message_id"], edit_kwargs["rate_limit_args"]) == (
        "edit_message_text",
        44,
        {"priority": Priority.REPLY},
    )


def test_long_texts_are_split_at_line_ends() -> None:
    from bot.sender import split_message

    lines = [f"#{n} a patient line" for n in range(500)]
    parts = split_message("\n".join(lines), limit=1000)
    assert all(len(part) <= 1000 for part in parts) and len(parts) > 1
    assert "\n".join(parts).split("\n") == lines
    assert split_message("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    assert split_message("short") == ["short"]


async def test_a_migrated_group_counts_as_unreachable() -> None:
    from telegram.error import ChatMigrated

    from bot.sender import Outcome, Sender

    class MigratedBot:
        async def send_message(self, **_: object) -> None:
            raise ChatMigrated(-100123)

    delivery = await Sender(MigratedBot()).send_text(-1, "alert")  # type: ignore[arg-type]
    assert delivery.outcome is Outcome.BLOCKED and "-100123" in (delivery.error or "")
