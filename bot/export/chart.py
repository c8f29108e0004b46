"""Mood charts: the patient's own (the /mood command) and the counselor's (inside the PDF report).

Charts are drawn in worker threads (`asyncio.to_thread`), so only matplotlib's object API with the Agg canvas is
used here: pyplot keeps a global current figure that concurrent threads would trample.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from bot.export.model import ExportData, QuestionnaireRecord
from bot.export.summary import DAILY
from bot.questionnaires.instruments import Band, instruments
from bot.texts import EN, t

FOLLOWUP = "followup"
INFUSION = "infusion"

MOOD_COLOUR = "#3f7f9f"
AVERAGE_COLOUR = "#1f4d66"
FOLLOWUP_COLOUR = "#c98a3a"
INFUSION_COLOUR = "#8f84c2"
CRISIS_COLOUR = "#b83a3a"
MUTED = "#6b6b6b"
GRID = "#e4e4e4"
BAND_FILLS = ("#f6f8fa", "#eceff3")

# Beyond this many days single scores crowd each other, so the counselor's chart adds a rolling mean.
ROLLING_FROM_DAYS = 60
ROLLING_DAYS = 7
# A rolling mean over fewer scores than this says more about the gaps than about the mood.
ROLLING_MIN_SCORES = 3
# Beyond this many totals the questionnaire line drops its dots, which would merge into a band of ink.
DOTS_UP_TO = 60
# Up to this many days the axis names days ("3 Mar"); beyond it, months ("Mar 2026").
DAY_LABELS_UP_TO = 120


def month_name(month: int, language: str, *, short: bool = True) -> str:
    """The month's name from the catalogue, so that dates translate with everything else."""
    names = t("report.months.short" if short else "report.months", language).split(",")
    return names[month - 1].strip()


def format_date(day: date, language: str) -> str:
    """A date as the reports write it ("3 Mar 2026")."""
    return t("report.date", language, day=day.day, month=month_name(day.month, language), year=day.year)


def band_label(band: str, language: str) -> str:
    """A questionnaire band's words from the catalogue; an unknown band (a new instrument) shows as stored."""
    key = "report.band." + band.replace(" ", "_")
    return t(key, language) if key in EN else band


@dataclass(frozen=True, slots=True)
class MoodSeries:
    """What a mood chart shows over `days` (consecutive local dates); a day without a daily score is NaN."""

    days: tuple[date, ...]
    daily: tuple[float, ...]
    followups: tuple[tuple[date, int], ...]
    infusions: tuple[date, ...]
    crises: tuple[date, ...]

    @property
    def scored(self) -> bool:
        """Whether any day has a daily score."""
        return not all(math.isnan(score) for score in self.daily)

    @property
    def empty(self) -> bool:
        return not self.followups and not self.scored


def mood_series(data: ExportData, first: date, last: date) -> MoodSeries:
    """The scores, infusion days and crisis days between the local dates `first` and `last` (inclusive)."""
    count = max((last - first).days + 1, 1)
    days = tuple(first + timedelta(days=i) for i in range(count))
    daily = [math.nan] * count
    followups = []
    for checkin in data.checkins:
        if checkin.score is None or not first <= checkin.local_date <= last:
            continue
        if checkin.kind == DAILY:
            daily[(checkin.local_date - first).days] = checkin.score
        elif checkin.kind == FOLLOWUP:
            followups.append((checkin.local_date, checkin.score))
    infusions = sorted(
        {
            day
            for a in data.appointments
            if a.kind == INFUSION and a.took_place and first <= (day := data.local(a.starts_at).date()) <= last
        }
    )
    crises = sorted({day for c in data.crises if first <= (day := data.local(c.detected_at).date()) <= last})
    return MoodSeries(days, tuple(daily), tuple(sorted(followups)), tuple(infusions), tuple(crises))


