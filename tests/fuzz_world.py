"""The world the update fuzzer runs in, and what must stay true after every update.

A silent patient (the victim) holds real rows of every kind — journal, a check-in with a note, a questionnaire
under way, an appointment, a crisis alert, an erase prompt — and never writes again. Two other patients, two
strangers and a member of staff then send whatever `tests/update_strategies.py` draws, with the victim's real
button data and ids among the forgeries. Replies are read back from the stand-in's request log.

Updates the stand-in can play (private chats, supergroups, edits, presses, media) are queued there and fetched
with a real getUpdates over HTTP; the rest (basic groups, channels, inline presses, reactions, member changes)
are de-jsoned against the same bot. Either way `Application.process_update` runs them one at a time, so every
check below knows which update it is about.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import DeclarativeBase
from telegram import Update

from bot.app import dispatch_due
from bot.appointments import service as appointments
from bot.local import LocalBot
from bot.patients import is_enrolled
from bot.standin.formatting import detect_entities
from bot.standin.models import UploadedFile
from storage.crypto import EncryptedText
from storage.models import (
    Appointment,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    Invite,
    JournalEntry,
    Patient,
    QuestionnaireResponse,
    Staff,
)
from tests.factories import add_staff, enrol
from tests.update_strategies import (
    VICTIM,
    Command,
    Edit,
    Forged,
    Media,
    Odd,
    Press,
    RealPress,
    Step,
    Text,
)

VICTIM_ID = 8100
PEOPLE = {"bea": 8101, "cy": 8102, "eve": 8103, "odd": 8104, "rey": 8105}
PATIENTS = ("bea", "cy")
STAFF_CHAT = -1001234567890
FALLBACK_CHAT = 7777
OTHER_GROUP = -1005555555555
BASIC_GROUP = -4242
CHANNEL = -1009999999999
# The victim's words: none of them may reach anyone but the staff.
VICTIM_NAME = "Quintessa Vantablack"
JOURNAL = "zephyrquill by the river this morning"
NOTE = "marmalighthouse after the infusion"
CRISIS = "I want to kill myself, the zarquon pills are ready"
MARKERS = ("quintessa", "vantablack", "zephyrquill", "marmalighthouse", "zarquon")
# The patients' own rows; crisis alerts are left out because sweeps and staff change them by design.
OWNED: tuple[type[DeclarativeBase], ...] = (
    Patient,
    Invite,
    CheckIn,
    JournalEntry,
    Appointment,
    QuestionnaireResponse,
    CrisisEvent,
)  # type: ignore[assignment]
TAKEN = (
    "rounds", "next_alert_at", "escalated_at", "acknowledged_at", "acknowledged_by", "acknowledged_by_name",
    "staff_messages",
)  # fmt: skip
REPLIES = ("sendMessage", "editMessageText", "editMessageCaption", "sendDocument", "sendPhoto", "answerCallbackQuery")


class Errors(logging.Handler):
    """Every record at ERROR or above, from any logger: `on_error` and every `log.exception` land here."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> str:
        return "; ".join(
            f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else f"{r.name}: {r.getMessage()}"
            for r in self.records
        )


