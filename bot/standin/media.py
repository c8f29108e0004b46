"""Files as Telegram describes them: ids, paths, photo sizes."""

from __future__ import annotations

import hashlib
import mimetypes
import struct
import zlib
from typing import Any

_PREFIXES = {"photo": "AgACAgI", "document": "BQACAgI", "sticker": "CAACAgI", "voice": "AwACAgI"}
_FOLDERS = {"photo": "photos", "document": "documents", "sticker": "stickers", "voice": "voice"}
_PHOTO_SIDES = (90, 320, 800, 1280)


def file_ids(kind: str, serial: int, salt: int) -> tuple[str, str]:
    """A (file_id, file_unique_id) pair that looks like Telegram's and is stable for a serial number."""
    digest = hashlib.sha256(f"{salt}:{kind}:{serial}".encode()).hexdigest()
    return f"{_PREFIXES.get(kind, 'BQACAgI')}AAxkBAAI{digest[:40]}", f"AQAD{digest[40:52]}"


def file_path(kind: str, serial: int, filename: str | None, mime_type: str | None) -> str:
    ext = ""
    if filename and "." in filename:
        ext = filename.rsplit(".", 1)[1]
    elif mime_type:
        ext = (mimetypes.guess_extension(mime_type) or "").lstrip(".")
    ext = ext or {"photo": "jpg", "voice": "oga", "sticker": "webp"}.get(kind, "bin")
    return f"{_FOLDERS.get(kind, 'documents')}/file_{serial}.{ext}"


def image_size(data: bytes | None) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, from its header."""
    if not data:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


def photo_sides(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes Telegram keeps of a photo: scaled copies up to the original, largest last."""
    sides: list[tuple[int, int]] = []
    longest = max(width, height, 1)
    for side in _PHOTO_SIDES:
        if side >= longest:
            break
        scale = side / longest
        sides.append((max(1, round(width * scale)), max(1, round(height * scale))))
    sides.append((width, height))
    return sides


def tiny_png(width: int = 1, height: int = 1) -> bytes:
    """A valid, blank PNG of the given size, as default bytes for a user's photo."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def guess_mime(filename: str | None, default: str = "application/octet-stream") -> str:
    if not filename:
        return default
    return mimetypes.guess_type(filename, strict=False)[0] or default


def photo_size(file_id: str, unique_id: str, width: int, height: int, size: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"file_id": file_id, "file_unique_id": unique_id, "width": width, "height": height}
    if size is not None:
        entry["file_size"] = size
    return entry