def rolling_mean(
    values: Sequence[float], window: int = ROLLING_DAYS, min_count: int = ROLLING_MIN_SCORES
) -> list[float]:
    """The mean of the scores among each day and the `window - 1` days before it; NaN where too few were given."""
    means = []
    total, count = 0.0, 0
    for index, value in enumerate(values):
        if not math.isnan(value):
            total += value
            count += 1
        if index >= window and not math.isnan(leaving := values[index - window]):
            total -= leaving
            count -= 1
        means.append(total / count if count >= min_count else math.nan)
    return means


def _date_axis(ax: Axes, first: date, last: date, language: str, *, max_ticks: int) -> None:
    span = (last - first).days
    ax.set_xlim(date2num(first) - 0.5, date2num(last) + 0.5)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=max_ticks))

    def label(value: float, _position: int) -> str:
        day = num2date(value).date()
        if span <= DAY_LABELS_UP_TO:
            return t("chart.day", language, day=day.day, month=month_name(day.month, language))
        return t("chart.month", language, month=month_name(day.month, language), year=day.year)

    ax.xaxis.set_major_formatter(FuncFormatter(label))


def _mood_axes(ax: Axes, language: str, font_size: float) -> None:
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel(t("chart.axis.mood", language), fontsize=font_size, color=MUTED)
    ax.tick_params(labelsize=font_size * 0.9, colors=MUTED)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)


def _png(figure: Figure, dpi: float) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def mood_chart_png(data: ExportData, *, days: int = 30) -> bytes:
    """The patient's own chart of the last `days` days ending `data.today`, as a PNG about 1000×600 pixels."""
    language = data.reader_language
    days = max(days, 1)
    last = data.today
    first = last - timedelta(days=days - 1)
    series = mood_series(data, first, last)
    figure = Figure(figsize=(10, 6), layout="constrained")
    ax = figure.add_subplot()
    _mood_axes(ax, language, 15)
    _date_axis(ax, first, last, language, max_ticks=7)
    ax.set_title(t("chart.title", language, days=days), fontsize=20, color="#333333", pad=14)
    # No crisis markers here: this chart is the patient's, and it should feel like theirs.
    handles = []
    for day in series.infusions:
        ax.axvline(date2num(day), color=INFUSION_COLOUR, linestyle="--", linewidth=1.6, alpha=0.8)
    if series.infusions:
        handles.append(
            Line2D([], [], color=INFUSION_COLOUR, linestyle="--", label=t("chart.legend.infusion", language))
        )
    if series.scored:
        # NaN breaks the line, so a missed day is a gap rather than a fall to zero.
        (line,) = ax.plot(
            date2num(series.days),
            series.daily,
            color=MOOD_COLOUR,
            linewidth=2.4,
            marker="o",
            markersize=7,
            label=t("chart.legend.daily", language),
        )
        handles.insert(0, line)
    if series.followups:
        handles.insert(1, _plot_followups(ax, series, language, size=10))
    if series.empty:
        ax.text(
            0.5,
            0.5,
            t("chart.empty", language),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=17,
            color=MUTED,
            wrap=True,
        )
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=14)
    return _png(figure, dpi=100)


def _plot_followups(ax: Axes, series: MoodSeries, language: str, *, size: float) -> Line2D:
    (points,) = ax.plot(
        date2num([day for day, _ in series.followups]),
        [score for _, score in series.followups],
        linestyle="none",
        marker="D",
        markersize=size,
        markerfacecolor="white",
        markeredgecolor=FOLLOWUP_COLOUR,
        markeredgewidth=2,
        label=t("chart.legend.followup", language),
    )
    return points


