"""Encryption of health text at rest (journal entries, check-in notes, crisis excerpts).

The cipher is process-wide because SQLAlchemy type decorators cannot reach per-engine state; it is set once,
by :func:`storage.db.create_engine`, before any session exists. It holds the current key and, while a rotation
runs, the previous ones: text is written under the current key and read under any of them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_cipher: MultiFernet | None = None
_current: Fernet | None = None


class EncryptionKeyError(RuntimeError):
    """Stored text cannot be read with the configured key."""


def fernet_for(key: str) -> Fernet:
    """A Fernet key is used as is; any other secret is stretched to one with SHA-256."""
    try:
        return Fernet(key.encode())
    except ValueError:
        digest = hashlib.sha256(key.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def configure(key: str, previous: Sequence[str] = ()) -> None:
    global _cipher, _current
    _current = fernet_for(key)
    _cipher = MultiFernet([_current, *(fernet_for(old) for old in previous)])


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _require_cipher() -> MultiFernet:
    if _cipher is None:
        raise EncryptionKeyError("no encryption key configured")
    return _cipher


def encrypt(value: str) -> str:
    """`value` as a token under the current key."""
    return _require_cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The text of a token written under any configured key."""
    try:
        return _require_cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "stored text cannot be decrypted: MOODBOT_ENCRYPTION_KEY differs from the key it was written with"
        ) from exc


def reencrypt(token: str) -> str | None:
    """The token under the current key, or None when it is under that key already (a rotation's rerun skips it)."""
    cipher = _require_cipher()
    assert _current is not None  # set together with the cipher
    try:
        _current.decrypt(token.encode())
        return None
    except InvalidToken:
        pass
    try:
        return cipher.rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise EncryptionKeyError("a stored value opens with none of the configured keys") from exc


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token; plaintext never reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)
