"""Message text the way Telegram stores it: parse modes turned into entities, offsets in UTF-16 units.

Telegram rejects malformed markup instead of sending it, so the stand-in does too; that is how a test notices
user text pasted unescaped into an HTML or MarkdownV2 message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """The markup cannot be parsed; the message is Telegram's, after "Bad Request: can't parse entities: "."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    pos: int = 0  # UTF-16 units written so far
    entities: list[Entity] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:  # Telegram drops empty entities
            self.entities.append({"type": kind, "offset": start, "length": self.pos - start, **extra})

    def text(self) -> str:
        return "".join(self.parts)


# HTML -------------------------------------------------------------------------------------------------

_HTML_KINDS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[a-zA-Z0-9-]*")
_ATTRIBUTE = re.compile(r"""\s*([a-zA-Z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_CHAR_REF = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));")


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match[1] or match[2]:
            code = int(match[1]) if match[1] else int(match[2], 16)
            return chr(code) if 0 < code <= 0x10FFFF else match[0]
        return _NAMED_ENTITIES.get(match[3], match[0])

    return _CHAR_REF.sub(one, value)


def parse_html(source: str) -> tuple[str, list[Entity]]:
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "&":
            match = _CHAR_REF.match(source, i)
            decoded = _unescape(match[0]) if match else "&"
            if match and decoded != match[0]:
                out.add(decoded)
                i = match.end()
            else:
                out.add("&")
                i += 1
            continue
        if char != "<":
            j = i
            while j < n and source[j] not in "<&":
                j += 1
            out.add(source[i:j])
            i = j
            continue
        at = _byte_offset(source, i)
        if source.startswith("</", i):
            end = source.find(">", i)
            if end == -1:
                raise EntityParseError(f"Unclosed end tag at byte offset {at}")
            name = source[i + 2 : end].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {at}")
            open_name, start, attrs = stack.pop()
            if name != open_name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {at}, expected "</{open_name}>", found "</{name}>"'
                )
            _close_html(out, open_name, start, attrs, stack)
            i = end + 1
            continue
        name_match = _TAG_NAME.match(source, i + 1)
        assert name_match is not None  # the pattern also matches the empty string
        name = name_match[0].lower()
        if name not in _HTML_KINDS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')
        j = name_match.end()
        attrs: dict[str, str] = {}
        while True:
            while j < n and source[j].isspace():
                j += 1
            if j >= n:
                raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {at}')
            if source[j] == ">":
                break
            attr = _ATTRIBUTE.match(source, j)
            if attr is None or attr.end() == j:
                raise EntityParseError(f'Expected equal sign in declaration of an attribute of the tag "{name}"')
            value = next((v for v in attr.groups()[1:] if v is not None), "")
            attrs[attr[1].lower()] = _unescape(value)
            j = attr.end()
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler" at byte offset ' + str(at))
        stack.append((name, out.pos, attrs))
        i = j + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.text(), out.entities


def _close_html(
    out: _Builder, name: str, start: int, attrs: dict[str, str], stack: list[tuple[str, int, dict[str, str]]]
) -> None:
    kind = _HTML_KINDS[name]
    if kind == "text_link":
        _link(out, start, attrs.get("href", ""))
        return
    if kind == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "").removeprefix("language-")
        if language:
            stack[-1][2]["language"] = language  # the enclosing <pre> becomes a pre entity with a language
        return
    if kind == "pre":
        language = attrs.get("language")
        out.entity("pre", start, **({"language": language} if language else {}))
        return
    if kind == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in attrs else "blockquote", start)
        return
    if kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
        return
    out.entity(kind, start)


def _link(out: _Builder, start: int, url: str) -> None:
    user_id = url.removeprefix("tg://user?id=")
    if user_id != url and user_id.isdigit():
        out.entity("text_mention", start, user={"id": int(user_id), "is_bot": False, "first_name": ""})
    elif url:
        out.entity("text_link", start, url=url)


# MarkdownV2 -------------------------------------------------------------------------------------------

_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_MDV2_TOGGLES = {"*": "bold", "~": "strikethrough"}


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    out = _Builder()
    stack: list[tuple[str, int, int, str]] = []  # kind, UTF-16 start, byte offset of the mark, pre language
    quote_start: int | None = None
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        top = stack[-1][0] if stack else None
        if top in ("code", "pre"):
            if char == "\\" and i + 1 < n and source[i + 1] in "`\\":
                out.add(source[i + 1])
                i += 2
            elif top == "pre" and source.startswith("```", i):
                _, start, _, language = stack.pop()
                out.entity("pre", start, **({"language": language} if language else {}))
                i += 3
            elif top == "code" and char == "`":
                _, start, _, _ = stack.pop()
                out.entity("code", start)
                i += 1
            else:
                out.add(char)
                i += 1
            continue
        if char == "\\" and i + 1 < n and 0 < ord(source[i + 1]) < 127:
            out.add(source[i + 1])
            i += 2
            continue
        if char == "\n" and quote_start is not None and not source.startswith(">", i + 1):
            out.entity("blockquote", quote_start)
            quote_start = None
        if char == ">" and (i == 0 or source[i - 1] == "\n"):
            if quote_start is None:
                quote_start = out.pos
            i += 1
            continue
        at = _byte_offset(source, i)
        if source.startswith("```", i):
            newline = source.find("\n", i + 3)
            header = source[i + 3 : newline] if newline != -1 else ""
            if header and not any(c.isspace() or c in "`" for c in header):
                stack.append(("pre", out.pos, at, header))
                i = newline + 1
            else:
                stack.append(("pre", out.pos, at, ""))
                i += 3
            continue
        if char == "`":
            stack.append(("code", out.pos, at, ""))
            i += 1
            continue
        kind: str | None = None
        width = 1
        if char in _MDV2_TOGGLES:
            kind = _MDV2_TOGGLES[char]
        elif char == "_":
            kind, width = ("underline", 2) if source.startswith("__", i) else ("italic", 1)
        elif char == "|" and source.startswith("||", i):
            kind, width = "spoiler", 2
        if kind is not None:
            if top == kind:
                _, start, _, _ = stack.pop()
                out.entity(kind, start)
            else:
                stack.append((kind, out.pos, at, ""))
            i += width
            continue
        if char == "[" or source.startswith("![", i):
            stack.append(("custom_emoji" if char == "!" else "text_link", out.pos, at, ""))
            i += 2 if char == "!" else 1
            continue
        if char == "]" and top in ("text_link", "custom_emoji"):
            if not source.startswith("(", i + 1):
                raise EntityParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
            close = _find_unescaped(source, ")", i + 2)
            if close == -1:
                raise EntityParseError(f"Can't find end of a url at byte offset {_byte_offset(source, i + 1)}")
            url = re.sub(r"\\(.)", r"\1", source[i + 2 : close])
            kind_done, start, _, _ = stack.pop()
            if kind_done == "custom_emoji":
                out.entity("custom_emoji", start, custom_emoji_id=url.rsplit("id=", 1)[-1])
            else:
                _link(out, start, url)
            i = close + 1
            continue
        if char in _MDV2_RESERVED:
            raise EntityParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
        out.add(char)
        i += 1
    if stack:
        kind, _, at, _ = stack[-1]
        raise EntityParseError(f"Can't find end of {_MDV2_NAMES[kind]} entity at byte offset {at}")
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.text(), out.entities


def _find_unescaped(source: str, char: str, start: int) -> int:
    i = start
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == char:
            return i
        i += 1
    return -1


# Legacy Markdown --------------------------------------------------------------------------------------

_LEGACY = {"*": "bold", "_": "italic", "`": "code"}


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    out = _Builder()
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
            continue
        at = _byte_offset(source, i)
        if source.startswith("```", i):
            end = source.find("```", i + 3)
            if end == -1:
                raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
            body = source[i + 3 : end]
            first, _, rest = body.partition("\n")
            language = first if rest and first and " " not in first else None
            start = out.pos
            out.add(rest if language else body)
            out.entity("pre", start, **({"language": language} if language else {}))
            i = end + 3
            continue
        if char in _LEGACY:
            end = source.find(char, i + 1)
            if end == -1:
                raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
            start = out.pos
            out.add(source[i + 1 : end])
            out.entity(_LEGACY[char], start)
            i = end + 1
            continue
        if char == "[":
            close = source.find("](", i + 1)
            end = source.find(")", close + 2) if close != -1 else -1
            if close == -1 or end == -1:
                raise EntityParseError(f"Can't find end of the entity starting at byte offset {at}")
            start = out.pos
            out.add(source[i + 1 : close])
            out.entity("text_link", start, url=source[close + 2 : end])
            i = end + 1
            continue
        out.add(char)
        i += 1
    return out.text(), out.entities


# Shared -----------------------------------------------------------------------------------------------

PARSE_MODES = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}

_AUTO = re.compile(
    r"(?P<bot_command>(?<![^\s(])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/]))"
    r"|(?P<url>\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]'])"
    r"|(?P<mention>(?<![\w@])@[a-zA-Z0-9_]{5,32}\b)"
    r"|(?P<hashtag>(?<![\w#])#\w*[^\W\d]\w*)"
)


def detect_entities(text: str) -> list[Entity]:
    """The entities Telegram finds by itself in any text: commands, links, mentions and hashtags."""
    found = []
    for match in _AUTO.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        found.append({"type": kind, "offset": utf16_len(text[: match.start()]), "length": utf16_len(match[0])})
    return found


def strip_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram trims surrounding whitespace and shifts the entities with it."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(limit, entity["offset"] + entity["length"] - lead)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def merge_entities(explicit: list[Entity], automatic: list[Entity]) -> list[Entity]:
    """Automatic entities only where no explicit entity already covers the text."""

    def overlaps(a: Entity, b: Entity) -> bool:
        return a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]

    merged = explicit + [a for a in automatic if not any(overlaps(a, e) for e in explicit)]
    return sorted(merged, key=lambda e: (e["offset"], -e["length"]))
