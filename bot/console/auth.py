"""Signing in to the console without passwords: one-time links, and sessions kept in the database.

A link's token and a session's token are random; only their SHA-256 is stored, so a copy of the database signs
no one in. A session ends after `IDLE` without a request, after `ABSOLUTE` in any case, at sign-out, and at once
when its staff member is deactivated.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import SIGN_IN, Actor, ActorKind, audit
from storage.models import ConsoleSession, LoginLink, Staff

LINK_VALID = timedelta(minutes=10)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def console_actor(member: Staff) -> Actor:
    return Actor(ActorKind.CONSOLE, str(member.telegram_user_id))


async def issue_link(session: AsyncSession, *, member: Staff, now: datetime) -> tuple[str, datetime]:
    """A new one-time sign-in token for `member`, and when it expires."""
    token = secrets.token_urlsafe(32)
    expires = now + LINK_VALID
    session.add(LoginLink(token_hash=token_hash(token), staff_id=member.id, created_at=now, expires_at=expires))
    return token, expires


class LinkProblem(enum.StrEnum):
    UNKNOWN = "unknown"  # never issued, or forged
    USED = "used"
    EXPIRED = "expired"
    INACTIVE = "inactive"  # the staff member was deactivated


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str  # for the cookie
    member: Staff


async def check_link(
    session: AsyncSession, *, token: str, now: datetime, lock: bool = False
) -> tuple[LoginLink, Staff] | LinkProblem:
    """The link and its staff member if it may still be used, else why not."""
    query = select(LoginLink).where(LoginLink.token_hash == token_hash(token))
    link = await session.scalar(query.with_for_update() if lock else query)
    if link is None:
        return LinkProblem.UNKNOWN
    if link.used_at is not None:
        return LinkProblem.USED
    if link.expires_at <= now:
        return LinkProblem.EXPIRED
    member = await session.get_one(Staff, link.staff_id)
    return (link, member) if member.active else LinkProblem.INACTIVE


async def redeem_link(session: AsyncSession, *, token: str, now: datetime, address: str) -> SignedIn | LinkProblem:
    """Use a link once: a session for its staff member, with an audit row; or why not."""
    checked = await check_link(session, token=token, now=now, lock=True)
    if isinstance(checked, LinkProblem):
        return checked
    link, member = checked
    link.used_at = now
    session_token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=token_hash(session_token),
            staff_id=member.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    audit(session, actor=console_actor(member), patient_id=None, action=SIGN_IN, now=now, detail={"from": address})
    return SignedIn(session_token, member)


@dataclass(frozen=True, slots=True)
class Current:
    """The signed-in staff member of a request."""

    session_id: int
    member: Staff
    csrf_token: str


async def current(session: AsyncSession, *, token: str, now: datetime) -> Current | None:
    """The session behind a cookie's token, if it is still alive; it is kept alive by this request."""
    found = (
        await session.execute(
            select(ConsoleSession, Staff)
            .join(Staff, Staff.id == ConsoleSession.staff_id)
            .where(ConsoleSession.token_hash == token_hash(token), ConsoleSession.ended_at.is_(None))
        )
    ).first()
    if found is None:
        return None
    console, member = found
    if not member.active or now - console.last_seen_at > IDLE or now - console.created_at > ABSOLUTE:
        console.ended_at = now
        return None
    if now - console.last_seen_at >= TOUCH_EVERY:
        console.last_seen_at = now
    return Current(console.id, member, console.csrf_token)


async def end(session: AsyncSession, *, session_id: int, now: datetime) -> None:
    await session.execute(update(ConsoleSession).where(ConsoleSession.id == session_id).values(ended_at=now))
