"""What staff see about patients: the roster and who has not checked in today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.service import DAILY
from bot.patients import local_today
from bot.questionnaires.service import Trend, latest_totals
from storage.models import CheckIn, Patient, PatientStatus


@dataclass(frozen=True, slots=True)
class PatientRow:
    id: int
    name: str
    status: str
    checkin_time: time
    timezone: str
    last_score: int | None
    questionnaires: tuple[Trend, ...] = ()


async def roster(session: AsyncSession) -> list[PatientRow]:
    latest = (
        select(CheckIn.score)
        .where(CheckIn.patient_id == Patient.id, CheckIn.score.is_not(None))
        .order_by(CheckIn.local_date.desc())
        .limit(1)
        .correlate(Patient)
        .scalar_subquery()
    )
    rows = await session.execute(select(Patient, latest).order_by(Patient.id))
    totals = await latest_totals(session)
    return [
        PatientRow(p.id, p.display_name, p.status.value, p.checkin_time, p.timezone, score, tuple(totals.get(p.id, ())))
        for p, score in rows
    ]


async def not_checked_in_today(session: AsyncSession, *, now: datetime) -> list[Patient]:
    patients = list(await session.scalars(select(Patient).where(Patient.status == PatientStatus.ACTIVE)))
    answered = {
        (pid, day)
        for pid, day in await session.execute(
            select(CheckIn.patient_id, CheckIn.local_date).where(
                CheckIn.kind == DAILY,
                CheckIn.score.is_not(None),
                CheckIn.patient_id.in_([p.id for p in patients]),
            )
        )
    }
    return [p for p in patients if (p.id, local_today(p, now)) not in answered]