def period_mood_chart_png(
    data: ExportData, first: date, last: date, *, width: float, height: float, dpi: float = 200
) -> bytes:
    """The counselor's chart of the whole period, `width`×`height` inches: daily scores (with a rolling mean when
    the period is long), after-infusion scores, infusions and crisis events."""
    language = data.reader_language
    series = mood_series(data, first, last)
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    _mood_axes(ax, language, 8)
    ax.set_ylim(-0.5, 11)
    _date_axis(ax, first, last, language, max_ticks=9)
    x = date2num(series.days)
    long_period = len(series.days) > ROLLING_FROM_DAYS
    handles = []
    # One collection for every infusion: five years hold dozens, and one artist each is slow to draw.
    if series.infusions:
        ax.vlines(date2num(series.infusions), -0.5, 11, colors=INFUSION_COLOUR, linewidth=0.6, alpha=0.45)
        handles.append(Line2D([], [], color=INFUSION_COLOUR, linewidth=0.9, label=t("chart.legend.infusion", language)))
    if series.scored:
        if long_period:
            handles.insert(
                0,
                ax.scatter(
                    x,
                    series.daily,
                    s=3,
                    color=MOOD_COLOUR,
                    alpha=0.35,
                    linewidths=0,
                    label=t("chart.legend.daily", language),
                ),
            )
            (average,) = ax.plot(
                x,
                rolling_mean(series.daily),
                color=AVERAGE_COLOUR,
                linewidth=1.3,
                label=t("chart.legend.average", language),
            )
            handles.insert(1, average)
        else:
            (line,) = ax.plot(
                x,
                series.daily,
                color=MOOD_COLOUR,
                linewidth=1.3,
                marker="o",
                markersize=3,
                label=t("chart.legend.daily", language),
            )
            handles.insert(0, line)
    if series.followups:
        handles.append(_plot_followups(ax, series, language, size=4 if long_period else 5))
    if series.crises:
        (marks,) = ax.plot(
            date2num(series.crises),
            [10.6] * len(series.crises),
            linestyle="none",
            marker="v",
            markersize=5,
            color=CRISIS_COLOUR,
            label=t("chart.legend.crisis", language),
        )
        handles.append(marks)
    if series.empty:
        ax.text(0.5, 0.5, t("chart.period.empty", language), transform=ax.transAxes, ha="center", color=MUTED)
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=7)
    return _png(figure, dpi)


def questionnaire_chart_png(data: ExportData, *, width: float, height: float, dpi: float = 200) -> bytes | None:
    """Totals of each questionnaire over time with its band limits, one panel per instrument; None without any."""
    by_instrument: dict[str, list[QuestionnaireRecord]] = {}
    for record in sorted(data.questionnaires, key=lambda q: q.completed_at):
        by_instrument.setdefault(record.instrument, []).append(record)
    if not by_instrument:
        return None
    language = data.reader_language
    known = instruments()
    figure = Figure(figsize=(width, height), layout="constrained")
    panels = figure.subplots(1, len(by_instrument), squeeze=False)[0]
    for ax, (key, records) in zip(panels, sorted(by_instrument.items()), strict=True):
        days = [data.local(r.completed_at).date() for r in records]
        form = known.get(key)
        top = form.max_total if form else max(r.total for r in records)
        ax.set_title(records[-1].title, fontsize=9, color="#333333")
        ax.set_ylim(-0.5, top + 0.5)
        ax.tick_params(labelsize=7, colors=MUTED)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        first, last = min(days), max(days)
        if first == last:
            first, last = first - timedelta(days=7), last + timedelta(days=7)
        _date_axis(ax, first, last, language, max_ticks=5)
        if form:
            _band_shading(ax, form.bands, top, language)
        ax.plot(
            date2num(days),
            [r.total for r in records],
            color=AVERAGE_COLOUR,
            linewidth=0.9,
            marker="o" if len(records) <= DOTS_UP_TO else "none",
            markersize=2.5,
        )
    return _png(figure, dpi)


def _band_shading(ax: Axes, bands: tuple[Band, ...], top: int, language: str) -> None:
    """Shades each severity band lightly and names it beside the panel, where the line cannot cover it."""
    limits = [band.lowest for band in bands] + [top + 1]
    for index, (band, low, high) in enumerate(zip(bands, limits, limits[1:], strict=False)):
        ax.axhspan(low - 0.5, high - 0.5, color=BAND_FILLS[index % 2], linewidth=0, zorder=0)
        ax.text(
            1.01,
            (low + high - 1) / 2,
            band_label(band.name, language),
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=6,
            color=MUTED,
        )
