"""Scheduled questionnaires through the outbox: weekly in the patient's zone, after the first and the last
infusion of a series, and never to a paused or unreachable patient."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.appointments import service
from bot.appointments.schedule import to_utc
from bot.clinic import ClinicConfig, load_clinic_config
from bot.local import LocalBot
from storage.models import Appointment, OutboxMessage, OutboxStatus, QuestionnaireResponse
from tests.conftest import CLINIC_TOML
from tests.e2e.test_questionnaires import asked, progress
from tests.factories import enrol

ANA = 8001  # America/New_York
BEN = 8002  # Europe/Berlin
STAFF_CHAT = -1001234567890
NY = "America/New_York"

# PHQ-9 keeps the built-in schedule (weekly on Sunday at 18:00); GAD-7 follows infusion series here.
QUESTIONNAIRES = """
[questionnaires.gad7]
after_first_infusion_days = 1
after_last_infusion_days = 3
"""


@pytest.fixture
def clinic(tmp_path: Path) -> ClinicConfig:
    path = tmp_path / "clinic.toml"
    path.write_text(CLINIC_TOML + QUESTIONNAIRES)
    return load_clinic_config(path)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def of(bot: LocalBot, chat_id: int, title: str) -> list:
    return [m for m in asked(bot, chat_id) if f"{title} · " in (m.text or "")]


async def at(bot: LocalBot, instant: datetime) -> None:
    bot.clock.set(instant)
    await bot.tick()


async def book(bot: LocalBot, patient_id: int, local: datetime) -> Appointment:
    async with bot.runtime.session() as session:
        return await service.book(
            session, patient_id=patient_id, kind="infusion", starts_at=to_utc(local, NY), duration_minutes=None,
            location=None, notes=None, config=bot.clinic, now=bot.clock.now(),
        )  # fmt: skip


async def triggers(bot: LocalBot, patient_id: int) -> list[str]:
    async with bot.runtime.session() as session:
        query = select(QuestionnaireResponse.trigger).where(QuestionnaireResponse.patient_id == patient_id)
        return list(await session.scalars(query.order_by(QuestionnaireResponse.id)))


async def waiting(bot: LocalBot) -> dict[str, datetime]:
    """Questionnaire rows the outbox still holds, by key, with their due times."""
    async with bot.runtime.session() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "questionnaire", OutboxMessage.status == OutboxStatus.PENDING
            )
        )
        return {row.idempotency_key: row.due_at for row in rows}


async def test_weekly_on_sunday_evening_in_each_patients_zone(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, name="Ana", timezone=NY)
    ben = await enrol(bot, BEN, name="Ben", timezone="Europe/Berlin")
    await at(bot, utc(2026, 3, 8, 16, 59))
    assert of(bot, BEN, "PHQ-9") == []
    await at(bot, utc(2026, 3, 8, 17, 0))  # 18:00 in Berlin (CET)
    [first] = await bot.standin.wait_for(lambda: of(bot, BEN, "PHQ-9") or None)
    assert first.text.startswith("Hi Ben. Here is the PHQ-9") and progress(first) == (1, 9)
    await at(bot, utc(2026, 3, 8, 21, 59))
    assert of(bot, ANA, "PHQ-9") == []
    await at(bot, utc(2026, 3, 8, 22, 0))  # 18:00 in New York, where the clocks went forward that morning
    await bot.standin.wait_for(lambda: of(bot, ANA, "PHQ-9") or None)
    assert await triggers(bot, ana.id) == ["weekly:2026-03-08"]
    assert await triggers(bot, ben.id) == ["weekly:2026-03-08"]
    await at(bot, utc(2026, 3, 29, 15, 59))  # Berlin is on summer time from this morning
    assert len(of(bot, BEN, "PHQ-9")) == 1
    await at(bot, utc(2026, 3, 29, 16, 0))
    await bot.standin.wait_for(lambda: len(of(bot, BEN, "PHQ-9")) == 2)
    assert await triggers(bot, ben.id) == ["weekly:2026-03-08", "weekly:2026-03-29"]
    assert len(of(bot, ANA, "PHQ-9")) == 1


async def test_after_the_first_and_the_last_infusion_of_a_series(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, timezone=NY)
    first = await book(bot, patient.id, datetime(2026, 3, 3, 10, 0))
    await book(bot, patient.id, datetime(2026, 3, 5, 10, 0))
    last = await book(bot, patient.id, datetime(2026, 3, 10, 10, 0))
    await at(bot, to_utc(datetime(2026, 3, 4, 17, 59), NY))
    assert of(bot, ANA, "GAD-7") == []
    await at(bot, to_utc(datetime(2026, 3, 4, 18, 0), NY))  # a day after the first
    [sent] = await bot.standin.wait_for(lambda: of(bot, ANA, "GAD-7") or None)
    assert progress(sent) == (1, 7)
    await at(bot, to_utc(datetime(2026, 3, 13, 17, 59), NY))
    assert len(of(bot, ANA, "GAD-7")) == 1
    await at(bot, to_utc(datetime(2026, 3, 13, 18, 0), NY))  # three days after the last
    await bot.standin.wait_for(lambda: len(of(bot, ANA, "GAD-7")) == 2)
    gad7 = [t for t in await triggers(bot, patient.id) if t.startswith("after")]
    assert gad7 == [f"after_first:{first.id}", f"after_last:{last.id}"]


async def test_a_longer_series_moves_the_questionnaire_and_cancelling_brings_it_back(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, timezone=NY)
    await book(bot, patient.id, datetime(2026, 3, 5, 10, 0))
    last = await book(bot, patient.id, datetime(2026, 3, 10, 10, 0))
    await at(bot, to_utc(datetime(2026, 3, 12, 19, 0), NY))
    key = f"q:{patient.id}:gad7:after_last:{last.id}"
    assert (await waiting(bot)).get(key) == to_utc(datetime(2026, 3, 13, 18, 0), NY)
    extra = await book(bot, patient.id, datetime(2026, 3, 13, 14, 0))  # the series goes on
    await at(bot, to_utc(datetime(2026, 3, 12, 19, 1), NY))
    assert key not in await waiting(bot)
    await at(bot, to_utc(datetime(2026, 3, 13, 18, 0), NY))
    assert of(bot, ANA, "GAD-7") == []
    assert (await waiting(bot)).get(f"q:{patient.id}:gad7:after_last:{extra.id}") is None  # more than a day ahead
    async with bot.runtime.session() as session:
        await service.cancel(session, appointment_id=extra.id, now=bot.clock.now())
    await at(bot, to_utc(datetime(2026, 3, 13, 18, 5), NY))
    await bot.standin.wait_for(lambda: of(bot, ANA, "GAD-7") or None)
    assert f"after_last:{last.id}" in await triggers(bot, patient.id)


async def test_nothing_while_paused_and_it_comes_when_resumed(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, timezone=NY)
    await at(bot, utc(2026, 3, 8, 20, 0))
    assert f"q:{patient.id}:phq9:weekly:2026-03-08" in await waiting(bot)
    await bot.standin.send_command(ANA, "pause")
    await bot.standin.wait_for(lambda: "paused" in (bot.standin.sent(ANA)[-1].text or ""))
    await at(bot, utc(2026, 3, 8, 22, 0))
    assert of(bot, ANA, "PHQ-9") == [] and await waiting(bot) == {}
    await bot.standin.send_command(ANA, "resume")
    await bot.standin.wait_for(lambda: "Welcome back" in (bot.standin.sent(ANA)[-1].text or ""))
    await at(bot, utc(2026, 3, 8, 23, 0))  # 19:00 local: still before quiet hours
    await bot.standin.wait_for(lambda: of(bot, ANA, "PHQ-9") or None)


async def test_a_blocked_bot_stops_questionnaires_and_tells_the_staff(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, name="Ana", timezone=NY)
    bot.standin.block_chat(ANA)
    await at(bot, utc(2026, 3, 8, 22, 0))
    await at(bot, utc(2026, 3, 8, 22, 1))
    [notice] = await bot.standin.wait_for_messages(STAFF_CHAT, 1)
    assert f"#{patient.id} Ana" in notice.text and "blocked" in notice.text
    await at(bot, utc(2026, 3, 15, 22, 0))
    assert await waiting(bot) == {}
