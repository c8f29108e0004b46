"""Rows and people for tests: patients enrolled through the real /start flow, staff, invite codes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, time

from sqlalchemy import select

from bot.enrollment.service import create_patient, issue_invite
from bot.local import LocalBot
from storage.models import Patient, Staff, StaffRole


async def invite(
    bot: LocalBot,
    *,
    name: str = "Ana",
    timezone: str = "America/New_York",
    checkin_time: time = time(20, 0),
    country: str = "US",
    now: datetime | None = None,
    days: int = 14,
    language: str | None = "en",
) -> tuple[int, str]:
    """A new patient and their invite code, as `moodbot patients add` makes them; `language=None` as without
    `--language` (the clinic's default until the patient's Telegram language is known)."""
    async with bot.runtime.session() as session:
        patient = await create_patient(
            session,
            name=name,
            timezone=timezone,
            checkin_time=checkin_time,
            country=country,
            language=language or bot.runtime.clinic.clinic.language,
            language_chosen=language is not None,
            now=now or bot.clock.now(),
        )
        _, code = await issue_invite(session, patient=patient, now=now or bot.clock.now(), days=days)
        return patient.id, code


def button(message: object, startswith: str) -> str:
    """The callback data of the first button whose text starts with `startswith`."""
    markup = getattr(message, "reply_markup", None) or {}
    for row in markup.get("inline_keyboard", []):
        for key in row:
            if key["text"].lower().startswith(startswith.lower()):
                return key["callback_data"]
    raise AssertionError(f"no button starting with {startswith!r} in {markup}")


async def enrol(bot: LocalBot, user_id: int, **kwargs: object) -> Patient:
    """Invite, /start CODE, press "agree": the whole real flow. Returns the patient row."""
    patient_id, code = await invite(bot, **kwargs)  # type: ignore[arg-type]
    before = len(bot.standin.sent(user_id))
    await bot.standin.send_command(user_id, "start", code)
    consent = (await bot.standin.wait_for_messages(user_id, before + 1))[-1]
    await bot.standin.press_button(user_id, consent.message_id, button(consent, "yes, i agree"))
    await bot.standin.wait_for_messages(user_id, before + 2)
    return await load_patient(bot, patient_id)


async def load_patient(bot: LocalBot, patient_id: int) -> Patient:
    async with bot.runtime.session() as session:
        return await session.get_one(Patient, patient_id)


async def add_staff(bot: LocalBot, telegram_user_id: int, name: str = "Dr. Reyes") -> None:
    async with bot.runtime.session() as session:
        if await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_user_id)) is None:
            session.add(
                Staff(
                    telegram_user_id=telegram_user_id, name=name, role=StaffRole.COUNSELOR, created_at=bot.clock.now()
                )
            )


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait until the bot has done something that leaves no message behind (a database write)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)
