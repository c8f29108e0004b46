"""Encryption of health text at rest (journal entries, check-in notes).

The cipher is process-wide because SQLAlchemy type decorators cannot reach per-engine state; it is set once,
by :func:`storage.db.create_engine`, before any session exists.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_cipher: Fernet | None = None


class EncryptionKeyError(RuntimeError):
    """Stored text cannot be read with the configured key."""


def fernet_for(key: str) -> Fernet:
    """A Fernet key is used as is; any other secret is stretched to one with SHA-256."""
    try:
        return Fernet(key.encode())
    except ValueError:
        digest = hashlib.sha256(key.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def configure(key: str) -> None:
    global _cipher
    _cipher = fernet_for(key)


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _require_cipher() -> Fernet:
    if _cipher is None:
        raise EncryptionKeyError("no encryption key configured")
    return _cipher


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token; plaintext never reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _require_cipher().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return _require_cipher().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise EncryptionKeyError(
                "stored text cannot be decrypted: MOODBOT_ENCRYPTION_KEY differs from the key it was written with"
            ) from exc
