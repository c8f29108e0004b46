"""A patient who had blocked the bot writes again: everything that was withdrawn is planned anew."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.service import replan_patient
from bot.checkin.service import replan_for
from bot.clinic import ClinicConfig
from storage.models import Patient


async def reachable_again(
    session: AsyncSession, *, patient: Patient, config: ClinicConfig, now: datetime, grace: timedelta
) -> None:
    patient.unreachable_since = None
    await replan_for(session, patient=patient, now=now, grace=grace)
    await replan_patient(session, patient_id=patient.id, config=config, now=now)
