"""A manual clock, a sleep that moves it, and the sender's rate limiter on both: shared by the sender's tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.sender import PacingRateLimiter
from tests.unit.sender_doubles import FakeSleep


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def sleep(clock: ManualClock) -> FakeSleep:
    return FakeSleep(clock)


@pytest.fixture
def limiter(clock: ManualClock, sleep: FakeSleep) -> PacingRateLimiter:
    return PacingRateLimiter(clock, sleep=sleep)
