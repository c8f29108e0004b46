"""The PDF report: what a counselor must find in it, read back with pypdf."""

from __future__ import annotations

import io
import itertools
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from bot.export.model import (
    AppointmentRecord,
    CheckinRecord,
    CrisisRecord,
    ErasureRecord,
    ExportData,
    JournalRecord,
    Profile,
    QuestionnaireRecord,
)
from bot.export.pdf import PLACEHOLDER, render_pdf
from bot.export.summary import summarise

ZONE = "Europe/Berlin"
TODAY = date(2026, 3, 31)
_ids = itertools.count(1)


def at(day: date, hour: int, minute: int = 0, zone: str = ZONE) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def checkin(
    day: date,
    score: int | None,
    *,
    note: str | None = None,
    kind: str = "daily",
    status: str | None = None,
    effects: tuple[str, ...] = (),
) -> CheckinRecord:
    hour = 19 if kind == "followup" else 20
    answered = at(day, hour, 5) if score is not None else None
    return CheckinRecord(
        id=next(_ids),
        kind=kind,
        local_date=day,
        asked_at=at(day, hour),
        answered_at=answered,
        score=score,
        status=status or ("answered" if score is not None else "missed"),
        note=note,
        note_at=at(day, hour, 7) if note else None,
        appointment_id=None,
        effects=effects,
    )


def journal(day: date, text: str, hour: int = 9, *, edited: bool = False) -> JournalRecord:
    return JournalRecord(next(_ids), at(day, hour, 30), at(day, hour, 45) if edited else None, text)


def appointment(
    day: date, hour: int = 10, *, kind: str = "infusion", state: str = "confirmed", location: str | None = "Room 2"
) -> AppointmentRecord:
    return AppointmentRecord(
        id=next(_ids),
        kind=kind,
        label=kind.capitalize(),
        starts_at=at(day, hour),
        duration_minutes=60,
        location=location,
        notes=None,
        state=state,
        confirmed_at=at(day, 8) if state == "confirmed" else None,
        reschedule_requested_at=at(day, 8) if state == "reschedule_requested" else None,
    )


def crisis(day: date, excerpt: str, *, tier: str = "ideation", acknowledged_by: str | None = None) -> CrisisRecord:
    return CrisisRecord(
        id=next(_ids),
        detected_at=at(day, 23, 10),
        tier=tier,
        rule="test",
        excerpt=excerpt,
        acknowledged_at=at(day, 23, 40) if acknowledged_by else None,
        acknowledged_by=acknowledged_by,
    )


def questionnaire(day: date, instrument: str, total: int, band: str) -> QuestionnaireRecord:
    title = {"phq9": "PHQ-9", "gad7": "GAD-7"}[instrument]
    return QuestionnaireRecord(next(_ids), instrument, title, at(day, 11), at(day, 11, 6), (), total, band)


def make_data(
    *,
    name: str = "Ana Weber",
    zone: str = ZONE,
    start: date | None = date(2026, 3, 1),
    end: date | None = TODAY,
    **records: tuple,
) -> ExportData:
    profile = Profile(12, name, zone, "DE", "en", "active", at(date(2026, 2, 1), 9), at(date(2026, 2, 2), 9))
    return ExportData("Riverside Clinic", at(TODAY, 21, zone=zone), start, end, profile, **records)


