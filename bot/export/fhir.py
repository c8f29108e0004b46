"""The FHIR R4 export: a `collection` Bundle of the patient, their mood scores, journal, crisis events,
appointments and questionnaires.

Mood, journal and crisis observations use the clinic-local code system `CODES`; questionnaires use LOINC
(the PHQ-9 panel 44249-1 with its total 44261-6 and item 9 44260-8; the GAD-7 panel 69737-5 with its total
70274-6). Resource ids are stable for the same records, so a records system can import a later export again.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from bot.export.model import CheckinRecord, ExportData, QuestionnaireRecord
from bot.questionnaires.instruments import instrument
from bot.safety.explain import explain

CODES = "urn:moodbot:codes"
PATIENT_IDS = "urn:moodbot:patient"
# HL7 v2 table 0203: "MR", a medical record number.
IDENTIFIER_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0203"
LOINC = "http://loinc.org"
CATEGORIES = "http://terminology.hl7.org/CodeSystem/observation-category"
# FHIR Appointment.status for our states; the rest are "booked".
_FHIR_STATUS = {"cancelled": "cancelled", "attended": "fulfilled", "no_show": "noshow"}
_NAMESPACE = uuid.UUID("6c1f3a52-36f5-4b0e-9a53-2d1c0f0e7a11")

_LOCAL = {
    "daily": ("mood-score", "Self-rated mood, 0 (very low) to 10 (very good)"),
    "followup": ("mood-score-after-infusion", "Self-rated mood the evening after an infusion, 0 to 10"),
    "journal": ("journal-entry", "Patient journal entry"),
    "crisis": ("crisis-signal", "Message signalling a possible crisis"),
}
_TIERS = {
    "imminent": "Imminent risk",
    "self_harm": "Self-harm",
    "ideation": "Suicidal thoughts",
    "possible": "Possible crisis, asked about",
}


class _Bundle:
    def __init__(self, data: ExportData) -> None:
        self.data = data
        self.entries: list[dict[str, Any]] = []

    def url(self, kind: str, record_id: int | str) -> str:
        seed = f"{self.data.clinic}|{self.data.profile.id}|{kind}|{record_id}"
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, seed)}"

    def add(self, kind: str, record_id: int | str, resource: dict[str, Any]) -> str:
        url = self.url(kind, record_id)
        self.entries.append({"fullUrl": url, "resource": resource})
        return url


def _local_code(kind: str) -> dict[str, Any]:
    code, display = _LOCAL[kind]
    return {"coding": [{"system": CODES, "code": code, "display": display}], "text": display}


def _category(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORIES, "code": code}]}]


def _identifiers(data: ExportData) -> list[dict[str, Any]]:
    ours: dict[str, Any] = {"system": PATIENT_IDS, "value": str(data.profile.id)}
    if data.profile.external_id is None:
        return [ours]
    record: dict[str, Any] = {
        "use": "usual",
        "type": {"coding": [{"system": IDENTIFIER_TYPES, "code": "MR"}], "text": "Medical record number"},
        **({"system": data.record_system} if data.record_system else {}),
        "value": data.profile.external_id,
    }
    return [record, ours]


def _patient(data: ExportData) -> dict[str, Any]:
    p = data.profile
    return {
        "resourceType": "Patient",
        "identifier": _identifiers(data),
        "active": p.status in ("active", "paused"),
        "name": [{"text": p.display_name}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": p.language}]}}],
    }


def _mood(data: ExportData, c: CheckinRecord, subject: str, bundle: _Bundle) -> dict[str, Any]:
    assert c.score is not None
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey"),
        "code": _local_code("followup" if c.kind == "followup" else "daily"),
        "subject": {"reference": subject},
        "effectiveDateTime": data.local_iso(c.answered_at or c.asked_at),
        "valueInteger": c.score,
    }
    notes = [c.note] if c.note else []
    if c.effects:
        notes.append("After-effects: " + ", ".join(c.effects))
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    if c.appointment_id is not None:
        resource["focus"] = [{"reference": bundle.url("appointment", c.appointment_id)}]
    return resource


def _questionnaire(
    data: ExportData, q: QuestionnaireRecord, subject: str, bundle: _Bundle
) -> list[tuple[str, str, dict[str, Any]]]:
    form = instrument(q.instrument)
    scores = dict(q.answers)

    def coding(score: int) -> dict[str, Any]:
        answer = form.answer(score)
        return {"system": LOINC, "code": answer.loinc, "display": answer.text}

    response_url = bundle.url("questionnaire", q.id)
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"http://loinc.org/q/{form.loinc}",
        "status": "completed",
        "subject": {"reference": subject},
        "authored": data.local_iso(q.completed_at),
        "item": [
            {"linkId": item.loinc, "text": item.text, "answer": [{"valueCoding": coding(scores[item.number])}]}
            for item in form.items
            if item.number in scores
        ],
    }

    def observation(code: str, display: str, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "status": "final",
            "category": _category("survey"),
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
            "subject": {"reference": subject},
            "effectiveDateTime": data.local_iso(q.completed_at),
            "derivedFrom": [{"reference": response_url}],
            **value,
        }

    resources = [
        ("questionnaire", str(q.id), response),
        (
            "questionnaire-total",
            str(q.id),
            {
                **observation(form.total_loinc, f"{form.title} total score", {"valueInteger": q.total}),
                "interpretation": [{"text": q.band}],
            },
        ),
    ]
    if form.crisis_item is not None and form.crisis_item in scores:
        item = form.item(form.crisis_item)
        value = {"valueCodeableConcept": {"coding": [coding(scores[item.number])]}}
        resources.append(("questionnaire-item", f"{q.id}:{item.number}", observation(item.loinc, item.text, value)))
    return resources


def bundle(data: ExportData) -> dict[str, Any]:
    b = _Bundle(data)
    subject = b.add("patient", data.profile.id, _patient(data))
    for c in data.checkins:
        if c.score is not None:
            b.add("checkin", c.id, _mood(data, c, subject, b))
    for j in data.journal:
        b.add(
            "journal",
            j.id,
            {
                "resourceType": "Observation",
                "status": "amended" if j.edited_at else "final",
                "code": _local_code("journal"),
                "subject": {"reference": subject},
                "effectiveDateTime": data.local_iso(j.created_at),
                "valueString": j.text,
                **({"note": [{"text": f"Flagged for review: {j.flag}"}]} if j.flag else {}),
            },
        )
    for e in data.crises:
        acknowledged = (
            f"Acknowledged by {e.acknowledged_by or 'staff'} at {data.local_iso(e.acknowledged_at)}"
            if e.acknowledged_at
            else "Not acknowledged"
        )
        b.add(
            "crisis",
            e.id,
            {
                "resourceType": "Observation",
                "status": "final",
                "code": _local_code("crisis"),
                "subject": {"reference": subject},
                "effectiveDateTime": data.local_iso(e.detected_at),
                "valueCodeableConcept": {
                    "coding": [{"system": CODES, "code": f"crisis-tier-{e.tier}", "display": _TIERS.get(e.tier)}],
                    "text": _TIERS.get(e.tier, e.tier),
                },
                "note": [
                    {"text": e.excerpt},
                    {"text": "Why: " + explain(rule=e.rule, matched=e.matched, score=e.score, answer=e.answer)},
                    {"text": acknowledged if e.alerted else f"Asked first; answer: {e.answer or 'none yet'}"},
                ],
            },
        )
    for a in data.appointments:
        b.add(
            "appointment",
            a.id,
            {
                "resourceType": "Appointment",
                "status": _FHIR_STATUS.get(a.state, "booked"),
                "serviceType": [{"coding": [{"system": CODES, "code": a.kind}], "text": a.label}],
                "description": a.label + (f", {a.location}" if a.location else ""),
                "start": data.local_iso(a.starts_at),
                "end": data.local_iso(a.starts_at + timedelta(minutes=a.duration_minutes)),
                "minutesDuration": a.duration_minutes,
                **({"comment": a.notes} if a.notes else {}),
                "participant": [
                    {
                        "actor": {"reference": subject},
                        "required": "required",
                        "status": "accepted" if a.state in ("confirmed", "attended") else "needs-action",
                    }
                ],
            },
        )
    for q in data.questionnaires:
        for kind, record_id, resource in _questionnaire(data, q, subject, b):
            b.add(kind, record_id, resource)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"{data.clinic}|{data.profile.id}|{data.generated_at.isoformat()}")),
        "type": "collection",
        "timestamp": data.local_iso(data.generated_at),
        "entry": b.entries,
    }


def render_fhir(data: ExportData) -> bytes:
    return json.dumps(bundle(data), ensure_ascii=False, indent=1).encode("utf-8")
