"""The PDF report of one patient's journal, for a counselor to read in the minutes before a session.

First page: who and which period, the summary figures, the mood chart (and questionnaire totals), the appointments.
Then every day of the period, newest first (what happened lately matters most before a session), each day's entries
in the order they happened.

Text is laid out here (words measured with the font and wrapped, then drawn line by line) rather than with
reportlab's Paragraph: five years of journal are thousands of entries, Paragraph's markup parser takes seconds over
them, and it would read a patient's "<" or "&" as markup.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import repeat
from pathlib import Path

import matplotlib
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, PageTemplate, Spacer

from bot.export.chart import (
    INFUSION,
    band_label,
    format_date,
    month_name,
    period_mood_chart_png,
    questionnaire_chart_png,
)
from bot.export.model import (
    AppointmentRecord,
    CheckinRecord,
    CrisisRecord,
    ExportData,
    JournalRecord,
    QuestionnaireRecord,
)
from bot.export.summary import DAILY, Adherence, Summary, summarise
from bot.safety.explain import explain
from bot.texts import EN, t

FONT = "MoodbotSans"
BOLD = "MoodbotSans-Bold"
# Shown in place of characters the font has no glyph for; it is itself in the font.
PLACEHOLDER = "□"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BOTTOM_MARGIN = 20 * mm
FOOTER_Y = 10 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN

BODY = 9.0
LEADING = 1.4
SMALL = 7.5
PAD = 4.0  # inner left padding of boxes
TIME_X = PAD
TEXT_X = PAD + 32  # after the "20:14" column
LABEL_X = 108.0  # values in the header and the summary start here

INK = HexColor("#222222")
MUTED = HexColor("#666666")
RULE = HexColor("#d5dbe0")
DAY_FILL = HexColor("#eef2f5")
SUMMARY_FILL = HexColor("#f4f7f9")
ROW_FILL = HexColor("#f7f8fa")
ALERT = HexColor("#a4231c")
ALERT_FILL = HexColor("#fbe7e5")
FOLLOWUP_INK = HexColor("#7a4f12")
JOURNAL_INK = HexColor("#2f5d73")
INFUSION_INK = HexColor("#5a4e98")

# A block this short moves whole to the next page rather than split. A split leaves at least MIN_LINES lines on the
# next page and at least MIN_FIRST on this one (a day's spacing, its heading and two lines), so no heading is orphaned.
KEEP_WHOLE = 6
MIN_LINES = 2
MIN_FIRST = 4

PAGES_FORM = "moodbot-page-count"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

_fonts_lock = threading.Lock()


class _Widths:
    """Advance widths of one font at 1 pt. Words measured once are remembered: a journal repeats its words, and
    reportlab's own measuring runs in Python unless its optional accelerator is installed."""

    WORDS_KEPT = 200_000

    def __init__(self, font: TTFont) -> None:
        face = font.face
        self._default = face.defaultWidth / 1000
        self._chars = {chr(code): width / 1000 for code, width in face.charWidths.items()}
        self._words: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._words.get(text)
        if width is None:
            width = sum(map(self._chars.get, text, repeat(self._default)))
            if len(self._words) < self.WORDS_KEPT:
                self._words[text] = width
        return width


@dataclass(frozen=True, slots=True)
class _Fonts:
    unshowable: re.Pattern[str]  # runs of characters the fonts cannot show
    widths: dict[str, _Widths]


@cache
def _fonts() -> _Fonts:
    """Registers the fonts with reportlab, once per process."""
    with _fonts_lock:
        for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        # ASCII85 only serves 7-bit channels; it costs a quarter more bytes and, in reportlab's Python fallback,
        # a third of the render time. This process writes no PDF that needs it.
        rl_config.useA85 = 0
    fonts = {name: pdfmetrics.getFont(name) for name in (FONT, BOLD)}
    covered = set(fonts[FONT].face.charToGlyph) & set(fonts[BOLD].face.charToGlyph)
    # Beyond the Basic Multilingual Plane reportlab writes a text map PDF readers reject, so such characters
    # (most emoji) could not be searched or copied: they count as unshowable. Invisible format characters
    # (joiners, direction marks) are left out too, so an emoji sequence joined by them becomes one placeholder.
    showable = sorted(c for c in covered if c <= 0xFFFF and unicodedata.category(chr(c)) not in ("Cc", "Cf"))
    ranges = []
    start = previous = showable[0]
    for code in showable[1:]:
        if code != previous + 1:
            ranges.append((start, previous))
            start = code
        previous = code
    ranges.append((start, previous))
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return _Fonts(re.compile(f"[^\\n{members}]+"), {name: _Widths(font) for name, font in fonts.items()})


