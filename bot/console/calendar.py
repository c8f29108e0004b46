"""The appointments page: a week in the clinic's time zone with patient names, open reschedule requests on top,
and forms to book one or a series, move, cancel, and mark whether the patient came.

A booking in the past or over the same patient's other booking is shown back with what it clashes with and saved
only when the person ticks "Book anyway"; a refused form keeps what was typed, says what is wrong beside the field,
and saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.appointments import service
from bot.appointments.imports import MAX_MINUTES, MAX_TEXT, MIN_MINUTES
from bot.appointments.messages import label_of
from bot.appointments.schedule import MAX_SERIES, LocalTimeError, series_starts, to_utc
from bot.clinic import ClinicConfig
from bot.console.views import Refused, form_field, language_of, page, path_id, runtime_of, staff_page
from bot.i18n.dates import short_day, short_day_and_time, short_time
from bot.texts import t
from storage.models import Appointment, AppointmentStatus, Patient, PatientStatus

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Form:
    """What was typed into one booking or moving form, what is wrong with it, and what it would clash with."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    appointment_id: int | None = None  # the booking a move form belongs to


@dataclass(frozen=True, slots=True)
class Entry:
    appointment: Appointment
    patient: Patient
    state: str
    begun: bool


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week(request: Request, today: date) -> date:
    text = request.query_params.get("week")
    if not text:
        return monday_of(today)
    try:
        return monday_of(date.fromisoformat(text))
    except ValueError:
        raise Refused(400, "console.error.date") from None


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


async def _page_context(db: AsyncSession, config: ClinicConfig, monday: date, now: datetime) -> dict[str, Any]:
    zone = ZoneInfo(config.clinic.timezone)
    found = await db.execute(
        select(Appointment, Patient)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            Appointment.starts_at >= _midnight(monday, zone),
            Appointment.starts_at < _midnight(monday + timedelta(days=7), zone),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )
    days: dict[date, list[Entry]] = {monday + timedelta(days=n): [] for n in range(7)}
    for appointment, patient in found:
        entry = Entry(appointment, patient, service.appointment_state(appointment), appointment.starts_at <= now)
        days[appointment.starts_at.astimezone(zone).date()].append(entry)
    requests = await db.execute(
        select(Appointment, Patient)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            Appointment.status == AppointmentStatus.SCHEDULED,
            Appointment.reschedule_requested_at.is_not(None),
            Appointment.starts_at > now - timedelta(days=7),
        )
        .order_by(Appointment.reschedule_requested_at)
    )
    patients = await db.scalars(
        select(Patient).where(Patient.status != PatientStatus.DEACTIVATED).order_by(Patient.display_name, Patient.id)
    )
    return {
        "monday": monday,
        "days": days,
        "today": now.astimezone(zone).date(),
        "requests": [Entry(a, p, "reschedule_requested", a.starts_at <= now) for a, p in requests],
        "patients": list(patients),
        "kinds": list(config.appointments.kinds),
        "weekdays": WEEKDAYS,
        "max_series": MAX_SERIES,
        "limits": {"minutes": (MIN_MINUTES, MAX_MINUTES), "text": MAX_TEXT},
    }


def _render(
    request: Request, who: Any, context: dict[str, Any], form: Form | None = None, status: int = 200
) -> HTMLResponse:
    language = language_of(request)
    config = runtime_of(request).clinic
    return page(
        request,
        "appointments.html",
        who,
        status=status,
        form=form or Form(),
        kind_label=lambda kind: label_of(config, kind, language),
        day_label=lambda day: short_day(day, language),
        clock_in=lambda at, zone: short_time(at.astimezone(ZoneInfo(zone)).time(), language),
        wall=lambda at, zone: at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M"),
        timedelta=timedelta,
        **context,
    )


