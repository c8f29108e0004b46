"""What the stand-in remembers: the bot's messages, their edits, uploaded files, and Bot API errors."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any, Literal

MessageKind = Literal["text", "photo", "document"]

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description and optional response parameters."""

    def __init__(self, status: int, description: str | None = None, parameters: dict[str, Any] | None = None):
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(status) or _phrase(status)
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    mime_type: str
    data: bytes

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "mime_type": self.mime_type, "size": len(self.data)}


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None
    mime_type: str | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """One successful edit of a bot message: the state after it, and what it replaced."""

    method: str
    edited_at: datetime
    text: str | None
    caption: str | None
    reply_markup: dict[str, Any] | None
    parse_mode: str | None
    previous_text: str | None
    previous_caption: str | None
    previous_reply_markup: dict[str, Any] | None


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent, kept current: edits update the fields and append to ``edits``."""

    message_id: int
    chat_id: int
    kind: MessageKind
    text: str | None
    caption: str | None
    reply_markup: dict[str, Any] | None
    parse_mode: str | None
    sent_at: datetime
    file_bytes: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    file_id: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)  # of the text, or of the caption
    raw_text: str | None = None  # text or caption as the bot sent it, before parse_mode
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False
    params: dict[str, Any] = field(default_factory=dict)  # the request's parameters, for anything else
    attachment: Any = None  # the Bot API "photo" list or "document" object
    reply_to: dict[str, Any] | None = None
    date: int = 0
    edit_date: int | None = None

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        return keyboard_buttons(self.reply_markup)

    @property
    def content(self) -> str | None:
        """The text, or for media the caption."""
        return self.text if self.kind == "text" else self.caption

    def to_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "kind": self.kind,
            "text": self.text,
            "caption": self.caption,
            "raw_text": self.raw_text,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "parse_mode": self.parse_mode,
            "sent_at": self.sent_at.isoformat(),
            "filename": self.filename,
            "mime_type": self.mime_type,
            "file_id": self.file_id,
            "file_base64": base64.b64encode(self.file_bytes).decode() if self.file_bytes is not None else None,
            "deleted": self.deleted,
            "edits": [
                {
                    "method": e.method,
                    "edited_at": e.edited_at.isoformat(),
                    "text": e.text,
                    "caption": e.caption,
                    "reply_markup": e.reply_markup,
                    "parse_mode": e.parse_mode,
                }
                for e in self.edits
            ],
        }


def keyboard_buttons(markup: dict[str, Any] | None) -> list[tuple[str, str | None]]:
    """(text, callback_data) of every button, row by row; reply-keyboard and URL buttons have None."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    found: list[tuple[str, str | None]] = []
    for row in rows:
        for button in row:
            if isinstance(button, str):
                found.append((button, None))
            elif isinstance(button, dict):
                found.append((str(button.get("text", "")), button.get("callback_data")))
    return found


@dataclass(slots=True)
class Failure:
    method: str  # lower-cased
    status: int
    retry_after: int | None
    chat_id: int | None
    remaining: int
    description: str | None

    def error(self) -> ApiError:
        if self.status == 429:
            seconds = 1 if self.retry_after is None else self.retry_after
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {seconds}",
                {"retry_after": seconds},
            )
        return ApiError(self.status, self.description)
