"""The staff console as an ASGI app: every route in one table, the security headers on every response, and the
error pages. Built from the bot's own Runtime, so it reads and changes exactly what the bot does."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from bot import metrics as process_metrics
from bot.console import calendar, calendar_import, enrolment, upcoming_page, views
from bot.console.database_figures import DatabaseFigures
from bot.console.format import FILTERS, GLOBALS
from bot.console.security import RateLimit, SecurityHeaders
from bot.console.svg import sparkline
from bot.i18n.catalogue import NAMES
from bot.runtime import Runtime
from bot.texts import t

PACKAGE = files("bot.console")


def _secret(rt: Runtime) -> bytes:
    """The cookie-signing secret, derived from the encryption key (so that it survives restarts unchanged)."""
    return hmac.new(rt.settings.encryption_key().encode(), b"moodbot console cookies", hashlib.sha256).digest()


class Metrics:
    """Prometheus figures of the console and the crisis net in a registry of this app's own, with the counts the
    whole process keeps (`bot.metrics`) and figures read from the database at each scrape."""

    def __init__(self, rt: Runtime) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(process_metrics.REGISTRY)
        self.database = DatabaseFigures(rt)
        self.registry.register(self.database)
        self.requests = Counter(
            "moodbot_console_requests", "Console requests", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "moodbot_console_request_seconds", "Console request time", ["route"], registry=self.registry
        )
        loaded = Gauge(
            "moodbot_crisis_model_loaded", "1 when the learned crisis layer is loaded", registry=self.registry
        )
        loaded.set_function(lambda: float(rt.detector.learned))

    async def page(self) -> bytes:
        await self.database.refresh()
        return generate_latest(self.registry)

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            status = {"code": 500}

            async def record(message: Any) -> None:
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                await send(message)

            began = time.perf_counter()
            try:
                await app(scope, receive, record)
            finally:
                name = getattr(scope.get("endpoint"), "__name__", "other")
                self.latency.labels(name).observe(time.perf_counter() - began)
                self.requests.labels(name, str(status["code"])).inc()

        return measured


def build_console(rt: Runtime, *, pages: bool = True, extra: Sequence[tuple[str, Any]] = ()) -> Starlette:
    """The console app; `pages=False` keeps only the health endpoints (and `extra` routes, such as the webhook)."""
    templates = Jinja2Templates(directory=str(PACKAGE.joinpath("templates")))
    templates.env.filters.update(FILTERS)
    templates.env.globals.update(GLOBALS, sparkline=sparkline, languages=NAMES)
    metrics = Metrics(rt)

    async def metrics_page(request: Request) -> Response:
        return Response(await metrics.page(), media_type=CONTENT_TYPE_LATEST)

    health = [
        Route("/healthz", views.healthz),
        Route("/readyz", views.readyz),
        Route("/metrics", metrics_page),
        *(Route(path, endpoint, methods=["POST"]) for path, endpoint in extra),
    ]
    routes = [
        Route("/signin", views.signin),
        Route("/login/{token}", views.login_form, methods=["GET"]),
        Route("/login/{token}", views.login, methods=["POST"]),
        Route("/logout", views.logout, methods=["POST"]),
        Route("/me/language", views.own_language, methods=["POST"]),
        Route("/", views.today),
        Route("/alerts/{alert_id}/acknowledge", views.acknowledge_alert, methods=["POST"]),
        Route("/reviews/{event_id}", views.review, methods=["POST"]),
        Route("/appointments", calendar.appointments),
        Route("/appointments", calendar.book, methods=["POST"]),
        Route("/appointments/import", calendar_import.import_form),
        Route("/appointments/import", calendar_import.import_file, methods=["POST"]),
        Route("/appointments/{appointment_id}/{action}", calendar.change, methods=["POST"]),
        Route("/patients", views.patients),
        Route("/patients/new", enrolment.new_patient),
        Route("/patients/new", enrolment.add_patient, methods=["POST"]),
        Route("/patients/{patient_id}/profile", enrolment.profile_page),
        Route("/patients/{patient_id}/upcoming", upcoming_page.upcoming),
        Route("/patients/{patient_id}/{action}", enrolment.change_patient, methods=["POST"]),
        Route("/patients/{patient_id}", views.patient),
        Route("/patients/{patient_id}/export.{fmt}", views.export),
        Route("/staff", views.staff),
        Route("/staff", views.staff_change, methods=["POST"]),
        Route("/staff/invite", views.staff_invite, methods=["POST"]),
        Route("/staff/{staff_id}/{action}", views.staff_change, methods=["POST"]),
        Route("/audit", views.audit_log),
        Route("/audit.csv", views.audit_log),
        Mount("/static", StaticFiles(directory=str(PACKAGE.joinpath("static"))), name="static"),
    ]

    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/signin", status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if isinstance(exc, views.Refused):
            key = exc.key
        else:  # Starlette's own: no such route, or not with this method
            key = "console.error.not_found" if exc.status_code == 404 else "console.error.other"
        message = t(key, views.language_of(request))
        return views.page(request, "error.html", None, status=exc.status_code, message=message)

    app = Starlette(
        routes=[*health, *(routes if pages else [])],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={views.SignInNeeded: sign_in_needed, HTTPException: http_error},
    )
    app.state.runtime = rt
    app.state.templates = templates
    app.state.signer = views.Signer(_secret(rt), salt="moodbot-console-session")
    app.state.secure = rt.settings.console_secure
    app.state.sign_in_limit = RateLimit()
    app.state.new_token = lambda: secrets.token_urlsafe(32)
    app.state.metrics = metrics
    return app


def console_asgi(rt: Runtime, *, pages: bool = True, extra: Sequence[tuple[str, Any]] = ()) -> ASGIApp:
    """The console with its request metrics around it."""
    app = build_console(rt, pages=pages, extra=extra)
    return app.state.metrics.wrap(app)
