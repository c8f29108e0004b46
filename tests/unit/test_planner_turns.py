"""The planner's queue: a bounded batch a tick, changed patients first, and nobody planned who cannot be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

from sqlalchemy import select

from bot.local import LocalBot
from bot.patients import LOOK_AGAIN, patients_due_for_planning
from storage.models import OutboxMessage, Patient, PatientStatus

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def patient(number: int) -> Patient:
    return Patient(
        display_name=f"P{number}", telegram_user_id=50_000 + number, telegram_chat_id=50_000 + number,
        timezone="UTC", checkin_time=dt_time(20, 0), country="US", language="en", status=PatientStatus.ACTIVE,
        created_at=NOW - timedelta(days=2), enrolled_at=NOW - timedelta(days=2),
    )  # fmt: skip


async def turn(bot: LocalBot, at: datetime, limit: int = 100) -> list[int]:
    async with bot.runtime.session() as session:
        return [p.id for p in await patients_due_for_planning(session, now=at, limit=limit)]


async def test_a_tick_takes_a_bounded_batch_and_then_only_whose_turn_came(bot: LocalBot) -> None:
    async with bot.runtime.session() as session:
        session.add_all(patient(n) for n in range(250))
    first, second, third = await turn(bot, NOW), await turn(bot, NOW), await turn(bot, NOW)
    assert (len(first), len(second), len(third)) == (100, 100, 50)
    assert len(set(first + second + third)) == 250
    assert await turn(bot, NOW + timedelta(hours=1)) == []  # steady: nobody's turn until their next look
    assert len(await turn(bot, NOW + LOOK_AGAIN, limit=1000)) == 250


async def test_a_change_puts_the_patient_first_and_one_who_cannot_be_planned_comes_once(bot: LocalBot) -> None:
    async with bot.runtime.session() as session:
        session.add_all(patient(n) for n in range(3))
    await turn(bot, NOW)
    async with bot.runtime.session() as session:
        moved, paused = (await session.scalars(select(Patient).order_by(Patient.id).limit(2))).all()
        moved.checkin_time = dt_time(8, 30)
        paused.status = PatientStatus.PAUSED
    assert sorted(await turn(bot, NOW + timedelta(minutes=1))) == sorted([moved.id, paused.id])
    assert sorted(await turn(bot, NOW + LOOK_AGAIN * 10)) == [moved.id, 3]  # the paused one waits for a change


async def test_pausing_takes_back_the_planned_questionnaires_at_the_next_tick(bot: LocalBot) -> None:
    async with bot.runtime.session() as session:
        session.add(patient(1))
    bot.clock.set(datetime(2026, 3, 8, 12, 0, tzinfo=UTC))  # a Sunday: the weekly PHQ-9 is planned
    await bot.plan()
    async with bot.runtime.session() as session:
        assert await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "questionnaire")) is not None
        only = (await session.scalars(select(Patient))).one()
        only.status = PatientStatus.PAUSED
    await bot.plan()
    async with bot.runtime.session() as session:
        assert await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "questionnaire")) is None
