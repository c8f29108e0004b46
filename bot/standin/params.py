"""Request parameters as python-telegram-bot sends them, turned into Python values.

python-telegram-bot (HTTPXRequest) always POSTs ``RequestData.json_parameters``: strings stay as they are and
everything else is JSON-encoded into a string (numbers, booleans, reply_markup, entities, commands...).
Without files that is form-urlencoded; with files it is multipart/form-data where each file is a part with a
filename, named after its parameter or after an ``attach://name`` reference. Other clients may send JSON
bodies with native values or put parameters in the query string, so all of these are accepted.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.standin.models import UploadedFile, bad_request

_INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "user_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "show_caption_above_media",
        "for_channels",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "reply_parameters",
        "link_preview_options",
        "message_ids",
        "menu_button",
        "media",
        "rights",
    }
)


async def read_params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request parameters") from None
            if not isinstance(body, dict):
                raise bad_request("request parameters must be a JSON object")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    # aiohttp closes the spooled file when the request ends, so read it now.
                    files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
                else:
                    raw[name] = value
    for name, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached = files.pop(value.removeprefix("attach://"), None)
            if attached is not None:
                raw[name] = attached
    raw.update(files)
    return {name: _coerce(name, value) for name, value in raw.items()}


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name
            raise bad_request(f"can't parse {what} JSON object") from None
    if name in _BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            if name in ("chat_id", "from_chat_id"):
                return value  # "@channelusername"; the method answers "chat not found"
            raise bad_request(f"invalid {name} specified") from None
    return value
