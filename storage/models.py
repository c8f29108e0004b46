"""The relational model. Instants are timezone-aware UTC; local dates and times are the patient's."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from storage.crypto import EncryptedText

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in and out; SQLite drops the zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PatientStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"
    DEACTIVATED = "deactivated"


class StaffRole(enum.StrEnum):
    COUNSELOR = "counselor"
    ADMIN = "admin"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"
    CANCELLED = "cancelled"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # The clinic's own record number (MRN), and an address its calendar invites: how imported events find the patient.
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    timezone: Mapped[str] = mapped_column(String(64))
    checkin_time: Mapped[time] = mapped_column(Time)
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(8))
    # False while the language is only the clinic's default: the patient's Telegram language may then win at /start.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    status: Mapped[PatientStatus] = mapped_column(_enum(PatientStatus, "patient_status"))
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The check-in whose optional note the patient's next text becomes, until the window closes.
    note_checkin_id: Mapped[int | None] = mapped_column(Integer)
    note_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the planner looks at this patient again; None: as soon as it can (new, or something changed).
    next_plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    invites: Mapped[list[Invite]] = relationship(back_populates="patient", cascade="all, delete-orphan")


def _plan_again(target: Patient, value: object, old: object, _initiator: object) -> None:
    """Whatever shapes a patient's plan (who can be reached, when, where) puts them first in the planner's queue."""
    if value != old:
        target.next_plan_at = None


for _attribute in (
    Patient.status,
    Patient.telegram_chat_id,
    Patient.unreachable_since,
    Patient.timezone,
    Patient.checkin_time,
    Patient.enrolled_at,
):
    event.listen(_attribute, "set", _plan_again)


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    patient: Mapped[Patient] = relationship(back_populates="invites")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A deactivated member keeps their history (audit rows, acknowledgements) but may do nothing more.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language of the console and of the bot's private replies to this member; None: the clinic's.
    language: Mapped[str | None] = mapped_column(String(8))

    @property
    def active(self) -> bool:
        return self.deactivated_at is None


class LoginLink(Base):
    """A one-time sign-in link into the console; only a hash of its token is kept."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffInvite(Base):
    """A one-time link that registers whoever opens it in Telegram as staff, with the name and role given."""

    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))


class ConsoleSession(Base):
    """A signed-in staff member's console session; the cookie holds a token whose hash is kept here."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckIn(Base):
    """One mood check-in per patient, kind and local date; answering again changes it."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("patient_id", "kind", "local_date"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 10)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="daily")
    local_date: Mapped[date] = mapped_column(Date)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    note_message_id: Mapped[int | None] = mapped_column(BigInteger)
    note_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After-infusion follow-ups: which infusion, and the after-effects the patient ticked.
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id", ondelete="SET NULL"))
    effects: Mapped[list[str] | None] = mapped_column(JSON)


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("patient_id", "telegram_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    telegram_message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For the counselor's review: "past" (resolved past ideation), "other_person" (worry about someone else),
    # "possible" (the bot asked) and then "possible:<answer>" (yes, no, call, unanswered).
    flag: Mapped[str | None] = mapped_column(String(32))


class OutboxMessage(Base):
    """A message that must go out later. The idempotency key makes planning safe to repeat."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat_sent", "chat_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Meta(Base):
    """Small facts the bot learns at start (its username) that the command line needs."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CrisisAlert(Base):
    """One alert to staff per person in crisis, kept open (and repeated) until someone acknowledges it."""

    __tablename__ = "crisis_alerts"
    __table_args__ = (Index("ix_crisis_alerts_due", "acknowledged_at", "next_alert_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_event_at: Mapped[datetime] = mapped_column(UTCDateTime)
    events: Mapped[int] = mapped_column(Integer, default=1)
    rounds: Mapped[int] = mapped_column(Integer, default=0)
    next_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    acknowledged_by_name: Mapped[str | None] = mapped_column(String(120))
    # [[chat_id, message_id], …] of every alert message, so that acknowledging can update them all.
    staff_messages: Mapped[list[list[int]]] = mapped_column(JSON, default=list)


class CrisisEvent(Base):
    """Each detection: who, what tier, which rule, when; the excerpt is health data and is encrypted."""

    __tablename__ = "crisis_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("crisis_alerts.id", ondelete="SET NULL"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    tier: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(120))
    language: Mapped[str | None] = mapped_column(String(8))
    excerpt: Mapped[str] = mapped_column(EncryptedText)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    matched: Mapped[str | None] = mapped_column(EncryptedText)  # the words a rule matched, shown to staff
    score: Mapped[float | None] = mapped_column(Float)  # the learned layer's crisis probability
    # A possible crisis is asked about: "yes", "no", "call" (the patient would like a call), "unanswered".
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A possible crisis the patient said no to, or did not answer, waits for a counselor's review.
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))


class AppointmentStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    ATTENDED = "attended"  # marked by staff once it has begun
    NO_SHOW = "no_show"


# Bookings that happen or happened: what follow-ups and questionnaire series count.
STANDING = (AppointmentStatus.SCHEDULED, AppointmentStatus.ATTENDED)


class Appointment(Base):
    """An infusion, therapy session or other booking; its reminders are outbox rows keyed by it."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_patient_start", "patient_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(String(500))
    # Where it came from: an iCalendar UID or a CSV key, so that importing again updates instead of adding.
    source_uid: Mapped[str | None] = mapped_column(String(300), unique=True)
    status: Mapped[AppointmentStatus] = mapped_column(
        _enum(AppointmentStatus, "appointment_status"), default=AppointmentStatus.SCHEDULED
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reschedule_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuestionnaireResponse(Base):
    """One sitting of a questionnaire (PHQ-9, GAD-7): answers per item as they come, the total once complete."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (Index("ix_questionnaire_responses_patient_started", "patient_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(16))
    # Why it was asked: "on_demand", "weekly:<local date>", "after_first:<appointment id>", "after_last:<…>".
    trigger: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Item number (1-based, as text: JSON keys are strings) -> the answer's score, 0-3.
    answers: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    total: Mapped[int | None] = mapped_column(Integer)
    # The message showing the current item, so that its buttons can be taken away when it is answered.
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class AuditEvent(Base):
    """Who exported or erased whose health data, and when. Kept when the data itself is erased."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(16))  # see bot/audit.py: export, erase, view, sign_in, …
    actor_kind: Mapped[str] = mapped_column(String(16))  # "staff", "patient", "cli" or "console"
    # A staff member's or patient's Telegram id; the operating-system user for the command line.
    actor: Mapped[str] = mapped_column(String(200))
    # No foreign key: the record of who saw a patient's data outlives any change to the patient's rows. None for
    # acts about no patient (a sign-in, a staff change).
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