def full_data() -> ExportData:
    days = [TODAY - timedelta(days=i) for i in range(12)]
    scores = [6, 5, None, 7, 4, 6, 8, None, 5, 6, 7, 3]
    checkins = [
        checkin(day, score, note=f"note for day {i}: slept {i} hours" if score is not None else None)
        for i, (day, score) in enumerate(zip(days, scores, strict=True))
    ]
    checkins.append(checkin(days[4], 4, kind="followup", note="a bit floaty", effects=("nausea", "headache")))
    return make_data(
        checkins=tuple(checkins),
        journal=(journal(days[1], "Walked by the river with my sister."), journal(days[6], "Quiet day.", edited=True)),
        appointments=(
            appointment(days[4], state="confirmed"),
            appointment(days[2], 14, kind="therapy", state="reschedule_requested"),
            appointment(days[9], state="cancelled"),
            appointment(TODAY + timedelta(days=3), state="unconfirmed"),
        ),
        crises=(
            crisis(days[3], "everything feels too heavy"),
            crisis(days[8], "I can't go on like this", tier="self_harm", acknowledged_by="Dr. Reyes"),
        ),
        questionnaires=(
            questionnaire(days[10], "phq9", 15, "moderately severe"),
            questionnaire(days[2], "phq9", 12, "moderate"),
            questionnaire(days[2], "gad7", 8, "mild"),
        ),
        erasures=(ErasureRecord(at(days[11], 12), "patient"),),
    )


def pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_report_holds_the_summary_and_every_record() -> None:
    data = full_data()
    texts = pages(render_pdf(data))
    text = flat(" ".join(texts))
    summary = summarise(data)

    assert "Ana Weber (patient #12)" in text
    assert "Riverside Clinic" in text
    assert "Period 1 Mar 2026 – 31 Mar 2026" in text
    assert "Generated 31 Mar 2026, 21:00 CEST" in text
    assert f"last 7 days {summary.mean_7:.1f} · last 30 days {summary.mean_30:.1f}" in text
    assert summary.trend is not None and summary.trend_per_week is not None
    assert f"{summary.trend}, {summary.trend_per_week:+.1f} points a week" in text
    recent, overall = summary.adherence_30, summary.adherence_all
    assert f"last 30 days {recent.answered} of {recent.asked} ({round(100 * recent.answered / recent.asked)}%)" in text
    assert f"whole period {overall.answered} of {overall.asked}" in text
    assert "2 in this period, 1 NOT acknowledged" in text
    assert "PHQ-9 12 (moderate) on 29 Mar 2026 · -3 since 21 Mar 2026 (was 15)" in text
    assert "GAD-7 8 (mild) on 29 Mar 2026 · the first in this period" in text
    assert "Journal erased at the patient's request on 20 Mar 2026." in text

    for record in data.checkins:
        if record.score is not None:
            label = "After the infusion:" if record.kind == "followup" else "Mood"
            assert f"{label} {record.score} of 10" in text
        if record.note:
            assert f"Note: {record.note}" in text
    assert text.count("Daily check-in missed") == 2
    assert "Effects: Nausea, Headache" in text
    assert "Walked by the river with my sister." in text
    assert "Journal: (edited 09:45) Quiet day." in text
    for state in ("confirmed", "not confirmed", "asked to reschedule", "cancelled"):
        assert f"Infusion {state}" in text or f"Therapy {state}" in text
    assert "10:00 CEST" in text  # after the clocks changed on 29 March
    assert "10:00 CET" in text
    assert "Crisis event: suicidal thoughts" in text
    assert "“everything feels too heavy” Why: rule test NOT acknowledged" in text
    assert "“I can't go on like this” Why: rule test Acknowledged by Dr. Reyes, 23 Mar 2026, 23:40 CET" in text

    assert all(f"Page {n} of" in page for n, page in enumerate(texts, start=1))
    assert all("Ana Weber · patient #12 · Riverside Clinic" in page for page in texts)


def test_days_run_newest_first() -> None:
    text = flat(" ".join(pages(render_pdf(full_data()))))
    assert text.index("Tuesday 31 March 2026") < text.index("Monday 30 March 2026") < text.index("Friday 20 March 2026")


def test_a_patient_with_no_records_gets_a_short_kind_report() -> None:
    data = make_data(start=None, end=None)
    text = flat(" ".join(pages(render_pdf(data))))
    assert "Ana Weber (patient #12)" in text
    assert "Period 2 Feb 2026 – 31 Mar 2026" in text  # from the enrolment day
    assert "last 7 days no scores · last 30 days no scores" in text
    assert "too few scores to tell" in text
    assert "none asked" in text
    assert "none in this period" in text
    assert "No appointments in this period." in text
    assert "Nothing recorded in this period." in text
    assert PLACEHOLDER not in text


