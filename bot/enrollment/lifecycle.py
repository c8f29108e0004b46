"""A patient's life with the clinic after the invite: corrected, deactivated, brought back. The command line and
the console both come here, so a change means the same wherever it is made."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.service import replan_patient
from bot.audit import PATIENT_CHANGE, Actor, audit
from bot.checkin.service import replan_for
from bot.clinic import ClinicConfig
from bot.reachability import reachable_again
from storage import outbox
from storage.models import Invite, Patient, PatientStatus

# Why a deactivated patient's planned messages were withdrawn: a reactivation plans those keys again.
DEACTIVATED = "patient deactivated"


class Keep(enum.Enum):
    KEEP = "keep"


KEEP = Keep.KEEP


class ChangeRefused(ValueError):
    """A change that cannot be made; the message says why, in English (the console words its own)."""


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """What to change; None (or KEEP, where None means "remove") leaves a field as it is."""

    name: str | None = None
    timezone: str | None = None
    checkin_time: time | None = None
    country: str | None = None
    language: str | None = None
    external_id: str | Keep | None = KEEP
    email: str | Keep | None = KEEP


async def record_holder(session: AsyncSession, record: str, *, other_than: int | None = None) -> Patient | None:
    """The patient who has this record number (any case), other than `other_than`."""
    return await session.scalar(
        select(Patient).where(func.lower(Patient.external_id) == record.lower(), Patient.id != (other_than or 0))
    )


def _grace(config: ClinicConfig) -> timedelta:
    return timedelta(hours=config.clinic.checkin_grace_hours)


def audit_patient(
    session: AsyncSession,
    *,
    actor: Actor,
    patient: Patient,
    change: str,
    now: datetime,
    fields: list[str] | None = None,
) -> None:
    """Who did what to whose record; the fields changed are named, never their values."""
    detail: dict[str, str] = {"change": change, **({"fields": ",".join(fields)} if fields else {})}
    audit(session, actor=actor, patient_id=patient.id, action=PATIENT_CHANGE, now=now, detail=detail)


async def edit_patient(
    session: AsyncSession,
    patient: Patient,
    change: ProfileChange,
    *,
    config: ClinicConfig,
    now: datetime,
    actor: Actor,
) -> None:
    """Apply `change`; an active patient's check-ins and reminders are planned again at once when a time zone or
    check-in time is given."""
    if isinstance(change.external_id, str):
        holder = await record_holder(session, change.external_id, other_than=patient.id)
        if holder is not None:
            raise ChangeRefused(f"record number {change.external_id!r} is already patient #{holder.id} "
                                f"{holder.display_name}'s")  # fmt: skip
    if change.external_id is not KEEP:
        patient.external_id = change.external_id
    if change.email is not KEEP:
        patient.email = change.email
    before = _fields(patient)
    patient.display_name = change.name or patient.display_name
    patient.country = change.country or patient.country
    if change.language is not None:
        patient.language, patient.language_chosen = change.language, True
    times_given = change.timezone is not None or change.checkin_time is not None
    patient.timezone = change.timezone or patient.timezone
    patient.checkin_time = change.checkin_time or patient.checkin_time
    if times_given and patient.status is PatientStatus.ACTIVE:
        # Check-ins, and reminders kept out of the patient's night, are planned again in the new local time.
        await replan_for(session, patient=patient, now=now, grace=_grace(config))
        await replan_patient(session, patient_id=patient.id, config=config, now=now)
    after = _fields(patient)
    changed = [name for name in before if before[name] != after[name]]
    if changed:
        audit_patient(session, actor=actor, patient=patient, change="edited", now=now, fields=changed)


def _fields(patient: Patient) -> dict[str, object]:
    return {
        "name": patient.display_name,
        "timezone": patient.timezone,
        "checkin_time": patient.checkin_time,
        "country": patient.country,
        "language": patient.language,
        "external_id": patient.external_id,
        "email": patient.email,
    }


async def deactivate_patient(session: AsyncSession, patient: Patient, *, now: datetime, actor: Actor) -> None:
    """No more messages; the records stay for the clinic, and open invites stop working."""
    if patient.status is PatientStatus.DEACTIVATED:
        raise ChangeRefused(f"patient {patient.id} is already deactivated")
    patient.status = PatientStatus.DEACTIVATED
    patient.paused_until = None
    await outbox.cancel_pending(session, patient_id=patient.id, reason=DEACTIVATED)
    for open_invite in await session.scalars(
        select(Invite).where(Invite.patient_id == patient.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
    ):
        open_invite.revoked_at = now
    audit_patient(session, actor=actor, patient=patient, change="deactivated", now=now)


async def reactivate_patient(
    session: AsyncSession, patient: Patient, *, config: ClinicConfig, now: datetime, actor: Actor
) -> None:
    """Messages start again; one who never joined goes back to invited (and needs a fresh invite)."""
    if patient.status is not PatientStatus.DEACTIVATED:
        raise ChangeRefused(f"patient {patient.id} is not deactivated (status: {patient.status.value})")
    audit_patient(session, actor=actor, patient=patient, change="reactivated", now=now)
    if patient.telegram_user_id is None:
        patient.status = PatientStatus.INVITED
        return
    patient.status = PatientStatus.ACTIVE
    await outbox.forget_cancelled(session, patient_id=patient.id, reason=DEACTIVATED)
    await reachable_again(session, patient=patient, config=config, now=now, grace=_grace(config))