def _width(text: str, font: str = FONT, size: float = BODY) -> float:
    return _fonts().widths[font](text) * size


class _Cleaner:
    """Makes text drawable: NFC, no control characters, and a placeholder for what the font cannot show."""

    def __init__(self) -> None:
        self.replaced = False
        self._unshowable = _fonts().unshowable

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
        return self._unshowable.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        # Invisible characters on their own (a soft hyphen, a stray joiner) lose nothing a reader could see.
        if all(unicodedata.category(c) in ("Cc", "Cf") for c in match.group()):
            return ""
        self.replaced = True
        return PLACEHOLDER


@dataclass(frozen=True, slots=True)
class _Run:
    x: float
    text: str
    font: str = FONT
    size: float = BODY
    colour: Color = INK


@dataclass(frozen=True, slots=True)
class _Line:
    height: float
    runs: tuple[_Run, ...] = ()
    fill: Color | None = None
    bar: Color | None = None  # a stripe at the left edge, marking crisis events
    rule: bool = False  # a hairline along the top


class _Block(Flowable):
    """Lines already laid out; splits between lines, repeating `again` (a day's heading) on the next page."""

    def __init__(self, lines: Sequence[_Line], *, again: Sequence[_Line] = (), keep_with_next: bool = False) -> None:
        super().__init__()
        self.lines = tuple(lines)
        self.again = tuple(again)
        self.keepWithNext = keep_with_next
        self.height = sum(line.height for line in self.lines)
        self.width = WIDTH

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if len(self.lines) <= KEEP_WHOLE:
            return []
        fit, used = 0, 0.0
        for line in self.lines:
            if used + line.height > available_height:
                break
            used += line.height
            fit += 1
        fit = min(fit, len(self.lines) - MIN_LINES)
        if fit < MIN_FIRST:
            return []
        return [_Block(self.lines[:fit]), _Block(self.again + self.lines[fit:], again=self.again)]

    def draw(self) -> None:
        canvas = self.canv
        text = canvas.beginText()
        font: tuple[str, float] | None = None
        colour: Color | None = None
        y = self.height
        for line in self.lines:
            y -= line.height
            if line.fill is not None:
                canvas.setFillColor(line.fill)
                canvas.rect(0, y, self.width, line.height, stroke=0, fill=1)
            if line.bar is not None:
                canvas.setFillColor(line.bar)
                canvas.rect(0, y, 2.2, line.height, stroke=0, fill=1)
            if line.rule:
                canvas.setStrokeColor(RULE)
                canvas.setLineWidth(0.5)
                canvas.line(0, y + line.height, self.width, y + line.height)
            if not line.runs:
                continue
            # Centre the glyphs' visible height (about 0.7 of the size) in the line.
            baseline = y + (line.height - 0.7 * line.runs[0].size) / 2
            for run in line.runs:
                if (run.font, run.size) != font:
                    font = (run.font, run.size)
                    text.setFont(*font)
                if run.colour != colour:
                    colour = run.colour
                    text.setFillColor(colour)
                text.setTextOrigin(run.x, baseline)
                # textLine, unlike textOut, does not measure the text to advance a cursor we never use.
                text.textLine(run.text)
        canvas.drawText(text)


def _wrap(text: str, font: str, size: float, width: float, first_width: float | None = None) -> list[str]:
    """Greedy word wrap by measured widths; words wider than a line are broken between characters.
    Blank lines between paragraphs are kept, runs of them become one."""
    measure = _fonts().widths[font]
    # Measured at 1 pt: scale the limits once instead of every word.
    space = measure(" ")
    full = width / size
    limit = (first_width if first_width is not None else width) / size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            if lines and lines[-1]:
                lines.append("")
                limit = full
            continue
        current: list[str] = []
        used = 0.0
        for word in words:
            extent = measure(word)
            if current and used + space + extent <= limit:
                current.append(word)
                used += space + extent
                continue
            if current:
                lines.append(" ".join(current))
                limit = full
            while extent > limit:
                head = _longest_prefix(word, measure, limit)
                lines.append(head)
                limit = full
                word = word[len(head) :]
                extent = measure(word)
            current, used = [word], extent
        lines.append(" ".join(current))
        limit = full
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _longest_prefix(word: str, measure: _Widths, width: float) -> str:
    used = 0.0
    for index, char in enumerate(word):
        used += measure(char)
        if used > width:
            return word[: max(index, 1)]
    return word


