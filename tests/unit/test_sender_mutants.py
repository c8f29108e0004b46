"""The sender's pauses and 429s at their edges: what mutation testing of `bot/sender.py` showed untested."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot import metrics
from bot.clock import ManualClock
from bot.sender import Delivery, Outcome, PacingRateLimiter, Priority, Sender, split_message
from tests.unit.sender_doubles import Calls, FakeSleep, request

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GROUP = -100123


async def test_a_shorter_429_does_not_cut_short_a_longer_pause_of_the_chat(
    limiter: PacingRateLimiter, clock: ManualClock, sleep: FakeSleep
) -> None:
    """Telegram asked the staff chat for 30 s of quiet; a staff alert's own 429 of 5 s does not end it early."""
    with pytest.raises(RetryAfter):
        await request(limiter, GROUP, priority=Priority.OUTBOX, callback=Calls(RetryAfter(30)))
    with pytest.raises(RetryAfter):
        await request(limiter, GROUP, priority=Priority.ALERT, callback=Calls(RetryAfter(5)))
    clock.advance(timedelta(seconds=10))
    # Scheduled messages still go back to the outbox for the rest of the longer pause ...
    with pytest.raises(RetryAfter) as raised:
        await request(limiter, GROUP, priority=Priority.OUTBOX)
    assert raised.value.retry_after == timedelta(seconds=20)
    # ... and a reply in that chat waits it out before it is sent.
    answers = Calls()
    await request(limiter, GROUP, priority=Priority.REPLY, callback=answers)
    assert sleep.delays == pytest.approx([20.0]) and answers.count == 1


class RefusingBot:
    """`send_message` answers 429 with the wait given, then sends."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        self.calls = 0

    async def send_message(self, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            raise RetryAfter(self.retry_after)
        return SimpleNamespace(message_id=self.calls)


async def test_a_429_is_honoured_when_telegram_reports_its_wait_in_whole_seconds(
    monkeypatch: pytest.MonkeyPatch, limiter: PacingRateLimiter, sleep: FakeSleep
) -> None:
    """The bot asks python-telegram-bot for waits as timedeltas only by default (`bot/__init__.py` uses
    `setdefault`): an operator's PTB_TIMEDELTA=false makes them plain seconds, and a 429 must still be honoured."""
    monkeypatch.setenv("PTB_TIMEDELTA", "false")
    assert isinstance(RetryAfter(7).retry_after, int)
    # The outbox learns when to try again ...
    delivery = await Sender(RefusingBot(7)).send_text(5, "hello", priority=Priority.OUTBOX)  # type: ignore[arg-type]
    assert delivery == Delivery(Outcome.RETRY, retry_after=7.0, error="429")
    # ... and a reply waits the 7 seconds out, then goes.
    answers = Calls(RetryAfter(7), {"message_id": 9})
    assert await request(limiter, 5, priority=Priority.REPLY, callback=answers) == {"message_id": 9}
    assert sleep.delays == pytest.approx([7.0]) and answers.count == 2


async def test_a_scheduled_message_goes_back_to_the_outbox_for_the_last_second_of_a_pause_too(
    limiter: PacingRateLimiter, clock: ManualClock, sleep: FakeSleep
) -> None:
    with pytest.raises(RetryAfter):
        await request(limiter, 5, priority=Priority.OUTBOX, callback=Calls(RetryAfter(5)))
    clock.advance(timedelta(seconds=4.5))
    answers = Calls()
    with pytest.raises(RetryAfter) as raised:
        await request(limiter, 5, priority=Priority.OUTBOX, callback=answers)
    assert raised.value.retry_after == timedelta(seconds=1) and answers.count == 0
    clock.advance(timedelta(seconds=0.5))
    await request(limiter, 5, priority=Priority.OUTBOX, callback=answers)
    assert answers.count == 1 and sleep.delays == []


@pytest.mark.parametrize("priority", [Priority.CRISIS, Priority.ALERT])
async def test_crisis_traffic_never_waits_even_for_a_chat_given_by_name(
    limiter: PacingRateLimiter, sleep: FakeSleep, priority: Priority
) -> None:
    """A chat named "@clinic_staff" has no numeric id to pace by; crisis traffic to it still goes at once, even
    when replies have used up the global budget."""
    for chat in range(1, 40):
        await request(limiter, chat, priority=Priority.REPLY)
    before = list(sleep.delays)
    answers = Calls()
    await limiter.process_request(
        answers, (), {}, "sendMessage", {"chat_id": "@clinic_staff", "text": "x"}, {"priority": priority}
    )
    assert answers.count == 1 and sleep.delays == before


