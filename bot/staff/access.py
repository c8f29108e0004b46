"""Who on staff may do what: one table of roles, checked by the console and by every staff command in Telegram."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Staff, StaffRole


class Permission(enum.StrEnum):
    PATIENTS = "patients"  # the roster, a patient's page and journal, appointments
    EXPORT = "export"
    CRISIS = "crisis"  # the crisis queue: acknowledge, review
    STAFF = "staff"  # add, deactivate, change roles
    SETTINGS = "settings"
    AUDIT = "audit"


ROLES: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.COUNSELOR: frozenset({Permission.PATIENTS, Permission.EXPORT, Permission.CRISIS}),
    StaffRole.ADMIN: frozenset(Permission),
}


def may(member: Staff | None, permission: Permission) -> bool:
    """An active staff member whose role allows `permission`."""
    return member is not None and member.active and permission in ROLES[member.role]


async def staff_by_telegram(session: AsyncSession, telegram_user_id: int) -> Staff | None:
    return await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id))


def staff_language(member: Staff | None, clinic_language: str) -> str:
    """The language staff words go out in: the member's own, else the clinic's (always so in the staff chat)."""
    return member.language if member is not None and member.language else clinic_language


async def allowed(session: AsyncSession, telegram_user_id: int, permission: Permission) -> bool:
    return may(await staff_by_telegram(session, telegram_user_id), permission)
