"""What an export holds: one patient's records over a period, as plain data every format renders from.

Instants are UTC; each format shows them in the patient's zone with the offset (`ExportData.local`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    display_name: str
    timezone: str
    country: str
    language: str
    status: str
    created_at: datetime
    enrolled_at: datetime | None
    external_id: str | None = None  # the clinic's record number (MRN)


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    """A daily check-in or an after-infusion follow-up. `status` is answered, missed or open (still answerable)."""

    id: int
    kind: str  # "daily" or "followup"
    local_date: date
    asked_at: datetime
    answered_at: datetime | None
    score: int | None
    status: str
    note: str | None
    note_at: datetime | None
    appointment_id: int | None
    effects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JournalRecord:
    id: int
    created_at: datetime
    edited_at: datetime | None
    text: str
    # For the counselor's review: "past", "other_person", "possible" or "possible:<answer>" (JournalEntry.flag).
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentRecord:
    """`state`: confirmed, reschedule_requested, unconfirmed, cancelled, attended or no_show."""

    id: int
    kind: str
    label: str
    starts_at: datetime
    duration_minutes: int
    location: str | None
    notes: str | None
    state: str
    confirmed_at: datetime | None
    reschedule_requested_at: datetime | None

    @property
    def took_place(self) -> bool:
        """Neither cancelled nor missed: an infusion that counts on the chart."""
        return self.state not in ("cancelled", "no_show")


@dataclass(frozen=True, slots=True)
class CrisisRecord:
    """A crisis event; tier "possible" is a message the bot asked about, `answer` what the patient said."""

    id: int
    detected_at: datetime
    tier: str
    rule: str
    excerpt: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    matched: str | None = None
    score: float | None = None
    answer: str | None = None

    @property
    def alerted(self) -> bool:
        """Staff were alerted (a possible crisis the patient answered no to never was)."""
        return self.tier != "possible"

    @property
    def open(self) -> bool:
        return self.alerted and self.acknowledged_at is None


@dataclass(frozen=True, slots=True)
class QuestionnaireRecord:
    id: int
    instrument: str  # "phq9"
    title: str  # "PHQ-9"
    started_at: datetime
    completed_at: datetime
    answers: tuple[tuple[int, int], ...]  # (item number, score), in item order
    total: int
    band: str


@dataclass(frozen=True, slots=True)
class ErasureRecord:
    """The patient erased their journal; what was erased is gone, that it happened is kept."""

    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class ExportData:
    clinic: str
    generated_at: datetime
    start: date | None  # inclusive local dates; None: from the beginning / up to now
    end: date | None
    profile: Profile
    checkins: tuple[CheckinRecord, ...] = ()
    journal: tuple[JournalRecord, ...] = ()
    appointments: tuple[AppointmentRecord, ...] = ()
    crises: tuple[CrisisRecord, ...] = ()
    questionnaires: tuple[QuestionnaireRecord, ...] = ()
    erasures: tuple[ErasureRecord, ...] = ()
    # The reader's language when it is not the patient's (a counselor's export); None: the patient's.
    language: str | None = None
    record_system: str | None = None  # the clinic file's clinic.record_system
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", ZoneInfo(self.profile.timezone))

    @property
    def reader_language(self) -> str:
        return self.language or self.profile.language

    def local(self, instant: datetime) -> datetime:
        """The instant as the patient's wall-clock time, with its offset."""
        return instant.astimezone(self.zone)

    def local_iso(self, instant: datetime | None) -> str | None:
        return None if instant is None else self.local(instant).isoformat(timespec="seconds")

    @property
    def today(self) -> date:
        """The last day the export covers, in the patient's zone."""
        today = self.local(self.generated_at).date()
        return min(today, self.end) if self.end is not None else today
