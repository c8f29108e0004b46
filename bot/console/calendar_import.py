"""Importing bookings in the console: upload an .ics or CSV (Google Calendar, Outlook, a spreadsheet), see what each
row will do, choose the patient of any event whose words name no one, then import. Nothing is saved before the last
step, and a file with any bad row saves nothing; importing the same file again changes nothing.

The file travels back with the preview page (base64 in a hidden field), so the import reads exactly what was
previewed; the choices made for unmatched rows travel with it, keyed by their line."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.appointments import service
from bot.appointments.imports import OPTIONAL, REQUIRED, ImportedAppointment, parse_bytes
from bot.appointments.messages import label_of
from bot.clinic import ClinicConfig
from bot.console.calendar import monday_of
from bot.console.views import form_field, language_of, page, runtime_of, staff_page
from bot.texts import t
from storage.models import Patient, PatientStatus

MAX_BYTES = 2_000_000


async def import_form(request: Request) -> HTMLResponse:
    async with staff_page(request) as (_, who, _form):
        pass
    return page(request, "appointments_import.html", who, problem=None, preview=None)


OURS = REQUIRED + OPTIONAL


def _columns(form: FormData) -> dict[str, str]:
    """The file's column a person chose for each of ours (a CSV with headers of its own): theirs -> ours."""
    chosen: dict[str, str] = {}
    for ours in OURS:
        theirs = (form_field(form, f"column-{ours}") or "").strip()
        if theirs:
            chosen[theirs] = ours
    return chosen


def _assigned(form: FormData) -> dict[int, int]:
    chosen: dict[int, int] = {}
    for key, value in form.multi_items():
        line = key.removeprefix("assign-")
        if key.startswith("assign-") and line.isdigit() and isinstance(value, str) and value.isdigit():
            chosen[int(line)] = int(value)
    return chosen


async def _file(form: FormData) -> tuple[str, bytes] | str:
    """The uploaded file (preview) or the previewed one sent back (import); else the catalogue key of what is wrong."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_BYTES + 1)
        name = upload.filename
    else:
        name = form_field(form, "filename") or ""
        try:
            data = base64.b64decode(form_field(form, "content") or "", validate=True)
        except (binascii.Error, ValueError):
            return "console.import.error.file"
    if not name or not data:
        return "console.import.error.file"
    if len(data) > MAX_BYTES:
        return "console.import.error.size"
    return name, data


async def import_file(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    config, now = rt.clinic, rt.clock.now()
    async with staff_page(request) as (db, who, form):
        assert form is not None
        language = language_of(request)
        found = await _file(form)
        if isinstance(found, str):
            words = t(found, language, megabytes=MAX_BYTES // 1_000_000)
            return page(request, "appointments_import.html", who, status=400, problem=words, preview=None)
        name, data = found
        importing = form_field(form, "step") == "import"
        assigned = _assigned(form)
        columns = _columns(form)
        kinds = config.appointments.kinds
        rows, errors = parse_bytes(
            name,
            data,
            kinds=list(kinds),
            default_timezone=config.clinic.timezone,
            default_durations={kind: spec.duration_minutes for kind, spec in kinds.items()},
            match=await service.matching_for(db, config, assigned),
            columns=columns or None,
        )
        report = await service.import_appointments(
            db, rows=rows, config=config, now=now, bad_rows=errors, dry_run=not importing
        )
        patients = {p.id: p for p in await db.scalars(select(Patient).order_by(Patient.display_name, Patient.id))}
    if importing and not report.errors:
        starts = [row.starts_at for row, _ in report.actions] or [now]
        week = monday_of(min(starts).astimezone(ZoneInfo(config.clinic.timezone)).date())
        return page(request, "appointments_import.html", who, problem=None, preview=None, done=report, week=week)
    preview = {
        "filename": name,
        "content": base64.b64encode(data).decode("ascii"),
        "rows": [_shown(row, action, patients, config, language) for row, action in report.actions],
        "errors": report.errors,
        "assigned": assigned,
        "columns": {ours: theirs for theirs, ours in columns.items()},
        "theirs": next((e.columns for e in report.errors if e.columns), ()),
        "ours": OURS,
        "choices": [p for p in patients.values() if p.status is not PatientStatus.DEACTIVATED],
        "importable": not any(not e.unmatched for e in report.errors),
    }
    status = 400 if importing else 200
    return page(request, "appointments_import.html", who, status=status, problem=None, preview=preview)


def _shown(
    row: ImportedAppointment, action: str, patients: dict[int, Patient], config: ClinicConfig, language: str
) -> dict[str, Any]:
    patient = patients.get(row.patient_id)
    zone = patient.timezone if patient else config.clinic.timezone
    return {
        "line": row.line,
        "patient": patient,
        "kind": label_of(config, row.kind, language),
        "starts_at": row.starts_at,
        "zone": zone,
        "minutes": row.duration_minutes,
        "action": action,
    }