@pytest.mark.parametrize("endpoint", ["sendMessage", "answerCallbackQuery"])
async def test_a_request_reaches_telegram_with_all_its_arguments(limiter: PacingRateLimiter, endpoint: str) -> None:
    """The limiter only decides when a request goes, never what goes: a long upload's own timeouts, for one."""
    received: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    async def post(*args: Any, **kwargs: Any) -> dict[str, bool]:
        received.append((args, kwargs))
        return {"ok": True}

    timeouts = {"read_timeout": 60, "write_timeout": 60, "connect_timeout": 5, "pool_timeout": 1}
    data = {"chat_id": 5, "text": "x"}
    await limiter.process_request(post, (endpoint, data), timeouts, endpoint, data, None)
    assert received == [((endpoint, data), timeouts)]


# --- What a clinic's monitoring and logs see ------------------------------------------------------------------


def sends(outcome: str) -> float:
    return metrics.REGISTRY.get_sample_value("moodbot_telegram_sends_total", {"outcome": outcome}) or 0.0


def rate_limited() -> float:
    return metrics.REGISTRY.get_sample_value("moodbot_telegram_429_total") or 0.0


async def test_every_send_is_counted_by_its_outcome_and_every_429_as_rate_limited() -> None:
    sent, retry, limited = sends("sent"), sends("retry"), rate_limited()
    bot = RefusingBot(7)
    assert (await Sender(bot).send_text(5, "a")).outcome is Outcome.RETRY  # type: ignore[arg-type]
    assert (sends("sent"), sends("retry"), rate_limited()) == (sent, retry + 1, limited + 1)
    assert (await Sender(bot).send_text(5, "b")).outcome is Outcome.SENT  # type: ignore[arg-type]
    assert (sends("sent"), sends("retry"), rate_limited()) == (sent + 1, retry + 1, limited + 1)


class FailingBot:
    """Every call fails with `error`; edits and button answers too."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def send_message(self, **kwargs: Any) -> Any:
        raise self.error

    async def edit_message_text(self, **kwargs: Any) -> Any:
        raise self.error


@pytest.mark.parametrize("edit", [False, True])
async def test_a_failed_send_is_logged_with_its_chat_outcome_and_error(
    caplog: pytest.LogCaptureFixture, edit: bool
) -> None:
    sender = Sender(FailingBot(Forbidden("Forbidden: user is deactivated")))  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="bot.sender"):
        delivery = await (sender.edit_text(4242, 9, "hello") if edit else sender.send_text(4242, "hello"))
    assert delivery.outcome is Outcome.BLOCKED
    [logged] = [r for r in caplog.records if r.name == "bot.sender"]
    message = logged.getMessage()
    assert logged.levelno == logging.WARNING
    assert ("editmessagetext" if edit else "sendmessage") in message.lower()
    assert "4242" in message and Outcome.BLOCKED in message and "user is deactivated" in message


async def test_a_successful_send_and_button_answer_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    bot = RefusingBot(7)
    bot.calls = 1  # past its 429
    with caplog.at_level(logging.DEBUG, logger="bot.sender"):
        assert (await Sender(bot).send_text(5, "x")).ok  # type: ignore[arg-type]
        await Sender(bot).answer(Query(None))  # type: ignore[arg-type]
    assert [r for r in caplog.records if r.name == "bot.sender"] == []


class Query:
    """A button press whose answer fails with `error`, or goes through."""

    def __init__(self, error: Exception | None) -> None:
        self.error = error
        self.answered = 0

    async def answer(self, text: str | None = None) -> bool:
        self.answered += 1
        if self.error is not None:
            raise self.error
        return True


async def test_a_button_answer_that_fails_costs_only_the_spinner_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    query = Query(BadRequest("Query is too old and response timeout expired or query id is invalid"))
    with caplog.at_level(logging.INFO, logger="bot.sender"):
        await Sender(SimpleNamespace()).answer(query)  # type: ignore[arg-type]
    assert query.answered == 1
    [logged] = [r for r in caplog.records if r.name == "bot.sender"]
    assert logged.levelno == logging.INFO and "Query is too old" in logged.getMessage()


def test_splitting_a_long_text_loses_no_character_whatever_a_line_begins_with() -> None:
    lines = [f"{start}{n} results of the questionnaire" for n in range(200) for start in ("X", "x", " ", "-", "#")]
    text = "\n".join(lines)
    parts = split_message(text, limit=500)
    assert len(parts) > 1 and all(len(part) <= 500 for part in parts)
    assert "\n".join(parts) == text
