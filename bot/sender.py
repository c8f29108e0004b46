"""The one way out: pacing within Telegram's limits and mapping Telegram's answers to outcomes.

Pacing is a python-telegram-bot rate limiter, so every request of the bot passes through it, replies and
scheduled messages alike. Unlike the library's AIORateLimiter, a 429 pauses only the chat it came from, and
crisis replies neither queue behind scheduled traffic nor wait out another chat's pause.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

from bot import metrics
from bot.clock import Clock

log = logging.getLogger(__name__)


class Priority(enum.StrEnum):
    CRISIS = "crisis"  # never queued behind anything
    ALERT = "alert"  # a staff crisis alert: never queued, but a 429 goes back to the outbox like OUTBOX
    REPLY = "reply"  # an answer to something the user just did
    # Scheduled: the outbox's shared schedule paces it across instances, so it never waits here; a 429, or a
    # chat still paused by one, sends the row back to the outbox with a due time.
    OUTBOX = "outbox"


class TokenBucket:
    """Reservation-style bucket: each caller learns how long to wait, and the tokens are taken at once."""

    def __init__(self, rate: float, burst: float, clock: Clock) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._tokens = burst
        self._updated = clock.monotonic()

    def reserve(self) -> float:
        now = self._clock.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


@dataclass(frozen=True)
class Limits:
    global_per_second: float = 30.0
    global_burst: float = 30.0
    # Scheduled messages of every instance together; the rest of the 30 a second is left for replies.
    scheduled_per_second: float = 25.0
    private_per_second: float = 1.0
    private_burst: float = 3.0
    group_per_minute: float = 20.0
    group_burst: float = 3.0
    reply_retries: int = 3


_PACED = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendPhoto",
        "sendDocument",
        "copyMessage",
        "forwardMessage",
    }
)


class PacingRateLimiter(BaseRateLimiter[dict[str, Any]]):
    def __init__(
        self,
        clock: Clock,
        limits: Limits | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self.limits = limits or Limits()
        self._sleep = sleep
        self._global = TokenBucket(self.limits.global_per_second, self.limits.global_burst, clock)
        self._chats: dict[int, TokenBucket] = {}
        self._paused_until: dict[int, float] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _chat_bucket(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if chat_id < 0:
                bucket = TokenBucket(self.limits.group_per_minute / 60, self.limits.group_burst, self._clock)
            else:
                bucket = TokenBucket(self.limits.private_per_second, self.limits.private_burst, self._clock)
            self._chats[chat_id] = bucket
        return bucket

    def delay_for(self, chat_id: int | None, priority: Priority) -> float:
        """How long this request must wait; reserves its place in the chat's and the global bucket."""
        if priority is Priority.OUTBOX:
            if chat_id is not None:
                self._chat_bucket(chat_id).reserve()  # counted, so that replies to this chat keep their pace
                paused = self._paused_until.get(chat_id, 0.0) - self._clock.monotonic()
                if paused > 0:
                    raise RetryAfter(math.ceil(paused))
            return 0.0
        if chat_id is None:
            return 0.0 if priority in (Priority.CRISIS, Priority.ALERT) else self._global.reserve()
        chat_wait = self._chat_bucket(chat_id).reserve()
        if priority in (Priority.CRISIS, Priority.ALERT):
            # Crisis traffic tries at once: Telegram tolerates short bursts, and a wait here could cost a life.
            return 0.0
        paused = max(0.0, self._paused_until.get(chat_id, 0.0) - self._clock.monotonic())
        return max(chat_wait, paused, self._global.reserve())

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        until = self._clock.monotonic() + seconds
        self._paused_until[chat_id] = max(until, self._paused_until.get(chat_id, 0.0))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in _PACED:
            return await callback(*args, **kwargs)
        priority = Priority((rate_limit_args or {}).get("priority", Priority.REPLY))
        chat_id = _chat_id(data)
        attempt = 0
        while True:
            delay = self.delay_for(chat_id, priority)
            if delay > 0:
                await self._sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                if chat_id is not None:
                    self.pause_chat(chat_id, wait)
                attempt += 1
                if priority in (Priority.OUTBOX, Priority.ALERT) or attempt > self.limits.reply_retries:
                    raise
                log.warning("429 on %s for chat %s; retrying in %.0fs", endpoint, chat_id, wait)
                await self._sleep(wait)


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _seconds(retry_after: Any) -> float:
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # try again later (429, 5xx, timeout)
    BLOCKED = "blocked"  # 403: the user blocked the bot or the chat is gone
    REJECTED = "rejected"  # 400: this message will never go through as it is


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SENT


