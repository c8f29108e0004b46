"""The console's routes: each takes the signed-in staff member from `staff_page`, calls one service, renders a
template. Every POST is checked for its CSRF token there, in one place. Every page, error and problem is written
in the reader's language (`language_of`): the signed-in member's own, else the clinic's."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature, Signer
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from bot.audit import ACKNOWLEDGE, REVIEW, VIEW, audit
from bot.console import queries
from bot.console.auth import LINK_VALID, Current, LinkProblem, check_link, console_actor, current, end, redeem_link
from bot.console.security import same
from bot.console.svg import mood_chart
from bot.export.collect import collect
from bot.export.formats import parse_format, render
from bot.export.service import export_data
from bot.i18n.catalogue import LANGUAGES
from bot.invite_links import known_bot_username, start_link
from bot.runtime import Runtime
from bot.safety.handlers import acknowledge_everywhere
from bot.safety.service import AckResult
from bot.staff.access import Permission, may, staff_language
from bot.staff.invites import issue_staff_invite
from bot.staff.manage import StaffError, add_staff, deactivate, set_language, set_role
from bot.texts import english, t
from storage.models import AuditEvent, CrisisEvent, Patient, Staff, StaffRole

SESSION_COOKIE = "moodbot_console"
LOGIN_COOKIE = "moodbot_login"  # the sign-in form's CSRF token, before there is a session
DEFAULT_DAYS = 30
AUDIT_ROWS = 500


class SignInNeeded(Exception):
    """No live session: the browser is sent to the sign-in page, which holds no patient data."""


class Refused(HTTPException):
    """A refusal whose words the error page looks up by `key` in the reader's language (the English detail is for
    logs and anything else that reads a plain HTTPException)."""

    def __init__(self, status_code: int, key: str) -> None:
        super().__init__(status_code, english(key))
        self.key = key


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def _signer(request: Request) -> Signer:
    return request.app.state.signer


def session_token(request: Request) -> str | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        return _signer(request).unsign(raw).decode()
    except BadSignature:
        return None


@asynccontextmanager
async def staff_page(
    request: Request, permission: Permission | None = Permission.PATIENTS
) -> AsyncIterator[tuple[AsyncSession, Current, FormData | None]]:
    """The unit of work of one console request: the live session, its role checked, a POST's CSRF token checked."""
    rt = runtime_of(request)
    token = session_token(request)
    form = await request.form() if request.method == "POST" else None
    async with rt.session() as db:
        who = await current(db, token=token, now=rt.clock.now()) if token else None
        if who is None:
            raise SignInNeeded
        # Settled before any refusal below, so that the error page too is in the member's language (and read now:
        # a refusal rolls the session back, which leaves the member's row unreadable).
        request.state.language = staff_language(who.member, rt.clinic.clinic.language)
        if form is not None and not same(form_field(form, "csrf"), who.csrf_token):
            raise Refused(403, "console.error.form_expired")
        if permission is not None and not may(who.member, permission):
            raise Refused(403, "console.error.role")
        yield db, who, form


def form_field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def language_of(request: Request) -> str:
    """The reader's language: the signed-in member's own or the clinic's (settled by `staff_page`); the clinic's
    on pages without a member."""
    language: str = getattr(request.state, "language", runtime_of(request).clinic.clinic.language)
    return language


