"""A local Telegram Bot API stand-in: the real bot talks HTTP to it, tests play the users.

Point python-telegram-bot at it::

    async with BotApiStandIn(token=TOKEN) as standin:
        app = (ApplicationBuilder().token(TOKEN).base_url(standin.base_url)
               .base_file_url(standin.base_file_url).build())

Bot API: ``/bot<TOKEN>/<method>`` (any case, GET or POST; form-urlencoded, multipart or JSON bodies). A wrong
token answers 401, an unknown method 404, both as Telegram's error JSON. Implemented: getMe, getUpdates (long
polling; a newer poll ends an older one with 409), setWebhook (updates are POSTed to the URL), deleteWebhook,
getWebhookInfo, set/get/deleteMyCommands, sendMessage, sendPhoto, sendDocument, sendChatAction,
editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage(s), answerCallbackQuery, getChat,
getChatMember, getFile (downloads under ``/file/bot<TOKEN>/<path>``), set/getMyName, set/getMyDescription,
set/getMyShortDescription, set/getChatMenuButton, close, logOut. parse_mode HTML, MarkdownV2 and Markdown are
parsed into entities, and malformed markup is rejected, as Telegram does.

Control interface, in-process (``await standin.send_text(...)``) and over HTTP, no authentication, so bind to
loopback only:

* Playing users (async; return the incoming message dict, or the callback query id):
  ``send_text``, ``send_command``, ``edit_text``, ``press_button``, ``click`` (a button by its label),
  ``send_photo``, ``send_sticker``, ``send_voice``, ``send_document``, ``send_location``, ``send_contact``.
* Reading what the bot did: ``sent(chat_id)``, ``all_sent()``, ``buttons(message)``, ``callback_answer(id)``,
  ``requests`` (list of (method, params)), ``calls(method)``, ``commands``, ``commands_for(scope, lang)``.
* Waiting, event-driven: ``wait_for(predicate)``, ``wait_for_messages(chat_id, count)``,
  ``wait_for_edit(chat_id, message_id)``, ``wait_for_answer(query_id)``, ``wait_update_consumed(id | "all")``,
  ``wait_until_idle()``. A timeout raises TimeoutError describing what the bot has sent.
* Failures: ``fail_next(method, status=..., retry_after=..., chat_id=..., times=..., description=...)``,
  ``block_chat(id)``, ``unblock_chat(id)``, ``forget_chat(id)`` (400 chat not found), ``set_down(bool)``,
  ``reset()``.

Over HTTP: ``POST /control/<name>`` with the keyword arguments as a JSON object calls any of the playing,
waiting (except wait_for) and failure methods above (``data_base64`` for file bytes) and answers
``{"ok": true, "result": ...}``; ``GET /control/sent[?chat_id=]``, ``/control/requests[?method=]``,
``/control/commands``, ``/control/updates`` and ``/control/answer?query_id=`` read state.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import inspect
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Self, TypedDict, TypeVar, Unpack

import aiohttp
from aiohttp import web

from bot.standin.formatting import (
    PARSE_MODES,
    EntityParseError,
    detect_entities,
    merge_entities,
    strip_text,
    utf16_len,
)
from bot.standin.media import (
    file_ids,
    file_path,
    guess_mime,
    image_size,
    photo_sides,
    photo_size,
    tiny_png,
)
from bot.standin.models import (
    ApiError,
    Edit,
    Failure,
    MessageKind,
    SentMessage,
    StoredFile,
    UploadedFile,
    bad_request,
    keyboard_buttons,
)
from bot.standin.params import read_params

log = logging.getLogger(__name__)
T = TypeVar("T")
_Handler = Callable[[dict[str, Any]], Awaitable[Any]]

# Telegram leaves these out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_BOUND_PREFIXES = ("send", "edit", "copy", "forward", "delete", "pin", "unpin")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CONFLICT_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_CONTROL_ACTIONS = frozenset(
    {
        "send_text",
        "send_command",
        "edit_text",
        "press_button",
        "click",
        "send_photo",
        "send_sticker",
        "send_voice",
        "send_document",
        "send_location",
        "send_contact",
        "fail_next",
        "block_chat",
        "unblock_chat",
        "set_down",
        "reset",
        "wait_for_messages",
        "wait_for_edit",
        "wait_for_answer",
        "wait_update_consumed",
        "wait_until_idle",
    }
)


class UserProfile(TypedDict, total=False):
    """Who a user is; a field left out keeps what the user last had (first_name "Test", language "en")."""

    first_name: str | None
    last_name: str | None
    username: str | None
    language_code: str | None


class BotApiStandIn:
    """An aiohttp server in the current event loop that answers like api.telegram.org for one bot token."""

    def __init__(
        self,
        *,
        token: str,
        bot_username: str = "moodbot_demo_bot",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self._clock = clock or (lambda: datetime.now(UTC))
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 7_000_000_001
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "MoodBot Demo",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._closing = False
        self._changed = asyncio.Event()
        # Updates: every queued update stays until an offset confirms it, as with Telegram.
        self._pending: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._fetched_upto = 0
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._active_polls = 0
        self._webhook: dict[str, Any] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_error: tuple[int, str] | None = None
        # Tests of several instances: the stand-in is also their load balancer.
        self._balanced: list[str] = []
        self._turn = 0
        # Chats and messages.
        self._users: dict[int, dict[str, Any]] = {}
        self._last_message_id: dict[int, int] = {}
        self._user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._deleted_user_messages: set[tuple[int, int]] = set()
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._sent_log: list[SentMessage] = []
        self._queries: dict[str, dict[str, Any]] = {}
        self._answers: dict[str, dict[str, Any]] = {}
        self._next_query = 1
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_serial = 0
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, dict[str, Any]] = {}
        # Failures.
        self._failures: list[Failure] = []
        self._random_failures: dict[str, tuple[float, int, random.Random]] = {}
        self._blocked: set[int] = set()
        self._missing: set[int] = set()  # chats that do not exist (a mistyped id, a deleted group)
        self._down = False
        self._methods: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "sendChatAction": self._send_chat_action,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "deleteMessages": self._delete_messages,
                "answerCallbackQuery": self._answer_callback_query,
                "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "getFile": self._get_file,
                "setMyName": self._bot_text_setter("name"),
                "getMyName": self._bot_text_getter("name"),
                "setMyDescription": self._bot_text_setter("description"),
                "getMyDescription": self._bot_text_getter("description"),
                "setMyShortDescription": self._bot_text_setter("short_description"),
                "getMyShortDescription": self._bot_text_getter("short_description"),
                "setChatMenuButton": self._set_chat_menu_button,
                "getChatMenuButton": self._get_chat_menu_button,
                "close": self._true,
                "logOut": self._true,
            }.items()
        }

    # Lifecycle -----------------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port; port 0 picks a free port (see base_url)."""
        if self._runner is not None:
            raise RuntimeError("the stand-in is already running")
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_get("/control/{action}", self._handle_control_get)
        app.router.add_post("/control/{action}", self._handle_control_post)
        # handler_cancellation: a poll whose client hung up stops waiting instead of lingering until timeout.
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=5.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._host = host
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Answer waiting polls with [], stop webhook delivery and close the server."""
        if self._runner is None:
            return
        self._closing = True
        self._bump()
        await self._stop_webhook_delivery()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder.base_url / Bot(base_url=...): the library appends the token."""
        return f"{self._root()}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self._root()}/file/bot"

    @property
    def control_url(self) -> str:
        return f"{self._root()}/control"

    def _root(self) -> str:
        if self._runner is None:
            raise RuntimeError("the stand-in is not running; call start() first")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    # HTTP ----------------------------------------------------------------------------------------------

    async def _handle_bot(self, request: web.Request) -> web.Response:
        if self._down:
            return _error_response(ApiError(502))
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401))
        found = self._methods.get(request.match_info["method"].lower())
        if found is None:
            return _error_response(ApiError(404, "Not Found: method not found"))
        name, handler = found
        try:
            params = await read_params(request)
            self.requests.append((name, params))
            self._bump()
            self._raise_injected(name, params)
            result = await handler(params)
        except ApiError as exc:
            log.debug("%s -> %s %s", name, exc.status, exc.description)
            return _error_response(exc)
        except Exception as exc:
            # A bug here must not pass for a network error the bot would quietly retry.
            log.exception("stand-in failed on %s", name)
            return _error_response(ApiError(500, f"Internal Server Error: stand-in bug: {exc!r}"))
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401))
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return _error_response(ApiError(404))
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    async def _handle_control_post(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        if action not in _CONTROL_ACTIONS:
            return _error_response(ApiError(404, f"Not Found: no control action {action!r}"))
        try:
            kwargs = await request.json() if request.can_read_body else {}
        except ValueError:
            return _error_response(bad_request("the body must be a JSON object"))
        if not isinstance(kwargs, dict):
            return _error_response(bad_request("the body must be a JSON object"))
        try:
            if "data_base64" in kwargs:
                kwargs["data"] = base64.b64decode(kwargs.pop("data_base64"), validate=True)
            result = getattr(self, action)(**kwargs)
            if inspect.isawaitable(result):
                result = await result
        except TimeoutError as exc:
            return _error_response(ApiError(408, f"Request Timeout: {exc}"))
        except (TypeError, ValueError, LookupError, RuntimeError) as exc:
            return _error_response(bad_request(str(exc)))
        return web.json_response({"ok": True, "result": _jsonable(result)})

    async def _handle_control_get(self, request: web.Request) -> web.Response:
        action, query = request.match_info["action"], request.query
        try:
            if action == "sent":
                chat = query.get("chat_id")
                messages = self.sent(int(chat)) if chat is not None else self.all_sent()
                result: Any = [m.to_json() for m in messages]
            elif action == "requests":
                method = query.get("method")
                result = [
                    {"method": name, "params": params}
                    for name, params in self.requests
                    if method is None or name.lower() == method.lower()
                ]
            elif action == "commands":
                result = [
                    {"scope": json.loads(scope), "language_code": lang, "commands": commands}
                    for (scope, lang), commands in self._commands.items()
                ]
            elif action == "updates":
                result = copy.deepcopy(self._pending)
            elif action == "answer":
                result = self.callback_answer(query["query_id"])
            else:
                return _error_response(ApiError(404, f"Not Found: no control view {action!r}"))
        except (KeyError, ValueError) as exc:
            return _error_response(bad_request(f"bad query: {exc}"))
        return web.json_response({"ok": True, "result": _jsonable(result)})

    def _raise_injected(self, method: str, params: dict[str, Any]) -> None:
        chat_id = self._chat_of(method, params)
        for failure in self._failures:
            if failure.method == method.lower() and failure.chat_id in (None, chat_id):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                raise failure.error()
        if method.lower() in self._random_failures:
            share, status, chance = self._random_failures[method.lower()]
            if chance.random() < share:
                raise Failure(method.lower(), status, None, chat_id, 1, None).error()
        if chat_id in self._missing and (
            method.lower().startswith(_CHAT_BOUND_PREFIXES) or method.startswith("getChat")
        ):
            raise bad_request("chat not found")
        if chat_id in self._blocked and method.lower().startswith(_CHAT_BOUND_PREFIXES):
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the supergroup chat")

    def _chat_of(self, method: str, params: dict[str, Any]) -> int | None:
        chat = params.get("chat_id")
        if isinstance(chat, int):
            return chat
        if method == "answerCallbackQuery":
            query = self._queries.get(str(params.get("callback_query_id")))
            return query["chat_id"] if query else None
        return None

    # Waiting -------------------------------------------------------------------------------------------

    def _bump(self) -> None:
        """Wake everything waiting for a change; each waiter re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 10.0,  # noqa: ASYNC109 - a plain number reads best in tests
        *,
        what: str = "",
    ) -> T:
        """Wait until predicate() is truthy and return its value; TimeoutError after timeout seconds."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    result = predicate()
                    if result:
                        return result
                    if self._closing:
                        raise RuntimeError("the stand-in stopped while waiting")
                    await changed.wait()
        except TimeoutError:
            raise TimeoutError(f"waited {timeout}s for {what or 'a condition'}; {self._describe()}") from None

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least count messages to the chat; returns all of them."""

        def enough() -> list[SentMessage] | None:
            messages = self.sent(chat_id)
            return messages if len(messages) >= count else None

        return await self.wait_for(enough, timeout, what=f"{count} message(s) to chat {chat_id}")

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> SentMessage:
        """Wait until the bot message has been edited at least count times in all."""

        def edited() -> SentMessage | None:
            message = self._bot_messages.get((chat_id, message_id))
            return message if message is not None and len(message.edits) >= count else None

        return await self.wait_for(edited, timeout, what=f"edit #{count} of message {message_id} in {chat_id}")

    async def wait_for_answer(
        self,
        query_id: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait until the bot answered the callback query; returns what callback_answer() returns."""
        return await self.wait_for(
            lambda: self.callback_answer(query_id), timeout, what=f"an answer to callback query {query_id}"
        )

    async def wait_update_consumed(
        self,
        update_id: int | Literal["all"] = "all",
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
        confirmed: bool = False,
    ) -> None:
        """Wait until the bot fetched the update (or, with confirmed, also confirmed it by offset).

        "all" means every update queued so far. Dropped updates count as consumed.
        """
        target = self._next_update_id - 1 if update_id == "all" else update_id

        def consumed() -> bool:
            return all(
                u["update_id"] > target or (not confirmed and u["update_id"] <= self._fetched_upto)
                for u in self._pending
            )

        await self.wait_for(consumed, timeout, what=f"update {update_id} to be consumed")

    async def wait_until_idle(self, *, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has fetched every queued update (it may still be handling them)."""
        await self.wait_update_consumed("all", timeout=timeout)

    def _describe(self) -> str:
        lines = [f"pending updates: {[u['update_id'] for u in self._pending]}"]
        for message in self._sent_log[-5:]:
            lines.append(f"sent #{message.message_id} to {message.chat_id}: {message.content!r}")
        return "; ".join(lines) if self._sent_log else lines[0] + "; the bot has sent nothing"

    # Playing users -------------------------------------------------------------------------------------

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Queue a message update; commands and links get entities like Telegram gives them."""
        message = self._incoming(
            user_id,
            chat_id,
            UserProfile(first_name=first_name, last_name=last_name, username=username, language_code=language_code),
        )
        message["text"] = text
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        return self._queue_message(message)

    async def send_command(self, user_id: int, command: str, args: str = "", **kwargs: Any) -> dict[str, Any]:
        """send_text of "/command args"; command may include "@botname"."""
        text = "/" + command.lstrip("/") + (f" {args}" if args else "")
        return await self.send_text(user_id, text, **kwargs)

    async def edit_text(
        self, user_id: int, message_id: int, new_text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The user edits an earlier text message: queues an edited_message update."""
        chat = user_id if chat_id is None else chat_id
        key = (chat, message_id)
        message = self._user_messages.get(key)
        if message is None or key in self._deleted_user_messages or message["from"]["id"] != user_id:
            raise LookupError(f"user {user_id} has no message {message_id} in chat {chat}")
        message["text"] = new_text
        message.pop("entities", None)
        entities = detect_entities(new_text)
        if entities:
            message["entities"] = entities
        message["edit_date"] = self._now()
        self._queue("edited_message", message)
        return copy.deepcopy(message)

    async def press_button(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None, **profile: Unpack[UserProfile]
    ) -> str:
        """Queue a callback_query update for a press on the message; returns the query id.

        The message is the bot's message as it is now; an unknown or deleted one becomes an inaccessible
        message (date 0), so forged presses reach the bot too.
        """
        user = self._remember_user(user_id, profile)
        chat = user_id if chat_id is None else chat_id
        current = self.message_dict(chat, message_id)
        if current is None:
            current = {"chat": self._chat(chat), "message_id": message_id, "date": 0}
        query_id = str(4_000_000_000_000_000 + self._next_query)
        self._next_query += 1
        self._queries[query_id] = {"chat_id": chat, "message_id": message_id, "user_id": user_id, "data": data}
        query = {
            "id": query_id,
            "from": user,
            "message": current,
            "chat_instance": str((chat * 2_654_435_761 + self.bot_id) % 2**62),
            "data": data,
        }
        self._queue("callback_query", query)
        return query_id

    async def click(self, user_id: int, message_id: int, label: str, *, chat_id: int | None = None) -> str:
        """press_button on the button whose text is label, in the bot message's current keyboard."""
        chat = user_id if chat_id is None else chat_id
        message = self._bot_messages.get((chat, message_id))
        buttons = message.buttons if message is not None else []
        for text, data in buttons:
            if text == label and data is not None:
                return await self.press_button(user_id, message_id, data, chat_id=chat)
        raise LookupError(f"no callback button {label!r} on message {message_id} in {chat}; buttons: {buttons}")

    async def send_photo(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        data: bytes | None = None,
        width: int = 1280,
        height: int = 960,
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        message = self._incoming(user_id, chat_id, profile)
        if data is not None:
            width, height = image_size(data) or (width, height)
        else:
            data = tiny_png()
        sizes = []
        for w, h in photo_sides(width, height):
            stored = self._store_file("photo", data, "image/jpeg", None)
            sizes.append(photo_size(stored.file_id, stored.file_unique_id, w, h, len(data)))
        message["photo"] = sizes
        self._add_caption(message, caption)
        return self._queue_message(message)

    async def send_sticker(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        emoji: str = "🙂",
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        message = self._incoming(user_id, chat_id, profile)
        stored = self._store_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", "image/webp", "sticker.webp")
        message["sticker"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "DemoStickers",
            "file_size": 12,
        }
        return self._queue_message(message)

    async def send_voice(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        duration: int = 3,
        data: bytes | None = None,
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        message = self._incoming(user_id, chat_id, profile)
        data = data if data is not None else b"OggS" + bytes(60)
        stored = self._store_file("voice", data, "audio/ogg", "voice.oga")
        message["voice"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        self._add_caption(message, caption)
        return self._queue_message(message)

    async def send_document(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        data: bytes | None = None,
        filename: str = "notes.txt",
        mime_type: str | None = None,
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        message = self._incoming(user_id, chat_id, profile)
        data = data if data is not None else b"A few notes.\n"
        mime = mime_type or guess_mime(filename)
        stored = self._store_file("document", data, mime, filename)
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(data),
        }
        self._add_caption(message, caption)
        return self._queue_message(message)

    async def send_location(
        self,
        user_id: int,
        latitude: float = 52.520008,
        longitude: float = 13.404954,
        *,
        chat_id: int | None = None,
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        message = self._incoming(user_id, chat_id, profile)
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return self._queue_message(message)

    async def send_contact(
        self,
        user_id: int,
        phone_number: str = "+15555550100",
        *,
        chat_id: int | None = None,
        contact_first_name: str = "Alex",
        contact_user_id: int | None = None,
        **profile: Unpack[UserProfile],
    ) -> dict[str, Any]:
        """A shared contact; contact_user_id=user_id makes it the user's own number."""
        message = self._incoming(user_id, chat_id, profile)
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": contact_first_name}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        message["contact"] = contact
        return self._queue_message(message)

    def _incoming(self, user_id: int, chat_id: int | None, profile: UserProfile) -> dict[str, Any]:
        chat = user_id if chat_id is None else chat_id
        if chat > 0 and chat != user_id:
            raise ValueError(f"a private chat's id is its user's id: chat {chat} is not user {user_id}'s")
        user = self._remember_user(user_id, profile)
        return {
            "message_id": self._next_message_id(chat),
            "from": user,
            "chat": self._chat(chat),
            "date": self._now(),
        }

    def _add_caption(self, message: dict[str, Any], caption: str | None) -> None:
        if caption:
            message["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                message["caption_entities"] = entities

    def _queue_message(self, message: dict[str, Any]) -> dict[str, Any]:
        self._user_messages[(message["chat"]["id"], message["message_id"])] = message
        self._queue("message", message)
        return copy.deepcopy(message)

    def _queue(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._pending.append({"update_id": update_id, kind: copy.deepcopy(payload)})
        self._bump()
        return update_id

    def _remember_user(self, user_id: int, profile: UserProfile) -> dict[str, Any]:
        known = self._users.get(user_id, {})
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": profile.get("first_name") or known.get("first_name") or "Test",
        }
        for name in ("last_name", "username"):
            value = profile.get(name) or known.get(name)
            if value:
                user[name] = value
        user["language_code"] = profile.get("language_code") or known.get("language_code") or "en"
        self._users[user_id] = user
        return dict(user)

    # Reading -------------------------------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages to the chat in send order, live: edits and deletions show up in place."""
        return [m for m in self._sent_log if m.chat_id == chat_id]

    def all_sent(self) -> list[SentMessage]:
        return list(self._sent_log)

    def message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """A bot message by id, also one sent before reset()."""
        return self._bot_messages.get((chat_id, message_id))

    def message_dict(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The Bot API Message as it is now (bot's or user's), None if unknown or deleted."""
        key = (chat_id, message_id)
        bot_message = self._bot_messages.get(key)
        if bot_message is not None:
            return None if bot_message.deleted else self._bot_message_dict(bot_message)
        user_message = self._user_messages.get(key)
        if user_message is None or key in self._deleted_user_messages:
            return None
        return copy.deepcopy(user_message)

    @staticmethod
    def buttons(message: SentMessage | dict[str, Any] | None) -> list[tuple[str, str | None]]:
        """(text, callback_data) of every button of a SentMessage, a Message dict or a markup dict."""
        if message is None:
            return []
        if isinstance(message, SentMessage):
            return message.buttons
        markup = message.get("reply_markup", message)
        return keyboard_buttons(markup if isinstance(markup, dict) else None)

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """What the bot answered to the callback query (text, show_alert, url, cache_time), or None."""
        answer = self._answers.get(query_id)
        return dict(answer) if answer is not None else None

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every request of this Bot API method, in order."""
        return [params for name, params in self.requests if name.lower() == method.lower()]

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The command list set for the default scope and no language."""
        return self.commands_for()

    def commands_for(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        return copy.deepcopy(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by an offset (fetched or not)."""
        return copy.deepcopy(self._pending)

    @property
    def last_update_id(self) -> int:
        return self._next_update_id - 1

    @property
    def active_polls(self) -> int:
        """getUpdates requests being answered right now."""
        return self._active_polls

    @property
    def webhook_url(self) -> str:
        return self._webhook["url"] if self._webhook else ""

    # Failures ------------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """The next `times` calls of the method (to that chat, if given) fail with a Bot API error."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._failures.append(Failure(method.lower(), status, retry_after, chat_id, times, description))

    def fail_at_random(self, method: str, *, share: float, status: int, seed: int = 0) -> None:
        """From now on, each call of the method fails with a Bot API error with probability `share` (seeded)."""
        self._random_failures[method.lower()] = (share, status, random.Random(seed))

    def block_chat(self, chat_id: int) -> None:
        """Every send, edit or delete in this chat answers 403 until unblock_chat."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """The chat does not exist: every request about it answers 400 "chat not found"."""
        self._missing.add(chat_id)

    def set_down(self, down: bool = True) -> None:
        """While down, every Bot API request answers 502 Bad Gateway."""
        self._down = down

    def reset(self) -> None:
        """Forget sent messages, requests, callback answers and failures.

        Chats, message ids, pending updates, commands and the webhook stay: they are Telegram's state.
        """
        self._sent_log.clear()
        self.requests.clear()
        self._answers.clear()
        self._failures.clear()
        self._random_failures.clear()
        self._blocked.clear()
        self._missing.clear()
        self._down = False
        self._bump()

    # Bot API: updates ----------------------------------------------------------------------------------

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = _int(params, "offset", 0)
        limit = min(100, max(1, _int(params, "limit", 100)))
        timeout = max(0, _int(params, "timeout", 0))
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"]) or None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._active_polls += 1
        self._bump()  # an older poll sees the newer generation and ends with 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                changed = self._changed
                if generation != self._poll_generation:
                    raise ApiError(409, _CONFLICT_POLL)
                if self._webhook:
                    raise ApiError(409, _CONFLICT_WEBHOOK)
                batch = self._deliverable(limit)
                if batch:
                    self._fetched_upto = max(self._fetched_upto, batch[-1]["update_id"])
                    return batch
                remaining = deadline - loop.time()
                if self._closing or remaining <= 0:
                    return []
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await changed.wait()
        finally:
            self._active_polls -= 1
            self._bump()

    def _confirm(self, offset: int) -> None:
        before = len(self._pending)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if len(self._pending) != before:
            self._bump()

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        allowed = set(self._allowed_updates) if self._allowed_updates else None
        batch: list[dict[str, Any]] = []
        for update in list(self._pending):
            kind = next(k for k in update if k != "update_id")
            wanted = kind in allowed if allowed is not None else kind not in _OPT_IN_UPDATES
            if not wanted:
                self._pending.remove(update)  # Telegram never keeps updates the bot did not ask for
                continue
            batch.append(update)
            if len(batch) >= limit:
                break
        return batch

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if url and not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not _SECRET.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        await self._stop_webhook_delivery()
        if params.get("drop_pending_updates"):
            self._drop_pending()
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"]) or None
        if not url:
            self._webhook = None
            return True
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": _int(params, "max_connections", 40),
            "ip_address": params.get("ip_address"),
        }
        self._webhook_error = None
        self._webhook_task = asyncio.create_task(self._deliver_webhook(url, secret), name="standin-webhook")
        self._bump()
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        await self._stop_webhook_delivery()
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._drop_pending()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            if self._webhook.get("ip_address"):
                info["ip_address"] = self._webhook["ip_address"]
            if self._webhook_error:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _drop_pending(self) -> None:
        self._pending.clear()
        self._bump()

    async def _stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])

    def balance(self, addresses: list[str]) -> None:
        """Deliver webhook updates round-robin to these addresses (the registered URL's path on each), as a load
        balancer in front of several instances would; an address that fails is passed over for the next."""
        self._balanced = [address.rstrip("/") for address in addresses]

    def _webhook_targets(self, url: str) -> list[str]:
        if not self._balanced:
            return [url]
        path = "/" + url.split("://", 1)[-1].partition("/")[2]
        first = self._turn % len(self._balanced)
        self._turn += 1
        return [address + path for address in self._balanced[first:] + self._balanced[:first]]

    async def _deliver_webhook(self, url: str, secret: str | None) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        failures = 0
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while not self._closing:
                changed = self._changed
                batch = self._deliverable(1)
                if not batch:
                    await changed.wait()
                    continue
                update = batch[0]
                error: str | None = None
                for target in self._webhook_targets(url):
                    error = await self._post_update(session, target, update, headers)
                    if error is None:
                        break
                if error is None:
                    failures = 0
                    self._fetched_upto = max(self._fetched_upto, update["update_id"])
                    if update in self._pending:
                        self._pending.remove(update)
                    self._bump()
                    continue
                failures += 1
                self._webhook_error = (self._now(), error)
                self._bump()
                await asyncio.sleep(min(2.0, 0.05 * 2**failures))  # Telegram also backs off on failures

    @staticmethod
    async def _post_update(
        session: aiohttp.ClientSession, url: str, update: dict[str, Any], headers: dict[str, str]
    ) -> str | None:
        try:
            async with session.post(url, json=update, headers=headers) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {exc.__class__.__name__}"
        return None

    # Bot API: bot and chats ----------------------------------------------------------------------------

    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return dict(self.bot_user)

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        cleaned = []
        for entry in commands:
            if not isinstance(entry, dict) or not _COMMAND.match(str(entry.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(entry.get("description", ""))
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": entry["command"], "description": description})
        self._commands[(_scope_key(params.get("scope")), str(params.get("language_code") or ""))] = cleaned
        self._bump()
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands_for(params.get("scope"), str(params.get("language_code") or ""))

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop((_scope_key(params.get("scope")), str(params.get("language_code") or "")), None)
        self._bump()
        return True

    def _bot_text_setter(self, field: str) -> _Handler:
        async def setter(params: dict[str, Any]) -> bool:
            self._bot_texts[(field, str(params.get("language_code") or ""))] = str(params.get(field) or "")
            return True

        return setter

    def _bot_text_getter(self, field: str) -> _Handler:
        async def getter(params: dict[str, Any]) -> dict[str, Any]:
            language = str(params.get("language_code") or "")
            default = self.bot_user["first_name"] if field == "name" else ""
            text = self._bot_texts.get((field, language), self._bot_texts.get((field, ""), default))
            return {field: text}

        return getter

    async def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        chat = params.get("chat_id")
        self._menu_buttons[chat if isinstance(chat, int) else None] = params.get("menu_button") or {"type": "default"}
        return True

    async def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = params.get("chat_id")
        key = chat if isinstance(chat, int) else None
        return dict(self._menu_buttons.get(key) or self._menu_buttons.get(None) or {"type": "commands"})

    async def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        # Groups exist unless forgotten; a private chat exists once its user has written to the bot.
        if chat_id > 0 and chat_id not in self._last_message_id and chat_id not in self._users:
            raise bad_request("chat not found")
        full = self._chat(chat_id)
        full.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return full

    async def _get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        """The bot is a member of every group it was not removed from (block_chat); users are themselves."""
        chat_id = self._target_chat(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("user_id is empty")
        if chat_id > 0:
            if chat_id != user_id and user_id != self.bot_user["id"]:
                raise bad_request("user not found")
            user = self.bot_user if user_id == self.bot_user["id"] else self._chat(chat_id) | {"is_bot": False}
            return {"status": "member", "user": user}
        if user_id == self.bot_user["id"]:
            return {
                "status": "kicked" if chat_id in self._blocked else "member",
                "user": self.bot_user,
                "until_date": 0,
            }
        return {"status": "member", "user": {"id": user_id, "is_bot": False, "first_name": "Test"}}

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # Bot API: messages ---------------------------------------------------------------------------------

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        raw = params.get("text")
        text, entities = self._formatted(raw, params.get("parse_mode"), params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > 4096:
            raise bad_request("message is too long")
        markup = _validated_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat_id, params)
        message = self._record_sent(
            chat_id, "text", params, text=text, entities=entities, raw_text=str(raw), reply_markup=markup
        )
        message.reply_to = reply_to
        return self._bot_message_dict(message)

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_media("photo", params)

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_media("document", params)

    async def _send_media(self, kind: MessageKind, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        data, filename, mime = self._media_input(kind, params.get(kind))
        raw_caption = params.get("caption")
        caption, entities = self._formatted(raw_caption, params.get("parse_mode"), params.get("caption_entities"))
        if utf16_len(caption) > 1024:
            raise bad_request("message caption is too long")
        markup = _validated_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat_id, params)
        if kind == "photo":
            width, height = image_size(data) or (800, 600)
            attachment: Any = []
            for w, h in photo_sides(width, height):
                stored = self._store_file("photo", data, mime, filename)
                attachment.append(photo_size(stored.file_id, stored.file_unique_id, w, h, len(data) if data else None))
            file_id = attachment[-1]["file_id"]
        else:
            stored = self._store_file("document", data, mime, filename)
            attachment = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
            if filename:
                attachment["file_name"] = filename
            attachment["mime_type"] = mime
            if data is not None:
                attachment["file_size"] = len(data)
            file_id = stored.file_id
        message = self._record_sent(
            chat_id,
            kind,
            params,
            caption=caption or None,
            entities=entities,
            raw_text=None if raw_caption is None else str(raw_caption),
            reply_markup=markup,
        )
        message.file_bytes, message.filename, message.mime_type = data, filename, mime
        message.file_id, message.attachment, message.reply_to = file_id, attachment, reply_to
        return self._bot_message_dict(message)

    def _media_input(self, kind: str, value: Any) -> tuple[bytes | None, str | None, str]:
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            return value.data, value.filename, value.mime_type or guess_mime(value.filename)
        if isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                name = known.file_path.rsplit("/", 1)[-1]
                return known.data, name, known.mime_type or guess_mime(name)
            if value.startswith(("http://", "https://")):
                name = value.rsplit("/", 1)[-1] or None
                return None, name, guess_mime(name, "image/jpeg" if kind == "photo" else "application/octet-stream")
            raise bad_request("wrong file identifier/HTTP URL specified")
        raise bad_request(f"there is no {kind} in the request")

    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw = params.get("text")
        text, entities = self._formatted(raw, params.get("parse_mode"), params.get("entities"))
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > 4096:
            raise bad_request("message is too long")
        markup = _inline_markup(params.get("reply_markup"))
        if text == message.text and entities == message.entities and markup == message.reply_markup:
            raise _not_modified()
        self._apply_edit(message, "editMessageText", params, text=text, entities=entities, markup=markup)
        message.raw_text = str(raw)
        return self._bot_message_dict(message)

    async def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        raw = params.get("caption")
        caption, entities = self._formatted(raw, params.get("parse_mode"), params.get("caption_entities"))
        if utf16_len(caption) > 1024:
            raise bad_request("message caption is too long")
        markup = _inline_markup(params.get("reply_markup"))
        if (caption or None) == message.caption and entities == message.entities and markup == message.reply_markup:
            raise _not_modified()
        self._apply_edit(
            message, "editMessageCaption", params, caption=caption or None, entities=entities, markup=markup
        )
        message.raw_text = None if raw is None else str(raw)
        return self._bot_message_dict(message)

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise _not_modified()
        self._apply_edit(message, "editMessageReplyMarkup", params, markup=markup)
        return self._bot_message_dict(message)

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat_id = self._target_chat(params)
        message_id = _int(params, "message_id", 0)
        message = self._bot_messages.get((chat_id, message_id))
        if message is None or message.deleted:
            if (chat_id, message_id) in self._user_messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return message

    def _apply_edit(
        self,
        message: SentMessage,
        method: str,
        params: dict[str, Any],
        *,
        markup: dict[str, Any] | None,
        text: str | None = None,
        caption: str | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> None:
        previous = (message.text, message.caption, message.reply_markup)
        if method == "editMessageText":
            message.text, message.entities = text, entities or []
            message.parse_mode = params.get("parse_mode") or None
        elif method == "editMessageCaption":
            message.caption, message.entities = caption, entities or []
            message.parse_mode = params.get("parse_mode") or None
        message.reply_markup = markup
        now = self._clock()
        message.edit_date = int(now.timestamp())
        message.edits.append(
            Edit(
                method=method,
                edited_at=now,
                text=message.text,
                caption=message.caption,
                reply_markup=copy.deepcopy(markup),
                parse_mode=message.parse_mode,
                previous_text=previous[0],
                previous_caption=previous[1],
                previous_reply_markup=previous[2],
            )
        )
        self._bump()

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        if not self._delete(chat_id, _int(params, "message_id", 0)):
            raise bad_request("message to delete not found")
        self._bump()
        return True

    async def _delete_messages(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be an array of 1-100 message identifiers")
        for message_id in ids:
            self._delete(chat_id, int(message_id))
        self._bump()
        return True

    def _delete(self, chat_id: int, message_id: int) -> bool:
        key = (chat_id, message_id)
        bot_message = self._bot_messages.get(key)
        if bot_message is not None and not bot_message.deleted:
            bot_message.deleted = True
            return True
        if key in self._user_messages and key not in self._deleted_user_messages:
            self._deleted_user_messages.add(key)
            return True
        return False

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._queries or query_id in self._answers:
            raise bad_request(_QUERY_INVALID)
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._answers[query_id] = {
            "text": text,
            "show_alert": bool(params.get("show_alert", False)),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
            "answered_at": self._clock(),
        }
        self._bump()
        return True

    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.data is not None and len(stored.data) > 20 * 1024 * 1024:
            raise bad_request("file is too big")
        result: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.data is not None:
            result["file_size"] = len(stored.data)
            result["file_path"] = stored.file_path
        return result

    # Helpers -------------------------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock().timestamp())

    def _next_message_id(self, chat_id: int) -> int:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Test group {-chat_id}"}
        user = self._users.get(chat_id, {})
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "Test")}
        for name in ("last_name", "username"):
            if user.get(name):
                chat[name] = user[name]
        return chat

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat = params.get("chat_id")
        if chat is None or chat == "":
            raise bad_request("chat_id is empty")
        if not isinstance(chat, int) or chat == 0:
            raise bad_request("chat not found")
        return chat

    def _formatted(self, raw: Any, parse_mode: Any, entities: Any) -> tuple[str, list[dict[str, Any]]]:
        if raw is None:
            return "", []
        text = str(raw)
        found: list[dict[str, Any]] = []
        if entities:
            if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
                raise bad_request("can't parse entities JSON object")
            found = [dict(e) for e in entities]
        elif parse_mode:
            parser = PARSE_MODES.get(str(parse_mode).lower())
            if parser is None:
                raise bad_request(f"unsupported parse_mode {parse_mode}")
            try:
                text, found = parser(text)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        text, found = strip_text(text, found)
        return text, merge_entities(found, detect_entities(text))

    def _reply_to(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) and params.get("reply_to_message_id"):
            reply = {
                "message_id": params["reply_to_message_id"],
                "allow_sending_without_reply": params.get("allow_sending_without_reply", False),
            }
        if not isinstance(reply, dict):
            return None
        target_chat = reply.get("chat_id", chat_id)
        target = self.message_dict(int(target_chat), int(reply.get("message_id", 0)))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        target.pop("reply_to_message", None)
        return target

    def _record_sent(
        self,
        chat_id: int,
        kind: MessageKind,
        params: dict[str, Any],
        *,
        text: str | None = None,
        caption: str | None = None,
        entities: list[dict[str, Any]],
        raw_text: str | None,
        reply_markup: dict[str, Any] | None,
    ) -> SentMessage:
        now = self._clock()
        message = SentMessage(
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            kind=kind,
            text=text,
            caption=caption,
            reply_markup=reply_markup,
            parse_mode=params.get("parse_mode") or None,
            sent_at=now,
            entities=entities,
            raw_text=raw_text,
            params={k: v for k, v in params.items() if not isinstance(v, UploadedFile)},
            date=int(now.timestamp()),
        )
        self._bot_messages[(chat_id, message.message_id)] = message
        self._sent_log.append(message)
        self._bump()
        return message

    def _bot_message_dict(self, message: SentMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": self._chat(message.chat_id),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.reply_to is not None:
            result["reply_to_message"] = copy.deepcopy(message.reply_to)
        if message.kind == "text":
            result["text"] = message.text
            if message.entities:
                result["entities"] = copy.deepcopy(message.entities)
        else:
            result[message.kind] = copy.deepcopy(message.attachment)
            if message.caption:
                result["caption"] = message.caption
                if message.entities:
                    result["caption_entities"] = copy.deepcopy(message.entities)
        # Telegram only echoes inline keyboards; reply keyboards are not part of the Message object.
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = copy.deepcopy(message.reply_markup)
        return result

    def _store_file(self, kind: str, data: bytes | None, mime: str | None, filename: str | None) -> StoredFile:
        self._file_serial += 1
        file_id, unique_id = file_ids(kind, self._file_serial, self.bot_id)
        stored = StoredFile(file_id, unique_id, file_path(kind, self._file_serial, filename, mime), data, mime)
        self._files[file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.payload(), status=error.status)


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly the same as a "
        "current content and reply markup of the message"
    )


def _int(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name, default)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _scope_key(scope: Any) -> str:
    if not scope or (isinstance(scope, dict) and scope.get("type") == "default"):
        return json.dumps({"type": "default"})
    return json.dumps(scope, sort_keys=True)


def _validated_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _inline_markup(markup)
    if not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return copy.deepcopy(markup)


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """An inline keyboard checked like Telegram checks it; editing without one removes the keyboard."""
    if markup is None:
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not button["url"]:
                raise bad_request("BUTTON_URL_INVALID")
    return copy.deepcopy(markup) if rows else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, SentMessage):
        return value.to_json()
    if isinstance(value, UploadedFile):
        return value.to_json()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
