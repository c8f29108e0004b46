"""The real bot, running against the built-in Bot API stand-in: used by `moodbot demo` and the tests."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, dispatch_due, plan_due
from bot.clinic import ClinicConfig
from bot.clock import ManualClock
from bot.runtime import RUNTIME_KEY, Runtime
from bot.sender import Limits
from bot.settings import Settings
from bot.standin.server import BotApiStandIn
from storage.db import create_engine, session_factory

TOKEN = "123456:LOCAL-STANDIN-TOKEN-abcdefghijklmnop"
# Tests and the demo run on a clock that stands still: no pace that would need time to pass.
UNPACED = Limits(
    global_per_second=1e9, global_burst=1e9, scheduled_per_second=1e9, private_per_second=1e9,
    private_burst=1e9, group_per_minute=1e9, group_burst=1e9,
)  # fmt: skip


class LocalBot:
    """Starts the stand-in and the real application (real HTTP, real polling) on a manual clock.

    Periodic jobs are not started: `tick()` runs planning and dispatching once, at the clock's time, so that
    nothing depends on waiting. `restart()` replaces the application by a fresh one on the same database.
    """

    def __init__(
        self,
        *,
        database_url: str,
        clinic: ClinicConfig,
        start: datetime,
        encryption_key: str = "local-test-key",
        limits: Limits | None = None,
        real_pacing: bool = False,
        learned_layer: bool = True,
    ) -> None:
        self.clock = ManualClock(start, real_pacing=real_pacing)
        self.learned_layer = learned_layer
        self.clinic = clinic
        self.database_url = database_url
        self._key = encryption_key
        self._limits = limits or UNPACED
        self.standin = BotApiStandIn(token=TOKEN, clock=self.clock.now)
        self.engine: AsyncEngine | None = None
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None

    @property
    def runtime(self) -> Runtime:
        assert self.app is not None
        return self.app.bot_data[RUNTIME_KEY]

    def settings(self) -> Settings:
        return Settings(
            telegram_bot_token=TOKEN,  # type: ignore[arg-type]
            telegram_api_base_url=self.standin.base_url,
            database_url=self.database_url,
            moodbot_encryption_key=self._key,  # type: ignore[arg-type]
            moodbot_key_file=Path("/nonexistent/moodbot.key"),
        )

    async def __aenter__(self) -> LocalBot:
        await self.standin.start()
        self.engine = create_engine(self.database_url, encryption_key=self._key)
        await self._start_app()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stop_app()
        if self.engine is not None:
            await self.engine.dispose()
        await self.standin.stop()

    async def _start_app(self) -> None:
        assert self.engine is not None
        app = build_application(
            self.settings(),
            self.clinic,
            sessions=session_factory(self.engine),
            clock=self.clock,
            limits=self._limits,
            run_jobs=False,
            load_model=False,
        )
        if self.learned_layer:  # loaded before the first update, so that every run judges alike
            await app.bot_data[RUNTIME_KEY].detector.load()
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
        self.app = app

    async def _stop_app(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()

    async def restart(self) -> None:
        """Stop the application as SIGTERM would, and start a new one against the same database."""
        await self._stop_app()
        await self._start_app()

    async def plan(self) -> int:
        return await plan_due(self.runtime)

    async def dispatch(self) -> Counter[str]:
        assert self.app is not None
        return await dispatch_due(self.app)

    async def tick(self) -> Counter[str]:
        """What the periodic jobs do, once, at the clock's current time."""
        await self.plan()
        return await self.dispatch()