def page(request: Request, template: str, who: Current | None, status: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    rt = runtime_of(request)
    return templates.TemplateResponse(
        request,
        template,
        {
            "who": who,
            "clinic": rt.clinic,
            "now": rt.clock.now(),
            "language": language_of(request),
            "Permission": Permission,
            "may": may,
            **context,
        },
        status_code=status,
    )


# --- Signing in and out ---------------------------------------------------------------------------------------


LINK_MINUTES = int(LINK_VALID.total_seconds()) // 60


async def signin(request: Request) -> HTMLResponse:
    return page(request, "signin.html", None, minutes=LINK_MINUTES)


def _link_problem(request: Request, problem: LinkProblem) -> HTMLResponse:
    words = t(f"console.link.{problem.value}", language_of(request), minutes=LINK_MINUTES)
    return page(request, "link.html", None, status=400, problem=words)


def _too_many(request: Request) -> HTMLResponse:
    return page(request, "link.html", None, status=429, problem=t("console.error.too_many", language_of(request)))


async def login_form(request: Request) -> HTMLResponse:
    """A link opened: a button to sign in, so that a link previewer fetching the page signs no one in."""
    if not request.app.state.sign_in_limit.allow(_address(request)):
        return _too_many(request)
    rt = runtime_of(request)
    async with rt.session() as db:
        checked = await check_link(db, token=request.path_params["token"], now=rt.clock.now())
    if isinstance(checked, LinkProblem):
        return _link_problem(request, checked)
    csrf = request.app.state.new_token()
    response = page(request, "link.html", None, problem=None, csrf=csrf)
    _cookie(request, response, LOGIN_COOKIE, csrf, max_age=600, path="/login")
    return response


async def login(request: Request) -> Response:
    if not request.app.state.sign_in_limit.allow(_address(request)):
        return _too_many(request)
    form = await request.form()
    if not same(form_field(form, "csrf"), request.cookies.get(LOGIN_COOKIE, "")) or not request.cookies.get(
        LOGIN_COOKIE
    ):
        raise Refused(403, "console.error.link_form_expired")
    rt = runtime_of(request)
    async with rt.session() as db:
        signed_in = await redeem_link(
            db, token=request.path_params["token"], now=rt.clock.now(), address=_address(request)
        )
    if isinstance(signed_in, LinkProblem):
        return _link_problem(request, signed_in)
    response = RedirectResponse("/", status_code=303)
    _cookie(request, response, SESSION_COOKIE, _signer(request).sign(signed_in.token).decode(), max_age=12 * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def _cookie(request: Request, response: Response, name: str, value: str, *, max_age: int, path: str = "/") -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=path, httponly=True, samesite="strict", secure=request.app.state.secure
    )


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


async def logout(request: Request) -> Response:
    async with staff_page(request, None) as (db, who, _):
        await end(db, session_id=who.session_id, now=runtime_of(request).clock.now())
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def own_language(request: Request) -> Response:
    """The signed-in member chooses the console's language for themselves ("": the clinic's), then goes back."""
    rt = runtime_of(request)
    async with staff_page(request, None) as (db, who, form):
        assert form is not None
        chosen = form_field(form, "language")
        if chosen is None or (chosen and chosen not in LANGUAGES):
            raise Refused(400, "console.error.language")
        await set_language(db, staff_id=who.member.id, language=chosen or None, now=rt.clock.now(),
                           actor=console_actor(who.member))  # fmt: skip
    return RedirectResponse(_back(form_field(form, "back")), status_code=303)


def _back(path: str | None) -> str:
    """Only a path on this console: a form's field must not send the browser to another site."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")):
        return "/"
    return path


# --- Today ----------------------------------------------------------------------------------------------------


async def today(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    async with staff_page(request) as (db, who, _):
        data = await queries.today(db, config=rt.clinic, now=rt.clock.now(), language=language_of(request))
    fragment = request.query_params.get("fragment") == "1"
    return page(request, "_today.html" if fragment else "today.html", who, today=data, silent_days=queries.SILENT_DAYS)


async def acknowledge_alert(request: Request) -> Response:
    rt = runtime_of(request)
    alert_id = path_id(request.path_params["alert_id"])
    async with staff_page(request, Permission.CRISIS) as (_, who, _):
        member = who.member
    result, _by = await acknowledge_everywhere(rt, alert_id=alert_id, telegram_user_id=member.telegram_user_id)
    if result is AckResult.UNKNOWN:
        raise Refused(404, "console.error.no_alert")
    if result is AckResult.DONE:
        async with rt.session() as db:
            audit(db, actor=console_actor(member), patient_id=None, action=ACKNOWLEDGE, now=rt.clock.now(),
                  detail={"alert_id": alert_id})  # fmt: skip
    return RedirectResponse("/", status_code=303)


async def review(request: Request) -> Response:
    rt = runtime_of(request)
    event_id = path_id(request.path_params["event_id"])
    async with staff_page(request, Permission.CRISIS) as (db, who, _):
        event = await db.get(CrisisEvent, event_id, with_for_update=True)
        if event is None or event.tier != "possible":
            raise Refused(404, "console.error.no_entry")
        if event.reviewed_at is None:
            event.reviewed_at, event.reviewed_by = rt.clock.now(), who.member.name
            audit(db, actor=console_actor(who.member), patient_id=event.patient_id, action=REVIEW,
                  now=rt.clock.now(), detail={"event_id": event.id})  # fmt: skip
    return RedirectResponse("/", status_code=303)


# --- Patients -------------------------------------------------------------------------------------------------


async def patients(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    search = request.query_params.get("q", "")[:100]
    number = request.query_params.get("page", "1")
    async with staff_page(request) as (db, who, _):
        found = await queries.patient_list(
            db,
            config=rt.clinic,
            now=rt.clock.now(),
            language=language_of(request),
            search=search,
            page=int(number) if number.isdigit() else 1,
        )
    return page(
        request,
        "patients.html",
        who,
        found=found,
        rows=found.rows,
        search=search,
        trend_days=queries.TREND_DAYS,
        adherence_days=queries.ADHERENCE_DAYS,
    )


def path_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise Refused(404, "console.error.not_found") from None
    if not 0 < number < 2**62:
        raise Refused(404, "console.error.not_found")
    return number


def _range(request: Request, today: date) -> tuple[date, date]:
    """The page's date range (`from`, `to`), the last 30 days by default; a bad date is a clear 400."""
    try:
        end_day = date.fromisoformat(request.query_params["to"]) if request.query_params.get("to") else today
        start_day = (
            date.fromisoformat(request.query_params["from"])
            if request.query_params.get("from")
            else end_day - timedelta(days=DEFAULT_DAYS - 1)
        )
    except ValueError:
        raise Refused(400, "console.error.date") from None
    if start_day > end_day:
        raise Refused(400, "console.error.range")
    return start_day, end_day


async def patient(request: Request) -> HTMLResponse:
    rt = runtime_of(request)
    patient_id = path_id(request.path_params["patient_id"])
    now = rt.clock.now()
    async with staff_page(request) as (db, who, _):
        language = language_of(request)
        found = await db.get(Patient, patient_id)
        if found is None:
            raise Refused(404, "console.error.no_patient")
        start_day, end_day = _range(request, now.astimezone(ZoneInfo(found.timezone)).date())
        data = await collect(
            db, patient=found, config=rt.clinic, start=start_day, end=end_day, now=now, language=language
        )
        detail = {"from": start_day.isoformat(), "to": end_day.isoformat(), "journal": len(data.journal)}
        audit(db, actor=console_actor(who.member), patient_id=found.id, action=VIEW, now=now, detail=detail)
    points = [(c.local_date, c.score) for c in data.checkins if c.score is not None and c.kind == "daily"]
    infusions = [data.local(a.starts_at).date() for a in data.appointments if a.kind == "infusion"]
    chart = mood_chart(
        points,
        infusions,
        start=start_day,
        end=end_day,
        label=t("console.chart.label", language, name=found.display_name),
        infusion_title=lambda day: t("console.chart.infusion", language, day=day.isoformat()),
    )
    return page(
        request,
        "patient.html",
        who,
        patient=found,
        data=data,
        chart=chart,
        scored=bool(points),
        start=start_day,
        end=end_day,
    )


async def export(request: Request) -> Response:
    rt = runtime_of(request)
    patient_id = path_id(request.path_params["patient_id"])
    fmt = parse_format(request.path_params["fmt"], default=None)  # type: ignore[arg-type]
    if fmt is None:
        raise Refused(404, "console.error.no_format")
    now = rt.clock.now()
    async with staff_page(request, Permission.EXPORT) as (db, who, _):
        found = await db.get(Patient, patient_id)
        if found is None:
            raise Refused(404, "console.error.no_patient")
        start_day, end_day = _range(request, now.astimezone(ZoneInfo(found.timezone)).date())
        data = await export_data(db, patient=found, config=rt.clinic, fmt=fmt, actor=console_actor(who.member),
                                 now=now, start=start_day, end=end_day, language=language_of(request))  # fmt: skip
    file = await asyncio.to_thread(render, data, fmt)  # a PDF takes a moment: never on the event loop
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"content-disposition": f'attachment; filename="{file.filename}"'},
    )


