"""How fast the console's pages answer for a clinic of 1,000 patients with a year of data each.

Run: python bench/console_pages.py [--patients 1000] [--days 365] [--rounds 20] [--postgres URL]

Builds the clinic (daily check-ins, a journal entry every other day, weekly PHQ-9, appointments, open crisis
alerts), signs an admin in through the real sign-in link, then times each page through the ASGI app (the same code
`moodbot run` serves), the server's whole work from request to response: median, p95 and max.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.progress import Progress
from sqlalchemy import insert

from bot.clinic import load_clinic_config
from bot.local import LocalBot
from storage.migrate import upgrade
from storage.models import (
    Appointment,
    AppointmentStatus,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    JournalEntry,
    Patient,
    PatientStatus,
    QuestionnaireResponse,
    StaffRole,
)
from tests.console.helpers import browser, make_staff, sign_in

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
CHUNK = 2_000  # rows a statement; far below asyncpg's 32,767 parameters
WORDS = [
    "slept",
    "badly",
    "walked",
    "the",
    "dog",
    "felt",
    "lighter",
    "after",
    "the",
    "session",
    "tired",
    "but",
    "okay",
    "work",
    "was",
    "long",
    "called",
    "my",
    "sister",
]


async def build(bot: LocalBot, patients: int, days: int) -> None:
    rng = random.Random(7)
    first = NOW.date() - timedelta(days=days)
    with Progress() as progress:
        task = progress.add_task("building the clinic", total=patients)
        for start in range(0, patients, 50):
            async with bot.runtime.session() as session:
                ids = []
                for number in range(start, min(patients, start + 50)):
                    patient = Patient(
                        display_name=f"Patient {number:04d}", telegram_user_id=10_000 + number,
                        telegram_chat_id=10_000 + number, timezone="America/New_York", checkin_time=clock_time(20),
                        country="US", language="en", status=PatientStatus.ACTIVE,
                        created_at=NOW - timedelta(days=days + 1), enrolled_at=NOW - timedelta(days=days + 1),
                    )  # fmt: skip
                    session.add(patient)
                    await session.flush()
                    ids.append(patient.id)
                checkins, journal, questionnaires, appointments = [], [], [], []
                for pid in ids:
                    for n in range(days):
                        day = first + timedelta(days=n)
                        at = datetime.combine(day, clock_time(23), UTC)
                        answered = rng.random() < 0.85
                        checkins.append(
                            {"patient_id": pid, "kind": "daily", "local_date": day, "asked_at": at,
                             "score": rng.randint(2, 9) if answered else None, "answered_at": at if answered else None}
                        )  # fmt: skip
                        if n % 2 == 0:
                            text = " ".join(rng.choices(WORDS, k=12))
                            journal.append(
                                {"patient_id": pid, "text": text, "telegram_message_id": n, "created_at": at}
                            )
                        if n % 7 == 0:
                            questionnaires.append(
                                {"patient_id": pid, "instrument": "phq9", "trigger": f"weekly:{day}", "started_at": at,
                                 "updated_at": at, "expires_at": at + timedelta(days=1), "completed_at": at,
                                 "answers": {}, "total": rng.randint(3, 20)}
                            )  # fmt: skip
                    for n in range(-10, 10):
                        starts = NOW + timedelta(days=7 * n, hours=rng.randint(-3, 3))
                        appointments.append(
                            {"patient_id": pid, "kind": "infusion" if n % 2 else "therapy", "starts_at": starts,
                             "duration_minutes": 60, "status": AppointmentStatus.SCHEDULED, "created_at": NOW,
                             "updated_at": NOW}
                        )  # fmt: skip
                for model, rows in (
                    (CheckIn, checkins), (JournalEntry, journal), (QuestionnaireResponse, questionnaires),
                    (Appointment, appointments),
                ):  # fmt: skip
                    for chunk in range(0, len(rows), CHUNK):
                        await session.execute(insert(model), rows[chunk : chunk + CHUNK])
            progress.advance(task, len(ids))
    async with bot.runtime.session() as session:
        for number in range(25):
            alert = CrisisAlert(
                patient_id=number + 1, telegram_user_id=10_000 + number, person=f"Patient #{number + 1}",
                tier="ideation", opened_at=NOW - timedelta(minutes=number), last_event_at=NOW, events=1, rounds=1,
                staff_messages=[],
            )  # fmt: skip
            session.add(alert)
            await session.flush()
            session.add(
                CrisisEvent(
                    alert_id=alert.id, patient_id=number + 1, telegram_user_id=10_000 + number, tier="ideation",
                    rule="en.ideation.want_to_die", excerpt="I want to die", detected_at=NOW, matched="want to die",
                )
            )  # fmt: skip


async def main(url: str, patients: int, days: int, rounds: int, folder: Path) -> None:
    (folder / "clinic.toml").write_text("[clinic]\nstaff_chat_id = -100123\n")
    async with LocalBot(database_url=url, clinic=load_clinic_config(folder / "clinic.toml"), start=NOW) as bot:
        began = time.perf_counter()
        await build(bot, patients, days)
        print(f"built {patients} patients × {days} days in {time.perf_counter() - began:.0f} s")
        admin = await make_staff(bot, 1, role=StaffRole.ADMIN, name="Bench Admin")
        async with browser(bot) as client:
            await sign_in(client, bot, admin)
            pages = ["/", "/patients", "/patients?q=0042", "/patients/42", "/patients/42?from=2026-01-01", "/staff",
                     "/audit", "/appointments", "/appointments?week=2026-11-09", "/patients/42/upcoming",
                     "/patients/42/profile", "/patients/new"]  # fmt: skip
            print(f"{'page':32s} {'median':>8s} {'p95':>8s} {'max':>8s}  (ms, {rounds} rounds, {patients} patients)")
            for path in pages:
                await client.get(path)  # warm-up
                samples = []
                for _ in range(rounds):
                    began = time.perf_counter()
                    response = await client.get(path)
                    samples.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                samples.sort()
                p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
                print(f"{path:32s} {statistics.median(samples):8.0f} {p95:8.0f} {samples[-1]:8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgres", help="a PostgreSQL URL (an empty database) instead of SQLite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.postgres or f"sqlite+aiosqlite:///{folder}/console.db"
    upgrade(url)
    asyncio.run(main(url, args.patients, args.days, args.rounds, folder))
