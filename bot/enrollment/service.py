"""Enrolment: patients are created by the clinic, invited with a single-use code, and bound on consent."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, Patient, PatientStatus

# 18 random bytes → 24 characters of [A-Za-z0-9_-], inside Telegram's 64-character start-parameter rules.
_CODE_BYTES = 18


def new_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def consent_tag(invite: Invite) -> str:
    """Part of the code's hash: a consent button only works for someone who held the code."""
    return invite.code_hash[:16]


class InviteProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    PATIENT_INACTIVE = "patient_inactive"
    ACCOUNT_TAKEN = "account_taken"


@dataclass(frozen=True, slots=True)
class InviteCheck:
    invite: Invite | None
    problem: InviteProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def create_patient(
    session: AsyncSession,
    *,
    name: str,
    timezone: str,
    checkin_time: time,
    country: str,
    language: str,
    now: datetime,
    language_chosen: bool = True,
    external_id: str | None = None,
    email: str | None = None,
) -> Patient:
    """A new patient, invited. `language_chosen=False`: the clinic's default, which the patient's Telegram language
    replaces at enrolment when the bot speaks it."""
    patient = Patient(
        display_name=name,
        external_id=external_id,
        email=email,
        timezone=timezone,
        checkin_time=checkin_time,
        country=country.upper(),
        language=language,
        language_chosen=language_chosen,
        status=PatientStatus.INVITED,
        created_at=now,
    )
    session.add(patient)
    await session.flush()
    return patient


async def issue_invite(session: AsyncSession, *, patient: Patient, now: datetime, days: int) -> tuple[Invite, str]:
    """A fresh code; earlier unused codes of the patient stop working."""
    await session.execute(
        update(Invite)
        .where(Invite.patient_id == patient.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = new_code()
    invite = Invite(
        patient_id=patient.id,
        code_hash=hash_code(code),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invite)
    await session.flush()
    return invite, code


def _problem(invite: Invite, patient: Patient, now: datetime) -> InviteProblem | None:
    if invite.used_at is not None:
        return InviteProblem.USED
    if invite.revoked_at is not None:
        return InviteProblem.REVOKED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    if patient.status is PatientStatus.DEACTIVATED or patient.telegram_user_id is not None:
        return InviteProblem.PATIENT_INACTIVE
    return None


async def check_code(session: AsyncSession, *, code: str, now: datetime) -> InviteCheck:
    if not code or len(code) > 64:
        return InviteCheck(None, InviteProblem.UNKNOWN)
    invite = await session.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
    if invite is None:
        return InviteCheck(None, InviteProblem.UNKNOWN)
    patient = await session.get_one(Patient, invite.patient_id)
    return InviteCheck(invite, _problem(invite, patient, now))


async def accept_consent(
    session: AsyncSession, *, invite_id: int, tag: str, telegram_user_id: int, chat_id: int, now: datetime
) -> tuple[Patient | None, InviteProblem | None]:
    """Bind the Telegram account to the invited patient; the code is spent."""
    invite = await session.get(Invite, invite_id, with_for_update=True)
    if invite is None or not secrets.compare_digest(consent_tag(invite), tag):
        return None, InviteProblem.UNKNOWN
    patient = await session.get_one(Patient, invite.patient_id)
    problem = _problem(invite, patient, now)
    if problem is not None:
        return None, problem
    taken = await session.scalar(select(Patient.id).where(Patient.telegram_user_id == telegram_user_id))
    if taken is not None:
        return None, InviteProblem.ACCOUNT_TAKEN
    invite.used_at = now
    patient.telegram_user_id = telegram_user_id
    patient.telegram_chat_id = chat_id
    patient.status = PatientStatus.ACTIVE
    patient.enrolled_at = now
    patient.unreachable_since = None
    return patient, None


async def valid_consent_invite(session: AsyncSession, *, invite_id: int, tag: str, now: datetime) -> bool:
    invite = await session.get(Invite, invite_id)
    if invite is None or not secrets.compare_digest(consent_tag(invite), tag):
        return False
    patient = await session.get_one(Patient, invite.patient_id)
    return _problem(invite, patient, now) is None
