"""GET /patients/{id}/upcoming: every message the bot will send one patient in the next two weeks, in their time."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.appointments.messages import label_of
from bot.clinic import ClinicConfig
from bot.console.views import Refused, language_of, page, path_id, runtime_of, staff_page
from bot.i18n.dates import short_day_and_time
from bot.questionnaires.instruments import instrument
from bot.texts import t
from bot.upcoming import DAYS, Upcoming, upcoming_for
from storage.models import Patient


def _said(item: Upcoming, patient: Patient, config: ClinicConfig, language: str) -> str:
    if item.appointment is not None:
        label = label_of(config, item.appointment.kind, language)
        when = short_day_and_time(item.appointment.starts_at, patient.timezone, language)
        return t(f"console.upcoming.what.{item.what}", language, label=label, when=when)
    if item.instrument is not None:
        return t("console.upcoming.what.questionnaire", language, name=instrument(item.instrument).title)
    return t(f"console.upcoming.what.{item.what}", language)


async def upcoming(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    now = rt.clock.now()
    async with staff_page(request) as (db, who, _):
        patient = await db.get(Patient, path_id(request.path_params["patient_id"]))
        if patient is None:
            raise Refused(404, "console.error.no_patient")
        found = await upcoming_for(db, patient, config=rt.clinic, now=now)
    language = language_of(request)
    rows = [(item.due_at, _said(item, patient, rt.clinic, language)) for item in found]
    return page(request, "patient_upcoming.html", who, patient=patient, rows=rows, days=DAYS)