class _Layout:
    """Turns report content into lines, every text passing through the cleaner first."""

    def __init__(self, data: ExportData, clean: _Cleaner) -> None:
        self.data = data
        self.language = data.reader_language
        self.clean = clean
        self.line_height = BODY * LEADING

    def t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    # Dates and times

    def day(self, day: date) -> str:
        return format_date(day, self.language)

    def long_day(self, day: date) -> str:
        weekday = self.t("report.weekdays").split(",")[day.weekday()].strip()
        month = month_name(day.month, self.language, short=False)
        return self.t("report.date.long", weekday=weekday, day=day.day, month=month, year=day.year)

    def clock(self, instant: datetime) -> str:
        return self.data.local(instant).strftime("%H:%M")

    def moment(self, instant: datetime) -> str:
        """Date, time and zone ("3 Mar 2026, 10:00 CET"); where a zone has no abbreviation, its UTC offset."""
        local = self.data.local(instant)
        zone = local.tzname() or ""
        if not zone or zone[0] in "+-":
            zone = "UTC" + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
        return self.t("report.datetime", date=self.day(local.date()), time=local.strftime("%H:%M"), zone=zone)

    # Lines

    def spacer(self, height: float) -> _Line:
        return _Line(height)

    def heading(self, text: str, size: float = 12) -> _Block:
        lines = [self.spacer(8), _Line(size * 1.5, (_Run(0, self.clean(text), BOLD, size, INK),))]
        return _Block([*lines, self.spacer(3)], keep_with_next=True)

    def paragraph(
        self,
        text: str,
        *,
        x: float = 0,
        right: float = WIDTH,
        font: str = FONT,
        size: float = BODY,
        colour: Color = INK,
        fill: Color | None = None,
    ) -> list[_Line]:
        height = size * LEADING
        return [
            _Line(height, (_Run(x, line, font, size, colour),) if line else (), fill=fill)
            for line in _wrap(self.clean(text), font, size, right - x)
        ]

    def pair(
        self, label: str, value: str, *, fill: Color | None = None, colour: Color = INK, bold: bool = False
    ) -> list[_Line]:
        """A label in the left column and its value wrapped in the right one."""
        lines = self.paragraph(
            value, x=LABEL_X, right=WIDTH - PAD, font=BOLD if bold else FONT, colour=colour, fill=fill
        ) or [_Line(self.line_height, fill=fill)]
        first = lines[0]
        lines[0] = _Line(first.height, (_Run(PAD, self.clean(label), BOLD, BODY, MUTED), *first.runs), fill=fill)
        return lines

    def entry(
        self,
        when: str,
        label: str,
        text: str = "",
        *,
        label_colour: Color = INK,
        text_colour: Color = INK,
        fill: Color | None = None,
        bar: Color | None = None,
    ) -> list[_Line]:
        """One timed entry: the time, a bold label, and the text wrapped under the label's column."""
        label = self.clean(label)
        label_width = _width(label + " ", BOLD) if label else 0.0
        right = WIDTH - PAD
        wrapped = _wrap(self.clean(text), FONT, BODY, right - TEXT_X, right - TEXT_X - label_width) if text else []
        first: list[_Run] = []
        if when:
            first.append(_Run(TIME_X + (3 if bar else 0), when, FONT, BODY, MUTED))
        if label:
            # The space is drawn, not only measured, so copied or extracted text keeps it.
            first.append(_Run(TEXT_X, label + " ", BOLD, BODY, label_colour))
        if wrapped:
            first.append(_Run(TEXT_X + label_width, wrapped[0], FONT, BODY, text_colour))
        lines = [_Line(self.line_height, tuple(first), fill=fill, bar=bar)]
        lines.extend(
            _Line(
                self.line_height,
                (_Run(TEXT_X, line, FONT, BODY, text_colour),) if line else (),
                fill=fill,
                bar=bar,
            )
            for line in wrapped[1:]
        )
        return lines


