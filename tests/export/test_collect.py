"""What an export reads from the database: local-date ranges, check-in states, and nothing of anyone else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import Actor, ActorKind
from bot.clinic import ClinicConfig
from bot.enrollment.service import create_patient
from bot.export.collect import collect
from bot.export.formats import Format
from bot.export.service import erase_patient_data, export_data
from storage.db import create_engine, session_factory, session_scope
from storage.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    CheckIn,
    JournalEntry,
    Patient,
    PatientStatus,
    QuestionnaireResponse,
)

NOW = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 10 March, 18:00 in Berlin
CLI = Actor(ActorKind.CLI, "tester")


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url, encryption_key="collect-test")
    try:
        async with session_scope(session_factory(engine)) as session:
            yield session
    finally:
        await engine.dispose()


async def patient(session: AsyncSession, name: str = "Ben", zone: str = "Europe/Berlin") -> Patient:
    found = await create_patient(
        session, name=name, timezone=zone, checkin_time=time(20), country="DE", language="en", now=NOW
    )
    found.status, found.enrolled_at = PatientStatus.ACTIVE, NOW - timedelta(days=30)
    return found


def checkin(p: Patient, day: date, score: int | None, *, delivered: bool = True, note: str | None = None) -> CheckIn:
    asked = datetime.combine(day, time(19), tzinfo=UTC)
    return CheckIn(
        patient_id=p.id, kind="daily", local_date=day, asked_at=asked, message_id=1 if delivered else None,
        score=score, answered_at=asked if score is not None else None, note=note,
    )  # fmt: skip


async def test_checkin_states_and_undelivered_ones(session: AsyncSession, clinic: ClinicConfig) -> None:
    ben = await patient(session)
    session.add_all(
        [
            checkin(ben, date(2026, 3, 1), 6, note="fine"),
            checkin(ben, date(2026, 3, 2), None),  # never answered, long closed: missed
            checkin(ben, date(2026, 3, 3), None, delivered=False),  # never reached Ben: not asked
            checkin(ben, date(2026, 3, 9), None),  # yesterday, still answerable: open
        ]
    )
    await session.flush()
    data = await collect(session, patient=ben, config=clinic, start=None, end=None, now=NOW)
    assert [(c.local_date.day, c.status, c.score, c.note) for c in data.checkins] == [
        (1, "answered", 6, "fine"),
        (2, "missed", None, None),
        (9, "open", None, None),
    ]


async def test_ranges_are_the_patients_local_days(session: AsyncSession, clinic: ClinicConfig) -> None:
    ben = await patient(session)
    other = await patient(session, name="Ana", zone="America/New_York")
    # 23:30 UTC on 4 March is already 5 March in Berlin; 22:59 UTC on 6 March is still 6 March.
    for n, at in enumerate([datetime(2026, 3, 4, 22, 59), datetime(2026, 3, 4, 23, 30), datetime(2026, 3, 6, 22, 59)]):
        entry = JournalEntry(
            patient_id=ben.id, text=f"entry {n}", telegram_message_id=n, created_at=at.replace(tzinfo=UTC)
        )
        session.add(entry)
    session.add(JournalEntry(patient_id=other.id, text="not Ben's", telegram_message_id=99, created_at=NOW))
    session.add_all([checkin(ben, date(2026, 3, d), d) for d in (4, 5, 6, 7)])
    session.add(
        Appointment(
            patient_id=ben.id, kind="infusion", starts_at=datetime(2026, 3, 5, 8, tzinfo=UTC), duration_minutes=60,
            status=AppointmentStatus.CANCELLED, created_at=NOW, updated_at=NOW,
        )
    )  # fmt: skip
    await session.flush()
    data = await collect(session, patient=ben, config=clinic, start=date(2026, 3, 5), end=date(2026, 3, 6), now=NOW)
    assert [j.text for j in data.journal] == ["entry 1", "entry 2"]
    assert [c.local_date.day for c in data.checkins] == [5, 6]
    assert [(a.kind, a.state, a.label) for a in data.appointments] == [("infusion", "cancelled", "infusion")]
    everything = await collect(session, patient=ben, config=clinic, start=None, end=None, now=NOW)
    assert [j.text for j in everything.journal] == ["entry 0", "entry 1", "entry 2"]


async def test_only_completed_questionnaires_are_exported(session: AsyncSession, clinic: ClinicConfig) -> None:
    ben = await patient(session)
    answers = {str(i): 1 for i in range(1, 10)}
    session.add_all(
        [
            QuestionnaireResponse(
                patient_id=ben.id, instrument="phq9", trigger="on_demand", started_at=NOW, updated_at=NOW,
                expires_at=NOW + timedelta(days=1), completed_at=NOW, answers=answers, total=9,
            ),
            QuestionnaireResponse(
                patient_id=ben.id, instrument="phq9", trigger="on_demand", started_at=NOW, updated_at=NOW,
                expires_at=NOW + timedelta(days=1), completed_at=None, answers={"1": 3}, total=None,
            ),
        ]
    )  # fmt: skip
    await session.flush()
    data = await collect(session, patient=ben, config=clinic, start=None, end=None, now=NOW)
    [phq9] = data.questionnaires
    assert (phq9.title, phq9.total, phq9.band, phq9.answers[8]) == ("PHQ-9", 9, "mild", (9, 1))


async def test_export_and_erasure_leave_audit_rows(session: AsyncSession, clinic: ClinicConfig) -> None:
    ben = await patient(session)
    session.add(checkin(ben, date(2026, 3, 1), 4, note="kept until erased"))
    session.add(JournalEntry(patient_id=ben.id, text="mine", telegram_message_id=1, created_at=NOW))
    await session.flush()
    data = await export_data(
        session, patient=ben, config=clinic, fmt=Format.CSV, actor=CLI, start=date(2026, 3, 1), end=None, now=NOW
    )
    assert len(data.checkins) == 1
    erased = await erase_patient_data(session, patient=ben, actor=Actor(ActorKind.PATIENT, "42"), now=NOW)
    assert (erased.journal, erased.checkins, erased.total) == (1, 1, 2)
    await session.flush()
    after = await collect(session, patient=ben, config=clinic, start=None, end=None, now=NOW)
    assert (after.checkins, after.journal) == ((), ())
    assert [(e.by, e.at) for e in after.erasures] == [("patient", NOW)]
    rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    audits = [(a.action, a.actor_kind, a.actor, a.detail.get("format")) for a in rows]
    assert audits == [("export", "cli", "tester", "csv"), ("erase", "patient", "42", None)]