@contextmanager
def errors_logged() -> Iterator[Errors]:
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@dataclass
class Victim:
    patient_id: int
    button_data: list[str]  # every callback data the bot showed the victim, and the staff about the victim
    ids: list[int]  # the ids of every row of the victim's
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class World:
    bot: LocalBot
    errors: Errors
    victim: Victim
    staff_id: int
    offset: int
    # Each person's texts in their private chat, by message id: the original and every edit.
    ledger: dict[int, dict[int, list[str]]] = field(default_factory=dict)
    texts: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (user, chat) -> text message ids
    seen: int = 0  # the stand-in's requests checked so far
    raw_ids: int = 10**9
    fingerprints: dict[int, Any] = field(default_factory=dict)
    updates: int = 0

    # Running one step ---------------------------------------------------------------------------------------

    async def run(self, step: Step) -> None:
        app = self.bot.app
        assert app is not None
        self.bot.clock.advance(timedelta(minutes=step.minutes))
        self.errors.records.clear()
        self.seen = len(self.bot.standin.requests)
        user = PEOPLE[step.actor]
        update, kept = await self._update(step, user)
        await app.process_update(update)
        self.updates += 1
        await self._check(step, user, update, kept)
        if step.dispatch:
            await dispatch_due(app)
            await self._check_replies(step, user)
            assert await self._victim_rows() == self.victim.rows, "sending what was due changed the victim's rows"
            self.fingerprints = await self._fingerprints()

    async def _update(self, step: Step, user: int) -> tuple[Update, int | None]:
        """The update, and the id of the private text message it carries (whose words must be kept)."""
        chat = {"private": user, "staff": STAFF_CHAT, "group": OTHER_GROUP}.get(step.place)
        if chat is None:
            return self._raw(step, user), None
        standin, action = self.bot.standin, step.action
        profile: dict[str, Any] = {"first_name": step.name} if step.name else {}
        kept = None
        if isinstance(action, Text | Command):
            text = action.text if isinstance(action, Text) else _command(action)
            message = await standin.send_text(user, text, chat_id=chat, **profile)
            self._remember(user, chat, message["message_id"], text)
            kept = message["message_id"]
        elif isinstance(action, Edit):
            own = self.texts.get((user, chat), [])
            if action.pick is None or not own:
                return self._raw_edit(user, chat, action.text, step.name), None
            message_id = own[action.pick % len(own)]
            await standin.edit_text(user, message_id, action.text, chat_id=chat)
            if chat == user:
                self.ledger[user][message_id].append(action.text)
            kept = message_id
        elif isinstance(action, Press | RealPress):
            message_id, data = self._press(action, chat)
            await standin.press_button(user, message_id, data, chat_id=chat, **profile)
        elif isinstance(action, Media):
            await self._media(action, user, chat, profile)
        else:
            return self._raw(step, user), None
        [update] = await self.bot.app.bot.get_updates(offset=self.offset, timeout=0)  # type: ignore[union-attr]
        self.offset = update.update_id + 1
        return update, kept if chat == user else None

    def _remember(self, user: int, chat: int, message_id: int, text: str) -> None:
        self.texts.setdefault((user, chat), []).append(message_id)
        if chat == user:
            self.ledger.setdefault(user, {}).setdefault(message_id, []).append(text)

    def _press(self, action: Press | RealPress, chat: int) -> tuple[int, str]:
        mine = [m for m in self.bot.standin.sent(chat) if not m.deleted]
        if isinstance(action, RealPress):
            shown = [(m.message_id, data) for m in mine for _, data in m.buttons if data]
            if shown:
                return shown[action.pick % len(shown)]
            return 10**6 + action.pick, "ci:1:1"
        data = self._forged(action.data, action.pick)
        if action.on is None or not mine:
            return 10**6 + action.pick, data  # a message the bot never sent
        return mine[action.on % len(mine)].message_id, data

    def _forged(self, forged: Forged | None, pick: int) -> str:
        if forged is None:
            return self.victim.button_data[pick % len(self.victim.button_data)]
        ident = str(self.victim.ids[pick % len(self.victim.ids)]) if forged.ident == VICTIM else forged.ident
        return f"{forged.prefix}:{ident}{forged.tail}" if forged.prefix else forged.tail

    async def _media(self, action: Media, user: int, chat: int, profile: dict[str, Any]) -> None:
        send = getattr(self.bot.standin, f"send_{action.kind}")
        if action.kind in ("photo", "voice", "document"):
            await send(user, chat_id=chat, caption=action.caption, **profile)
        else:
            await send(user, chat_id=chat, **profile)

    # Updates the stand-in cannot play -----------------------------------------------------------------------

    def _next_raw(self) -> int:
        self.raw_ids += 1
        return self.raw_ids

    def _raw(self, step: Step, user: int) -> Update:
        """Basic groups, channels and the odd kinds of update, built as Telegram would send them."""
        person = {"id": user, "is_bot": False, "first_name": step.name or "Test"}
        chat: dict[str, Any] = {"id": BASIC_GROUP, "type": "group", "title": "A basic group"}
        if step.place == "channel":
            chat = {"id": CHANNEL, "type": "channel", "title": "A channel"}
        elif step.place in ("private", "staff", "group"):
            chat = {"id": user, "type": "private", "first_name": step.name or "Test"}
        message: dict[str, Any] = {"message_id": self._next_raw(), "chat": chat, "date": self._now()}
        if chat["type"] == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = person
        action = step.action
        payload: dict[str, Any]
        if isinstance(action, Odd):
            payload = self._odd(action, person, chat, message)
        elif isinstance(action, Press | RealPress):
            data = self._forged(action.data if isinstance(action, Press) else None, action.pick)
            payload = {
                "callback_query": {
                    "id": str(self._next_raw()), "from": person, "chat_instance": "1", "message": message,
                    "data": data,
                }
            }  # fmt: skip
        elif isinstance(action, Media):
            message["sticker"] = {
                "file_id": "x", "file_unique_id": "x", "type": "regular", "width": 1, "height": 1,
                "is_animated": False, "is_video": False,
            }  # fmt: skip
            payload = {"channel_post" if chat["type"] == "channel" else "message": message}
        else:
            text = _command(action) if isinstance(action, Command) else action.text  # type: ignore[union-attr]
            message["text"] = text
            if entities := detect_entities(text):
                message["entities"] = entities
            if isinstance(action, Edit):
                message["edit_date"] = self._now()
            kind = "edited_" if isinstance(action, Edit) else ""
            payload = {kind + ("channel_post" if chat["type"] == "channel" else "message"): message}
        return Update.de_json({"update_id": self._next_raw(), **payload}, self.bot.app.bot)  # type: ignore[union-attr]

    def _raw_edit(self, user: int, chat: int, text: str, name: str | None) -> Update:
        """An edit of a message nobody knows: the bot was down when it was sent, or it never existed."""
        message_id = self._next_raw()
        chat_dict = (
            {"id": chat, "type": "private"} if chat == user else {"id": chat, "type": "supergroup", "title": "G"}
        )
        message: dict[str, Any] = {
            "message_id": message_id, "chat": chat_dict, "date": self._now() - 60, "edit_date": self._now(),
            "from": {"id": user, "is_bot": False, "first_name": name or "Test"}, "text": text,
        }  # fmt: skip
        if entities := detect_entities(text):
            message["entities"] = entities
        if chat == user:
            self.ledger.setdefault(user, {}).setdefault(message_id, []).append(text)
        return Update.de_json({"update_id": self._next_raw(), "edited_message": message}, self.bot.app.bot)  # type: ignore[union-attr]

    def _odd(
        self, action: Odd, person: dict[str, Any], chat: dict[str, Any], message: dict[str, Any]
    ) -> dict[str, Any]:
        me = self.bot.standin.bot_user
        if action.kind == "inline_press":
            return {
                "callback_query": {
                    "id": str(self._next_raw()), "from": person, "chat_instance": "2",
                    "inline_message_id": f"inline-{action.pick}", "data": self._forged(None, action.pick),
                }
            }  # fmt: skip
        if action.kind == "reaction":
            return {
                "message_reaction": {
                    "chat": chat, "message_id": 1 + action.pick, "user": person, "date": self._now(),
                    "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}],
                }
            }  # fmt: skip
        if action.kind == "blocked":
            return {
                "my_chat_member": {
                    "chat": chat, "from": person, "date": self._now(),
                    "old_chat_member": {"status": "member", "user": me},
                    "new_chat_member": {"status": "kicked", "user": me, "until_date": 0},
                }
            }  # fmt: skip
        message["new_chat_members"] = [person, me]
        return {"channel_post" if chat["type"] == "channel" else "message": message}

    def _now(self) -> int:
        return int(self.bot.clock.now().timestamp())

    # What must stay true -------------------------------------------------------------------------------------

    async def _check(self, step: Step, user: int, update: Update, kept: int | None) -> None:
        assert not self.errors.records, f"an update failed: {self.errors.describe()}"
        await self._check_replies(step, user)
        assert await self._victim_rows() == self.victim.rows, "the victim's rows changed"
        await self._check_alert_taken_by_staff()
        prints = await self._fingerprints()
        actor = await self._patient_of(user)
        changed = [p for p, rows in prints.items() if p != actor and self.fingerprints.get(p) != rows]
        assert not changed, f"an update from {step.actor} changed the rows of patient(s) {changed}"
        self.fingerprints = prints
        await self._check_journal(user, actor, update, kept)

    async def _check_replies(self, step: Step, user: int) -> None:
        """Nothing reaches the victim's chat, and nothing about the victim reaches anyone but the staff."""
        staff = {STAFF_CHAT, FALLBACK_CHAT, PEOPLE["rey"]}
        for method, params in self.bot.standin.requests[self.seen :]:
            if method not in REPLIES:
                continue
            chat = user if method == "answerCallbackQuery" else params.get("chat_id")
            assert chat != VICTIM_ID, f"{method} went to the silent victim after an update from {step.actor}"
            if chat in staff:
                continue
            words = " ".join(_readable(value) for value in params.values()).lower()
            leaked = [marker for marker in MARKERS if marker in words]
            assert not leaked, f"{method} to chat {chat} holds the victim's {leaked}"
        self.seen = len(self.bot.standin.requests)

    async def _victim_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of the victim's, decrypted, in full; of the crisis alert what only the victim changes."""
        rows: dict[str, list[dict[str, Any]]] = {}
        async with self.bot.runtime.session() as session:
            for model in (*OWNED, CrisisAlert):
                table = model.__table__
                owner = table.c.id if model is Patient else table.c.patient_id
                found = await session.scalars(select(model).where(owner == self.victim.patient_id))
                rows[table.name] = [
                    {c.key: getattr(row, c.key) for c in model.__mapper__.column_attrs if c.key not in TAKEN}
                    for row in found
                ]
        return rows

    async def _check_alert_taken_by_staff(self) -> None:
        async with self.bot.runtime.session() as session:
            takers = set(
                await session.scalars(
                    select(CrisisAlert.acknowledged_by).where(CrisisAlert.patient_id == self.victim.patient_id)
                )
            )
        assert takers <= {None, self.staff_id}, f"the victim's alert was taken by {takers}"

    async def _fingerprints(self) -> dict[int, Any]:
        """Per patient, every owned row as it is stored (encrypted columns by their length): cheap to compare."""
        prints: dict[int, list[Any]] = {}
        async with self.bot.runtime.session() as session:
            for model in OWNED:
                table = model.__table__  # type: ignore[attr-defined]
                owner = table.c.id if model is Patient else table.c.patient_id
                columns = [func.length(c) if isinstance(c.type, EncryptedText) else cast(c, String) for c in table.c]
                result = await session.execute(select(owner, *columns).order_by(table.c.id))
                for owner_id, *values in result:
                    prints.setdefault(owner_id, []).append((table.name, *values))
        return prints

    async def _patient_of(self, user: int) -> int | None:
        async with self.bot.runtime.session() as session:
            return await session.scalar(select(Patient.id).where(Patient.telegram_user_id == user))

    async def _check_journal(self, user: int, actor: int | None, update: Update, kept: int | None) -> None:
        """Each patient's entries and notes hold only what that patient wrote; a new text is kept word for word."""
        async with self.bot.runtime.session() as session:
            owners = dict((await session.execute(select(Patient.id, Patient.telegram_user_id))).all())
            entries = (await session.execute(select(JournalEntry.patient_id, JournalEntry.telegram_message_id))).all()
            notes = (
                await session.execute(
                    select(CheckIn.patient_id, CheckIn.note_message_id).where(CheckIn.note_message_id.is_not(None))
                )
            ).all()
            for patient_id, message_id in [*entries, *notes]:
                written = self.ledger.get(owners.get(patient_id, 0), {})
                assert message_id in written, f"patient {patient_id} holds message {message_id} they never wrote"
            if kept is None or actor is None:
                return
            patient = await session.get_one(Patient, actor)
            message = update.effective_message
            command = bool(message and message.entities and message.entities[0].type == "bot_command")
            command = command and message is not None and message.entities[0].offset == 0
            stored = [
                *await session.scalars(
                    select(JournalEntry.text).where(
                        JournalEntry.patient_id == actor, JournalEntry.telegram_message_id == kept
                    )
                ),
                *await session.scalars(
                    select(CheckIn.note).where(CheckIn.patient_id == actor, CheckIn.note_message_id == kept)
                ),
            ]
        latest = self.ledger[user][kept][-1]
        if is_enrolled(patient) and not command and update.message is not None:
            assert stored == [latest], f"a new text from patient {actor} was kept as {len(stored)} row(s)"
        else:
            assert all(text in self.ledger[user][kept] for text in stored)


