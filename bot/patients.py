"""Looking people up: patients by Telegram id, staff membership, and a patient's local view of time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.staff.access import Permission, allowed
from storage.models import Patient, PatientStatus


async def patient_by_telegram(session: AsyncSession, telegram_user_id: int) -> Patient | None:
    return await session.scalar(select(Patient).where(Patient.telegram_user_id == telegram_user_id))


async def staff_may_see(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    chat_id: int,
    private: bool,
    staff_chat_id: int | None,
    permission: Permission = Permission.PATIENTS,
) -> bool:
    """Patient details go to active staff whose role allows it, and only in a private chat or the staff chat."""
    return (private or chat_id == staff_chat_id) and await allowed(session, telegram_user_id, permission)


async def is_staff(session: AsyncSession, telegram_user_id: int) -> bool:
    """An active staff member (a deactivated one is refused like anyone else)."""
    return await allowed(session, telegram_user_id, Permission.PATIENTS)


async def enrolled_patient(session: AsyncSession, telegram_user_id: int) -> Patient | None:
    """The patient behind this account if they are enrolled (active or paused), else None."""
    patient = await patient_by_telegram(session, telegram_user_id)
    return patient if is_enrolled(patient) else None


def is_enrolled(patient: Patient | None) -> bool:
    return patient is not None and patient.status in (PatientStatus.ACTIVE, PatientStatus.PAUSED)


def local_today(patient: Patient, now: datetime) -> date:
    return now.astimezone(ZoneInfo(patient.timezone)).date()
