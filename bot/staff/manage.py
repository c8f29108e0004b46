"""Adding, deactivating and re-roling staff: for the command line and the console alike, each with an audit row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import STAFF_CHANGE, Actor, audit
from bot.i18n.catalogue import LANGUAGES
from storage.models import ConsoleSession, Staff, StaffRole


class StaffError(Exception):
    """A change that cannot be made; its text says why, for the person who asked."""


async def add_staff(
    session: AsyncSession, *, telegram_id: int, name: str, role: StaffRole, now: datetime, actor: Actor
) -> Staff:
    name = " ".join(name.split())
    if telegram_id <= 0:
        raise StaffError("a Telegram user id is a positive number")
    if not name:
        raise StaffError("give a name")
    if await session.scalar(select(Staff.id).where(Staff.telegram_user_id == telegram_id)) is not None:
        raise StaffError(f"Telegram id {telegram_id} is already registered as staff")
    member = Staff(telegram_user_id=telegram_id, name=name[:120], role=role, created_at=now)
    session.add(member)
    await session.flush()
    audit(session, actor=actor, patient_id=None, action=STAFF_CHANGE, now=now, detail=_detail(member, "added"))
    return member


async def _member(session: AsyncSession, staff_id: int) -> Staff:
    member = await session.get(Staff, staff_id, with_for_update=True)
    if member is None:
        raise StaffError(f"there is no staff member #{staff_id}")
    return member


async def _other_admins(session: AsyncSession, member: Staff) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Staff)
            .where(Staff.role == StaffRole.ADMIN, Staff.deactivated_at.is_(None), Staff.id != member.id)
        )
        or 0
    )


async def deactivate(session: AsyncSession, *, staff_id: int, now: datetime, actor: Actor) -> Staff:
    """No more console, staff commands or acknowledgements; open console sessions end at once."""
    member = await _member(session, staff_id)
    if not member.active:
        raise StaffError(f"staff member #{staff_id} is already deactivated")
    if member.role is StaffRole.ADMIN and not await _other_admins(session, member):
        raise StaffError("this is the only active admin; make someone else admin first")
    member.deactivated_at = now
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.staff_id == member.id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    audit(session, actor=actor, patient_id=None, action=STAFF_CHANGE, now=now, detail=_detail(member, "deactivated"))
    return member


async def set_role(session: AsyncSession, *, staff_id: int, role: StaffRole, now: datetime, actor: Actor) -> Staff:
    member = await _member(session, staff_id)
    if not member.active:
        raise StaffError(f"staff member #{staff_id} is deactivated")
    if member.role is StaffRole.ADMIN and role is not StaffRole.ADMIN and not await _other_admins(session, member):
        raise StaffError("this is the only active admin; make someone else admin first")
    if member.role is not role:
        detail = {**_detail(member, "role"), "from": member.role.value, "to": role.value}
        member.role = role
        audit(session, actor=actor, patient_id=None, action=STAFF_CHANGE, now=now, detail=detail)
    return member


async def set_language(
    session: AsyncSession, *, staff_id: int, language: str | None, now: datetime, actor: Actor
) -> Staff:
    """The member's own language for the console and the bot's private replies; None: the clinic's."""
    if language is not None and language not in LANGUAGES:
        raise StaffError(f"the bot speaks {', '.join(LANGUAGES)}, not {language!r}")
    member = await _member(session, staff_id)
    if member.language != language:
        detail = {**_detail(member, "language"), "from": member.language, "to": language}
        member.language = language
        audit(session, actor=actor, patient_id=None, action=STAFF_CHANGE, now=now, detail=detail)
    return member


def _detail(member: Staff, change: str) -> dict[str, object]:
    return {"change": change, "staff_id": member.id, "name": member.name, "role": member.role.value}