def _command(action: Command) -> str:
    return f"/{action.name}{action.mention}" + (f" {action.args}" if action.args else "")


def _readable(value: Any) -> str:
    """What a person would read in a request's parameter: the text, or the words of a file sent to them."""
    if isinstance(value, UploadedFile):
        if value.data.startswith(b"%PDF"):
            return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(value.data)).pages)
        return value.data.decode("utf-8", "replace")
    return str(value)


async def build_world(bot: LocalBot, errors: Errors) -> World:
    """Enrol everyone through the real flow, give the victim rows of every kind, then stop polling."""
    victim = await enrol(bot, VICTIM_ID, name=VICTIM_NAME)
    for person in PATIENTS:
        await enrol(bot, PEOPLE[person], name=person.title())
    await add_staff(bot, PEOPLE["rey"])
    await bot.standin.wait_until_idle()
    assert bot.app is not None and bot.app.updater is not None
    await bot.app.updater.stop()
    world = World(
        bot=bot,
        errors=errors,
        victim=Victim(patient_id=victim.id, button_data=[], ids=[]),
        staff_id=0,
        offset=bot.standin.last_update_id + 1,
    )
    await _give_the_victim_rows(world)
    async with bot.runtime.session() as session:
        world.staff_id = await session.scalar(select(Staff.id).where(Staff.telegram_user_id == PEOPLE["rey"])) or 0
        ids: set[int] = {victim.id}
        for model in OWNED[1:]:
            table = model.__table__  # type: ignore[attr-defined]
            ids.update(await session.scalars(select(table.c.id).where(table.c.patient_id == victim.id)))
        ids.update(await session.scalars(select(CrisisAlert.id).where(CrisisAlert.patient_id == victim.id)))
    world.victim.ids = sorted(ids)
    world.victim.button_data = [
        data
        for chat in (VICTIM_ID, STAFF_CHAT)
        for message in bot.standin.sent(chat)
        for _, data in message.buttons
        if data
    ]
    assert {data.split(":")[0] for data in world.victim.button_data} >= {"ci", "qa", "er", "ack"}
    world.victim.rows = await world._victim_rows()
    world.fingerprints = await world._fingerprints()
    assert not errors.records, errors.describe()
    return world


