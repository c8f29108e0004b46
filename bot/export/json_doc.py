"""The JSON export: one document following the versioned schema in `data/export-v1.schema.json`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.export.model import ExportData
from bot.export.summary import Adherence, summarise

FORMAT = "moodbot-export"
VERSION = 1


def _adherence(a: Adherence) -> dict[str, Any]:
    return {"answered": a.answered, "asked": a.asked, "rate": None if a.rate is None else round(a.rate, 4)}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def document(data: ExportData) -> dict[str, Any]:
    p = data.profile
    s = summarise(data)
    iso = data.local_iso
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": iso(data.generated_at),
        "clinic": data.clinic,
        "period": {
            "from": data.start.isoformat() if data.start else None,
            "to": data.end.isoformat() if data.end else None,
        },
        "patient": {
            "id": p.id,
            "display_name": p.display_name,
            "external_id": p.external_id,
            "timezone": p.timezone,
            "country": p.country,
            "language": p.language,
            "status": p.status,
            "created_at": iso(p.created_at),
            "enrolled_at": iso(p.enrolled_at),
        },
        "summary": {
            "mean_mood_7_days": _rounded(s.mean_7),
            "mean_mood_30_days": _rounded(s.mean_30),
            "trend_points_per_week": _rounded(s.trend_per_week),
            "trend": s.trend,
            "adherence_30_days": _adherence(s.adherence_30),
            "adherence_period": _adherence(s.adherence_all),
            "crisis_events": s.crises,
            "open_crisis_events": s.open_crises,
        },
        "checkins": [
            {
                "id": c.id,
                "kind": c.kind,
                "local_date": c.local_date.isoformat(),
                "status": c.status,
                "score": c.score,
                "asked_at": iso(c.asked_at),
                "answered_at": iso(c.answered_at),
                "note": c.note,
                "note_at": iso(c.note_at),
                "appointment_id": c.appointment_id,
                "effects": list(c.effects),
            }
            for c in data.checkins
        ],
        "journal": [
            {"id": j.id, "created_at": iso(j.created_at), "edited_at": iso(j.edited_at), "text": j.text, "flag": j.flag}
            for j in data.journal
        ],
        "appointments": [
            {
                "id": a.id,
                "kind": a.kind,
                "label": a.label,
                "starts_at": iso(a.starts_at),
                "duration_minutes": a.duration_minutes,
                "location": a.location,
                "notes": a.notes,
                "state": a.state,
                "confirmed_at": iso(a.confirmed_at),
                "reschedule_requested_at": iso(a.reschedule_requested_at),
            }
            for a in data.appointments
        ],
        "crisis_events": [
            {
                "id": e.id,
                "detected_at": iso(e.detected_at),
                "tier": e.tier,
                "rule": e.rule,
                "excerpt": e.excerpt,
                "matched": e.matched,
                "score": e.score,
                "answer": e.answer,
                "acknowledged_at": iso(e.acknowledged_at),
                "acknowledged_by": e.acknowledged_by,
            }
            for e in data.crises
        ],
        "questionnaires": [
            {
                "id": q.id,
                "instrument": q.instrument,
                "title": q.title,
                "started_at": iso(q.started_at),
                "completed_at": iso(q.completed_at),
                "answers": [{"item": item, "score": score} for item, score in q.answers],
                "total": q.total,
                "band": q.band,
            }
            for q in data.questionnaires
        ],
        "erasures": [{**asdict(r), "at": iso(r.at)} for r in data.erasures],
    }


def render_json(data: ExportData) -> bytes:
    return json.dumps(document(data), ensure_ascii=False, indent=1).encode("utf-8")
