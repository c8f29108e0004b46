"""Time as a dependency: production reads the system clock, tests set it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for pacing."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that only moves when told to: for tests and the demo."""

    def __init__(self, start: datetime, *, real_pacing: bool = False) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._monotonic = 0.0
        # Benchmarks: time runs at its real speed from the instant set, so that pacing is real.
        self._real_pacing = real_pacing
        self._set_at = time.monotonic()

    def now(self) -> datetime:
        if self._real_pacing:
            return self._now + timedelta(seconds=time.monotonic() - self._set_at)
        return self._now

    def monotonic(self) -> float:
        return time.monotonic() if self._real_pacing else self._monotonic

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        instant = instant.astimezone(UTC)
        self._monotonic += max((instant - self._now).total_seconds(), 0.0)
        self._now = instant
        self._set_at = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)