# The summary at the top


def _count(layout: _Layout, adherence: Adherence) -> str:
    if not adherence.asked:
        return layout.t("report.adherence.none")
    percent = round(100 * adherence.answered / adherence.asked)
    return layout.t("report.adherence.count", answered=adherence.answered, asked=adherence.asked, percent=percent)


def _mean(layout: _Layout, value: float | None) -> str:
    return layout.t("report.mood.none") if value is None else f"{value:.1f}"


def _questionnaire_value(layout: _Layout, data: ExportData, latest: QuestionnaireRecord) -> str:
    same = sorted((q for q in data.questionnaires if q.instrument == latest.instrument), key=lambda q: q.completed_at)
    earlier = [q for q in same if q.completed_at < latest.completed_at]
    if earlier:
        previous = earlier[-1]
        change = layout.t(
            "report.questionnaire.change",
            delta=f"{latest.total - previous.total:+d}",
            date=layout.day(layout.data.local(previous.completed_at).date()),
            previous=previous.total,
        )
    else:
        change = layout.t("report.questionnaire.first")
    return layout.t(
        "report.questionnaire.value",
        total=latest.total,
        band=band_label(latest.band, layout.language),
        date=layout.day(data.local(latest.completed_at).date()),
        change=change,
    )


def _summary_lines(layout: _Layout, data: ExportData, summary: Summary) -> list[_Line]:
    fill = SUMMARY_FILL
    lines = [_Line(PAD, fill=fill)]
    mood = layout.t("report.mood.value", mean_7=_mean(layout, summary.mean_7), mean_30=_mean(layout, summary.mean_30))
    lines += layout.pair(layout.t("report.mood"), mood, fill=fill)
    if summary.trend is None or summary.trend_per_week is None:
        trend = layout.t("report.trend.unknown")
    else:
        word = layout.t(f"report.trend.{summary.trend}")
        trend = layout.t("report.trend.value", word=word, slope=f"{summary.trend_per_week:+.1f}")
    lines += layout.pair(layout.t("report.trend"), trend, fill=fill)
    adherence = layout.t(
        "report.adherence.value", recent=_count(layout, summary.adherence_30), all=_count(layout, summary.adherence_all)
    )
    lines += layout.pair(layout.t("report.adherence"), adherence, fill=fill)
    if summary.open_crises:
        crises = layout.t("report.crises.open", count=summary.crises, open=summary.open_crises)
        lines += layout.pair(layout.t("report.crises"), crises, fill=ALERT_FILL, colour=ALERT, bold=True)
    elif summary.crises:
        lines += layout.pair(
            layout.t("report.crises"), layout.t("report.crises.acknowledged", count=summary.crises), fill=fill
        )
    else:
        lines += layout.pair(layout.t("report.crises"), layout.t("report.crises.none"), fill=fill)
    for latest in summary.latest_questionnaires:
        lines += layout.pair(latest.title, _questionnaire_value(layout, data, latest), fill=fill)
    for index, erasure in enumerate(sorted(data.erasures, key=lambda e: e.at)):
        key = "report.erasure.patient" if erasure.by == "patient" else "report.erasure.staff"
        label = layout.t("report.erasures") if index == 0 else ""
        lines += layout.pair(label, layout.t(key, date=layout.day(data.local(erasure.at).date())), fill=fill)
    return lines


def _header_lines(layout: _Layout, data: ExportData, first: date, last: date) -> list[_Line]:
    profile = data.profile
    enrolled = (
        layout.day(data.local(profile.enrolled_at).date())
        if profile.enrolled_at is not None
        else layout.t("report.enrolled.not_yet")
    )
    rows = [
        (layout.t("report.patient"), layout.t("report.patient.value", name=profile.display_name, id=profile.id)),
        (layout.t("report.timezone"), layout.t("report.timezone.value", zone=profile.timezone)),
        (layout.t("report.enrolled"), enrolled),
        (layout.t("report.period"), layout.t("report.period.value", start=layout.day(first), end=layout.day(last))),
        (layout.t("report.generated"), layout.moment(data.generated_at)),
    ]
    lines = [
        _Line(26, (_Run(0, layout.t("report.title"), BOLD, 17, INK),)),
        *layout.paragraph(data.clinic, size=10, colour=MUTED),
        layout.spacer(6),
    ]
    for label, value in rows:
        lines += layout.pair(label, value)
    return lines


