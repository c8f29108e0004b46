"""The Bot API stand-in, driven by python-telegram-bot's real Bot and Application over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ZERO_DATE, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.standin import BotApiStandIn

TOKEN = "123456:TEST-token-for-the-stand-in"
NOW = dtm.datetime(2026, 3, 2, 9, 0, tzinfo=dtm.UTC)
ANA = 1001
GROUP = -100123
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x02\x00\x00\x00" + b"chart-bytes" * 10

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in pairs]])


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn(token=TOKEN, clock=lambda: NOW) as server:
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url) as client:
        yield client


@asynccontextmanager
async def running_app(
    standin: BotApiStandIn, *handlers: Any
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    app = ApplicationBuilder().token(TOKEN).base_url(standin.base_url).build()
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def test_echo_round_trip_through_long_polling(standin: BotApiStandIn) -> None:
    async with running_app(standin, MessageHandler(filters.TEXT, echo)):
        incoming = await standin.send_text(ANA, "hello there", first_name="Ana")
        [reply] = await standin.wait_for_messages(ANA, 1)
        await standin.wait_until_idle()

    assert reply.text == "hello there"
    assert reply.kind == "text" and reply.chat_id == ANA
    assert reply.message_id == incoming["message_id"] + 1  # one id sequence per chat, user and bot alike
    assert reply.sent_at == NOW
    methods = [name for name, _ in standin.requests]
    assert methods[0] == "getMe" and "deleteWebhook" in methods and "getUpdates" in methods
    assert standin.pending_updates == []  # the updater's last getUpdates confirmed everything


async def test_commands_get_entities_and_group_chats_are_supergroups(standin: BotApiStandIn, bot: Bot) -> None:
    await standin.send_command(ANA, "start", "abc123")
    await standin.send_text(ANA, "/start@moodbot_demo_bot", chat_id=GROUP, username="ana")

    private, group = await bot.get_updates(timeout=0)

    assert private.message is not None and group.message is not None
    assert private.message.text == "/start abc123"
    assert private.message.chat.type == "private" and private.message.chat.id == ANA
    assert [(e.type, e.offset, e.length) for e in private.message.entities] == [("bot_command", 0, 6)]
    assert group.message.chat.type == "supergroup" and group.message.chat.id == GROUP
    assert group.message.from_user is not None and group.message.from_user.username == "ana"
    assert group.message.entities[0].length == len("/start@moodbot_demo_bot")
    with pytest.raises(ValueError, match="private chat"):
        await standin.send_text(ANA, "hi", chat_id=ANA + 1)


async def test_offset_confirms_and_limit_caps(standin: BotApiStandIn, bot: Bot) -> None:
    for word in ("one", "two", "three"):
        await standin.send_text(ANA, word)

    first = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [u.update_id for u in again] == [1, 2, 3]
    await standin.wait_update_consumed("all")  # fetched

    limited = await bot.get_updates(offset=2, limit=1, timeout=0)
    assert [u.update_id for u in limited] == [2]
    assert [u["update_id"] for u in standin.pending_updates] == [2, 3]

    assert await bot.get_updates(offset=4, timeout=0) == ()
    await standin.wait_update_consumed("all", confirmed=True, timeout=1)
    assert standin.pending_updates == []


async def test_long_poll_answers_as_soon_as_an_update_arrives(standin: BotApiStandIn, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await standin.wait_for(lambda: standin.active_polls == 1)
    assert not poll.done()

    await standin.send_text(ANA, "wake up")
    updates = await asyncio.wait_for(poll, 5)

    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_a_newer_poll_ends_the_older_with_conflict(standin: BotApiStandIn, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=30))
    await standin.wait_for(lambda: standin.active_polls == 1)

    # A second bot instance: one Bot's getUpdates connection pool holds a single connection.
    async with Bot(TOKEN, base_url=standin.base_url) as second:
        newer = await second.get_updates(timeout=0)

    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(older, 5)
    assert newer == ()


async def test_stop_ends_waiting_polls_with_no_updates() -> None:
    standin = BotApiStandIn(token=TOKEN)
    await standin.start()
    async with Bot(TOKEN, base_url=standin.base_url) as client:
        poll = asyncio.create_task(client.get_updates(timeout=30))
        await standin.wait_for(lambda: standin.active_polls == 1)
        await asyncio.wait_for(standin.stop(), 5)
        assert await asyncio.wait_for(poll, 5) == ()


async def test_buttons_press_and_answer(standin: BotApiStandIn) -> None:
    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            "How are you?", reply_markup=keyboard(("Good", "m:7"), ("Bad", "m:2"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"Noted {query.data}")
        if query.data == "m:7":
            await query.edit_message_text("Glad to hear it.")

    async with running_app(standin, MessageHandler(filters.TEXT, ask), CallbackQueryHandler(pressed)):
        await standin.send_text(ANA, "hi")
        [question] = await standin.wait_for_messages(ANA, 1)
        assert standin.buttons(question) == [("Good", "m:7"), ("Bad", "m:2")]

        query_id = await standin.click(ANA, question.message_id, "Good")
        answer = await standin.wait_for_answer(query_id)
        edited = await standin.wait_for_edit(ANA, question.message_id)

        forged = await standin.press_button(ANA, 999, "m:2")
        assert (await standin.wait_for_answer(forged))["text"] == "Noted m:2"

    assert answer["text"] == "Noted m:7" and answer["show_alert"] is False
    assert edited.text == "Glad to hear it."
    assert edited.reply_markup is None  # editing without reply_markup drops the keyboard, as in Telegram
    assert edited.edits[0].previous_text == "How are you?"
    assert standin.callback_answer("unknown") is None


async def test_forged_press_on_unknown_message_is_inaccessible(standin: BotApiStandIn, bot: Bot) -> None:
    await standin.press_button(ANA, 4242, "ci:1:5")

    [update] = await bot.get_updates(timeout=0)

    assert update.callback_query is not None and update.callback_query.data == "ci:1:5"
    # Telegram sends an inaccessible message (date 0); python-telegram-bot gives it ZERO_DATE.
    assert update.callback_query.message is not None
    assert update.callback_query.message.date == ZERO_DATE


async def test_edits_history_not_modified_and_not_found(standin: BotApiStandIn, bot: Bot) -> None:
    sent = await bot.send_message(ANA, "Score?", reply_markup=keyboard(("1", "s:1")))

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Score?", ANA, sent.message_id, reply_markup=keyboard(("1", "s:1")))
    edited = await bot.edit_message_text("Score: 1", ANA, sent.message_id, reply_markup=keyboard(("1", "s:1")))
    await bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ANA, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", ANA, 777)

    assert edited.edit_date is not None  # type: ignore[union-attr]
    [message] = standin.sent(ANA)
    assert message.text == "Score: 1" and message.reply_markup is None
    assert [e.method for e in message.edits] == ["editMessageText", "editMessageReplyMarkup"]
    assert message.edits[0].reply_markup == keyboard(("1", "s:1")).to_dict()

    assert await bot.delete_message(ANA, sent.message_id)
    assert message.deleted
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(ANA, sent.message_id)


async def test_photo_and_document_uploads_keep_their_bytes(standin: BotApiStandIn, bot: Bot) -> None:
    photo = await bot.send_photo(ANA, InputFile(PNG, filename="chart.png"), caption="Your week")
    document = await bot.send_document(ANA, InputFile(b"date,score\n", filename="export.csv"), caption="Export")

    chart, export = standin.sent(ANA)
    assert chart.kind == "photo" and chart.file_bytes == PNG and chart.filename == "chart.png"
    assert chart.mime_type == "image/png" and chart.caption == "Your week"
    assert photo.photo[-1].width == 640 and photo.photo[-1].height == 480
    assert export.kind == "document" and export.file_bytes == b"date,score\n"
    assert export.filename == "export.csv" and export.mime_type == "text/csv"
    assert document.document is not None and document.document.file_name == "export.csv"

    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"date,score\n"


async def test_injected_failures_map_to_telegram_errors(standin: BotApiStandIn, bot: Bot) -> None:
    standin.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as too_many:
        await bot.send_message(ANA, "one")
    assert too_many.value.retry_after in (7, dtm.timedelta(seconds=7))

    standin.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANA, "two")

    standin.fail_next("sendMessage", status=500, times=2, chat_id=GROUP)
    await bot.send_message(ANA, "another chat is not affected")
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error") as server_error:
            await bot.send_message(GROUP, "three")
        assert not isinstance(server_error.value, BadRequest)
    await bot.send_message(GROUP, "works again")

    standin.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(ANA, "four")

    assert [m.text for m in standin.all_sent()] == ["another chat is not affected", "works again"]
    assert len(standin.calls("sendMessage")) == 7  # failed calls are logged but store nothing


async def test_blocked_chat_and_down_server(standin: BotApiStandIn, bot: Bot) -> None:
    standin.block_chat(ANA)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(ANA, "hello?")
    standin.unblock_chat(ANA)
    await bot.send_message(ANA, "hello!")

    standin.set_down(True)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    standin.set_down(False)

    assert [m.text for m in standin.sent(ANA)] == ["hello!"]
    standin.reset()
    assert standin.sent(ANA) == [] and standin.requests == []


async def test_wrong_token_unknown_method_and_raw_bodies(standin: BotApiStandIn) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=standin.base_url):
            pass

    async with httpx.AsyncClient() as client:
        unauthorized = await client.post(f"{standin.base_url}999:wrong/getMe")
        unknown = await client.post(f"{standin.base_url}{TOKEN}/sendTelepathy")
        as_json = await client.post(
            f"{standin.base_url}{TOKEN}/sendMessage",
            json={
                "chat_id": ANA,
                "text": "json",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "url": "https://x"}]]},
            },
        )

    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    assert as_json.json()["result"]["chat"] == {"id": ANA, "type": "private", "first_name": "Test"}
    assert standin.buttons(standin.sent(ANA)[0]) == [("a", None)]


async def test_commands_are_stored_and_readable(standin: BotApiStandIn, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("sos", "Crisis numbers")])
    await bot.set_my_commands([BotCommand("start", "Anfangen")], language_code="de")

    assert [c.command for c in await bot.get_my_commands()] == ["start", "sos"]
    assert standin.commands == [
        {"command": "start", "description": "Begin"},
        {"command": "sos", "description": "Crisis numbers"},
    ]
    assert standin.commands_for(language_code="de") == [{"command": "start", "description": "Anfangen"}]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Has Space", "no")])

    assert await bot.delete_my_commands()
    assert standin.commands == []


async def test_parse_modes_become_entities_and_bad_markup_is_rejected(standin: BotApiStandIn, bot: Bot) -> None:
    html = await bot.send_message(ANA, "  <b>Hi</b> Ana &amp; <i>co</i>  ", parse_mode=ParseMode.HTML)
    markdown = await bot.send_message(ANA, r"*Score* 7\.5", parse_mode=ParseMode.MARKDOWN_V2)

    assert html.text == "Hi Ana & co"
    assert [(e.type, e.offset, e.length) for e in html.entities] == [("bold", 0, 2), ("italic", 9, 2)]
    assert markdown.text == "Score 7.5" and markdown.entities[0].type == "bold"
    assert standin.sent(ANA)[0].raw_text == "  <b>Hi</b> Ana &amp; <i>co</i>  "
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ANA, "I feel <3 today", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(ANA, "Score 7.5", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ANA, "   ")


async def test_user_media_and_edits_parse_as_telegram_objects(standin: BotApiStandIn, bot: Bot) -> None:
    text = await standin.send_text(ANA, "first")
    await standin.edit_text(ANA, text["message_id"], "first, edited")
    await standin.send_photo(ANA, caption="my view")
    await standin.send_sticker(ANA)
    await standin.send_voice(ANA)
    await standin.send_document(ANA, data=b"notes", filename="n.txt")
    await standin.send_location(ANA)
    await standin.send_contact(ANA, contact_user_id=ANA)

    updates = await bot.get_updates(timeout=0)

    edited = updates[1].edited_message
    assert edited is not None and edited.text == "first, edited" and edited.edit_date is not None
    messages = [u.message for u in updates[2:]]
    assert all(m is not None for m in messages)
    photo, sticker, voice, document, location, contact = messages  # type: ignore[misc]
    assert photo.photo and photo.caption == "my view"
    assert sticker.sticker is not None and voice.voice is not None and location.location is not None
    assert document.document is not None and document.document.file_name == "n.txt"
    assert contact.contact is not None and contact.contact.user_id == ANA
    downloaded = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"notes"


async def test_reply_keyboards_are_kept_but_not_echoed(standin: BotApiStandIn, bot: Bot) -> None:
    message = await bot.send_message(ANA, "Pick", reply_markup=ReplyKeyboardMarkup([["Yes", "No"]]))

    assert message.reply_markup is None  # Telegram only returns inline keyboards
    assert standin.buttons(standin.sent(ANA)[0]) == [("Yes", None), ("No", None)]
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ANA, "x", reply_markup=keyboard(("long", "x" * 65)))


async def test_webhook_delivers_updates_and_blocks_polling(standin: BotApiStandIn, bot: Bot) -> None:
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        received.append(await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        await standin.send_text(ANA, "via webhook")
        await standin.wait_update_consumed("all", confirmed=True)
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert await bot.delete_webhook()
    finally:
        await runner.cleanup()

    assert [u["message"]["text"] for u in received] == ["via webhook"]


async def test_control_http_endpoints(standin: BotApiStandIn) -> None:
    async with (
        running_app(standin, MessageHandler(filters.TEXT, echo)),
        httpx.AsyncClient(base_url=standin.control_url) as client,
    ):
        sent = await client.post("/send_text", json={"user_id": ANA, "text": "over http"})
        waited = await client.post("/wait_for_messages", json={"chat_id": ANA, "count": 1})
        listed = await client.get("/sent", params={"chat_id": ANA})
        bad = await client.post("/send_text", json={"nope": 1})

    assert sent.json()["result"]["text"] == "over http"
    assert [m["text"] for m in waited.json()["result"]] == ["over http"]
    assert listed.json()["result"][0]["kind"] == "text"
    assert bad.status_code == 400


async def test_wait_for_times_out_with_a_description(standin: BotApiStandIn) -> None:
    with pytest.raises(TimeoutError, match="the bot has sent nothing"):
        await standin.wait_for_messages(ANA, 1, timeout=0.05)


async def test_chat_info_actions_and_session_methods(standin: BotApiStandIn, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat(ANA)
    await standin.send_text(ANA, "hi", first_name="Ana", username="ana_k")

    chat = await bot.get_chat(ANA)

    assert chat.type == "private" and chat.first_name == "Ana" and chat.username == "ana_k"
    assert await bot.send_chat_action(ANA, "typing")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(ANA, "dancing")
    assert await bot.close() and await bot.log_out()
