"""The CSV export: one timeline file, a row per record, oldest first, ready for a spreadsheet.

UTF-8 with a byte-order mark (so that spreadsheet programs read accents right), comma-separated, quoted where
needed. A text cell that begins with = + - @ or a tab gets a leading apostrophe, so a spreadsheet shows it as
text instead of running it as a formula; strip one leading apostrophe from such a cell to get the exact text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from bot.export.model import ExportData
from bot.export.summary import DAILY

# Documented in the README; a column is only ever added at the end.
COLUMNS = (
    "record",  # profile, checkin, followup, journal, appointment, crisis, questionnaire, erasure
    "id",  # the record's id in the clinic's database
    "local_time",  # ISO 8601 in the patient's zone, with the offset
    "local_date",  # the patient's day the record belongs to
    "score",  # mood 0-10, or a questionnaire total
    "status",  # answered/missed/open; appointment state; crisis acknowledged/open; questionnaire band
    "kind",  # appointment kind, crisis tier, questionnaire (phq9, gad7)
    "text",  # note, journal text, crisis excerpt, appointment location, the patient's name
    "effects",  # after-infusion effects ticked, separated by "; "
    "appointment_id",  # the infusion a follow-up belongs to
    "acknowledged_by",  # who on staff took a crisis alert
    "acknowledged_at",
    "edited_at",  # when a journal entry was last edited
    "items",  # questionnaire answers as item=score, separated by spaces
    "details",  # anything else: duration, notes, time zone …
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def rows(data: ExportData) -> Iterator[dict[str, Any]]:
    p = data.profile
    yield {
        "record": "profile",
        "id": p.id,
        "local_time": data.local_iso(p.enrolled_at or p.created_at),
        "status": p.status,
        "text": p.display_name,
        "details": f"timezone={p.timezone}; country={p.country}; language={p.language}",
    }
    timeline: list[tuple[Any, dict[str, Any]]] = []
    for c in data.checkins:
        at = c.answered_at or c.asked_at
        row = {
            "record": "checkin" if c.kind == DAILY else c.kind,
            "id": c.id,
            "local_time": data.local_iso(at),
            "local_date": c.local_date.isoformat(),
            "score": c.score,
            "status": c.status,
            "kind": c.kind,
            "text": c.note,
            "effects": "; ".join(c.effects),
            "appointment_id": c.appointment_id,
        }
        timeline.append((at, row))
    for j in data.journal:
        row = {
            "record": "journal",
            "id": j.id,
            "local_time": data.local_iso(j.created_at),
            "local_date": data.local(j.created_at).date().isoformat(),
            "text": j.text,
            "edited_at": data.local_iso(j.edited_at),
            "details": f"flag={j.flag}" if j.flag else None,
        }
        timeline.append((j.created_at, row))
    for a in data.appointments:
        details = f"duration_minutes={a.duration_minutes}" + (f"; notes={a.notes}" if a.notes else "")
        row = {
            "record": "appointment",
            "id": a.id,
            "local_time": data.local_iso(a.starts_at),
            "local_date": data.local(a.starts_at).date().isoformat(),
            "status": a.state,
            "kind": a.kind,
            "text": a.location,
            "details": details,
        }
        timeline.append((a.starts_at, row))
    for e in data.crises:
        row = {
            "record": "crisis",
            "id": e.id,
            "local_time": data.local_iso(e.detected_at),
            "local_date": data.local(e.detected_at).date().isoformat(),
            "status": ("open" if e.open else "acknowledged")
            if e.alerted
            else f"asked; answer={e.answer or 'none yet'}",
            "kind": e.tier,
            "text": e.excerpt,
            "acknowledged_by": e.acknowledged_by,
            "acknowledged_at": data.local_iso(e.acknowledged_at),
            "details": "; ".join(
                part
                for part in (
                    f"rule={e.rule}",
                    f"matched={e.matched}" if e.matched else "",
                    f"score={e.score:.3f}" if e.score is not None else "",
                    f"answer={e.answer}" if e.answer and e.alerted else "",
                )
                if part
            ),
        }
        timeline.append((e.detected_at, row))
    for q in data.questionnaires:
        row = {
            "record": "questionnaire",
            "id": q.id,
            "local_time": data.local_iso(q.completed_at),
            "local_date": data.local(q.completed_at).date().isoformat(),
            "score": q.total,
            "status": q.band,
            "kind": q.instrument,
            "items": " ".join(f"{item}={score}" for item, score in q.answers),
        }
        timeline.append((q.completed_at, row))
    for r in data.erasures:
        row = {
            "record": "erasure",
            "local_time": data.local_iso(r.at),
            "local_date": data.local(r.at).date().isoformat(),
            "details": f"journal, check-ins and notes erased at the request of the {r.by}",
        }
        timeline.append((r.at, row))
    timeline.sort(key=lambda pair: pair[0])
    for _, row in timeline:
        yield row


def render_csv(data: ExportData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(data):
        writer.writerow([cell(row.get(column)) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
