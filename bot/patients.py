"""Looking people up: patients by Telegram id, staff membership, a patient's local view of time, and whose turn it
is to be planned."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.staff.access import Permission, allowed
from storage.models import Patient, PatientStatus

# The planner looks at each patient this often, and at once after a change: far inside the day that check-ins
# (today's and tomorrow's) and questionnaires (the next day) are planned ahead.
LOOK_AGAIN = timedelta(hours=6)
NEVER = datetime(9999, 1, 1, tzinfo=UTC)


async def patients_due_for_planning(session: AsyncSession, *, now: datetime, limit: int) -> list[Patient]:
    """Patients whose turn has come, those changed since their last plan first, marked as planned until their next
    look; at most `limit`, however large the roster. Those who cannot be planned for (paused, gone, unreachable)
    are among them once after a change, so that what was planned for them goes, and then wait for the next change.
    """
    patients = list(
        await session.scalars(
            select(Patient)
            .where(or_(Patient.next_plan_at.is_(None), Patient.next_plan_at <= now))
            .order_by(Patient.next_plan_at.asc().nulls_first(), Patient.id)
            .limit(limit)
        )
    )
    for patient in patients:
        patient.next_plan_at = now + LOOK_AGAIN if plannable(patient) else NEVER
    return patients


def plannable(patient: Patient) -> bool:
    """Check-ins and questionnaires go to reachable active patients only."""
    return (
        patient.status is PatientStatus.ACTIVE
        and patient.telegram_chat_id is not None
        and patient.unreachable_since is None
    )


async def plan_again(session: AsyncSession, patient_ids: Iterable[int]) -> None:
    """Something that shapes these patients' plans changed: the planner takes them at its next tick."""
    await session.execute(update(Patient).where(Patient.id.in_(set(patient_ids))).values(next_plan_at=None))


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
