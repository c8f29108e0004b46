"""The crisis net through the stand-in: an answer that fits the certainty, and alerts that always reach someone.

Most tests give the learned layer fixed answers for their messages, so that what they test (the question and its
answers, someone else's crisis, a resolved past) does not move when the model is retrained; the last ones use the
packaged model as it is."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clinic import ClinicConfig, load_clinic_config
from bot.local import LocalBot
from bot.safety.corpus import CRISIS_LABELS
from bot.safety.model import CrisisModel, Prediction
from storage.models import CrisisAlert, CrisisEvent, JournalEntry, OutboxMessage
from tests.conftest import CLINIC_TOML, START
from tests.e2e.test_crisis import alert_state, alerts, rows
from tests.factories import add_staff, button, enrol, eventually

ANA = 6101
BEN = 6102
STAFF = 6103
STAFF_CHAT = -1001234567890
FALLBACK = 7777
UNSURE = "everything is grey and I keep thinking about the cabinet"
SOMEONE = "my roommate keeps saying she wants to disappear for good"
PAST = "a year ago I had it all planned out. today I went hiking with my kids"


class FixedModel(CrisisModel):
    """The learned layer with a fixed answer per message (and "none" for anything else)."""

    def __init__(self, answers: dict[str, dict[str, float]]) -> None:
        self.answers = answers
        self.meta = {"examples": 0, "corpus": "fixed"}

    def predict(self, text: str, signals: Iterable[str] = ()) -> Prediction:
        labels = (*CRISIS_LABELS, "other_person", "past", "none")
        given = self.answers.get(text, {"none": 1.0})
        rest = (1 - sum(given.values())) / max(1, len(labels) - len(given))
        return Prediction({label: given.get(label, rest) for label in labels})


FIXED = FixedModel(
    {
        UNSURE: {"ideation": 0.45, "imminent": 0.06, "self_harm": 0.02, "none": 0.47},
        SOMEONE: {"other_person": 0.85, "ideation": 0.05},
        PAST: {"past": 0.8, "imminent": 0.05},
    }
)


@pytest.fixture
def fixed(bot: LocalBot) -> LocalBot:
    bot.runtime.detector.attach(FIXED)
    return bot


def notices(bot: LocalBot, chat_id: int = STAFF_CHAT) -> list:
    return [m for m in bot.standin.sent(chat_id) if "Notice, not a crisis alert" in (m.text or "")]


async def ask(bot: LocalBot, user_id: int, before: int) -> object:
    await bot.standin.send_text(user_id, UNSURE)
    question = (await bot.standin.wait_for_messages(user_id, before + 1))[-1]
    assert "thoughts of ending your life" in question.text and "988" in question.text
    return question


async def entry_flag(bot: LocalBot) -> str | None:
    [entry] = await rows(bot, JournalEntry)
    return entry.flag


async def test_a_possible_crisis_is_asked_about_with_the_lines_and_three_buttons(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    question = await ask(bot, ANA, 2)
    assert [label for label, _ in bot.standin.buttons(question)] == ["Yes", "No", "I'd like a call"]

    async def recorded() -> bool:
        return [e.flag for e in await rows(bot, JournalEntry)] == ["possible"]

    await eventually(recorded)
    [event] = await rows(bot, CrisisEvent)
    assert (event.tier, event.answer, event.alert_id, event.score) == ("possible", None, None, 0.53)
    assert await rows(bot, CrisisAlert) == []
    assert alerts(bot) == [] and notices(bot) == []
    assert len(bot.standin.sent(ANA)) == 3  # the question is the answer: no "saved to your journal"


async def test_yes_takes_the_full_crisis_path_and_staff_see_the_answer(fixed: LocalBot) -> None:
    bot = fixed
    patient = await enrol(bot, ANA)
    question = await ask(bot, ANA, 2)
    await bot.standin.press_button(ANA, question.message_id, button(question, "Yes"))
    reply = (await bot.standin.wait_for_messages(ANA, 4))[-1]
    assert "988" in reply.text and "care team" in reply.text
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert f"Patient #{patient.id}" in alert.text and UNSURE in alert.text
    assert "answered yes" in alert.text and "53%" in alert.text
    assert bot.standin.buttons(alert)[0][0] == "Acknowledge"
    edited = bot.standin.message(ANA, question.message_id)
    assert edited is not None and "Your answer: Yes" in edited.text and not bot.standin.buttons(edited)

    async def answered() -> bool:
        events = sorted(await rows(bot, CrisisEvent), key=lambda e: e.id)
        return [(e.tier, e.answer) for e in events] == [("possible", "yes"), ("ideation", "yes")]

    await eventually(answered)
    assert await entry_flag(bot) == "possible:yes"


async def test_a_call_request_alerts_the_staff_to_call_back(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    question = await ask(bot, ANA, 2)
    await bot.standin.press_button(ANA, question.message_id, button(question, "I'd like a call"))
    reply = (await bot.standin.wait_for_messages(ANA, 4))[-1]
    assert "asked your care team to call you" in reply.text and "988" in reply.text
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert "asked for a call" in alert.text


async def test_no_gets_a_kind_word_flags_the_entry_and_sends_no_notice(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    question = await ask(bot, ANA, 2)
    await bot.standin.press_button(ANA, question.message_id, button(question, "No"))
    reply = (await bot.standin.wait_for_messages(ANA, 4))[-1]
    assert "Thank you for letting me know" in reply.text and "/sos" in reply.text

    async def flagged() -> bool:
        return await entry_flag(bot) == "possible:no"

    await eventually(flagged)
    bot.clock.advance(timedelta(hours=1))
    await bot.tick()
    assert notices(bot) == [] and alerts(bot) == []
    [event] = await rows(bot, CrisisEvent)
    assert event.answer == "no"


async def test_no_answer_in_thirty_minutes_tells_the_staff_and_a_late_yes_still_counts(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    asked_at = bot.clock.now()
    question = await ask(bot, ANA, 2)
    yes = button(question, "Yes")

    async def kept() -> bool:
        return [e.flag for e in await rows(bot, JournalEntry)] == ["possible"]

    await eventually(kept)
    bot.clock.set(asked_at + timedelta(minutes=29, seconds=59))
    await bot.tick()
    assert notices(bot) == []
    bot.clock.set(asked_at + timedelta(minutes=30))
    await bot.tick()
    [notice] = notices(bot)
    assert "30 minutes" in notice.text and UNSURE in notice.text and "53%" in notice.text
    assert bot.standin.buttons(notice) == []  # a notice, not an alert to acknowledge
    assert await entry_flag(bot) == "possible:unanswered"
    bot.clock.advance(timedelta(hours=2))
    await bot.tick()
    assert len(notices(bot)) == 1
    await bot.standin.press_button(ANA, question.message_id, yes)
    await bot.standin.wait_for(lambda: alerts(bot) or None)


async def _event_exists(bot: LocalBot) -> bool:
    return bool(await rows(bot, CrisisEvent))


async def _queued(bot: LocalBot, kind: str) -> bool:
    return any(row.kind == kind for row in await rows(bot, OutboxMessage))


async def test_the_question_survives_a_restart(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    asked_at = bot.clock.now()
    await ask(bot, ANA, 2)
    await eventually(lambda: _event_exists(bot))
    await bot.restart()
    bot.runtime.detector.attach(FIXED)
    bot.clock.set(asked_at + timedelta(minutes=31))
    await bot.tick()
    assert len(notices(bot)) == 1


async def test_someone_elses_press_a_second_press_and_a_forged_press(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    question = await ask(bot, ANA, 2)
    yes = button(question, "Yes")
    query = await bot.standin.press_button(BEN, question.message_id, yes, chat_id=ANA)
    assert "someone else" in (await bot.standin.wait_for_answer(query))["text"]
    query = await bot.standin.press_button(ANA, question.message_id, "pq:999999:y")
    assert "no longer works" in (await bot.standin.wait_for_answer(query))["text"]
    query = await bot.standin.press_button(ANA, question.message_id, "pq:1:z")
    assert "no longer works" in (await bot.standin.wait_for_answer(query))["text"]
    await bot.standin.press_button(ANA, question.message_id, button(question, "No"))
    await bot.standin.wait_for_messages(ANA, 4)
    query = await bot.standin.press_button(ANA, question.message_id, yes)
    assert "answered this already" in (await bot.standin.wait_for_answer(query))["text"]
    assert alerts(bot) == []


async def test_a_stranger_is_asked_too_without_a_call_button(fixed: LocalBot) -> None:
    bot = fixed
    await bot.standin.send_text(BEN, UNSURE, first_name="Ben")
    [question] = await bot.standin.wait_for_messages(BEN, 1)
    assert [label for label, _ in bot.standin.buttons(question)] == ["Yes", "No"]
    await bot.standin.press_button(BEN, question.message_id, button(question, "Yes"))
    [alert] = await bot.standin.wait_for(lambda: alerts(bot) or None)
    assert "Ben" in alert.text and "answered yes" in alert.text


async def test_when_the_question_cannot_be_recorded_the_crisis_path_runs(fixed: LocalBot) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    bot = fixed
    await enrol(bot, ANA)
    bot.runtime.sessions = async_sessionmaker(create_async_engine("sqlite+aiosqlite:////nonexistent/x.db"))
    await bot.standin.send_text(ANA, UNSURE)
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    assert "988" in reply.text and "thoughts of ending your life" not in reply.text
    [alert] = await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
    assert "could not be reached" in alert.text


async def test_someone_elses_crisis_gets_how_to_help_and_a_notice(fixed: LocalBot) -> None:
    bot = fixed
    patient = await enrol(bot, ANA)
    await bot.standin.send_text(ANA, SOMEONE)
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    assert "worried about someone" in reply.text and "emergency number" in reply.text
    assert reply.text.index("911") < reply.text.index("988")
    await eventually(lambda: _queued(bot, "staff_notice"))
    await bot.tick()  # a notice goes out with the next dispatch, not at once
    [notice] = notices(bot)
    assert f"#{patient.id}" in notice.text and SOMEONE in notice.text and bot.standin.buttons(notice) == []

    async def flagged() -> bool:
        return [e.flag for e in await rows(bot, JournalEntry)] == ["other_person"]

    await eventually(flagged)
    assert await rows(bot, CrisisAlert) == [] and await rows(bot, CrisisEvent) == []
    assert len(bot.standin.sent(ANA)) == 3


async def test_a_rule_about_someone_else_works_without_the_model(bot: LocalBot) -> None:
    bot.runtime.detector.attach(None)
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "my brother just told me he wants to kill himself")
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    assert "worried about someone" in reply.text
    await eventually(lambda: _queued(bot, "staff_notice"))
    await bot.tick()
    assert len(notices(bot)) == 1 and alerts(bot) == []


async def test_a_resolved_past_is_kept_flagged_without_an_alert(fixed: LocalBot) -> None:
    bot = fixed
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, PAST)
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    assert "journal" in reply.text

    async def flagged() -> bool:
        return [e.flag for e in await rows(bot, JournalEntry)] == ["past"]

    await eventually(flagged)
    bot.clock.advance(timedelta(hours=1))
    await bot.tick()
    assert alerts(bot) == [] and notices(bot) == [] and await rows(bot, CrisisEvent) == []


# --- Alerts that always reach someone -------------------------------------------------------------------------


async def test_a_staff_chat_that_does_not_exist_sends_the_alert_to_the_fallback_at_once(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    bot.standin.forget_chat(STAFF_CHAT)
    await bot.standin.send_text(ANA, "I want to die")
    [fallback] = await bot.standin.wait_for_messages(FALLBACK, 1)
    assert "Crisis alert" in fallback.text and bot.standin.buttons(fallback)[0][0] == "Acknowledge"
    await alert_state(bot, escalated_at=bot.clock.now())


async def test_a_migrated_group_sends_the_alert_to_the_fallback_at_once(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    bot.standin.fail_next(
        "sendMessage",
        status=400,
        chat_id=STAFF_CHAT,
        description="Bad Request: group chat was upgraded to a supergroup chat",
    )
    await bot.standin.send_text(ANA, "I want to die")
    [fallback] = await bot.standin.wait_for_messages(FALLBACK, 1)
    assert "Crisis alert" in fallback.text


@pytest.fixture
def no_fallback(tmp_path: object) -> ClinicConfig:
    from pathlib import Path

    path = Path(str(tmp_path)) / "clinic.toml"
    path.write_text(CLINIC_TOML.replace("fallback_chat_id = 7777\n", ""))
    return load_clinic_config(path)


async def test_with_no_fallback_a_refused_alert_stays_open_and_is_tried_again(
    database_url: str, no_fallback: ClinicConfig, caplog: pytest.LogCaptureFixture
) -> None:
    async with LocalBot(database_url=database_url, clinic=no_fallback, start=START) as bot:
        await enrol(bot, ANA)
        bot.standin.forget_chat(STAFF_CHAT)
        with caplog.at_level(logging.ERROR):
            await bot.standin.send_text(ANA, "I want to die")
            await alert_state(bot, next_alert_at=bot.clock.now() + timedelta(minutes=2), acknowledged_at=None)
        assert any("nowhere else to go" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
        bot.standin.reset()  # the staff chat id is fixed
        bot.clock.advance(timedelta(minutes=2))
        await bot.tick()
        assert len(alerts(bot)) == 1


async def test_the_start_up_check_names_a_missing_staff_chat(
    database_url: str, clinic: ClinicConfig, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        async with LocalBot(database_url=database_url, clinic=clinic, start=START) as bot:
            bot.standin.forget_chat(STAFF_CHAT)
            await bot.restart()
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"staff_chat {STAFF_CHAT}: unreachable" in m for m in messages), messages


# --- The packaged model, as it ships -------------------------------------------------------------------------


async def test_indirect_words_reach_the_crisis_path_with_the_packaged_model(bot: LocalBot) -> None:
    assert bot.runtime.detector.learned
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "counted what's in the cabinet, it's enough. tonight then")
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    assert "988" in reply.text
    event = None

    async def recorded() -> bool:
        nonlocal event
        found = await rows(bot, CrisisEvent)
        event = found[0] if found else None
        return event is not None

    await eventually(recorded)
    assert event is not None and event.score is not None and event.score > 0.3


async def test_without_the_model_the_rules_answer_within_two_seconds(database_url: str, clinic: ClinicConfig) -> None:
    async with LocalBot(database_url=database_url, clinic=clinic, start=START, learned_layer=False) as bot:
        assert not bot.runtime.detector.learned
        await enrol(bot, ANA)
        began = time.perf_counter()
        await bot.standin.send_text(ANA, "I want to die")
        reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
        assert time.perf_counter() - began < 2 and "988" in reply.text


async def test_the_crisis_reply_does_not_wait_behind_two_thousand_scheduled_messages(bot: LocalBot) -> None:
    from storage import outbox

    patient = await enrol(bot, ANA)
    await add_staff(bot, STAFF)
    now = bot.clock.now()
    payload = {"key": "staff.blocked", "patient_id": patient.id}
    async with bot.runtime.session() as session:
        planned = [
            outbox.Planned(key=f"load:{n}", kind="staff_notice", due_at=now, chat_id=900000 + n, payload=payload)
            for n in range(2000)
        ]
        for start in range(0, len(planned), 500):
            await outbox.enqueue(session, planned[start : start + 500], now=now)
    dispatching = asyncio.create_task(bot.dispatch())
    await asyncio.sleep(0)
    began = time.perf_counter()
    await bot.standin.send_text(ANA, "I want to die")
    reply = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    elapsed = time.perf_counter() - began
    await dispatching
    assert "988" in reply.text and elapsed < 2, elapsed
    async with bot.runtime.session() as session:
        assert await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "crisis_alert")) is not None
