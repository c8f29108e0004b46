"""Staff onboarding without ids: an admin makes a one-time link, and whoever opens it in Telegram is registered as
staff with the name and role the admin gave. The code is kept only as its hash, like a patient's invite."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import STAFF_CHANGE, Actor, ActorKind, audit
from bot.enrollment.service import hash_code, new_code
from bot.staff.manage import StaffError, add_staff
from storage.models import Patient, Staff, StaffInvite, StaffRole

# What a staff invite's start parameter begins with; a patient's code is random and never does in practice, and
# the staff code is looked up among staff invites only.
PREFIX = "staff-"
DAYS = 7


class Refusal(enum.StrEnum):
    UNKNOWN = "unknown"  # no such code, used, or expired: the person is told the same for all three
    ALREADY_STAFF = "already_staff"
    DEACTIVATED_STAFF = "deactivated_staff"
    PATIENT = "patient"


async def issue_staff_invite(
    session: AsyncSession, *, name: str, role: StaffRole, now: datetime, actor: Actor, days: int = DAYS
) -> tuple[StaffInvite, str]:
    """A new invite and the code for its link (`PREFIX` + code), shown once."""
    name = " ".join(name.split())
    if not name:
        raise StaffError("give a name")
    if not 1 <= days <= 30:
        raise StaffError("an invite lasts 1 to 30 days")
    code = new_code()
    invite = StaffInvite(
        code_hash=hash_code(code), name=name[:120], role=role, created_at=now, expires_at=now + timedelta(days=days)
    )
    session.add(invite)
    await session.flush()
    detail = {"invite": invite.id, "name": invite.name, "role": role.value, "change": "invited"}
    audit(session, actor=actor, patient_id=None, action=STAFF_CHANGE, now=now, detail=detail)
    return invite, PREFIX + code


async def redeem_staff_invite(
    session: AsyncSession, *, start_parameter: str, telegram_user_id: int, now: datetime
) -> tuple[Staff | None, Refusal | None]:
    """Register the account that opened the link; the code is spent. Nothing changes when it is refused."""
    code = start_parameter.removeprefix(PREFIX)
    if not start_parameter.startswith(PREFIX) or not code or len(code) > 64:
        return None, Refusal.UNKNOWN
    invite = await session.scalar(select(StaffInvite).where(StaffInvite.code_hash == hash_code(code)).with_for_update())
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None, Refusal.UNKNOWN
    member = await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id))
    if member is not None:
        return None, Refusal.ALREADY_STAFF if member.active else Refusal.DEACTIVATED_STAFF
    if await session.scalar(select(Patient.id).where(Patient.telegram_user_id == telegram_user_id)) is not None:
        return None, Refusal.PATIENT  # one account, one part: a patient's chat never receives staff alerts
    actor = Actor(ActorKind.STAFF, str(telegram_user_id))
    member = await add_staff(
        session, telegram_id=telegram_user_id, name=invite.name, role=invite.role, now=now, actor=actor
    )
    invite.used_at, invite.staff_id = now, member.id
    return member, None
