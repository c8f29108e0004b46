"""Stand-ins for the sender's tests: a sleep that moves a manual clock, and a Bot API call that answers from a
script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.clock import ManualClock
from bot.sender import PacingRateLimiter, Priority


class FakeSleep:
    """Records every requested wait and moves the manual clock on by it."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


class Calls:
    """A Bot API stand-in callback: answers from a script (an exception to raise, or a result)."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.count = 0

    async def __call__(self) -> Any:
        self.count += 1
        step = self.script.pop(0) if self.script else {"ok": True}
        if isinstance(step, BaseException):
            raise step
        return step


async def request(
    limiter: PacingRateLimiter,
    chat_id: int | None,
    *,
    priority: Priority | None = None,
    endpoint: str = "sendMessage",
    callback: Callable[[], Any] | None = None,
) -> Any:
    data: dict[str, Any] = {} if chat_id is None else {"chat_id": chat_id, "text": "x"}
    return await limiter.process_request(
        callback or Calls(),
        (),
        {},
        endpoint,
        data,
        None if priority is None else {"priority": priority},
    )
