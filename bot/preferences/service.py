"""A patient's own settings: check-in time and zone, pausing and resuming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.service import OUTBOX_KIND, replan_for
from bot.timeparse import parse_time, parse_timezone
from storage import outbox
from storage.models import Patient, PatientStatus

MAX_PAUSE_DAYS = 90


@dataclass(frozen=True, slots=True)
class SettingsChange:
    at: time | None = None
    zone: str | None = None
    not_understood: str | None = None

    @property
    def empty(self) -> bool:
        return self.at is None and self.zone is None and self.not_understood is None


def parse_settings(words: list[str]) -> SettingsChange:
    """ "20:00", "8 pm", "Europe/Berlin", "berlin", "new york 7am" — in any order."""
    tokens = [w for w in words if w.strip()]
    at: time | None = None
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        pair = " ".join(tokens[i : i + 2])
        if at is None and i + 1 < len(tokens) and parse_time(pair) is not None:
            at, i = parse_time(pair), i + 2
            continue
        if at is None and parse_time(tokens[i]) is not None:
            at, i = parse_time(tokens[i]), i + 1
            continue
        rest.append(tokens[i])
        i += 1
    if not rest:
        return SettingsChange(at=at)
    zone = parse_timezone(" ".join(rest))
    if zone is None:
        return SettingsChange(at=at, not_understood=" ".join(rest)[:64])
    return SettingsChange(at=at, zone=zone)


async def apply_settings(
    session: AsyncSession, *, patient: Patient, change: SettingsChange, now: datetime, grace: timedelta
) -> None:
    if change.at is not None:
        patient.checkin_time = change.at
    if change.zone is not None:
        patient.timezone = change.zone
    await replan_for(session, patient=patient, now=now, grace=grace)


def parse_pause_days(words: list[str]) -> int | bool | None:
    """None for an open-ended pause, a day count, or False when the words are not a valid count."""
    if not words:
        return None
    try:
        days = int(words[0])
    except ValueError:
        return False
    return days if 1 <= days <= MAX_PAUSE_DAYS else False


async def pause(session: AsyncSession, *, patient: Patient, days: int | None, now: datetime) -> datetime | None:
    patient.status = PatientStatus.PAUSED
    patient.paused_until = now + timedelta(days=days) if days else None
    await outbox.delete_pending(session, patient_id=patient.id, kind=OUTBOX_KIND)
    return patient.paused_until


async def resume(session: AsyncSession, *, patient: Patient, now: datetime, grace: timedelta) -> bool:
    """Whether the patient was paused."""
    was_paused = patient.status is PatientStatus.PAUSED
    patient.status = PatientStatus.ACTIVE
    patient.paused_until = None
    await replan_for(session, patient=patient, now=now, grace=grace)
    return was_paused
