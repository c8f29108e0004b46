"""PHQ-9 and GAD-7 through the stand-in: one item a message, changes, resuming, expiry, item 9, forged presses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot.local import LocalBot
from bot.questionnaires.instruments import instrument
from bot.standin.server import SentMessage
from storage.models import CrisisAlert, CrisisEvent, OutboxMessage, OutboxStatus, QuestionnaireResponse
from tests.factories import add_staff, button, enrol, eventually

ANA = 7001
EVE = 7002
STAFF = 7003
STAFF_CHAT = -1001234567890
ANSWERS = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
PROGRESS = re.compile(r"· (\d+)/(\d+)")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def asked(bot: LocalBot, chat_id: int) -> list[SentMessage]:
    """The bot's questionnaire items in a chat: the messages carrying answer buttons."""
    return [m for m in bot.standin.sent(chat_id) if any((d or "").startswith("qa:") for _, d in m.buttons)]


def progress(message: SentMessage) -> tuple[int, int]:
    found = PROGRESS.search(message.text or "")
    assert found is not None, message.text
    return int(found[1]), int(found[2])


def results(bot: LocalBot, chat_id: int) -> list[SentMessage]:
    return [m for m in bot.standin.sent(chat_id) if "total is" in (m.text or "")]


async def press(bot: LocalBot, user: int, message: SentMessage, label: str) -> str:
    """Tap the answer whose text begins with `label`; returns the bot's answer to the tap."""
    query = await bot.standin.press_button(user, message.message_id, button(message, label))
    return (await bot.standin.wait_for_answer(query))["text"]


async def begin(bot: LocalBot, user: int, command: str = "phq9") -> SentMessage:
    before = len(asked(bot, user))
    await bot.standin.send_command(user, command)
    return (await bot.standin.wait_for(lambda: asked(bot, user)[before:] or None))[0]


async def answer_through(bot: LocalBot, user: int, scores: list[int]) -> None:
    """Answer the item asked last with each score in turn, waiting for the next item (or the total) each time."""
    for score in scores:
        current = asked(bot, user)[-1]
        number, count = progress(current)
        expect = asked if number < count else results
        before = len(expect(bot, user))
        await press(bot, user, current, ANSWERS[score])
        await bot.standin.wait_for(lambda expect=expect, before=before: len(expect(bot, user)) > before)


async def responses(bot: LocalBot, patient_id: int) -> list[QuestionnaireResponse]:
    async with bot.runtime.session() as session:
        query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient_id)
        return list(await session.scalars(query.order_by(QuestionnaireResponse.id)))


async def rows(bot: LocalBot, model: type) -> list:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(model)))


async def test_a_full_phq9_shows_the_total_and_a_kind_band(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, name="Ana")
    first = await begin(bot, ANA)
    phq9 = instrument("phq9")
    assert first.text.startswith("Hi Ana. Here is the PHQ-9")
    assert "PHQ-9 · 1/9" in first.text and phq9.stem in first.text and phq9.items[0].text in first.text
    assert [label for label, _ in first.buttons] == ANSWERS
    scores = [1, 2, 1, 2, 1, 2, 1, 2, 0]
    await answer_through(bot, ANA, scores)
    items = asked(bot, ANA)
    assert [progress(m) for m in items] == [(n, 9) for n in range(1, 10)]
    for number, (message, score) in enumerate(zip(items, scores, strict=True), start=1):
        assert phq9.item(number).text in message.text
        assert [label for label, _ in message.buttons][score] == f"{ANSWERS[score]} ✓"
    [result] = results(bot, ANA)
    assert "PHQ-9 total is 12 out of 27" in result.text and "middle range" in result.text
    assert "care team" in result.text and "severe" not in result.text
    [response] = await responses(bot, patient.id)
    assert response.answers == {str(n): s for n, s in enumerate(scores, start=1)}
    assert (response.total, response.completed_at, response.trigger) == (12, bot.clock.now(), "on_demand")
    assert bot.standin.sent(STAFF_CHAT) == []