# Appointments

APPOINTMENT_COLUMNS = (PAD, 150.0, 240.0, 350.0)


def _appointment_row(layout: _Layout, cells: Sequence[str], *, font: str, colour: Color, fill: Color | None) -> _Block:
    edges = (*APPOINTMENT_COLUMNS[1:], WIDTH - PAD)
    columns = [
        _wrap(layout.clean(cell), font, BODY, right - left - 6) if cell else []
        for cell, left, right in zip(cells, APPOINTMENT_COLUMNS, edges, strict=True)
    ]
    lines = []
    for row in range(max(1, *(len(c) for c in columns))):
        runs = tuple(
            _Run(left, column[row], font, BODY, colour)
            for left, column in zip(APPOINTMENT_COLUMNS, columns, strict=True)
            if row < len(column)
        )
        lines.append(_Line(layout.line_height, runs, fill=fill, rule=row == 0))
    return _Block(lines)


def _appointment_blocks(layout: _Layout, data: ExportData) -> list[Flowable]:
    blocks: list[Flowable] = [layout.heading(layout.t("report.appointments"))]
    if not data.appointments:
        return [*blocks, _Block(layout.paragraph(layout.t("report.appointments.none"), x=PAD, colour=MUTED))]
    header = [
        layout.t("report.appointments.when"),
        layout.t("report.appointments.kind"),
        layout.t("report.appointments.state"),
        layout.t("report.appointments.where"),
    ]
    head = _appointment_row(layout, header, font=BOLD, colour=MUTED, fill=None)
    head.keepWithNext = True
    blocks.append(head)
    for index, appointment in enumerate(sorted(data.appointments, key=lambda a: a.starts_at)):
        where = " · ".join(part for part in (appointment.location, appointment.notes) if part)
        colour = MUTED if appointment.state == "cancelled" else INK
        cells = [layout.moment(appointment.starts_at), appointment.label, _state(layout, appointment), where]
        blocks.append(_appointment_row(layout, cells, font=FONT, colour=colour, fill=ROW_FILL if index % 2 else None))
    return blocks


def _state(layout: _Layout, appointment: AppointmentRecord) -> str:
    key = f"report.state.{appointment.state}"
    return layout.t(key) if key in EN else appointment.state


# Day by day


def _checkin_lines(layout: _Layout, day: date, checkin: CheckinRecord) -> list[_Line]:
    followup = checkin.kind != DAILY
    prefix = "report.followup" if followup else "report.checkin"
    colour = FOLLOWUP_INK if followup else INK
    at = checkin.answered_at or checkin.asked_at
    # A check-in answered the next morning still belongs to its own day; its time would mislead there.
    when = layout.clock(at) if layout.data.local(at).date() == day else ""
    if checkin.score is not None:
        lines = layout.entry(when, layout.t(f"{prefix}.score", score=checkin.score), label_colour=colour)
    else:
        status = "missed" if checkin.status == "missed" else "open"
        lines = layout.entry(when, layout.t(f"{prefix}.{status}"), label_colour=MUTED)
    if checkin.effects:
        effects = ", ".join(_effect(layout, effect) for effect in checkin.effects)
        lines += layout.entry("", "", layout.t("report.effects", effects=effects), text_colour=colour)
    if checkin.note:
        note_when = layout.clock(checkin.note_at) if checkin.note_at and checkin.note_at != checkin.answered_at else ""
        lines += layout.entry(note_when, layout.t("report.note"), checkin.note, label_colour=MUTED)
    return lines


def _effect(layout: _Layout, effect: str) -> str:
    if effect == "none":
        return layout.t("report.effect.none")
    key = f"effect.{effect}"
    return layout.t(key) if key in EN else effect


def _journal_lines(layout: _Layout, entry: JournalRecord) -> list[_Line]:
    label = layout.t("report.journal")
    if entry.edited_at is not None:
        label += " " + layout.t("report.journal.edited", when=layout.clock(entry.edited_at))
    lines = layout.entry(layout.clock(entry.created_at), label, entry.text, label_colour=JOURNAL_INK)
    if entry.flag is not None:
        key = f"report.flag.{entry.flag}"
        lines += layout.entry("", "", layout.t(key) if key in EN else entry.flag, text_colour=ALERT)
    return lines


