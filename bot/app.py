"""Builds the application: every handler, job and the error handler are registered here."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.appointments.handlers import appointments_command, effect_button, reminder_button
from bot.appointments.messages import AppointmentReminder, InfusionFollowup
from bot.appointments.service import FOLLOWUP_KIND, REMINDER_KIND
from bot.checkin.handlers import checkin_command, score_button, skip_button
from bot.checkin.outbox_kind import DailyCheckin
from bot.checkin.service import OUTBOX_KIND as CHECKIN_KIND
from bot.checkin.service import plan_checkins, resume_finished_pauses
from bot.clinic import ClinicConfig
from bot.clock import Clock, SystemClock
from bot.enrollment.handlers import consent_button, start_command
from bot.export.handlers import delete_command, erase_button, export_command, mood_command, mydata_command
from bot.help import help_command, sos_command
from bot.i18n.catalogue import LANGUAGES
from bot.invite_links import BOT_USERNAME
from bot.journal.handlers import edited_text, other_message, text_message
from bot.outbox.dispatcher import Dispatcher, pace_for
from bot.patients import patients_due_for_planning
from bot.preferences.handlers import pause_command, resume_command, settings_command
from bot.preferences.language import language_button, language_command
from bot.questionnaires.handlers import answer_button, gad7_command, phq9_command
from bot.questionnaires.outbox_kind import ScheduledQuestionnaire
from bot.questionnaires.service import OUTBOX_KIND as QUESTIONNAIRE_KIND
from bot.questionnaires.service import plan_questionnaires
from bot.runtime import DISPATCHER_KEY, RUNTIME_KEY, Runtime, runtime
from bot.safety.alert_chats import check_alert_chats, log_alert_chats
from bot.safety.alerts import CrisisAlertMessage
from bot.safety.detector import Detector
from bot.safety.handlers import acknowledge_button, answer_first, crisis_guard, sweep_alerts
from bot.safety.net import SafetyNet
from bot.safety.possible import PossibleUnanswered, possible_button
from bot.safety.service import ALERT_KIND, POSSIBLE_KIND
from bot.sender import Limits, PacingRateLimiter, Sender
from bot.settings import Settings
from bot.speaking import language_of
from bot.staff import notices
from bot.staff.handlers import console_command, patients_command, staff_start_command, today_command
from bot.staff.invites import PREFIX as STAFF_PREFIX
from bot.texts import t
from bot.updates import ChatOrderedUpdateProcessor
from storage.leader import ALERT_SWEEPER, PLANNER, Role
from storage.models import Meta, Patient
from storage.upsert import upsert

log = logging.getLogger(__name__)

PLAN_INTERVAL_SECONDS = 60
PLAN_BATCH = 1000
PLAN_BATCHES_PER_TICK = 20
SWEEP_INTERVAL_SECONDS = 2
LOAD_MODEL_KEY = "load_model"
ROLES_KEY = "roles"

PATIENT_COMMANDS = [
    "checkin",
    "phq9",
    "gad7",
    "mood",
    "appointments",
    "settings",
    "pause",
    "resume",
    "mydata",
    "delete",
    "sos",
    "language",
    "help",
]


def file_url_for(api_base_url: str) -> str:
    """Telegram serves files under /file/bot<token>; a self-hosted server or stand-in follows the same shape."""
    if api_base_url.endswith("/bot"):
        return api_base_url[: -len("/bot")] + "/file/bot"
    return api_base_url


def build_application(
    settings: Settings,
    clinic: ClinicConfig,
    *,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock | None = None,
    limits: Limits | None = None,
    run_jobs: bool = True,
    load_model: bool = True,
    post_shutdown: Callable[[Application[Any, Any, Any, Any, Any, Any]], Coroutine[Any, Any, None]] | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required")
    clock = clock or SystemClock()
    limits = limits or Limits()
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url_for(settings.telegram_api_base_url))
        .rate_limiter(PacingRateLimiter(clock, limits))
        .concurrent_updates(ChatOrderedUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(post_shutdown)  # type: ignore[arg-type]
        .build()
    )
    rt = Runtime(
        settings=settings,
        clinic=clinic,
        sessions=sessions,
        clock=clock,
        sender=Sender(app.bot),
        detector=SafetyNet(Detector(extra_phrases=clinic.safety.extra_phrases)),
    )
    app.bot_data[LOAD_MODEL_KEY] = load_model
    processor = app.update_processor
    if isinstance(processor, ChatOrderedUpdateProcessor):
        processor.answer_first = partial(answer_first, rt)
    engine = sessions.kw["bind"]
    app.bot_data[ROLES_KEY] = {
        key: Role(engine, key, name) for key, name in ((PLANNER, "planner"), (ALERT_SWEEPER, "alert sweeper"))
    }
    app.bot_data[RUNTIME_KEY] = rt
    app.bot_data[DISPATCHER_KEY] = Dispatcher(
        rt,
        {
            CHECKIN_KIND: DailyCheckin(clinic.clinic.staff_chat_id),
            notices.KIND: notices.StaffNotice(clinic.clinic.language),
            ALERT_KIND: CrisisAlertMessage(clinic),
            REMINDER_KIND: AppointmentReminder(clinic),
            FOLLOWUP_KIND: InfusionFollowup(clinic),
            QUESTIONNAIRE_KIND: ScheduledQuestionnaire(clinic),
            POSSIBLE_KIND: PossibleUnanswered(clinic),
        },
        pace_for(limits),
    )
    _register_handlers(app)
    if run_jobs:
        _register_jobs(app, settings.dispatch_interval_seconds)
    app.add_error_handler(on_error)
    return app


def _register_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE
    new = filters.UpdateType.MESSAGE
    # Safety first: every text (and caption, and edit) of a private chat is checked before anything else runs.
    app.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGES & (filters.TEXT | filters.CAPTION), crisis_guard),
        group=-1,
    )
    patient_commands = {
        "start": start_command,
        "checkin": checkin_command,
        "phq9": phq9_command,
        "gad7": gad7_command,
        "settings": settings_command,
        "pause": pause_command,
        "resume": resume_command,
        "help": help_command,
        "sos": sos_command,
        "mood": mood_command,
        "mydata": mydata_command,
        "delete": delete_command,
        "language": language_command,
    }
    # A staff invite's link opens the chat with "/start staff-…": it registers staff, never a patient.
    staff_invite = filters.Regex(rf"^/start(@\w+)?\s+{re.escape(STAFF_PREFIX)}")
    app.add_handler(CommandHandler("start", staff_start_command, filters=private & new & staff_invite))
    for name, callback in patient_commands.items():
        app.add_handler(CommandHandler(name, callback, filters=private & new))
    app.add_handler(CommandHandler("appointments", appointments_command, filters=new))
    app.add_handler(CommandHandler("patients", patients_command, filters=new))
    app.add_handler(CommandHandler("today", today_command, filters=new))
    app.add_handler(CommandHandler("export", export_command, filters=new))
    app.add_handler(CommandHandler("console", console_command, filters=new))
    app.add_handler(CallbackQueryHandler(acknowledge_button, pattern=r"^ack:"))
    app.add_handler(CallbackQueryHandler(possible_button, pattern=r"^pq:"))
    app.add_handler(CallbackQueryHandler(reminder_button, pattern=r"^ap:"))
    app.add_handler(CallbackQueryHandler(effect_button, pattern=r"^fx:"))
    app.add_handler(CallbackQueryHandler(consent_button, pattern=r"^cs:"))
    app.add_handler(CallbackQueryHandler(score_button, pattern=r"^ci:"))
    app.add_handler(CallbackQueryHandler(skip_button, pattern=r"^cn:"))
    app.add_handler(CallbackQueryHandler(answer_button, pattern=r"^qa:"))
    app.add_handler(CallbackQueryHandler(erase_button, pattern=r"^er:"))
    app.add_handler(CallbackQueryHandler(language_button, pattern=r"^lg:"))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited_text))
    app.add_handler(MessageHandler(private & new & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & new & filters.TEXT, text_message))
    app.add_handler(MessageHandler(private & new & ~filters.TEXT, other_message))


def _register_jobs(app: Application[Any, Any, Any, Any, Any, Any], dispatch_every: float) -> None:
    assert app.job_queue is not None
    # Fixed names make re-registration at start harmless; a generous misfire grace keeps APScheduler from
    # silently skipping a run after a pause. The jobs themselves hold nothing: the database does.
    job_kwargs = {"misfire_grace_time": 600, "coalesce": True, "max_instances": 1}
    app.job_queue.run_repeating(plan_job, interval=PLAN_INTERVAL_SECONDS, first=1, name="plan", job_kwargs=job_kwargs)
    app.job_queue.run_repeating(dispatch_job, interval=dispatch_every, first=2, name="dispatch", job_kwargs=job_kwargs)
    # Its own job: a long fan-out in the dispatch job must not hold back a repeated crisis alert.
    app.job_queue.run_repeating(
        sweep_job, interval=SWEEP_INTERVAL_SECONDS, first=1, name="sweep", job_kwargs=job_kwargs
    )


async def plan_due(rt: Runtime) -> int:
    """Write what is due soon (check-ins, scheduled questionnaires) into the outbox for the patients whose turn has
    come; returns how many rows are new. A batch at a time, up to a bound per tick (a first start with a large
    roster spreads over a few ticks); in the steady state a tick plans the few patients whose turn came since."""
    now = rt.clock.now()
    planned = 0
    for _ in range(PLAN_BATCHES_PER_TICK):
        # A unit of work each, check-ins first: whatever goes wrong with questionnaires cannot hold back a check-in.
        async with rt.session() as session:
            await resume_finished_pauses(session, now=now)
            patients = await patients_due_for_planning(session, now=now, limit=PLAN_BATCH)
            planned += await plan_checkins(session, patients=patients, now=now, grace=rt.checkin_grace)
        if not patients:
            break
        async with rt.session() as session:
            planned += await plan_questionnaires(session, patients=patients, config=rt.clinic, now=now)
    return planned


async def plan_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write what is due soon into the outbox: on the one instance that holds the planner's role."""
    if await context.application.bot_data[ROLES_KEY][PLANNER].held():
        await plan_due(runtime(context))


