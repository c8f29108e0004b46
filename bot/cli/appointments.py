"""`moodbot appointments …`: book, list, move, cancel and import infusions and therapy sessions."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appointments import service
from bot.appointments.imports import parse_file
from bot.appointments.schedule import LocalTimeError, parse_weekdays, series_starts, to_utc
from bot.cli.common import Env, UserError, date_option, emit_json, fail, load_env, local_moment, with_session
from bot.clock import SystemClock
from bot.timeparse import parse_timezone
from storage.models import Appointment, AppointmentStatus, Patient

app = typer.Typer(help="Book and manage appointments.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]


async def _row(session: AsyncSession, appointment: Appointment) -> dict[str, Any]:
    # The session's identity map answers repeated patients: a list costs one lookup per patient, not per row.
    patient = await session.get_one(Patient, appointment.patient_id)
    local = appointment.starts_at.astimezone(ZoneInfo(patient.timezone))
    return {
        "id": appointment.id,
        "patient_id": appointment.patient_id,
        "patient_name": patient.display_name,
        "kind": appointment.kind,
        "starts_at": appointment.starts_at.isoformat(),
        "timezone": patient.timezone,
        "starts_local": local.isoformat(),
        "duration_minutes": appointment.duration_minutes,
        "location": appointment.location,
        "notes": appointment.notes,
        "status": appointment.status.value,
        "confirmed_at": appointment.confirmed_at.isoformat() if appointment.confirmed_at else None,
        "reschedule_requested_at": (
            appointment.reschedule_requested_at.isoformat() if appointment.reschedule_requested_at else None
        ),
        "source_uid": appointment.source_uid,
    }


def _local(value: str, option: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"not an ISO date and time: {value!r}; use e.g. 2026-03-05T10:00", param_hint=option
        ) from None
    if parsed.tzinfo is not None:
        raise typer.BadParameter(
            "give the local time without an offset, and the zone with --timezone", param_hint=option
        )
    return parsed


def _zone(value: str | None) -> str | None:
    if value is None:
        return None
    zone = parse_timezone(value)
    if zone is None:
        raise typer.BadParameter(
            f"unknown time zone {value!r}; use an IANA name such as Europe/Berlin", param_hint="--timezone"
        )
    return zone


async def _patient_zone(session: AsyncSession, patient_id: int, zone: str | None) -> str:
    patient = await session.get(Patient, patient_id)
    if patient is None:
        raise UserError(f"no patient with id {patient_id} (see: moodbot patients list)")
    return zone or patient.timezone


def _utc(local: datetime, zone: str) -> datetime:
    try:
        return to_utc(local, zone)
    except LocalTimeError as exc:
        raise UserError(str(exc)) from None


def _print(rows: list[dict[str, Any]], as_json: bool, single: bool = False) -> None:
    if as_json:
        emit_json(rows[0] if single else rows)
        return
    # Staff read times as the patient lives them; --json keeps UTC beside the local time for scripts.
    table = Table("id", "patient", "kind", "starts (patient's time)", "minutes", "location", "status", "confirmed")
    for r in rows:
        local = local_moment(datetime.fromisoformat(r["starts_at"]), r["timezone"])
        table.add_row(
            str(r["id"]), f"{r['patient_name']} (#{r['patient_id']})", r["kind"],
            local, str(r["duration_minutes"]),
            r["location"] or "", r["status"], "yes" if r["confirmed_at"] else "",
        )  # fmt: skip
    Console().print(table)


ForceFlag = Annotated[bool, typer.Option("--force", help="Book even in the past or over the patient's booking.")]


async def _refuse_unconfirmed(
    session: AsyncSession, env: Env, now: datetime, *, force: bool, patient_id: int, kind: str,
    starts_at: datetime, duration_minutes: int | None, moving: int | None = None,
) -> None:  # fmt: skip
    """A booking in the past or over the patient's other booking is a slip more often than a wish: say so."""
    known = env.clinic.appointments.kinds.get(kind)
    if force or (duration_minutes is None and known is None):
        return  # an unknown kind is refused by the booking itself, with the kinds the clinic knows
    patient = await session.get_one(Patient, patient_id)
    minutes = duration_minutes or (known.duration_minutes if known else 0)
    warnings = await service.booking_warnings(
        session, patient_id=patient_id, starts_at=starts_at, duration_minutes=minutes, now=now, moving=moving
    )
    if not warnings:
        return

    def when(at: datetime) -> str:
        return local_moment(at, patient.timezone)

    lines = [
        f"{when(starts_at)} is in the past"
        if w.other is None
        else f"{when(starts_at)} overlaps appointment {w.other.id} ({w.other.kind}, {when(w.other.starts_at)}, "
        f"{w.other.duration_minutes} min)"
        for w in warnings
    ]
    raise UserError("; ".join(lines) + "; add --force to book it anyway")