def _crisis_lines(layout: _Layout, crisis: CrisisRecord) -> list[_Line]:
    key = f"report.tier.{crisis.tier}"
    tier = layout.t(key) if key in EN else crisis.tier
    band = {"fill": ALERT_FILL, "bar": ALERT}
    lines = [_Line(3, **band)]
    lines += layout.entry(
        layout.clock(crisis.detected_at), layout.t("report.crisis", tier=tier), label_colour=ALERT, **band
    )
    lines += layout.entry("", "", f"“{crisis.excerpt}”", **band)
    why = explain(
        rule=crisis.rule, matched=crisis.matched, score=crisis.score, answer=crisis.answer, language=layout.language
    )
    lines += layout.entry("", "", layout.t("report.crisis.why", why=why), text_colour=MUTED, **band)
    if not crisis.alerted:
        answer = layout.t(f"report.crisis.answer.{crisis.answer or 'none'}")
        return [*lines, *layout.entry("", "", answer, text_colour=MUTED, **band), _Line(3, **band)]
    if crisis.acknowledged_at is None:
        lines += layout.entry("", layout.t("report.crisis.open"), label_colour=ALERT, **band)
    else:
        name = crisis.acknowledged_by or layout.t("report.crisis.someone")
        acknowledged = layout.t("report.crisis.acknowledged", name=name, when=layout.moment(crisis.acknowledged_at))
        lines += layout.entry("", "", acknowledged, text_colour=MUTED, **band)
    return [*lines, _Line(3, **band)]


def _questionnaire_lines(layout: _Layout, record: QuestionnaireRecord) -> list[_Line]:
    text = layout.t(
        "report.questionnaire.entry",
        title=record.title,
        total=record.total,
        band=band_label(record.band, layout.language),
    )
    return layout.entry(layout.clock(record.completed_at), text)


def _appointment_lines(layout: _Layout, appointment: AppointmentRecord) -> list[_Line]:
    text = layout.t("report.appointment.entry", label=appointment.label, state=_state(layout, appointment))
    colour = INFUSION_INK if appointment.kind == INFUSION else INK
    return layout.entry(layout.clock(appointment.starts_at), text, label_colour=colour)


def _day_blocks(layout: _Layout, data: ExportData) -> list[Flowable]:
    today = data.today
    entries: dict[date, list[tuple[datetime, int, list[_Line]]]] = defaultdict(list)
    infusion_days: set[date] = set()

    def add(day: date, at: datetime, lines: list[_Line]) -> None:
        entries[day].append((at, len(entries[day]), lines))

    for checkin in data.checkins:
        add(checkin.local_date, checkin.asked_at, _checkin_lines(layout, checkin.local_date, checkin))
    for entry in data.journal:
        add(data.local(entry.created_at).date(), entry.created_at, _journal_lines(layout, entry))
    for crisis in data.crises:
        add(data.local(crisis.detected_at).date(), crisis.detected_at, _crisis_lines(layout, crisis))
    for record in data.questionnaires:
        add(data.local(record.completed_at).date(), record.completed_at, _questionnaire_lines(layout, record))
    for appointment in data.appointments:
        day = data.local(appointment.starts_at).date()
        # Coming appointments are in the table above; the day-by-day part tells what happened.
        if day <= today:
            add(day, appointment.starts_at, _appointment_lines(layout, appointment))
            if appointment.kind == INFUSION and appointment.took_place:
                infusion_days.add(day)

    blocks: list[Flowable] = [layout.heading(layout.t("report.days"))]
    if not entries:
        return [*blocks, _Block(layout.paragraph(layout.t("report.days.none"), x=PAD, colour=MUTED))]
    for day in sorted(entries, reverse=True):
        title = layout.long_day(day)
        heading = _day_heading(layout, title, infusion=day in infusion_days)
        again = _day_heading(layout, layout.t("report.day.continued", day=title), infusion=False)
        lines = [layout.spacer(5), heading]
        for _, _, entry_lines in sorted(entries[day], key=lambda item: item[:2]):
            lines += entry_lines
        blocks.append(_Block(lines, again=[again]))
    return blocks