class Sender:
    """Sends on behalf of every feature and turns Telegram's errors into a :class:`Delivery`."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def _attempt(self, call: Awaitable[Any]) -> Delivery:
        delivery = await self._deliver(call)
        metrics.SENDS.labels(delivery.outcome).inc()
        if delivery.retry_after is not None:
            metrics.RATE_LIMITED.inc()
        return delivery

    async def _deliver(self, call: Awaitable[Any]) -> Delivery:
        try:
            result = await call
        except RetryAfter as exc:
            return Delivery(Outcome.RETRY, retry_after=_seconds(exc.retry_after), error="429")
        except Forbidden as exc:
            return Delivery(Outcome.BLOCKED, error=f"403 {exc.message}")
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return Delivery(Outcome.SENT)
            return Delivery(Outcome.REJECTED, error=f"400 {exc.message}")
        except (TimedOut, NetworkError) as exc:
            return Delivery(Outcome.RETRY, error=f"{type(exc).__name__}: {exc.message}")
        except ChatMigrated as exc:
            # The group became a supergroup under a new id: treated as unreachable so that alerts escalate.
            return Delivery(Outcome.BLOCKED, error=f"chat migrated to {exc.new_chat_id}")
        except TelegramError as exc:
            return Delivery(Outcome.REJECTED, error=f"{type(exc).__name__}: {exc.message}")
        message_id = getattr(result, "message_id", None)
        return Delivery(Outcome.SENT, message_id=message_id)

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: InlineKeyboardMarkup | None = None,
        priority: Priority = Priority.REPLY,
    ) -> Delivery:
        """Long texts go out in parts of at most Telegram's 4,096 characters; buttons ride on the last part."""
        parts = split_message(text)
        for number, part in enumerate(parts, start=1):
            delivery = await self._attempt(
                self._bot.send_message(
                    chat_id=chat_id,
                    text=part,
                    reply_markup=buttons if number == len(parts) else None,
                    rate_limit_args={"priority": priority},  # type: ignore[call-arg]
                )
            )
            _log_failure("sendMessage", chat_id, delivery)
            if not delivery.ok:
                break
        return delivery

    async def edit_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        *,
        buttons: InlineKeyboardMarkup | None = None,
    ) -> Delivery:
        delivery = await self._attempt(
            self._bot.edit_message_text(
                chat_id=chat_id,
                message_id=message_id,
                text=text,
                reply_markup=buttons,
                rate_limit_args={"priority": Priority.REPLY},  # type: ignore[call-arg]
            )
        )
        _log_failure("editMessageText", chat_id, delivery)
        return delivery

    async def send_document(self, chat_id: int, data: bytes, filename: str, *, caption: str | None = None) -> Delivery:
        delivery = await self._attempt(
            self._bot.send_document(
                chat_id=chat_id,
                document=InputFile(data, filename=filename),
                caption=caption,
                rate_limit_args={"priority": Priority.REPLY},  # type: ignore[call-arg]
            )
        )
        _log_failure("sendDocument", chat_id, delivery)
        return delivery

    async def send_photo(self, chat_id: int, data: bytes, *, caption: str | None = None) -> Delivery:
        delivery = await self._attempt(
            self._bot.send_photo(
                chat_id=chat_id,
                photo=InputFile(data, filename="chart.png"),
                caption=caption,
                rate_limit_args={"priority": Priority.REPLY},  # type: ignore[call-arg]
            )
        )
        _log_failure("sendPhoto", chat_id, delivery)
        return delivery

    async def answer(self, query: CallbackQuery, text: str | None = None) -> None:
        """Stop the button's spinner; a failure here only costs the spinner, so it is logged and let go."""
        delivery = await self._attempt(query.answer(text=text))
        if not delivery.ok:
            log.info("answerCallbackQuery failed: %s", delivery.error)


MESSAGE_LIMIT = 4096


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at line ends where possible."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*parts, text]


def _log_failure(method: str, chat_id: int, delivery: Delivery) -> None:
    if not delivery.ok:
        log.warning("%s to chat %s: %s (%s)", method, chat_id, delivery.outcome, delivery.error)
