"""`moodbot patients …`: enrol, list, show, edit, re-invite, deactivate and reactivate patients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import identifiers
from bot.cli.common import Env, UserError, cli_actor, emit_json, fail, load_env, local_moment, with_session
from bot.cli.links import bot_username, print_invite
from bot.clock import SystemClock
from bot.enrollment import profile
from bot.enrollment.lifecycle import (
    KEEP,
    ChangeRefused,
    ProfileChange,
    audit_patient,
    deactivate_patient,
    edit_patient,
    reactivate_patient,
    record_holder,
)
from bot.enrollment.service import create_patient, issue_invite
from bot.invite_links import start_link
from storage.models import CheckIn, Invite, JournalEntry, Patient, PatientStatus

app = typer.Typer(help="Enrol and manage patients.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]


def _profile(patient: Patient) -> dict[str, Any]:
    return {
        "id": patient.id,
        "name": patient.display_name,
        "external_id": patient.external_id,
        "email": patient.email,
        "status": patient.status.value,
        "timezone": patient.timezone,
        "checkin_time": patient.checkin_time.strftime("%H:%M"),
        "country": patient.country,
        "language": patient.language,
        "telegram_linked": patient.telegram_user_id is not None,
        "created_at": patient.created_at.isoformat(),
        "enrolled_at": patient.enrolled_at.isoformat() if patient.enrolled_at else None,
        "paused_until": patient.paused_until.isoformat() if patient.paused_until else None,
    }


async def _invite_fields(session: AsyncSession, env: Env, patient: Patient, now: datetime) -> dict[str, Any]:
    invite, code = await issue_invite(session, patient=patient, now=now, days=env.clinic.clinic.invite_days)
    username = await bot_username(session, env)
    return {
        "invite_code": code,
        "invite_link": start_link(username, code),
        "invite_expires_at": invite.expires_at.isoformat(),
        "invite_expires_local": local_moment(invite.expires_at, patient.timezone),
        "bot_username_known": username is not None,
    }


async def _get_patient(session: AsyncSession, patient_id: int) -> Patient:
    patient = await session.get(Patient, patient_id)
    if patient is None:
        raise UserError(f"no patient with id {patient_id} (see: moodbot patients list)")
    return patient


T = TypeVar("T")


def _checked(check: Callable[[str], T], value: str, option: str) -> T:
    """A profile check from bot.enrollment.profile, its complaint shown as the option's."""
    try:
        return check(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


ExternalIdOption = Annotated[
    str | None,
    typer.Option("--external-id", help="The clinic's record number (MRN); an empty value removes it."),
]
EmailOption = Annotated[
    str | None,
    typer.Option("--email", help="An address the clinic's calendar invites; an empty value removes it."),
]


def _print_invite(result: dict[str, Any]) -> None:
    print_invite(
        f"Patient #{result['id']} {result['name']}",
        result["invite_link"],
        f"Expires: {result['invite_expires_local']} (the patient's time)",
        bot_known=result["bot_username_known"],
    )


@app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="Display name the bot uses.")],
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA zone or city; clinic default.")] = None,
    checkin_time: Annotated[str | None, typer.Option("--checkin-time", help="HH:MM; clinic default.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO country code for hotlines.")] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="en, es, de or fr; else Telegram's, else the clinic's."),
    ] = None,
    external_id: ExternalIdOption = None,
    email: EmailOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a patient and print their invite link."""
    env = load_env()
    name = _checked(profile.name, name, "--name")
    record = _checked(identifiers.external_id, external_id, "--external-id") if external_id is not None else None
    address = _checked(identifiers.email, email, "--email") if email is not None else None
    zone = _checked(profile.zone, timezone, "--timezone") if timezone else env.clinic.clinic.timezone
    at = _checked(profile.checkin_time, checkin_time, "--checkin-time") if checkin_time else None
    code = _checked(profile.country, country or env.clinic.clinic.country, "--country")
    lang = _checked(profile.language, language, "--language") if language is not None else env.clinic.clinic.language
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        if record is not None and (holder := await record_holder(session, record)) is not None:
            raise UserError(f"record number {record!r} is already patient #{holder.id} {holder.display_name}'s")
        patient = await create_patient(
            session,
            name=name,
            external_id=record,
            email=address,
            timezone=zone,
            checkin_time=at or env.clinic.clinic.checkin_time,
            country=code,
            language=lang,
            language_chosen=language is not None,
            now=now,
        )
        audit_patient(session, actor=cli_actor(), patient=patient, change="added", now=now)
        return {**_profile(patient), **await _invite_fields(session, env, patient, now)}

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        _print_invite(result)


@app.command("invite")
def invite(patient_id: int, as_json: JsonFlag = False) -> None:
    """Issue a fresh invite code (earlier unused codes stop working)."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        patient = await _get_patient(session, patient_id)
        if patient.status is PatientStatus.DEACTIVATED:
            raise UserError(f"patient {patient_id} is deactivated")
        if patient.telegram_user_id is not None:
            raise UserError(f"patient {patient_id} is already linked to a Telegram account")
        audit_patient(session, actor=cli_actor(), patient=patient, change="invited", now=now)
        return {**_profile(patient), **await _invite_fields(session, env, patient, now)}

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        _print_invite(result)


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """List every patient."""
    env = load_env()

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [_profile(p) for p in await session.scalars(select(Patient).order_by(Patient.id))]

    rows = with_session(env, work)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "name", "record no.", "status", "check-in", "time zone", "country")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["name"],
            row["external_id"] or "",
            row["status"],
            row["checkin_time"],
            row["timezone"],
            row["country"],
        )
    Console().print(table)


