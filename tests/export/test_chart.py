"""Mood charts: valid PNGs of the promised size, missed days as gaps, and no crisis marks on the patient's own."""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from PIL import Image

from bot.export.chart import (
    mood_chart_png,
    mood_series,
    period_mood_chart_png,
    questionnaire_chart_png,
    rolling_mean,
)
from bot.export.model import ExportData
from tests.export.test_pdf import TODAY, appointment, checkin, crisis, full_data, make_data, questionnaire


def png_size(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    image.load()
    return image.size


def crisis_red_pixels(png: bytes) -> int:
    """Pixels of the crisis colour, or of its blend with white, that no other mark of the charts produces."""
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(
        1
        for red, green, blue in zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
        if red > 150 and green < 110 and blue < 110
    )


def test_the_patients_chart_is_a_phone_sized_png_with_or_without_data() -> None:
    assert png_size(mood_chart_png(make_data())) == (1000, 600)
    assert png_size(mood_chart_png(full_data())) == (1000, 600)
    assert png_size(mood_chart_png(full_data(), days=7)) == (1000, 600)


def test_missed_days_are_gaps_and_followups_and_infusions_are_their_own() -> None:
    day = TODAY - timedelta(days=2)
    data = make_data(
        checkins=(
            checkin(TODAY, 7),
            checkin(day, None),
            checkin(day, 4, kind="followup"),
            checkin(TODAY - timedelta(days=40), 2),
        ),
        appointments=(appointment(day), appointment(TODAY - timedelta(days=1), state="cancelled")),
    )
    series = mood_series(data, TODAY - timedelta(days=29), TODAY)
    assert len(series.days) == 30 and series.days[-1] == TODAY
    assert series.daily[-1] == 7
    assert math.isnan(series.daily[-3])  # missed: a gap, not a zero
    assert sum(math.isnan(score) for score in series.daily) == 29  # the score 40 days ago is outside the window
    assert series.followups == ((day, 4),)
    assert series.infusions == (day,)  # the cancelled one is not marked


def test_the_rolling_mean_needs_three_scores_in_its_week() -> None:
    gap = math.nan
    means = rolling_mean([5, gap, gap, 7, gap, 9, gap, gap, gap, gap, gap, gap, gap])
    assert all(math.isnan(mean) for mean in means[:5])
    assert means[5] == 7.0  # 5, 7 and 9
    assert means[6] == 7.0
    assert math.isnan(means[7])  # 7 and 9 only: too few to say
    assert math.isnan(means[-1])


def test_no_crisis_marks_on_the_patients_chart_but_on_the_counselors() -> None:
    data = make_data(
        checkins=tuple(checkin(TODAY - timedelta(days=i), 3 + i % 5) for i in range(20)),
        crises=(crisis(TODAY - timedelta(days=3), "too much"),),
    )
    assert crisis_red_pixels(mood_chart_png(data)) == 0
    assert crisis_red_pixels(period_mood_chart_png(data, date(2026, 3, 1), TODAY, width=7, height=3)) > 0


def test_the_counselors_charts_render_long_and_empty_periods() -> None:
    first = TODAY - timedelta(days=400)
    data = make_data(
        start=first,
        checkins=tuple(checkin(first + timedelta(days=i), i % 11) for i in range(0, 401, 2)),
        questionnaires=tuple(
            questionnaire(first + timedelta(days=i), "phq9", i % 28, "mild") for i in range(0, 400, 14)
        ),
    )
    assert png_size(period_mood_chart_png(data, first, TODAY, width=7, height=3, dpi=100)) == (700, 300)
    png = questionnaire_chart_png(data, width=7, height=2, dpi=100)
    assert png is not None and png_size(png) == (700, 200)
    empty = make_data()
    assert png_size(period_mood_chart_png(empty, date(2026, 3, 1), TODAY, width=7, height=3, dpi=100)) == (700, 300)
    assert questionnaire_chart_png(empty, width=7, height=2) is None


def test_charts_render_side_by_side_in_threads() -> None:
    datasets: list[ExportData] = [full_data(), make_data()] * 3
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(mood_chart_png, datasets))
    assert [png_size(png) for png in results] == [(1000, 600)] * len(datasets)