# --- Staff and audit (admins) ---------------------------------------------------------------------------------


async def staff(request: Request) -> HTMLResponse:
    async with staff_page(request, Permission.STAFF) as (db, who, _):
        members = list(await db.scalars(select(Staff).order_by(Staff.deactivated_at.is_not(None), Staff.name)))
    return page(request, "staff.html", who, members=members, roles=list(StaffRole), problem=None)


async def staff_change(request: Request) -> Response:
    rt = runtime_of(request)
    action = request.path_params.get("action", "add")
    if action not in ("add", "deactivate", "role"):
        raise Refused(404, "console.error.not_found")
    problem: tuple[str, dict[str, Any]] | None = None
    async with staff_page(request, Permission.STAFF) as (db, who, form):
        assert form is not None
        actor, now = console_actor(who.member), rt.clock.now()
        staff_id = path_id(request.path_params["staff_id"]) if action != "add" else 0
        telegram_id, name = 0, form_field(form, "name") or ""
        try:
            if action == "add":
                role = StaffRole(form_field(form, "role") or "counselor")
                telegram_id = int(form_field(form, "telegram_id") or "0")
                await add_staff(db, telegram_id=telegram_id, name=name, role=role, now=now, actor=actor)
            elif action == "deactivate":
                await deactivate(db, staff_id=staff_id, now=now, actor=actor)
            else:
                role = StaffRole(form_field(form, "role") or "")
                await set_role(db, staff_id=staff_id, role=role, now=now, actor=actor)
        except StaffError:
            problem = await _why_refused(db, action=action, staff_id=staff_id, telegram_id=telegram_id, name=name)
        except ValueError:
            problem = "console.staff.error.input", {}
        members = list(await db.scalars(select(Staff).order_by(Staff.deactivated_at.is_not(None), Staff.name)))
    if problem is None:
        return RedirectResponse("/staff", status_code=303)
    key, values = problem
    words = t(key, language_of(request), **values)
    return page(request, "staff.html", who, status=400, members=members, roles=list(StaffRole), problem=words)


