"""What every handler and job needs, built once per application and kept in `bot_data`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import CallbackContext

from bot.clinic import ClinicConfig
from bot.clock import Clock
from bot.i18n.catalogue import supported
from bot.safety.net import SafetyNet
from bot.sender import Sender
from bot.settings import Settings
from storage.db import session_scope

RUNTIME_KEY = "runtime"
DISPATCHER_KEY = "dispatcher"


@dataclass
class Runtime:
    settings: Settings
    clinic: ClinicConfig
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    sender: Sender
    detector: SafetyNet
    # Updates whose crisis reply went out before they took their chat's turn (bot/safety/handlers.py).
    answered_first: set[int] = field(default_factory=set)

    @property
    def checkin_grace(self) -> timedelta:
        return timedelta(hours=self.clinic.clinic.checkin_grace_hours)

    @property
    def note_window(self) -> timedelta:
        return timedelta(minutes=self.clinic.clinic.note_window_minutes)

    def language_for(self, telegram_language: str | None) -> str:
        """For someone the bot knows nothing more about: their app's language if the bot speaks it, else the
        clinic's."""
        return supported(telegram_language) or self.clinic.clinic.language

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The one place a unit of work is opened, committed or rolled back."""
        async with session_scope(self.sessions) as session:
            yield session


def runtime(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    return context.application.bot_data[RUNTIME_KEY]
