"""Exports and erasure as units of work: read or erase a patient's records and leave an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import ERASE, EXPORT, Actor, audit
from bot.clinic import ClinicConfig
from bot.export.collect import collect
from bot.export.formats import Format
from bot.export.model import ExportData
from storage.models import CheckIn, CrisisEvent, JournalEntry, Patient, QuestionnaireResponse

ERASED_EXCERPT = ""


async def export_data(
    session: AsyncSession,
    *,
    patient: Patient,
    config: ClinicConfig,
    fmt: Format,
    actor: Actor,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
    language: str | None = None,
) -> ExportData:
    """The records to export, with an audit row in the same unit of work: no read without its record; written for
    a reader of `language` (None: the patient)."""
    data = await collect(session, patient=patient, config=config, start=start, end=end, now=now, language=language)
    audit(
        session,
        actor=actor,
        patient_id=patient.id,
        action=EXPORT,
        now=now,
        detail={
            "format": fmt.value,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "checkins": len(data.checkins),
            "journal": len(data.journal),
        },
    )
    return data


@dataclass(frozen=True, slots=True)
class Erased:
    journal: int
    checkins: int
    questionnaires: int
    crisis_excerpts: int

    @property
    def total(self) -> int:
        return self.journal + self.checkins + self.questionnaires + self.crisis_excerpts


async def erase_patient_data(session: AsyncSession, *, patient: Patient, actor: Actor, now: datetime) -> Erased:
    """Erase what the patient wrote and answered: journal, check-ins with their notes, questionnaires, and the
    words of crisis messages. The clinic keeps the enrolment, appointments, that crisis events happened (tier,
    time, who acknowledged) and this erasure itself."""
    journal = await session.execute(delete(JournalEntry).where(JournalEntry.patient_id == patient.id))
    checkins = await session.execute(delete(CheckIn).where(CheckIn.patient_id == patient.id))
    questionnaires = await session.execute(
        delete(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
    )
    events = await session.scalars(select(CrisisEvent).where(CrisisEvent.patient_id == patient.id))
    # The excerpt is encrypted, so it cannot be compared in SQL: each event is read and blanked here.
    worded = [event for event in events if event.excerpt != ERASED_EXCERPT]
    for event in worded:
        event.excerpt = ERASED_EXCERPT
    patient.note_checkin_id = None
    patient.note_until = None
    erased = Erased(
        journal=journal.rowcount or 0,  # type: ignore[attr-defined]
        checkins=checkins.rowcount or 0,  # type: ignore[attr-defined]
        questionnaires=questionnaires.rowcount or 0,  # type: ignore[attr-defined]
        crisis_excerpts=len(worded),
    )
    audit(
        session,
        actor=actor,
        patient_id=patient.id,
        action=ERASE,
        now=now,
        detail={
            "journal": erased.journal,
            "checkins": erased.checkins,
            "questionnaires": erased.questionnaires,
            "crisis_excerpts": erased.crisis_excerpts,
        },
    )
    return erased
