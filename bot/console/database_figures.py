"""Figures read from the database when `/metrics` is scraped: the outbox's depth and lag, and open crisis alerts.

One short session per scrape. A database that is down or slow never fails the scrape: it says so in
`moodbot_database_up 0` and leaves out the figures it could not read, rather than showing stale ones.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from storage.models import CrisisAlert, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Well inside Prometheus's default scrape timeout (10 s), so that a hung database still gives a scrape.
READ_TIMEOUT_SECONDS = 3.0
_WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass(frozen=True, slots=True)
class Figures:
    outbox: list[tuple[str, str, int]]  # kind, status, rows
    oldest_due_seconds: float
    open_alerts: int
    oldest_alert_seconds: float


def _age(since: datetime | None, now: datetime) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


async def read_figures(session: AsyncSession, *, now: datetime) -> Figures:
    outbox = await session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_(_WAITING))
        .group_by(OutboxMessage.kind, OutboxMessage.status)
        .order_by(OutboxMessage.kind, OutboxMessage.status)
    )
    # Due as the dispatcher sees it: pending, and its next attempt no longer in the future.
    oldest_due = await session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
        )
    )
    alerts = (
        await session.execute(
            select(func.count(), func.min(CrisisAlert.opened_at)).where(CrisisAlert.acknowledged_at.is_(None))
        )
    ).one()
    return Figures(
        outbox=[(kind, OutboxStatus(status).value, rows) for kind, status, rows in outbox],
        oldest_due_seconds=_age(oldest_due, now),
        open_alerts=alerts[0],
        oldest_alert_seconds=_age(alerts[1], now),
    )


class DatabaseFigures:
    """A Prometheus collector of the figures last read by `refresh`, which the metrics page awaits first."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._latest: Figures | None = None

    async def refresh(self) -> None:
        try:
            async with asyncio.timeout(READ_TIMEOUT_SECONDS), self._rt.session() as session:
                self._latest = await read_figures(session, now=self._rt.clock.now())
        except Exception as exc:  # whatever went wrong, the scrape goes on and says the database is down
            log.debug("metrics: database not read: %s", type(exc).__name__)
            self._latest = None

    def collect(self) -> Iterator[Metric]:
        figures = self._latest
        yield GaugeMetricFamily(
            "moodbot_database_up", "1 when the database answered the last scrape", value=float(figures is not None)
        )
        if figures is None:
            return
        depth = GaugeMetricFamily(
            "moodbot_outbox_messages",
            "Outbox messages waiting (pending) or being sent (sending)",
            labels=["kind", "status"],
        )
        for kind, status, rows in figures.outbox:
            depth.add_metric([kind, status], rows)
        yield depth
        yield GaugeMetricFamily(
            "moodbot_outbox_oldest_due_seconds",
            "How long the longest-waiting due message has waited past its time (0: none waiting)",
            value=figures.oldest_due_seconds,
        )
        yield GaugeMetricFamily(
            "moodbot_crisis_alerts_open",
            "Crisis alerts no staff member has acknowledged yet",
            value=figures.open_alerts,
        )
        yield GaugeMetricFamily(
            "moodbot_crisis_alert_oldest_open_seconds",
            "Age of the oldest unacknowledged crisis alert (0: none open)",
            value=figures.oldest_alert_seconds,
        )