async def sweep_due(app: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """On the instance that holds the sweeper's role: repeat every crisis alert nobody took in time, at once.
    Also asks for the planner's role, so that it passes to a survivor within one sweep of its holder's death."""
    roles = app.bot_data[ROLES_KEY]
    await roles[PLANNER].held()
    if not await roles[ALERT_SWEEPER].held():
        return 0
    rows = await sweep_alerts(app.bot_data[RUNTIME_KEY])
    dispatcher = app.bot_data[DISPATCHER_KEY]
    await asyncio.gather(*(dispatcher.deliver_now(row) for row in rows))
    return len(rows)


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await sweep_due(context.application)


async def dispatch_due(app: Application[Any, Any, Any, Any, Any, Any]) -> Counter[str]:
    """Repeat overdue crisis alerts, then send everything that is due (every instance does, each its share)."""
    await sweep_due(app)
    return await app.bot_data[DISPATCHER_KEY].run_once()


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send what is due."""
    report = await context.application.bot_data[DISPATCHER_KEY].run_once()
    if report:
        log.info("dispatch: %s", dict(report))


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    if app.bot_data[LOAD_MODEL_KEY]:
        # Not awaited: the bot answers (rules alone) while the learned layer loads.
        app.create_task(rt.detector.load(), name="load crisis model")
    log_alert_chats(await check_alert_chats(app.bot, rt.clinic))
    await app.bot.set_my_commands([BotCommand(name, t(f"cmd.{name}")) for name in PATIENT_COMMANDS])
    for language in LANGUAGES:  # Telegram shows each user the menu of their app's language, else the one above
        menu = [BotCommand(name, t(f"cmd.{name}", language)) for name in PATIENT_COMMANDS]
        await app.bot.set_my_commands(menu, language_code=language)
    async with rt.session() as session:
        # Instances starting together write it at once: an upsert, where a merge would fail one of them.
        await upsert(session, Meta, {"key": BOT_USERNAME, "value": app.bot.username}, key=["key"])
        # The clinic file may have changed the schedules: every patient is planned again, a batch a tick.
        await session.execute(update(Patient).values(next_plan_at=None))


async def _post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Hand the roles on at once rather than when the connection is closed."""
    for role in app.bot_data[ROLES_KEY].values():
        await role.release()


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any press the bot does not recognise."""
    if update.callback_query is not None:
        rt = runtime(context)
        await rt.sender.answer(update.callback_query, t("button.stale", await language_of(rt, update.effective_user)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    if update.effective_chat is not None:
        rt = runtime(context)
        await rt.sender.send_text(update.effective_chat.id, t("help", await language_of(rt, update.effective_user)))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log ids and the error type only, and tell the person something went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None and update.effective_chat.type == "private":
        rt = runtime(context)
        await rt.sender.send_text(update.effective_chat.id, t("error", await language_of(rt, update.effective_user)))