def _day_heading(layout: _Layout, title: str, *, infusion: bool) -> _Line:
    runs = [_Run(PAD, layout.clean(title), BOLD, BODY, INK)]
    if infusion:
        tag = layout.clean(layout.t("report.day.infusion"))
        runs.append(_Run(WIDTH - PAD - _width(tag), tag, FONT, BODY, INFUSION_INK))
    return _Line(BODY * 1.7, tuple(runs), fill=DAY_FILL)


# The document


def _period(data: ExportData) -> tuple[date, date]:
    """The first and last local dates the report covers: as asked, or from the first record to today."""
    last = data.end or data.today
    if data.start is not None:
        return data.start, max(last, data.start)
    firsts: Iterable[date] = [
        *(c.local_date for c in data.checkins),
        *(data.local(j.created_at).date() for j in data.journal),
        *(data.local(c.detected_at).date() for c in data.crises),
        *(data.local(q.completed_at).date() for q in data.questionnaires),
        *(data.local(a.starts_at).date() for a in data.appointments),
        data.local(data.profile.enrolled_at or data.profile.created_at).date(),
    ]
    first = min(min(firsts), last)
    return first, last


class _NumberedCanvas(Canvas):
    """Writes the page count into a form every footer refers to, once the count is known."""

    def save(self) -> None:
        self.beginForm(PAGES_FORM)
        self.setFont(FONT, SMALL)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


def _fit(text: str, width: float = WIDTH - 90, size: float = SMALL) -> str:
    """The text cut short with an ellipsis where it would run into the page number beside it."""
    if _width(text, FONT, size) <= width:
        return text
    while text and _width(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _chart(png: bytes, height: float) -> Image:
    # The charts are opaque: without a mask reportlab embeds no alpha channel beside them.
    return Image(io.BytesIO(png), width=WIDTH, height=height, mask=None)


def render_pdf(data: ExportData) -> bytes:
    """The report as PDF bytes: summary, charts, appointments, then every day's entries, newest first."""
    clean = _Cleaner()
    layout = _Layout(data, clean)
    first, last = _period(data)
    profile = data.profile
    footer = _fit(clean(layout.t("report.footer", name=profile.display_name, id=profile.id, clinic=data.clinic)))

    days = _day_blocks(layout, data)
    appointments = _appointment_blocks(layout, data)
    story: list[Flowable] = [
        _Block(_header_lines(layout, data, first, last)),
        layout.heading(layout.t("report.summary")),
    ]
    summary = _summary_lines(layout, data, summarise(data))
    # Built last so it knows whether anything before it needed the placeholder.
    if clean.replaced:
        note = layout.t("report.placeholder", mark=PLACEHOLDER)
        summary += layout.pair(layout.t("report.placeholder.label"), note, fill=SUMMARY_FILL)
    story += [_Block([*summary, _Line(PAD, fill=SUMMARY_FILL)])]

    chart_width = WIDTH / 72
    story += [
        layout.heading(layout.t("report.chart.mood")),
        _chart(period_mood_chart_png(data, first, last, width=chart_width, height=2.7), 2.7 * 72),
    ]
    questionnaires = questionnaire_chart_png(data, width=chart_width, height=2.1)
    if questionnaires is not None:
        story += [layout.heading(layout.t("report.chart.questionnaires")), _chart(questionnaires, 2.1 * 72)]
    story += [Spacer(1, 4), *appointments, Spacer(1, 4), *days]

    def decorate(canvas: Canvas, _document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, SMALL)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, FOOTER_Y + SMALL + 3, PAGE_WIDTH - MARGIN, FOOTER_Y + SMALL + 3)
        canvas.drawString(MARGIN, FOOTER_Y, footer)
        # Room for a four-digit page count (digits are about 0.64 of the size wide) after "Page N of".
        right = PAGE_WIDTH - MARGIN - 4 * SMALL * 0.64
        canvas.drawRightString(right - 2, FOOTER_Y, layout.t("report.page", page=canvas.getPageNumber()))
        canvas.translate(right + 1, FOOTER_Y)
        canvas.doForm(PAGES_FORM)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=clean(f"{layout.t('report.title')} – {profile.display_name}"),
        author=clean(data.clinic),
        creator="moodbot",
    )
    frame = Frame(MARGIN, BOTTOM_MARGIN, WIDTH, PAGE_HEIGHT - MARGIN - BOTTOM_MARGIN, 0, 0, 0, 0, id="body")
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