async def _book(session: AsyncSession, env: Env, now: datetime, *, force: bool, **fields: Any) -> dict[str, Any]:
    try:
        await _refuse_unconfirmed(
            session, env, now, force=force, patient_id=fields["patient_id"], kind=fields["kind"],
            starts_at=fields["starts_at"], duration_minutes=fields["duration_minutes"],
        )  # fmt: skip
        return await _row(session, await service.book(session, config=env.clinic, now=now, **fields))
    except service.BookingError as exc:
        raise UserError(str(exc)) from None


@app.command("add")
def add(
    patient: Annotated[int, typer.Option("--patient", help="Patient id.")],
    kind: Annotated[str, typer.Option("--kind", help="infusion, therapy, or a kind from the clinic file.")],
    at: Annotated[str, typer.Option("--at", help="Local start, e.g. 2026-03-05T10:00.")],
    timezone: Annotated[str | None, typer.Option("--timezone", help="Zone of --at; the patient's by default.")] = None,
    duration: Annotated[int | None, typer.Option("--duration", min=5, max=1440, help="Minutes.")] = None,
    location: Annotated[str | None, typer.Option("--location")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    as_json: JsonFlag = False,
    force: ForceFlag = False,
) -> None:
    """Book one appointment; reminders are planned at once."""
    env = load_env()
    local, zone = _local(at, "--at"), _zone(timezone)
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        starts_at = _utc(local, await _patient_zone(session, patient, zone))
        return await _book(
            session, env, now, force=force, patient_id=patient, kind=kind.lower(), starts_at=starts_at,
            duration_minutes=duration, location=location, notes=notes,
        )  # fmt: skip

    _print([with_session(env, work)], as_json, single=True)


@app.command("add-series")
def add_series(
    patient: Annotated[int, typer.Option("--patient")],
    kind: Annotated[str, typer.Option("--kind")],
    start: Annotated[str, typer.Option("--start", help="Local start of the first, e.g. 2026-03-02T09:00.")],
    count: Annotated[int, typer.Option("--count", min=1, max=52)],
    every_days: Annotated[int | None, typer.Option("--every-days", min=1, max=90)] = None,
    weekdays: Annotated[str | None, typer.Option("--weekdays", help="e.g. mon,wed,fri")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone")] = None,
    duration: Annotated[int | None, typer.Option("--duration", min=5, max=1440)] = None,
    location: Annotated[str | None, typer.Option("--location")] = None,
    as_json: JsonFlag = False,
    force: ForceFlag = False,
) -> None:
    """Book a series (e.g. six infusions) in one go: every N days or on given weekdays."""
    env = load_env()
    first, zone = _local(start, "--start"), _zone(timezone)
    if (every_days is None) == (weekdays is None):
        fail("give either --every-days N or --weekdays mon,wed,fri")
    try:
        days = parse_weekdays(weekdays) if weekdays else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--weekdays") from None
    now = SystemClock().now()

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        the_zone = await _patient_zone(session, patient, zone)
        try:
            starts = series_starts(first, the_zone, count, every_days=every_days, weekdays=days)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return [
            await _book(
                session,
                env,
                now,
                force=force,
                patient_id=patient,
                kind=kind.lower(),
                starts_at=starts_at,
                duration_minutes=duration,
                location=location,
                notes=None,
            )
            for starts_at in starts
        ]

    _print(with_session(env, work), as_json)


@app.command("list")
def list_(
    patient: Annotated[int | None, typer.Option("--patient")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD (UTC)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD (UTC), inclusive")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List appointments."""
    env = load_env()
    bounds = [date_option(from_, "--from"), date_option(to, "--to")]

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        query = select(Appointment).order_by(Appointment.starts_at)
        if patient is not None:
            query = query.where(Appointment.patient_id == patient)
        if bounds[0]:
            query = query.where(Appointment.starts_at >= datetime.combine(bounds[0], time(0), tzinfo=UTC))
        if bounds[1]:
            query = query.where(Appointment.starts_at < datetime.combine(bounds[1], time.max, tzinfo=UTC))
        return [await _row(session, a) for a in await session.scalars(query)]

    _print(with_session(env, work), as_json)


@app.command("reschedule")
def reschedule(
    appointment_id: int,
    at: Annotated[str, typer.Option("--at", help="New local start.")],
    timezone: Annotated[str | None, typer.Option("--timezone")] = None,
    as_json: JsonFlag = False,
    force: ForceFlag = False,
) -> None:
    """Move an appointment; reminders still pending are re-planned."""
    env = load_env()
    local, zone = _local(at, "--at"), _zone(timezone)
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            current = await service.get_appointment(session, appointment_id)
            starts_at = _utc(local, await _patient_zone(session, current.patient_id, zone))
            await _refuse_unconfirmed(
                session, env, now, force=force, patient_id=current.patient_id, kind=current.kind,
                starts_at=starts_at, duration_minutes=current.duration_minutes, moving=current.id,
            )  # fmt: skip
            return await _row(
                session,
                await service.reschedule(
                    session, appointment_id=appointment_id, starts_at=starts_at, config=env.clinic, now=now
                ),
            )
        except service.BookingError as exc:
            raise UserError(str(exc)) from None

    _print([with_session(env, work)], as_json, single=True)


@app.command("cancel")
def cancel(appointment_id: int, as_json: JsonFlag = False) -> None:
    """Cancel an appointment; its pending reminders are withdrawn."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            return await _row(session, await service.cancel(session, appointment_id=appointment_id, now=now))
        except service.BookingError as exc:
            raise UserError(str(exc)) from None

    _print([with_session(env, work)], as_json, single=True)


class Mark(enum.StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no-show"


@app.command("mark")
def mark(
    appointment_id: int,
    outcome: Annotated[Mark, typer.Argument(help="attended or no-show, once the appointment has begun.")],
    as_json: JsonFlag = False,
) -> None:
    """Record whether the patient came; a no-show's follow-up message is withdrawn."""
    env = load_env()
    now = SystemClock().now()
    status = AppointmentStatus.ATTENDED if outcome is Mark.ATTENDED else AppointmentStatus.NO_SHOW

    async def work(session: AsyncSession) -> dict[str, Any]:
        try:
            marked = await service.mark_outcome(session, appointment_id=appointment_id, outcome=status, now=now)
        except service.BookingError as exc:
            raise UserError(str(exc)) from None
        return await _row(session, marked)

    _print([with_session(env, work)], as_json, single=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .csv or .ics file.")],
    match: Annotated[
        bool,
        typer.Option(
            "--match",
            help="Find each event's patient by attendee e-mail, record number or name, and its kind by keywords, "
            "where the file has no patient id or category (Google Calendar, Outlook).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import a CSV or iCalendar file. Importing again changes nothing; any bad row means nothing is imported."""
    env = load_env()
    kinds = env.clinic.appointments.kinds
    now = SystemClock().now()

    async def work(session: AsyncSession) -> service.ImportReport:
        rows, errors = parse_file(
            file,
            kinds=list(kinds),
            default_timezone=env.clinic.clinic.timezone,
            default_durations={name: kind.duration_minutes for name, kind in kinds.items()},
            match=await service.matching_for(session, env.clinic) if match else None,
        )
        return await service.import_appointments(session, rows=rows, config=env.clinic, now=now, bad_rows=errors)

    with Progress(transient=True, console=Console(stderr=True)) as progress:
        progress.add_task(f"importing {file.name}", total=None)
        report = with_session(env, work)
    if report.errors:
        lines = [f"{file}: line {e.line}: {e.reason}" for e in report.errors]
        if as_json:
            emit_json({"imported": False, "errors": [{"line": e.line, "reason": e.reason} for e in report.errors]})
        Console(stderr=True).print("\n".join(lines), highlight=False, soft_wrap=True)
        fail(f"nothing was imported: {len(report.errors)} bad row(s)")
    summary = {
        "imported": True,
        **{k: report.counts.get(k, 0) for k in ("created", "updated", "unchanged", "cancelled")},
    }
    if as_json:
        emit_json(summary)
    else:
        Console().print(
            f"{summary['created']} created, {summary['updated']} updated, {summary['unchanged']} unchanged, "
            f"{summary['cancelled']} cancelled.",
            highlight=False,
        )