async def staff_invite(request: Request) -> HTMLResponse:
    """A one-time link for a new member, shown once on the page that made it."""
    rt = runtime_of(request)
    invited: dict[str, Any] | None = None
    problem: str | None = None
    async with staff_page(request, Permission.STAFF) as (db, who, form):
        assert form is not None
        language = language_of(request)
        try:
            role = StaffRole(form_field(form, "role") or "counselor")
            made, code = await issue_staff_invite(
                db, name=form_field(form, "name") or "", role=role, now=rt.clock.now(), actor=console_actor(who.member)
            )
        except ValueError:
            problem = t("console.staff.error.input", language)
        except StaffError:
            problem = t("console.staff.error.name", language)
        else:
            username = await known_bot_username(db, rt.settings.telegram_bot_username)
            invited = {"made": made, "link": start_link(username, code), "bot_known": username is not None}
        members = list(await db.scalars(select(Staff).order_by(Staff.deactivated_at.is_not(None), Staff.name)))
    return page(
        request,
        "staff.html",
        who,
        status=200 if problem is None else 400,
        members=members,
        roles=list(StaffRole),
        problem=problem,
        invited=invited,
    )


async def _why_refused(
    db: AsyncSession, *, action: str, staff_id: int, telegram_id: int, name: str
) -> tuple[str, dict[str, Any]]:
    """Why `bot.staff.manage` refused a change, as a catalogue key: its own words are English, for the command line.
    Only asked once it has refused, so it stays the one judge of what may be done."""
    if action == "add":
        if telegram_id <= 0:
            return "console.staff.error.input", {}
        if not name.split():
            return "console.staff.error.name", {}
        return "console.staff.error.registered", {"id": telegram_id}
    member = await db.get(Staff, staff_id)
    if member is None:
        return "console.staff.error.unknown", {}
    if not member.active:
        return "console.staff.error.deactivated", {}
    return "console.staff.error.only_admin", {}


async def audit_log(request: Request) -> Response:
    async with staff_page(request, Permission.AUDIT) as (db, who, _):
        filters, rows = await _audit_rows(db, request)
    if request.url.path.endswith(".csv"):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["at", "action", "actor_kind", "actor", "patient_id", "detail"])
        for row in rows:
            writer.writerow([row.at.isoformat(), row.action, row.actor_kind, row.actor, row.patient_id, row.detail])
        return Response(
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="moodbot-audit.csv"'},
        )
    return page(request, "audit.html", who, rows=rows, filters=filters, limit=AUDIT_ROWS)


async def _audit_rows(db: AsyncSession, request: Request) -> tuple[dict[str, str], list[AuditEvent]]:
    params = request.query_params
    filters = {name: params.get(name, "").strip()[:100] for name in ("actor", "patient", "action", "from", "to")}
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(AUDIT_ROWS)
    if filters["actor"]:
        query = query.where(AuditEvent.actor == filters["actor"])
    if filters["patient"]:
        query = query.where(AuditEvent.patient_id == path_id(filters["patient"]))
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    try:
        if filters["from"]:
            query = query.where(AuditEvent.at >= datetime.fromisoformat(filters["from"] + "T00:00:00+00:00"))
        if filters["to"]:
            query = query.where(
                AuditEvent.at < datetime.fromisoformat(filters["to"] + "T00:00:00+00:00") + timedelta(days=1)
            )
    except ValueError:
        raise Refused(400, "console.error.date") from None
    return filters, list(await db.scalars(query))


# --- Health ---------------------------------------------------------------------------------------------------


async def healthz(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> PlainTextResponse:
    """Ready when the database answers at the current schema and the learned layer is loaded."""
    from storage.migrate import head_revision

    rt = runtime_of(request)
    problems = []
    try:
        async with rt.session() as db:
            revision = await db.scalar(text("SELECT version_num FROM alembic_version"))
        if revision != head_revision():
            problems.append("database schema is not current")
    except Exception:
        problems.append("database unreachable")
    if not rt.detector.learned:
        problems.append("crisis model not loaded")
    if problems:
        return PlainTextResponse("; ".join(problems), status_code=503)
    return PlainTextResponse("ready")