async def appointments(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    now = rt.clock.now()
    monday = _week(request, now.astimezone(ZoneInfo(rt.clinic.clinic.timezone)).date())
    async with staff_page(request) as (db, who, _):
        context = await _page_context(db, rt.clinic, monday, now)
    return _render(request, who, context)


# --- reading a form -----------------------------------------------------------------------------------------


def _text(form: FormData, name: str, problems: Form, language: str) -> str | None:
    value = (form_field(form, name) or "").strip()
    problems.values[name] = value
    if len(value) > MAX_TEXT:
        problems.errors[name] = t("console.appt.error.text", language, max=MAX_TEXT)
    return value or None


def _number(form: FormData, name: str, low: int, high: int, problems: Form, key: str, language: str) -> int | None:
    text = (form_field(form, name) or "").strip()
    problems.values[name] = text
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        problems.errors[name] = t(key, language, low=low, high=high)
        return None
    return int(text)


def _wall_clock(form: FormData, name: str, problems: Form, language: str) -> datetime | None:
    """A datetime-local value ("2026-03-05T10:00") as a naive wall-clock time."""
    text = (form_field(form, name) or "").strip()
    problems.values[name] = text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    # A day alone would be read as midnight: a booking needs its time of day.
    if parsed is None or len(text) <= 10 or parsed.tzinfo is not None or not 2000 <= parsed.year <= 2199:
        problems.errors[name] = t("console.appt.error.at", language)
        return None
    return parsed


def _utc(local: datetime, zone: str, name: str, problems: Form, language: str) -> datetime | None:
    try:
        return to_utc(local, zone)
    except LocalTimeError:
        problems.errors[name] = t("console.appt.error.gap", language, when=f"{local:%Y-%m-%d %H:%M}", zone=zone)
        return None


async def _clashes(
    db: AsyncSession,
    *,
    patient: Patient,
    starts: list[datetime],
    minutes: int,
    config: ClinicConfig,
    now: datetime,
    language: str,
    moving: int | None = None,
) -> list[str]:
    """What a person should see before saving: starts in the past, and overlaps with the patient's bookings."""
    said: list[str] = []
    for starts_at in starts:
        when = short_day_and_time(starts_at, patient.timezone, language)
        for warning in await service.booking_warnings(
            db, patient_id=patient.id, starts_at=starts_at, duration_minutes=minutes, now=now, moving=moving
        ):
            other = warning.other
            said.append(
                t("console.appt.warn.past", language, when=when)
                if other is None
                else t(
                    "console.appt.warn.overlap",
                    language,
                    when=when,
                    label=label_of(config, other.kind, language),
                    other=short_day_and_time(other.starts_at, patient.timezone, language),
                )
            )
    return said


def _back(starts_at: datetime, config: ClinicConfig, anchor: str) -> RedirectResponse:
    day = starts_at.astimezone(ZoneInfo(config.clinic.timezone)).date()
    return RedirectResponse(f"/appointments?week={monday_of(day).isoformat()}#{anchor}", status_code=303)


# --- booking ------------------------------------------------------------------------------------------------


async def book(request: Request) -> Response:
    rt = runtime_of(request)
    config, now = rt.clinic, rt.clock.now()
    async with staff_page(request) as (db, who, form):
        assert form is not None
        language = language_of(request)
        problems = Form()
        patient = await _patient(db, form, problems, language)
        kind = (form_field(form, "kind") or "").strip()
        problems.values["kind"] = kind
        if kind not in config.appointments.kinds:
            problems.errors["kind"] = t("console.appt.error.kind", language)
        first = _wall_clock(form, "at", problems, language)
        minutes = _number(form, "duration", MIN_MINUTES, MAX_MINUTES, problems, "console.appt.error.number", language)
        count = _number(form, "count", 1, MAX_SERIES, problems, "console.appt.error.number", language) or 1
        every = _number(form, "every_days", 1, 90, problems, "console.appt.error.number", language)
        chosen = {WEEKDAYS.index(day) for day in form.getlist("weekdays") if day in WEEKDAYS}
        problems.values["weekdays"] = sorted(chosen)
        location = _text(form, "location", problems, language)
        notes = _text(form, "notes", problems, language)
        if count > 1 and (every is None) == (not chosen):
            problems.errors["count"] = t("console.appt.error.repeat", language)
        starts: list[datetime] = []
        if patient is not None and first is not None and not problems.errors:
            try:
                if count == 1:
                    starts = [to_utc(first, patient.timezone)]
                else:
                    starts = series_starts(first, patient.timezone, count, every_days=every, weekdays=chosen or None)
            except LocalTimeError:
                _utc(first, patient.timezone, "at", problems, language)
        if not problems.errors and patient is not None:
            length = minutes or config.appointments.kinds[kind].duration_minutes
            problems.warnings = await _clashes(
                db, patient=patient, starts=starts, minutes=length, config=config, now=now, language=language
            )
        if problems.errors or (problems.warnings and form_field(form, "force") != "1"):
            today = now.astimezone(ZoneInfo(config.clinic.timezone)).date()
            context = await _page_context(db, config, _week(request, today), now)
            return _render(request, who, context, problems, status=400)
        assert patient is not None
        made = [
            await service.book(
                db,
                patient_id=patient.id,
                kind=kind,
                starts_at=starts_at,
                duration_minutes=minutes,
                location=location,
                notes=notes,
                config=config,
                now=now,
            )
            for starts_at in starts
        ]
    return _back(made[0].starts_at, config, f"appt-{made[0].id}")


async def _patient(db: AsyncSession, form: FormData, problems: Form, language: str) -> Patient | None:
    text = (form_field(form, "patient") or "").strip()
    problems.values["patient"] = text
    found = await db.get(Patient, int(text)) if text.isascii() and text.isdigit() and int(text) < 2**31 else None
    if found is None or found.status is PatientStatus.DEACTIVATED:
        problems.errors["patient"] = t("console.appt.error.patient", language)
        return None
    return found


# --- one booking: move, cancel, mark ------------------------------------------------------------------------


async def change(request: Request) -> Response:
    rt = runtime_of(request)
    config, now = rt.clinic, rt.clock.now()
    action = request.path_params["action"]
    if action not in ("move", "cancel", "attended", "no_show"):
        raise Refused(404, "console.error.not_found")
    appointment_id = path_id(request.path_params["appointment_id"])
    async with staff_page(request) as (db, who, form):
        assert form is not None
        language = language_of(request)
        appointment = await db.get(Appointment, appointment_id)
        if appointment is None:
            raise Refused(404, "console.error.no_appointment")
        patient = await db.get_one(Patient, appointment.patient_id)
        problems = Form(appointment_id=appointment_id)
        if appointment.status is AppointmentStatus.CANCELLED:
            problems.errors["appointment"] = t("console.appt.error.cancelled", language)
        elif action == "move":
            local = _wall_clock(form, "at", problems, language)
            starts_at = _utc(local, patient.timezone, "at", problems, language) if local is not None else None
            if starts_at is not None:
                problems.warnings = await _clashes(
                    db, patient=patient, starts=[starts_at], minutes=appointment.duration_minutes, config=config,
                    now=now, language=language, moving=appointment.id,
                )  # fmt: skip
                if not problems.warnings or form_field(form, "force") == "1":
                    await service.reschedule(
                        db, appointment_id=appointment.id, starts_at=starts_at, config=config, now=now
                    )
        elif action == "cancel":
            await service.cancel(db, appointment_id=appointment.id, now=now)
        elif appointment.starts_at > now:
            problems.errors["appointment"] = t("console.appt.error.not_begun", language)
        else:
            outcome = AppointmentStatus.ATTENDED if action == "attended" else AppointmentStatus.NO_SHOW
            await service.mark_outcome(db, appointment_id=appointment.id, outcome=outcome, now=now)
        if problems.errors or (action == "move" and problems.warnings and form_field(form, "force") != "1"):
            monday = monday_of(appointment.starts_at.astimezone(ZoneInfo(config.clinic.timezone)).date())
            context = await _page_context(db, config, monday, now)
            return _render(request, who, context, problems, status=400)
    return _back(appointment.starts_at, config, f"appt-{appointment.id}")