async def _give_the_victim_rows(world: World) -> None:
    """The victim writes, checks in with a note, starts a PHQ-9, is in crisis, opens /delete and pauses; and has
    an infusion booked for next year."""
    standin = world.bot.standin

    async def send(text: str) -> None:
        message = await standin.send_text(VICTIM_ID, text)
        world._remember(VICTIM_ID, VICTIM_ID, message["message_id"], text)
        await deliver()

    async def press(prefix: str, suffix: str = "") -> None:
        for message in reversed(standin.sent(VICTIM_ID)):
            for _, data in message.buttons:
                if data and data.startswith(prefix) and data.endswith(suffix):
                    await standin.press_button(VICTIM_ID, message.message_id, data)
                    await deliver()
                    return
        raise AssertionError(f"no {prefix}…{suffix} button for the victim")

    async def deliver() -> None:
        assert world.bot.app is not None
        for update in await world.bot.app.bot.get_updates(offset=world.offset, timeout=0):
            await world.bot.app.process_update(update)
            world.offset = update.update_id + 1

    await send(JOURNAL)
    await send("/checkin")
    await press("ci:", ":3")
    await send(NOTE)
    await send("/phq9")
    await press("qa:")
    await send(CRISIS)
    await send("/delete")
    await send("/pause")  # no check-ins of the victim's own come due while the others write
    async with world.bot.runtime.session() as session:
        await appointments.book(
            session, patient_id=world.victim.patient_id, kind="infusion",
            starts_at=datetime(2027, 6, 1, 15, 0, tzinfo=UTC), duration_minutes=None, location=None,
            notes=None, config=world.bot.clinic, now=world.bot.clock.now(),
        )  # fmt: skip
    await dispatch_due(world.bot.app)  # type: ignore[arg-type]
