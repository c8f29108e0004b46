"""How long one patient's export takes with five years of daily data, per format.

Run: python bench/export_formats.py [--years 5] [--postgres URL] [--repeat 3]
Builds the data in a fresh database (SQLite in a temporary folder unless --postgres), then times reading the
records (with decryption) and rendering each format, and prints the best of --repeat runs and the file sizes.
Targets: CSV and JSON under 0.5 s, the PDF under 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic import load_clinic_config
from bot.export.collect import collect
from bot.export.formats import Format, render
from bot.export.model import ExportData
from storage.db import create_engine, session_factory, session_scope
from storage.migrate import upgrade
from storage.models import (
    Appointment,
    AppointmentStatus,
    Base,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    JournalEntry,
    Patient,
    PatientStatus,
    QuestionnaireResponse,
)

NOTE = "Slept better than last week. A walk by the river helped; still tired in the afternoons, and my"
JOURNAL = "Talked to my sister for an hour. Felt heavy this morning, lighter by the evening. " * 3


async def build(session: AsyncSession, years: int, end: date) -> Patient:
    rng = random.Random(7)
    first = end - timedelta(days=365 * years)
    enrolled = datetime.combine(first, clock_time(9), tzinfo=UTC)
    patient = Patient(
        display_name="Bench Patient", telegram_user_id=1, telegram_chat_id=1, timezone="America/New_York",
        checkin_time=clock_time(20), country="US", language="en", status=PatientStatus.ACTIVE,
        created_at=enrolled, enrolled_at=enrolled,
    )  # fmt: skip
    session.add(patient)
    await session.flush()
    day, score, n = first, 4.0, 0
    while day <= end:
        at = datetime.combine(day, clock_time(1), tzinfo=UTC) + timedelta(days=1)
        score = min(10.0, max(0.0, score + rng.uniform(-1.2, 1.25)))
        missed = rng.random() < 0.1
        session.add(
            CheckIn(
                patient_id=patient.id, kind="daily", local_date=day, asked_at=at, message_id=n,
                score=None if missed else round(score), answered_at=None if missed else at,
                note=None if missed else f"{NOTE} {n}", note_at=None if missed else at,
            )
        )  # fmt: skip
        session.add(JournalEntry(patient_id=patient.id, text=f"{JOURNAL}{n}", telegram_message_id=n, created_at=at))
        if day.toordinal() % 7 == 0:
            session.add(
                QuestionnaireResponse(
                    patient_id=patient.id, instrument="phq9", trigger=f"weekly:{day}", started_at=at, updated_at=at,
                    expires_at=at + timedelta(days=1), completed_at=at,
                    answers={str(i): rng.randint(0, 2) for i in range(1, 10)}, total=None,
                )
            )  # fmt: skip
        if day.toordinal() % 30 == 0:
            session.add(
                Appointment(
                    patient_id=patient.id, kind="infusion", starts_at=at - timedelta(hours=10), duration_minutes=60,
                    status=AppointmentStatus.SCHEDULED, confirmed_at=at, created_at=at, updated_at=at,
                )
            )  # fmt: skip
        if day.toordinal() % 365 == 0:
            alert = CrisisAlert(
                patient_id=patient.id, telegram_user_id=1, person="Bench Patient", tier="ideation", opened_at=at,
                last_event_at=at, events=1, rounds=1, acknowledged_at=at + timedelta(minutes=9),
                acknowledged_by_name="Dr. Reyes", staff_messages=[],
            )  # fmt: skip
            session.add(alert)
            await session.flush()
            session.add(
                CrisisEvent(
                    alert_id=alert.id, patient_id=patient.id, telegram_user_id=1, tier="ideation", rule="bench",
                    excerpt="I can't keep going like this", detected_at=at,
                )
            )  # fmt: skip
        day += timedelta(days=1)
        n += 1
    await session.flush()
    return patient


async def main(url: str, years: int, repeat: int) -> None:
    engine = create_engine(url, encryption_key="bench-key")
    sessions = session_factory(engine)
    clinic = load_clinic_config(None)
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    try:
        async with session_scope(sessions) as session:
            for table in reversed(Base.metadata.sorted_tables):  # a shared PostgreSQL database starts empty
                await session.execute(table.delete())
        async with session_scope(sessions) as session:
            patient = await build(session, years, now.date())
        reads: list[float] = []
        data: ExportData | None = None
        for _ in range(repeat):
            began = time.perf_counter()
            async with session_scope(sessions) as session:
                data = await collect(session, patient=patient, config=clinic, start=None, end=None, now=now)
            reads.append(time.perf_counter() - began)
        assert data is not None
        print(f"{years} years: {len(data.checkins)} check-ins, {len(data.journal)} journal entries, "
              f"{len(data.appointments)} appointments, {len(data.questionnaires)} questionnaires, "
              f"{len(data.crises)} crisis events")  # fmt: skip
        print(f"read records (with decryption): {min(reads):.3f} s")
        render(data, Format.PDF)  # the first PDF pays for importing matplotlib and reportlab once per process
        for fmt in Format:
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                file = render(data, fmt)
                times.append(time.perf_counter() - began)
            print(f"{fmt.value:>4}: {min(times):.3f} s  ({len(file.content) / 1e6:.2f} MB)")
    finally:
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="postgresql+asyncpg://… (the database is emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        target = args.postgres or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(target)
        asyncio.run(main(target, args.years, args.repeat))
