"""After a whole clinic day with logging at DEBUG, as `moodbot run` sets it up, no log line holds the bot token,
an invite code, anyone's name, or a word a patient wrote."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import select

from bot.clinic import ClinicConfig
from bot.local import TOKEN, LocalBot
from bot.logging_setup import configure_logging
from storage.models import CheckIn, CrisisAlert, JournalEntry
from tests.conftest import START
from tests.factories import add_staff, button, eventually, invite

PATIENT, STRANGER, STAFF = 9101, 9102, 9103
STAFF_CHAT = -1001234567890
PATIENT_NAME = "Rosalind Quibbleworth"
STRANGER_FIRST, STRANGER_LAST = "Ignatius", "Flummox"
STAFF_NAME = "Thaddeus Marchbanks"
JOURNAL = "the cobalt heron came back to the pond"
EDITED = "the cobalt heron and a periwinkle otter"
NOTE = "saffron umbrella kind of evening"
CRISIS = "I want to kill myself, the velvetine pills are ready"
STRANGER_CRISIS = "I want to die tonight, juniperscale"
# Every logger the process uses; configure_logging changes their levels, and the test puts them back.
LOGGERS = ("", "httpx", "httpcore", "aiohttp.access", "apscheduler", "telegram", "sqlalchemy", "aiosqlite", "asyncpg")


class Capture(logging.Handler):
    """Each record as it reaches the root, before any handler's filter: the message and any traceback."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.lines: list[str] = []
        self.loggers: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.loggers.add(record.name)
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        if record.stack_info:
            text += "\n" + record.stack_info
        self.lines.append(text)


@contextmanager
def logging_as_in_production() -> Iterator[Capture]:
    """`moodbot run`'s logging at DEBUG, with a capture in front of its handler; all undone afterwards."""
    root = logging.getLogger()
    handlers, levels = list(root.handlers), {name: logging.getLogger(name).level for name in LOGGERS}
    configure_logging("DEBUG", secrets=[TOKEN])
    capture = Capture()
    # First in line: the production handler's redacting filter rewrites records, and a leak must not hide behind it.
    root.handlers.insert(0, capture)
    try:
        yield capture
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def alert_copies(bot: LocalBot, count: int) -> bool:
    async with bot.runtime.session() as session:
        return [len(a.staff_messages) for a in await session.scalars(select(CrisisAlert))] == [count]


async def replies(bot: LocalBot, chat_id: int, count: int) -> list:
    return await bot.standin.wait_for_messages(chat_id, count)


async def clinic_day(bot: LocalBot) -> str:
    """Enrol and consent, a scheduled check-in with a note, journal entries and an edit, a crisis and its
    acknowledgement, a stranger in crisis, both exports, a failed send and a restart. Returns the invite code."""
    standin = bot.standin
    patient_id, code = await invite(bot, name=PATIENT_NAME)
    await add_staff(bot, STAFF, name=STAFF_NAME)
    await standin.send_command(PATIENT, "start", code, first_name="Rosalind", last_name="Quibbleworth")
    [consent] = await replies(bot, PATIENT, 1)
    await standin.press_button(PATIENT, consent.message_id, button(consent, "yes, i agree"))
    await replies(bot, PATIENT, 2)

    bot.clock.set(datetime(2026, 3, 3, 1, 0, tzinfo=UTC))  # 20:00 in New York: the check-in is due
    await bot.tick()
    ask = (await replies(bot, PATIENT, 3))[-1]
    await standin.press_button(PATIENT, ask.message_id, button(ask, "6"))
    await replies(bot, PATIENT, 4)
    await standin.send_text(PATIENT, NOTE)
    await replies(bot, PATIENT, 5)

    entry = await standin.send_text(PATIENT, JOURNAL)
    await replies(bot, PATIENT, 6)
    await standin.edit_text(PATIENT, entry["message_id"], EDITED)
    await standin.send_text(PATIENT, CRISIS)
    await replies(bot, PATIENT, 7)
    alert = await standin.wait_for(lambda: [m for m in standin.sent(STAFF_CHAT) if m.buttons] or None)
    # A press in the moment before the bot records where its copy is leaves that copy unedited: wait that out.
    await eventually(lambda: alert_copies(bot, 1))
    await standin.press_button(STAFF, alert[0].message_id, button(alert[0], "Acknowledge"), chat_id=STAFF_CHAT)
    await standin.wait_for(lambda: "Acknowledged" in (standin.sent(STAFF_CHAT)[0].text or ""))

    await standin.send_text(STRANGER, STRANGER_CRISIS, first_name=STRANGER_FIRST, last_name=STRANGER_LAST)
    await replies(bot, STRANGER, 1)
    await standin.wait_for(lambda: any(STRANGER_LAST in (m.text or "") for m in standin.sent(STAFF_CHAT)))

    await standin.send_command(PATIENT, "mydata", "csv")
    await standin.wait_for(lambda: any(m.kind == "document" for m in standin.sent(PATIENT)))
    await standin.send_command(STAFF, "export", str(patient_id))
    await standin.wait_for(lambda: any(m.kind == "document" for m in standin.sent(STAFF)))

    standin.fail_next("sendMessage", status=400, chat_id=PATIENT, description="Bad Request: chat not found")
    before, asked = len(standin.sent(PATIENT)), len(standin.requests)
    await standin.send_command(PATIENT, "help")
    await standin.wait_for(
        lambda: any(m == "sendMessage" and p.get("chat_id") == PATIENT for m, p in standin.requests[asked:])
    )
    await bot.restart()
    await standin.send_command(PATIENT, "sos")
    await replies(bot, PATIENT, before + 1)
    return code


async def test_no_log_line_holds_the_token_names_or_what_patients_wrote(
    database_url: str, clinic: ClinicConfig
) -> None:
    with logging_as_in_production() as capture:
        async with LocalBot(database_url=database_url, clinic=clinic, start=START) as bot:
            code = await clinic_day(bot)
            async with bot.runtime.session() as session:
                kept = set(await session.scalars(select(JournalEntry.text)))
                notes = set(await session.scalars(select(CheckIn.note)))
    assert {EDITED, CRISIS} <= kept and NOTE in notes  # the day happened as written
    assert any(name.startswith("telegram.ext") for name in capture.loggers)
    assert any(name.startswith("bot.") for name in capture.loggers)

    secrets = {
        "the bot token": TOKEN,
        "the token's secret half": TOKEN.split(":", 1)[1],
        "the invite code": code,
    }
    words = {
        "a journal entry": "cobalt heron",
        "an edit": "periwinkle",
        "a check-in note": "saffron umbrella",
        "a crisis message": "velvetine",
        "a stranger's crisis message": "juniperscale",
        "the patient's name": "Quibbleworth",
        "the patient's first name": "Rosalind",
        "the stranger's name": "Flummox",
        "the stranger's first name": "Ignatius",
        "the staff member's name": "Marchbanks",
    }
    log = "\n".join(capture.lines)
    leaked = [what for what, secret in secrets.items() if secret in log]
    leaked += [what for what, word in words.items() if word.lower() in log.lower()]
    assert not leaked, f"the log holds {leaked}: " + "; ".join(
        line[:200]
        for line in capture.lines
        if any(w.lower() in line.lower() for w in [*secrets.values(), *words.values()])
    )