async def test_a_full_gad7_has_no_crisis_item(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    first = await begin(bot, ANA, "gad7")
    assert "GAD-7 · 1/7" in first.text
    await answer_through(bot, ANA, [3, 3, 3, 3, 3, 2, 3])
    [result] = results(bot, ANA)
    assert "GAD-7 total is 20 out of 21" in result.text and "highest range" in result.text and "/sos" in result.text
    [response] = await responses(bot, patient.id)
    assert (response.instrument, response.total) == ("gad7", 20)
    assert await rows(bot, CrisisEvent) == [] and bot.standin.sent(STAFF_CHAT) == []


@pytest.mark.parametrize(
    ("score", "tier", "label"),
    [(0, None, None), (1, "ideation", "suicidal thoughts"), (2, "self_harm", "self-harm"), (3, "imminent", "IMMINENT")],
)
async def test_item_9_takes_the_crisis_path_at_once(
    bot: LocalBot, score: int, tier: str | None, label: str | None
) -> None:
    patient = await enrol(bot, ANA, name="Ana")
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 8)
    item9 = asked(bot, ANA)[-1]
    assert progress(item9) == (9, 9) and "better off dead" in item9.text
    await answer_through(bot, ANA, [score])
    sent = bot.standin.sent(ANA)
    [result] = results(bot, ANA)
    assert f"total is {score} out of 27" in result.text
    if tier is None:
        assert not any("988" in (m.text or "") for m in sent)
        assert bot.standin.sent(STAFF_CHAT) == [] and await rows(bot, CrisisEvent) == []
        return
    [reply] = [m for m in sent if "988" in (m.text or "")]
    assert sent.index(reply) < sent.index(result)  # on the press, before the total
    assert "care team" in reply.text and "around the clock" in reply.text
    if tier == "imminent":
        assert reply.text.index("911") < reply.text.index("988")
    [alert] = await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
    assert "Crisis alert" in alert.text and label in alert.text and f"Patient #{patient.id} Ana" in alert.text
    assert "PHQ-9 item 9" in alert.text and ANSWERS[score] in alert.text
    assert bot.standin.buttons(alert)[0][0] == "Acknowledge"
    [event] = await rows(bot, CrisisEvent)
    assert (event.patient_id, event.tier, event.rule) == (patient.id, tier, f"phq9.item9.{score}")
    assert "item 9" in event.excerpt and ANSWERS[score] in event.excerpt and event.telegram_message_id is None
    [row] = await rows(bot, CrisisAlert)
    assert row.tier == tier and row.acknowledged_at is None


async def test_answering_item_9_again_with_0_undoes_no_alert(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 8 + [2])
    await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
    item9 = asked(bot, ANA)[-1]
    assert "already finished" in await press(bot, ANA, item9, "Not at all")
    [response] = await responses(bot, patient.id)
    assert response.answers["9"] == 2 and response.total == 2
    [event] = await rows(bot, CrisisEvent)
    [alert] = await rows(bot, CrisisAlert)
    assert event.tier == "self_harm" and alert.acknowledged_at is None
    assert len(bot.standin.sent(STAFF_CHAT)) == 1


async def test_a_graver_item_9_answer_after_the_end_still_alerts(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 8 + [1])
    await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
    before = len(bot.standin.sent(ANA))
    assert "already finished" in await press(bot, ANA, asked(bot, ANA)[-1], "Nearly every day")
    [reply] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert reply.text.index("911") < reply.text.index("988")
    await bot.standin.wait_for(lambda: len(bot.standin.sent(STAFF_CHAT)) == 2)
    assert "IMMINENT" in bot.standin.sent(STAFF_CHAT)[-1].text
    assert [e.rule for e in await rows(bot, CrisisEvent)] == ["phq9.item9.1", "phq9.item9.3"]
    [response] = await responses(bot, patient.id)
    assert response.answers["9"] == 1 and response.total == 1


async def test_an_item_9_answer_on_an_expired_questionnaire_still_alerts(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 8)
    bot.clock.advance(timedelta(days=2))
    before = len(bot.standin.sent(ANA))
    assert "has closed" in await press(bot, ANA, asked(bot, ANA)[-1], "Several days")
    [reply] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert "988" in reply.text
    [alert] = await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
    assert "suicidal thoughts" in alert.text
    [response] = await responses(bot, patient.id)
    assert "9" not in response.answers and response.completed_at is None


