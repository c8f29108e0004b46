"""What the console's pages show, read in a few set-based queries (a page costs the same for 10 patients or 1,000).

Plain data out; the routes render it. Times stay UTC here; templates show them in the clinic's or patient's zone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments.messages import label_of
from bot.appointments.service import appointment_state
from bot.checkin.service import DAILY
from bot.clinic import ClinicConfig
from bot.patients import local_today
from bot.questionnaires.instruments import instruments
from bot.questionnaires.service import latest_totals
from bot.safety.detector import Tier
from bot.safety.explain import explain
from storage.models import (
    Appointment,
    AppointmentStatus,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    JournalEntry,
    Patient,
    PatientStatus,
)

TREND_DAYS = 14
ADHERENCE_DAYS = 30
SILENT_DAYS = 3
PER_PAGE = 100
AWAITING_REVIEW = ("no", "unanswered", None)


@dataclass(frozen=True, slots=True)
class AlertRow:
    id: int
    patient_id: int | None
    name: str | None  # the patient's; None for someone not enrolled, who is named by `person` as the alert was
    person: str
    tier: str
    opened_at: datetime
    events: int
    excerpt: str
    why: str


@dataclass(frozen=True, slots=True)
class ReviewRow:
    event_id: int
    patient_id: int | None
    name: str
    detected_at: datetime
    excerpt: str
    answer: str | None
    why: str


@dataclass(frozen=True, slots=True)
class SilentRow:
    patient_id: int
    name: str
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class AppointmentRow:
    id: int
    patient_id: int
    name: str
    label: str
    starts_at: datetime
    state: str


@dataclass
class Today:
    alerts: list[AlertRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    silent: list[SilentRow] = field(default_factory=list)
    appointments: list[AppointmentRow] = field(default_factory=list)
    reschedules: list[AppointmentRow] = field(default_factory=list)


async def today(session: AsyncSession, *, config: ClinicConfig, now: datetime, language: str) -> Today:
    """What needs the staff today; why each alert or question happened is written in `language`."""
    page = Today()
    alerts = (
        await session.execute(
            select(CrisisAlert, Patient.display_name)
            .outerjoin(Patient, Patient.id == CrisisAlert.patient_id)
            .where(CrisisAlert.acknowledged_at.is_(None))
            .order_by(CrisisAlert.opened_at)
        )
    ).all()
    latest: dict[int, CrisisEvent] = {}
    if alerts:
        newest = (
            select(func.max(CrisisEvent.id))
            .where(CrisisEvent.alert_id.in_([a.id for a, _ in alerts]))
            .group_by(CrisisEvent.alert_id)
        )
        for event in await session.scalars(select(CrisisEvent).where(CrisisEvent.id.in_(newest))):
            assert event.alert_id is not None
            latest[event.alert_id] = event
    for alert, name in alerts:
        event = latest.get(alert.id)
        why = (
            explain(rule=event.rule, matched=event.matched, score=event.score, answer=event.answer, language=language)
            if event
            else ""
        )
        page.alerts.append(
            AlertRow(
                alert.id,
                alert.patient_id,
                name,
                alert.person,
                alert.tier,
                alert.opened_at,
                alert.events,
                event.excerpt if event else "",
                why,
            )
        )
    reviews = await session.execute(
        select(CrisisEvent, Patient.display_name)
        .outerjoin(Patient, Patient.id == CrisisEvent.patient_id)
        .where(
            CrisisEvent.tier == Tier.POSSIBLE.value,
            CrisisEvent.reviewed_at.is_(None),
            or_(CrisisEvent.answer.in_(("no", "unanswered")), CrisisEvent.answer.is_(None)),
        )
        .order_by(CrisisEvent.detected_at)
    )
    for event, name in reviews:
        page.reviews.append(
            ReviewRow(
                event.id,
                event.patient_id,
                name or f"Telegram {event.telegram_user_id}",
                event.detected_at,
                event.excerpt,
                event.answer,
                explain(rule=event.rule, matched=event.matched, score=event.score, language=language),
            )
        )
    page.silent = await silent_patients(session, now=now)
    zone = ZoneInfo(config.clinic.timezone)
    day_start = datetime.combine(now.astimezone(zone).date(), datetime.min.time(), zone)
    scheduled = _appointment_query().where(Appointment.status != AppointmentStatus.CANCELLED)
    page.appointments = await _appointments(
        session,
        config,
        scheduled.where(Appointment.starts_at >= day_start, Appointment.starts_at < day_start + timedelta(days=1)),
        language,
    )
    page.reschedules = await _appointments(
        session,
        config,
        scheduled.where(Appointment.reschedule_requested_at.is_not(None), Appointment.starts_at >= now),
        language,
    )
    return page


def _appointment_query() -> Select[tuple[Appointment, str]]:
    return select(Appointment, Patient.display_name).join(Patient, Patient.id == Appointment.patient_id)


async def _appointments(
    session: AsyncSession, config: ClinicConfig, query: Select[tuple[Appointment, str]], language: str
) -> list[AppointmentRow]:
    rows = await session.execute(query.order_by(Appointment.starts_at))
    return [
        AppointmentRow(
            a.id,
            a.patient_id,
            name,
            label_of(config, a.kind, language),
            a.starts_at,
            appointment_state(a),
        )
        for a, name in rows
    ]


async def silent_patients(session: AsyncSession, *, now: datetime, days: int = SILENT_DAYS) -> list[SilentRow]:
    """Active patients, enrolled for `days` days, who have answered no check-in and written nothing in that time;
    longest silent first. Recent activity is read through indexes on its time, not the whole history."""
    cutoff = now - timedelta(days=days)
    recent = union(
        select(CheckIn.patient_id).where(CheckIn.answered_at >= cutoff),
        select(JournalEntry.patient_id).where(JournalEntry.created_at >= cutoff),
    )
    quiet = {
        patient_id: name
        for patient_id, name in await session.execute(
            select(Patient.id, Patient.display_name).where(
                Patient.status == PatientStatus.ACTIVE,
                func.coalesce(Patient.enrolled_at, Patient.created_at) <= cutoff,
                Patient.id.not_in(recent),
            )
        )
    }
    if not quiet:
        return []
    seen: dict[int, datetime] = {}
    for model, column in ((CheckIn, CheckIn.answered_at), (JournalEntry, JournalEntry.created_at)):
        found = await session.execute(
            select(model.patient_id, func.max(column)).where(model.patient_id.in_(quiet)).group_by(model.patient_id)
        )
        for patient_id, at in found:
            if at is not None and (patient_id not in seen or at > seen[patient_id]):
                seen[patient_id] = at
    rows = [SilentRow(patient_id, name, seen.get(patient_id)) for patient_id, name in quiet.items()]
    return sorted(rows, key=lambda row: (row.last_seen is not None, row.last_seen or now))


# --- Patients -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    instrument: str
    title: str
    total: int
    band: str
    change: int | None


@dataclass
class PatientListRow:
    id: int
    name: str
    status: str
    last_mood: int | None = None
    trend: list[int | None] = field(default_factory=list)
    answered: int = 0
    asked: int = 0
    next_appointment: AppointmentRow | None = None
    scores: list[Score] = field(default_factory=list)

    @property
    def adherence(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


@dataclass
class PatientPage:
    rows: list[PatientListRow]
    total: int
    page: int
    pages: int


async def patient_list(
    session: AsyncSession, *, config: ClinicConfig, now: datetime, language: str, search: str = "", page: int = 1
) -> PatientPage:
    """One page of the roster (by name), with each patient's figures; appointment labels in `language`."""
    where = [Patient.status != PatientStatus.INVITED]
    if search.strip():
        where.append(Patient.display_name.ilike(f"%{_like(search.strip())}%", escape="\\"))
    total = await session.scalar(select(func.count()).select_from(Patient).where(*where)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    query = select(Patient).where(*where).order_by(Patient.display_name, Patient.id)
    patients = list(await session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    if not patients:
        return PatientPage([], total, page, pages)
    rows = {p.id: PatientListRow(p.id, p.display_name, p.status.value) for p in patients}
    today_of = {p.id: local_today(p, now) for p in patients}
    earliest = min(today_of.values()) - timedelta(days=ADHERENCE_DAYS)
    scores: dict[int, dict[date, int]] = defaultdict(dict)
    ids = list(rows)
    checkins = await session.execute(
        select(CheckIn.patient_id, CheckIn.local_date, CheckIn.score).where(
            CheckIn.kind == DAILY, CheckIn.local_date >= earliest, CheckIn.patient_id.in_(ids)
        )
    )
    for patient_id, day, score in checkins:
        if day > today_of[patient_id] or day <= today_of[patient_id] - timedelta(days=ADHERENCE_DAYS):
            continue
        row = rows[patient_id]
        row.asked += 1
        if score is not None:
            row.answered += 1
            scores[patient_id][day] = score
    for patient_id, by_day in scores.items():
        rows[patient_id].last_mood = by_day[max(by_day)]
    # Only patients without a score in the window are looked up further back (a few, not the whole table).
    await _older_moods(session, [row for row in rows.values() if row.last_mood is None])
    for patient_id, row in rows.items():
        day = today_of[patient_id]
        row.trend = [scores[patient_id].get(day - timedelta(days=n)) for n in range(TREND_DAYS - 1, -1, -1)]
    upcoming = (
        select(Appointment.patient_id, func.min(Appointment.starts_at).label("at"))
        .where(
            Appointment.starts_at >= now,
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.patient_id.in_(ids),
        )
        .group_by(Appointment.patient_id)
        .subquery()
    )
    is_next = (Appointment.patient_id == upcoming.c.patient_id) & (Appointment.starts_at == upcoming.c.at)
    for appointment in await _appointments(session, config, _appointment_query().join(upcoming, is_next), language):
        row = rows[appointment.patient_id]
        row.next_appointment = row.next_appointment or appointment
    for patient_id, trends in (await latest_totals(session, ids)).items():
        rows[patient_id].scores = [_score(t.instrument, t.latest, t.previous) for t in trends]
    return PatientPage(list(rows.values()), total, page, pages)


async def _older_moods(session: AsyncSession, rows: list[PatientListRow]) -> None:
    if not rows:
        return
    latest_day = (
        select(CheckIn.patient_id, func.max(CheckIn.local_date).label("day"))
        .where(CheckIn.score.is_not(None), CheckIn.patient_id.in_([row.id for row in rows]))
        .group_by(CheckIn.patient_id)
        .subquery()
    )
    found = await session.execute(
        select(CheckIn.patient_id, CheckIn.score)
        .join(latest_day, (CheckIn.patient_id == latest_day.c.patient_id) & (CheckIn.local_date == latest_day.c.day))
        .where(CheckIn.score.is_not(None))
    )
    by_id = {row.id: row for row in rows}
    for patient_id, score in found:
        by_id[patient_id].last_mood = score


def _score(key: str, total: int, previous: int | None) -> Score:
    spec = instruments()[key]
    return Score(key, spec.title, total, spec.band(total).name, None if previous is None else total - previous)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
