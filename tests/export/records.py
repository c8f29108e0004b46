"""Export data for tests: a factory of records, and the published JSON schema's validator."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import jsonschema

from bot.export.model import (
    AppointmentRecord,
    CheckinRecord,
    CrisisRecord,
    ExportData,
    JournalRecord,
    Profile,
    QuestionnaireRecord,
)


def load_schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("bot").joinpath("data/export-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def sample(**overrides: object) -> ExportData:
    """Two weeks of a patient in Berlin across the spring DST change, with one of every kind of record."""
    values: dict[str, object] = {
        "clinic": "Riverside Ketamine Clinic",
        "generated_at": datetime(2026, 4, 2, 10, 0, tzinfo=UTC),
        "start": None,
        "end": None,
        "profile": Profile(
            id=7,
            display_name="Zoë Ångström",
            timezone="Europe/Berlin",
            country="DE",
            language="en",
            status="active",
            created_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
            enrolled_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        ),
        "checkins": (
            *(
                CheckinRecord(
                    id=n,
                    kind="daily",
                    local_date=date(2026, 3, 20) + timedelta(days=n),
                    asked_at=asked(n),
                    answered_at=None if n % 5 == 4 else asked(n) + timedelta(minutes=3),
                    score=None if n % 5 == 4 else (3 + n) % 11,
                    status="missed" if n % 5 == 4 else "answered",
                    note=f"day {n}: slept ok, “quotes”, commas, and\nnew lines" if n % 3 == 0 else None,
                    note_at=asked(n) + timedelta(minutes=5) if n % 3 == 0 else None,
                    appointment_id=None,
                    effects=(),
                )
                for n in range(12)
            ),
            CheckinRecord(
                id=100,
                kind="followup",
                local_date=date(2026, 3, 24),
                asked_at=datetime(2026, 3, 24, 18, tzinfo=UTC),
                answered_at=datetime(2026, 3, 24, 18, 10, tzinfo=UTC),
                score=5,
                status="answered",
                note="a bit floaty",
                note_at=None,
                appointment_id=31,
                effects=("dissociation", "nausea"),
            ),
        ),
        "journal": (
            JournalRecord(1, datetime(2026, 3, 28, 23, 30, tzinfo=UTC), None, "Привет, Ωμέγα — café"),
            JournalRecord(2, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC), "+1 day"),
        ),
        "appointments": (
            AppointmentRecord(
                id=31,
                kind="infusion",
                label="infusion",
                starts_at=datetime(2026, 3, 24, 9, tzinfo=UTC),
                duration_minutes=60,
                location="Room 2",
                notes=None,
                state="confirmed",
                confirmed_at=datetime(2026, 3, 23, 9, tzinfo=UTC),
                reschedule_requested_at=None,
            ),
            AppointmentRecord(
                id=32,
                kind="therapy",
                label="therapy session",
                starts_at=datetime(2026, 4, 3, 8, tzinfo=UTC),
                duration_minutes=50,
                location=None,
                notes="bring the diary",
                state="unconfirmed",
                confirmed_at=None,
                reschedule_requested_at=None,
            ),
        ),
        "crises": (
            CrisisRecord(
                id=5,
                detected_at=datetime(2026, 3, 26, 22, tzinfo=UTC),
                tier="ideation",
                rule="en.want_die",
                excerpt="I want to die",
                acknowledged_at=datetime(2026, 3, 26, 22, 9, tzinfo=UTC),
                acknowledged_by="Dr. Reyes",
            ),
            CrisisRecord(
                id=6,
                detected_at=datetime(2026, 3, 30, 21, tzinfo=UTC),
                tier="imminent",
                rule="phq9.item9.3",
                excerpt="PHQ-9 item 9: Nearly every day",
                acknowledged_at=None,
                acknowledged_by=None,
            ),
        ),
        "questionnaires": (
            QuestionnaireRecord(
                id=11,
                instrument="phq9",
                title="PHQ-9",
                started_at=datetime(2026, 3, 21, 17, tzinfo=UTC),
                completed_at=datetime(2026, 3, 21, 17, 4, tzinfo=UTC),
                answers=tuple((i, 2) for i in range(1, 10)),
                total=18,
                band="moderately severe",
            ),
            QuestionnaireRecord(
                id=12,
                instrument="gad7",
                title="GAD-7",
                started_at=datetime(2026, 3, 28, 17, tzinfo=UTC),
                completed_at=datetime(2026, 3, 28, 17, 3, tzinfo=UTC),
                answers=tuple((i, 1) for i in range(1, 8)),
                total=7,
                band="mild",
            ),
        ),
        "erasures": (),
    }
    values.update(overrides)
    return ExportData(**values)  # type: ignore[arg-type]


def asked(n: int) -> datetime:
    """20:00 in Berlin on the n-th day after 20 March: 19:00 UTC before the clocks change on 29 March, 18:00 after."""
    day = date(2026, 3, 20) + timedelta(days=n)
    return datetime.combine(day, time(20), tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
