"""The figures at the top of a report: recent mean mood and its trend, check-in adherence, open crisis events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.export.model import ExportData, QuestionnaireRecord

DAILY = "daily"
# A slope smaller than this (points a week) reads as steady.
STEADY_PER_WEEK = 0.5
TREND_MIN_SCORES = 5


@dataclass(frozen=True, slots=True)
class Adherence:
    answered: int
    asked: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class Summary:
    mean_7: float | None
    mean_30: float | None
    trend_per_week: float | None  # least-squares slope of the last 30 days' daily scores
    adherence_30: Adherence
    adherence_all: Adherence
    open_crises: int
    crises: int
    latest_questionnaires: tuple[QuestionnaireRecord, ...]  # the latest of each instrument

    @property
    def trend(self) -> str | None:
        """rising, falling or steady; None with too few scores to tell."""
        if self.trend_per_week is None:
            return None
        if self.trend_per_week >= STEADY_PER_WEEK:
            return "rising"
        if self.trend_per_week <= -STEADY_PER_WEEK:
            return "falling"
        return "steady"


def daily_scores(data: ExportData) -> list[tuple[date, int]]:
    """Each day's daily check-in score, oldest first."""
    return sorted((c.local_date, c.score) for c in data.checkins if c.kind == DAILY and c.score is not None)


def window(scores: list[tuple[date, int]], end: date, days: int) -> list[tuple[date, int]]:
    """The scores of the `days` days that end with `end`."""
    first = end - timedelta(days=days - 1)
    return [(day, score) for day, score in scores if first <= day <= end]


def mean(scores: list[tuple[date, int]]) -> float | None:
    return sum(score for _, score in scores) / len(scores) if scores else None


def slope_per_week(scores: list[tuple[date, int]]) -> float | None:
    if len(scores) < TREND_MIN_SCORES:
        return None
    origin = scores[0][0]
    xs = [(day - origin).days for day, _ in scores]
    ys = [score for _, score in scores]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    if spread == 0:
        return None
    return 7 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


def adherence(data: ExportData, since: date | None = None) -> Adherence:
    """Daily check-ins answered out of those asked whose day is over (an open one is not yet missed)."""
    closed = [
        c for c in data.checkins if c.kind == DAILY and c.status != "open" and (since is None or c.local_date >= since)
    ]
    return Adherence(sum(c.status == "answered" for c in closed), len(closed))


def summarise(data: ExportData) -> Summary:
    scores = daily_scores(data)
    end = data.today
    last_30 = window(scores, end, 30)
    latest: dict[str, QuestionnaireRecord] = {}
    for record in sorted(data.questionnaires, key=lambda q: q.completed_at):
        latest[record.instrument] = record
    return Summary(
        mean_7=mean(window(scores, end, 7)),
        mean_30=mean(last_30),
        trend_per_week=slope_per_week(last_30),
        adherence_30=adherence(data, since=end - timedelta(days=29)),
        adherence_all=adherence(data),
        open_crises=sum(c.open for c in data.crises),
        crises=sum(c.alerted for c in data.crises),
        latest_questionnaires=tuple(latest[key] for key in sorted(latest)),
    )
