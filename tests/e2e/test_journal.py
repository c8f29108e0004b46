"""Journal entries, edits, messages that are not text, odd text, and strangers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.local import LocalBot
from storage.models import JournalEntry, Patient
from tests.factories import enrol, eventually

ANA = 4001
EVE = 4002


async def entries(bot: LocalBot) -> list[JournalEntry]:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(JournalEntry).order_by(JournalEntry.id)))


async def test_text_is_kept_and_an_edit_updates_it(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    message = await bot.standin.send_text(ANA, "Felt calmer after the walk")
    await bot.standin.wait_for(lambda: bot.standin.sent(ANA)[-1].text == "Saved to your journal.")
    [entry] = await entries(bot)
    assert entry.text == "Felt calmer after the walk" and entry.edited_at is None
    bot.clock.advance(timedelta(minutes=5))
    await bot.standin.edit_text(ANA, message["message_id"], "Felt much calmer after the long walk")

    async def edited() -> bool:
        return [e.text for e in await entries(bot)] == ["Felt much calmer after the long walk"]

    await eventually(edited)
    [entry] = await entries(bot)
    assert entry.edited_at == entry.created_at + timedelta(minutes=5)


async def test_journal_text_is_encrypted_at_rest(bot: LocalBot) -> None:
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "private words")
    await bot.standin.wait_for(lambda: bot.standin.sent(ANA)[-1].text == "Saved to your journal.")
    async with bot.runtime.session() as session:
        raw = await session.scalar(text("SELECT text FROM journal_entries"))
    assert raw and "private" not in raw


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "document", "location", "contact"])
async def test_non_text_gets_a_kind_answer_and_nothing_is_stored(bot: LocalBot, kind: str) -> None:
    await enrol(bot, ANA)
    before = len(bot.standin.sent(ANA))
    await getattr(bot.standin, f"send_{kind}")(ANA)
    [reply] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert "only keep written words" in reply.text
    assert await entries(bot) == []


@pytest.mark.parametrize(
    "words",
    [
        "x" * 4096,
        "😀" * 2000,
        "Z̸̢͉̈́a̵̰̓l̴̤̎g̵̱̈́o̷̗̊ text",
        "\u202eright-to-left override\u202c",
        "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
        "null \x00 byte? no: tab\tand\nnewlines",
        "مرحبا، كيف حالك",
    ],
)
async def test_huge_and_odd_text_is_kept_exactly(bot: LocalBot, words: str) -> None:
    words = words.replace("\x00", "")
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, words)
    await bot.standin.wait_for(lambda: bot.standin.sent(ANA)[-1].text == "Saved to your journal.")
    [entry] = await entries(bot)
    assert entry.text == words


async def test_strangers_get_an_answer_and_nothing_is_stored(bot: LocalBot) -> None:
    await bot.standin.send_text(EVE, "hello?")
    await bot.standin.send_photo(EVE)
    replies = await bot.standin.wait_for_messages(EVE, 2)
    assert all("Riverside Ketamine Clinic" in r.text and "988" in r.text for r in replies)
    async with bot.runtime.session() as session:
        assert await session.scalar(select(func.count()).select_from(Patient)) == 0
    assert await entries(bot) == []