@app.command("show")
def show(patient_id: int, as_json: JsonFlag = False) -> None:
    """One patient's profile and a count of what is kept."""
    env = load_env()

    async def work(session: AsyncSession) -> dict[str, Any]:
        patient = await _get_patient(session, patient_id)
        checkins = await session.scalar(
            select(func.count()).where(CheckIn.patient_id == patient_id, CheckIn.score.is_not(None))
        )
        entries = await session.scalar(select(func.count()).where(JournalEntry.patient_id == patient_id))
        last = await session.scalar(
            select(func.max(CheckIn.local_date)).where(CheckIn.patient_id == patient_id, CheckIn.score.is_not(None))
        )
        open_invites = await session.scalar(
            select(func.count()).where(
                Invite.patient_id == patient_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
            )
        )
        return {
            **_profile(patient),
            "answered_checkins": checkins,
            "journal_entries": entries,
            "last_checkin_date": last.isoformat() if last else None,
            "open_invites": open_invites,
        }

    result = with_session(env, work)
    if as_json:
        emit_json(result)
        return
    table = Table("field", "value", show_header=False)
    for key, value in result.items():
        table.add_row(key, "" if value is None else str(value))
    Console().print(table)


@app.command("deactivate")
def deactivate(patient_id: int, as_json: JsonFlag = False) -> None:
    """Stop all messages to a patient; their records stay for the clinic."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        patient = await _get_patient(session, patient_id)
        try:
            await deactivate_patient(session, patient, now=now, actor=cli_actor())
        except ChangeRefused as exc:
            raise UserError(str(exc)) from None
        return _profile(patient)

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        Console().print(f"Patient #{result['id']} {result['name']} is deactivated.", highlight=False)


@app.command("edit")
def edit(
    patient_id: int,
    name: Annotated[str | None, typer.Option("--name")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA zone or city.")] = None,
    checkin_time: Annotated[str | None, typer.Option("--checkin-time", help="HH:MM.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO country code for hotlines.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="en, es, de or fr.")] = None,
    external_id: ExternalIdOption = None,
    email: EmailOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Correct a patient's name, time zone, check-in time, country, language, record number or e-mail; their
    messages follow at once."""
    env = load_env()
    if all(value is None for value in (name, timezone, checkin_time, country, language, external_id, email)):
        fail(
            "nothing to change: give --name, --timezone, --checkin-time, --country, --language, --external-id "
            "or --email"
        )
    change = ProfileChange(
        name=_checked(profile.name, name, "--name") if name is not None else None,
        timezone=_checked(profile.zone, timezone, "--timezone") if timezone is not None else None,
        checkin_time=_checked(profile.checkin_time, checkin_time, "--checkin-time") if checkin_time else None,
        country=_checked(profile.country, country, "--country") if country is not None else None,
        language=_checked(profile.language, language, "--language") if language is not None else None,
        external_id=KEEP if external_id is None else _checked(identifiers.external_id, external_id, "--external-id"),
        email=_checked(identifiers.email, email, "--email") if email is not None else KEEP,
    )
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        patient = await _get_patient(session, patient_id)
        try:
            await edit_patient(session, patient, change, config=env.clinic, now=now, actor=cli_actor())
        except ChangeRefused as exc:
            raise UserError(str(exc)) from None
        return _profile(patient)

    result = with_session(env, work)
    if as_json:
        emit_json(result)
    else:
        Console().print(f"Patient #{result['id']} {result['name']} is updated.", highlight=False)


@app.command("reactivate")
def reactivate(patient_id: int, as_json: JsonFlag = False) -> None:
    """Start messages again for a deactivated patient; one who never joined needs a fresh invite."""
    env = load_env()
    now = SystemClock().now()

    async def work(session: AsyncSession) -> dict[str, Any]:
        patient = await _get_patient(session, patient_id)
        try:
            await reactivate_patient(session, patient, config=env.clinic, now=now, actor=cli_actor())
        except ChangeRefused as exc:
            raise UserError(str(exc)) from None
        return _profile(patient)

    result = with_session(env, work)
    if as_json:
        emit_json(result)
        return
    Console().print(f"Patient #{result['id']} {result['name']} is {result['status']} again.", highlight=False)
    if result["status"] == PatientStatus.INVITED:
        Console().print(f"They have not joined yet: moodbot patients invite {result['id']}", highlight=False)
