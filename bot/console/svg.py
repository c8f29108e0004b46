"""Small inline SVG charts for the console: pure functions from numbers to markup, no script, no image files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape


def sparkline(scores: Sequence[int | None], *, width: int = 112, height: int = 28, label: str = "") -> str:
    """A line through the days that have a score (0–10); gaps where a day has none."""
    if not any(s is not None for s in scores):
        return ""
    step = width / max(len(scores) - 1, 1)
    runs: list[list[str]] = [[]]
    for index, score in enumerate(scores):
        if score is None:
            runs.append([])
            continue
        runs[-1].append(f"{index * step:.1f},{height - 2 - score / 10 * (height - 4):.1f}")
    paths = "".join(
        f'<polyline points="{" ".join(run)}"/>'
        if len(run) > 1
        else f'<circle cx="{run[0].split(",")[0]}" cy="{run[0].split(",")[1]}" r="1.8"/>'
        for run in runs
        if run
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}">{paths}</svg>'
    )


def mood_chart(
    points: Sequence[tuple[date, int]],
    infusions: Sequence[date],
    *,
    start: date,
    end: date,
    width: int = 640,
    height: int = 180,
    label: str = "",
    infusion_title: Callable[[date], str],
) -> str:
    """Mood 0–10 by day from `start` to `end`, infusion days marked with a line titled `infusion_title(day)`."""
    days = max((end - start).days, 1)
    left, bottom, top = 28, height - 22, 8

    def x(day: date) -> float:
        return left + (day - start).days / days * (width - left - 8)

    def y(score: int) -> float:
        return bottom - score / 10 * (bottom - top)

    grid = "".join(
        f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
        f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>'
        for v in (0, 5, 10)
    )
    marks = "".join(
        f'<line class="infusion" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top}" y2="{bottom}">'
        f"<title>{escape(infusion_title(d))}</title></line>"
        for d in infusions
        if start <= d <= end
    )
    line = " ".join(f"{x(d):.1f},{y(s):.1f}" for d, s in points if start <= d <= end)
    dots = "".join(
        f'<circle cx="{x(d):.1f}" cy="{y(s):.1f}" r="2.5"><title>{d}: {s}</title></circle>'
        for d, s in points
        if start <= d <= end
    )
    axis = (
        f'<text x="{left}" y="{height - 4}">{start.isoformat()}</text>'
        f'<text x="{width - 8}" y="{height - 4}" text-anchor="end">{end.isoformat()}</text>'
    )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f'{grid}{marks}<polyline class="mood" points="{line}"/>{dots}{axis}</svg>'
    )
