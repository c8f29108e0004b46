"""Patients' lifecycle in the console: add one (the invite link, a printable QR code and a message ready to send),
correct the profile, a fresh invite, deactivate and reactivate. The rules are bot.enrollment's, as on the command
line; a refused form keeps what was typed, says what is wrong beside the field and saves nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

import segno
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot import identifiers
from bot.console.auth import console_actor
from bot.console.views import Refused, form_field, language_of, page, path_id, runtime_of, staff_page
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
from bot.i18n.dates import local_day_and_time
from bot.invite_links import known_bot_username, start_link
from bot.texts import t
from storage.models import Patient, PatientStatus

# Each field: how it is checked, and the words shown beside it when the check fails.
CHECKS: dict[str, tuple[Callable[[str], Any], str]] = {
    "name": (profile.name, "console.profile.error.name"),
    "timezone": (profile.zone, "console.profile.error.timezone"),
    "checkin_time": (profile.checkin_time, "console.profile.error.checkin_time"),
    "country": (profile.country, "console.profile.error.country"),
    "language": (profile.language, "console.profile.error.language"),
    "external_id": (identifiers.external_id, "console.profile.error.external_id"),
    "email": (identifiers.email, "console.profile.error.email"),
}


def _read(form: FormData, language: str) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """What was typed, what it means, and what is wrong; an empty optional field means "none" (or the default)."""
    typed = {name: (form_field(form, name) or "").strip() for name in CHECKS}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, (check, key) in CHECKS.items():
        if not typed[name] and name != "name":
            values[name] = None
            continue
        try:
            values[name] = check(typed[name])
        except ValueError:
            errors[name] = t(key, language)
    return typed, values, errors


def _form_page(
    request: Request, who: Any, *, patient: Patient | None, typed: dict[str, str], errors: dict[str, str], status: int
) -> HTMLResponse:
    return page(request, "patient_form.html", who, status=status, patient=patient, typed=typed, errors=errors)


def _typed_of(patient: Patient) -> dict[str, str]:
    return {
        "name": patient.display_name,
        "timezone": patient.timezone,
        "checkin_time": patient.checkin_time.strftime("%H:%M"),
        "country": patient.country,
        "language": patient.language if patient.language_chosen else "",
        "external_id": patient.external_id or "",
        "email": patient.email or "",
    }


async def _taken(db: AsyncSession, record: str | None, patient_id: int | None, language: str) -> dict[str, str]:
    if record is not None and (holder := await record_holder(db, record, other_than=patient_id)) is not None:
        return {"external_id": t("console.profile.error.taken", language, id=holder.id, name=holder.display_name)}
    return {}


# --- adding a patient ---------------------------------------------------------------------------------------


async def new_patient(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    clinic = rt.clinic.clinic
    async with staff_page(request) as (_, who, _form):
        pass
    typed = {
        "timezone": clinic.timezone,
        "checkin_time": clinic.checkin_time.strftime("%H:%M"),
        "country": clinic.country,
    }
    return _form_page(request, who, patient=None, typed=typed, errors={}, status=200)


async def add_patient(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    clinic, now = rt.clinic.clinic, rt.clock.now()
    async with staff_page(request) as (db, who, form):
        assert form is not None
        language = language_of(request)
        typed, values, errors = _read(form, language)
        errors |= await _taken(db, values.get("external_id"), None, language)
        if errors:
            return _form_page(request, who, patient=None, typed=typed, errors=errors, status=400)
        patient = await create_patient(
            db,
            name=values["name"],
            timezone=values["timezone"] or clinic.timezone,
            checkin_time=values["checkin_time"] or clinic.checkin_time,
            country=values["country"] or clinic.country,
            language=values["language"] or clinic.language,
            language_chosen=values["language"] is not None,
            now=now,
            external_id=values["external_id"],
            email=values["email"],
        )
        audit_patient(db, actor=console_actor(who.member), patient=patient, change="added", now=now)
        shown = await _invite(request, db, patient, now)
    return page(request, "patient_invite.html", who, status=201, patient=patient, **shown)


async def _invite(request: Request, db: AsyncSession, patient: Patient, now: datetime) -> dict[str, Any]:
    """A fresh invite (earlier ones stop working), shown once: the link, its QR code and a message to send."""
    rt = runtime_of(request)
    invite, code = await issue_invite(db, patient=patient, now=now, days=rt.clinic.clinic.invite_days)
    username = await known_bot_username(db, rt.settings.telegram_bot_username)
    link = start_link(username, code)
    when = local_day_and_time(invite.expires_at, patient.timezone, patient.language)
    message = t("invite.message", patient.language, name=patient.display_name, clinic=rt.clinic.clinic.name,
                link=link, when=when)  # fmt: skip
    picture = io.BytesIO()
    title = t("console.invite.qr", language_of(request), name=patient.display_name)
    segno.make(link, error="m").save(picture, kind="svg", scale=5, border=2, xmldecl=False, title=title)
    return {
        "link": link,
        "qr": picture.getvalue().decode(),
        "message": message,
        "expires": invite.expires_at,
        "bot_known": username is not None,
    }


# --- one patient's profile ----------------------------------------------------------------------------------


async def _patient(db: AsyncSession, request: Request) -> Patient:
    found = await db.get(Patient, path_id(request.path_params["patient_id"]))
    if found is None:
        raise Refused(404, "console.error.no_patient")
    return found


async def profile_page(request: Request) -> HTMLResponse:
    async with staff_page(request) as (db, who, _):
        patient = await _patient(db, request)
    return _form_page(request, who, patient=patient, typed=_typed_of(patient), errors={}, status=200)


async def change_patient(request: Request) -> Response:
    """POST /patients/{id}/{action}: edit, invite, deactivate or reactivate."""
    rt = runtime_of(request)
    now = rt.clock.now()
    action = request.path_params["action"]
    if action not in ("edit", "invite", "deactivate", "reactivate"):
        raise Refused(404, "console.error.not_found")
    async with staff_page(request) as (db, who, form):
        assert form is not None
        language = language_of(request)
        patient = await _patient(db, request)
        actor = console_actor(who.member)
        if action == "edit":
            typed, values, errors = _read(form, language)
            errors |= await _taken(db, values.get("external_id"), patient.id, language)
            if errors:
                return _form_page(request, who, patient=patient, typed=typed, errors=errors, status=400)
            change = ProfileChange(
                name=values["name"],
                timezone=values["timezone"],
                checkin_time=values["checkin_time"],
                country=values["country"],
                language=values["language"],
                external_id=values["external_id"] if "external_id" in form else KEEP,
                email=values["email"] if "email" in form else KEEP,
            )
            await edit_patient(db, patient, change, config=rt.clinic, now=now, actor=actor)
        elif action == "invite":
            if patient.status is PatientStatus.DEACTIVATED or patient.telegram_user_id is not None:
                raise Refused(400, "console.invite.not_now")
            audit_patient(db, actor=actor, patient=patient, change="invited", now=now)
            shown = await _invite(request, db, patient, now)
            return page(request, "patient_invite.html", who, status=200, patient=patient, **shown)
        else:
            try:
                if action == "deactivate":
                    await deactivate_patient(db, patient, now=now, actor=actor)
                else:
                    await reactivate_patient(db, patient, config=rt.clinic, now=now, actor=actor)
            except ChangeRefused:
                raise Refused(400, f"console.profile.error.{action}") from None
    return RedirectResponse(f"/patients/{patient.id}/profile", status_code=303)