async def test_a_positive_item_9_alerts_even_when_the_database_fails(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 8)
    item9 = asked(bot, ANA)[-1]

    async def remembered() -> bool:  # the bot's last write for item 8's press is done
        return [r.message_id for r in await responses(bot, patient.id)] == [item9.message_id]

    await eventually(remembered)
    broken = create_async_engine("sqlite+aiosqlite:////nonexistent/folder/moodbot.db")
    bot.runtime.sessions = async_sessionmaker(broken)
    try:
        before = len(bot.standin.sent(ANA))
        await bot.standin.press_button(ANA, item9.message_id, button(item9, "Several days"))
        replies = (await bot.standin.wait_for_messages(ANA, before + 2))[before:]
        assert "988" in replies[0].text and "went wrong" in replies[1].text
        [alert] = await bot.standin.wait_for(lambda: bot.standin.sent(STAFF_CHAT) or None)
        assert "could not be reached" in alert.text and "PHQ-9 item 9" in alert.text
    finally:
        await broken.dispose()


async def test_an_interrupted_questionnaire_resumes_at_the_first_unanswered_item(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [1, 1, 1])
    await bot.standin.send_text(ANA, "Need to make dinner, back later")
    await bot.standin.wait_for(lambda: bot.standin.sent(ANA)[-1].text == "Saved to your journal.")
    bot.clock.advance(timedelta(hours=3))
    again = await begin(bot, ANA)
    assert progress(again) == (4, 9) and again.text.startswith("Let's carry on where you left off.")
    assert "Here is the PHQ-9" not in again.text
    await answer_through(bot, ANA, [1] * 6)
    [response] = await responses(bot, patient.id)
    assert response.total == 9 and response.completed_at is not None


async def test_a_questionnaire_closes_after_a_day(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [2, 2])
    third = asked(bot, ANA)[-1]
    bot.clock.advance(timedelta(hours=23, minutes=59))
    assert await press(bot, ANA, asked(bot, ANA)[0], "Several days") == "Saved: Several days"
    bot.clock.advance(timedelta(minutes=1))
    answer = await press(bot, ANA, third, "Not at all")
    assert "has closed" in answer and "/phq9" in answer
    [response] = await responses(bot, patient.id)
    assert response.answers == {"1": 1, "2": 2} and response.completed_at is None
    fresh = await begin(bot, ANA)
    assert progress(fresh) == (1, 9) and "Here is the PHQ-9" in fresh.text
    old, new = await responses(bot, patient.id)
    assert old.id == response.id and new.answers == {} and new.expires_at == bot.clock.now() + timedelta(days=1)


async def test_an_earlier_answer_can_be_changed_before_the_end(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0, 0, 0])
    first, fourth = asked(bot, ANA)[0], asked(bot, ANA)[-1]
    sent_before = len(bot.standin.sent(ANA))
    assert await press(bot, ANA, first, "Nearly every day") == "Saved: Nearly every day"
    await bot.standin.wait_for(lambda: "Nearly every day ✓" in [label for label, _ in first.buttons])
    assert "Not at all ✓" not in [label for label, _ in first.buttons]
    assert len(bot.standin.sent(ANA)) == sent_before and asked(bot, ANA)[-1] is fourth
    [response] = await responses(bot, patient.id)
    assert response.answers == {"1": 3, "2": 0, "3": 0}
    await answer_through(bot, ANA, [0] * 6)
    [response] = await responses(bot, patient.id)
    assert response.total == 3
    assert "already finished" in await press(bot, ANA, first, "Several days")