def test_unicode_is_shown_exactly_or_replaced_visibly() -> None:
    day = TODAY - timedelta(days=1)
    data = make_data(
        name="Zoë Ærøskøbing",
        checkins=(checkin(day, 5, note="Crème brûlée, naïve façade; Привет, как дела? Καλημέρα σας."),),
        journal=(
            journal(day, "Sunflowers 🌻🌻 today, 你好 from a friend, 👍🏽 ok"),
            journal(day, "<b>not bold</b> & <i>not markup</i> &amp;", hour=10),
        ),
    )
    text = flat(" ".join(pages(render_pdf(data))))
    assert "Zoë Ærøskøbing" in text
    assert "Crème brûlée, naïve façade; Привет, как дела? Καλημέρα σας." in text
    assert f"Sunflowers {PLACEHOLDER} today, {PLACEHOLDER} from a friend, {PLACEHOLDER} ok" in text
    assert "🌻" not in text and "你" not in text
    assert "<b>not bold</b> & <i>not markup</i> &amp;" in text
    assert text.count("The CSV and JSON exports hold the exact text.") == 1


def test_no_placeholder_note_when_everything_shows() -> None:
    data = make_data(journal=(journal(TODAY, "Ελπίδα – hope ☺"),))
    text = flat(" ".join(pages(render_pdf(data))))
    assert "Ελπίδα – hope ☺" in text
    assert "exact text" not in text


def _body(texts: list[str], data: ExportData) -> str:
    """The pages' text without their footers and the repeated day headings."""
    footer = f"{data.profile.display_name} · patient #{data.profile.id} · {data.clinic}"
    kept = [
        line
        for text in texts
        for line in text.splitlines()
        if line != footer and not line.startswith("Page ") and not line.isdigit() and "(continued)" not in line
    ]
    return flat(" ".join(kept))


def test_a_very_long_note_flows_across_pages_in_full() -> None:
    rng = random.Random(3)
    phrases = ("the light felt softer", "and I managed", "to call my brother", "about the weekend", "today")
    note = " ".join(rng.choice(phrases) for _ in range(800))
    assert len(note) > 10_000
    data = make_data(checkins=(checkin(TODAY, 6, note=note),))
    texts = pages(render_pdf(data))
    assert len(texts) >= 3
    assert flat(note) in _body(texts, data)


def test_a_word_longer_than_a_line_is_broken_not_lost() -> None:
    word = "a" * 3000
    data = make_data(journal=(journal(TODAY, f"start {word} end"),))
    body = "".join(_body(pages(render_pdf(data)), data).split())
    assert f"start{word}end" in body


def test_a_zone_without_an_abbreviation_shows_its_offset() -> None:
    zone = "America/Sao_Paulo"
    data = make_data(zone=zone, appointments=(replace(appointment(TODAY), starts_at=at(TODAY, 10, zone=zone)),))
    text = flat(" ".join(pages(render_pdf(data))))
    assert "31 Mar 2026, 10:00 UTC-03:00" in text


def test_a_long_name_is_cut_short_in_the_footer_but_whole_in_the_header() -> None:
    name = "Maria " + "Fernanda " * 12 + "Souza"
    texts = pages(render_pdf(make_data(name=name)))
    assert name in flat(texts[0])
    footer = texts[0].splitlines()[0]
    assert footer.startswith("Maria Fernanda") and footer.endswith("…")


def test_reports_render_side_by_side_in_threads() -> None:
    datasets = [full_data(), make_data(journal=(journal(TODAY, "Quiet."),))] * 2
    expected = [pages(render_pdf(data)) for data in datasets[:2]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(render_pdf, datasets))
    assert [pages(pdf) for pdf in results] == expected * 2
