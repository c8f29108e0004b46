"""`moodbot demo`: the real bot against the built-in stand-in, playing a short patient conversation."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from bot.clinic import ClinicConfig
from bot.enrollment.service import create_patient, issue_invite
from bot.local import LocalBot
from bot.standin.server import SentMessage
from storage.migrate import upgrade

PATIENT = 424242
STAFF_CHAT = -1009999999999
ZONE = "America/New_York"


class Transcript:
    def __init__(self, bot: LocalBot, console: Console) -> None:
        self.bot, self.console, self.seen = bot, console, 0

    def user(self, words: str) -> None:
        self.console.print(f"[bold cyan]Sam:[/bold cyan] {words}", highlight=False)

    async def replies(self, count: int = 1) -> list[SentMessage]:
        messages = await self.bot.standin.wait_for_messages(PATIENT, self.seen + count)
        new = messages[self.seen :]
        self.seen = len(messages)
        for message in new:
            self.console.print(f"[bold green]Bot:[/bold green] {message.text}", highlight=False)
            for row in (message.reply_markup or {}).get("inline_keyboard", []):
                self.console.print("     " + "  ".join(f"[{key['text']}]" for key in row), highlight=False)
        return new


def _button(message: SentMessage, label: str) -> str:
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for key in row:
            if key["text"].startswith(label):
                return key["callback_data"]
    raise LookupError(label)


async def play(clinic: ClinicConfig, console: Console) -> None:
    if clinic.clinic.staff_chat_id is None:
        # A staff chat for the demo, so that the crisis alert can be shown too.
        clinic = clinic.model_copy(update={"clinic": clinic.clinic.model_copy(update={"staff_chat_id": STAFF_CHAT})})
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        await asyncio.to_thread(upgrade, url)
        today = datetime.now(ZoneInfo(ZONE)).date()
        start = datetime.combine(today, time(18, 0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
        async with LocalBot(database_url=url, clinic=clinic, start=start) as bot:
            async with bot.runtime.session() as session:
                patient = await create_patient(
                    session, name="Sam", timezone=ZONE, checkin_time=time(20, 0), country="US", language="en", now=start
                )
                _, code = await issue_invite(session, patient=patient, now=start, days=14)
            talk = Transcript(bot, console)
            console.rule(f"{clinic.clinic.name}: a patient joins with their invite link")
            talk.user(f"/start {code}")
            await bot.standin.send_command(PATIENT, "start", code)
            [consent] = await talk.replies()
            talk.user("(taps “Yes, I agree”)")
            await bot.standin.press_button(PATIENT, consent.message_id, _button(consent, "Yes"))
            await talk.replies()

            console.rule("Anything they write is kept in their journal")
            words = "Feeling a bit nervous about Thursday's infusion."
            talk.user(words)
            await bot.standin.send_text(PATIENT, words)
            await talk.replies()

            console.rule("20:00 in New York: the daily check-in arrives")
            bot.clock.advance(timedelta(hours=2))
            await bot.tick()
            [ask] = await talk.replies()
            talk.user("(taps 6)")
            await bot.standin.press_button(PATIENT, ask.message_id, _button(ask, "6"))
            await talk.replies()
            words = "Tired, but the walk helped."
            talk.user(words)
            await bot.standin.send_text(PATIENT, words)
            await talk.replies()

            console.rule("Settings, a photo, and the crisis lines")
            talk.user("/settings 9pm")
            await bot.standin.send_command(PATIENT, "settings", "9pm")
            await talk.replies()
            talk.user("(sends a photo)")
            await bot.standin.send_photo(PATIENT)
            await talk.replies()
            talk.user("/sos")
            await bot.standin.send_command(PATIENT, "sos")
            await talk.replies()

            console.rule("Any sign of crisis is answered at once, and the staff chat is alerted")
            words = "Some days I just don't want to wake up."
            talk.user(words)
            await bot.standin.send_text(PATIENT, words)
            await talk.replies()
            [alert] = await bot.standin.wait_for_messages(clinic.clinic.staff_chat_id or STAFF_CHAT, 1)
            console.print(f"[bold red]Staff chat:[/bold red] {alert.text}", highlight=False)
            for row in (alert.reply_markup or {}).get("inline_keyboard", []):
                console.print("     " + "  ".join(f"[{key['text']}]" for key in row), highlight=False)
            console.rule("End of the demo: everything above went through the real bot over HTTP")