async def test_forged_stale_and_garbage_presses_change_nothing(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    await enrol(bot, EVE, name="Eve")
    first = await begin(bot, ANA)
    await answer_through(bot, ANA, [1])
    [response] = await responses(bot, patient.id)
    rid = response.id
    other = await bot.standin.press_button(EVE, first.message_id, button(first, "Nearly every day"))
    forged = [
        await bot.standin.press_button(ANA, first.message_id, data)
        for data in (
            f"qa:{rid}:5:1",  # not asked yet
            f"qa:{rid}:10:1",  # the PHQ-9 has 9 items
            f"qa:{rid}:1:4",  # no such answer
            f"qa:{rid}:0:1",
            f"qa:{rid}:01:1",
            f"qa:{rid}:1",
            f"qa:{rid + 1000}:1:1",  # no such response
            "qa:abc:1:1",
            "qa:" + "9" * 62,
            "hello",
        )
    ]
    await bot.standin.wait_for(lambda: all(bot.standin.callback_answer(q) for q in [other, *forged]))
    assert "isn't for you" in bot.standin.callback_answer(other)["text"]
    assert all(bot.standin.callback_answer(q)["text"] for q in forged)
    assert "no longer works" in bot.standin.callback_answer(forged[0])["text"]
    [response] = await responses(bot, patient.id)
    assert response.answers == {"1": 1}
    gad7 = await begin(bot, ANA, "gad7")
    [_, gad] = await responses(bot, patient.id)
    query = await bot.standin.press_button(ANA, gad7.message_id, f"qa:{gad.id}:8:0")
    assert "no longer works" in (await bot.standin.wait_for_answer(query))["text"]


async def test_strangers_and_invited_people_cannot_start_one(bot: LocalBot) -> None:
    for number, command in enumerate(["phq9", "gad7"], start=1):
        await bot.standin.send_command(EVE, command)
        reply = (await bot.standin.wait_for_messages(EVE, number))[-1]
        assert "link from your clinic" in reply.text
    assert asked(bot, EVE) == []
    async with bot.runtime.session() as session:
        assert list(await session.scalars(select(QuestionnaireResponse))) == []


async def test_help_and_the_command_menu_list_both(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_command(ANA, "help")
    help_text = (await bot.standin.wait_for_messages(ANA, 3))[-1].text
    assert "/phq9" in help_text and "/gad7" in help_text
    assert {"phq9", "gad7"} <= {c["command"] for c in bot.standin.commands}


async def test_a_scheduled_one_does_not_start_a_second_while_one_is_open(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)  # New York: the weekly PHQ-9 is Sunday 18:00, 22:00 UTC on 8 March (EDT)
    bot.clock.set(utc(2026, 3, 8, 21, 0))
    await begin(bot, ANA)
    await answer_through(bot, ANA, [1, 1])
    bot.clock.set(utc(2026, 3, 8, 22, 0))
    await bot.tick()
    key = f"q:{patient.id}:phq9:weekly:2026-03-08"

    async def skipped() -> bool:
        async with bot.runtime.session() as session:
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        return row is not None and row.status is OutboxStatus.CANCELLED and row.last_error == "one already open"

    await eventually(skipped)
    assert len(asked(bot, ANA)) == 3
    [response] = await responses(bot, patient.id)
    assert response.trigger == "on_demand" and response.answers == {"1": 1, "2": 1}


async def test_a_scheduled_one_waits_when_the_same_was_finished_lately(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    bot.clock.set(utc(2026, 3, 6, 15, 0))  # Friday
    await begin(bot, ANA)
    await answer_through(bot, ANA, [0] * 9)
    bot.clock.set(utc(2026, 3, 8, 22, 0))
    await bot.tick()
    async with bot.runtime.session() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "questionnaire"))
    assert row is not None and (row.status, row.last_error) == (OutboxStatus.CANCELLED, "finished recently")
    assert len(await responses(bot, patient.id)) == 1


async def test_staff_see_the_latest_totals_and_their_change(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, name="Ana")
    eve = await enrol(bot, EVE, name="Eve")
    await add_staff(bot, STAFF)
    start = bot.clock.now()
    async with bot.runtime.session() as session:
        for days, key, total in [(0, "phq9", 17), (7, "phq9", 15), (14, "phq9", 12), (7, "gad7", 9), (1, "phq9", 4)]:
            patient_id = eve.id if total == 4 else ana.id
            at = start + timedelta(days=days)
            session.add(
                QuestionnaireResponse(
                    patient_id=patient_id, instrument=key, trigger="on_demand", started_at=at, updated_at=at,
                    expires_at=at + timedelta(days=1), completed_at=at, answers={}, total=total,
                )
            )  # fmt: skip
        later = start + timedelta(days=20)
        session.add(
            QuestionnaireResponse(
                patient_id=ana.id, instrument="phq9", trigger="on_demand", started_at=later, updated_at=later,
                expires_at=later + timedelta(days=1), answers={"1": 3},
            )
        )  # fmt: skip
    await bot.standin.send_command(STAFF, "patients")
    roster = (await bot.standin.wait_for_messages(STAFF, 1))[-1].text
    [ana_line] = [line for line in roster.splitlines() if "Ana" in line]
    [eve_line] = [line for line in roster.splitlines() if "Eve" in line]
    assert ana_line.endswith("PHQ-9 12 (−3), GAD-7 9")
    assert eve_line.endswith("PHQ-9 4")
