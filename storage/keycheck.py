"""A check value for the encryption key, kept in `meta`: a Fernet token of a fixed text, never the key.

A process given another key stops at start, instead of writing rows that no one else can read. A database from
before the check gets it once one of its stored values decrypts.
"""

from __future__ import annotations

from sqlalchemy import Column, Table, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import EncryptedText, EncryptionKeyError, decrypt, encrypt
from storage.health import key_matches
from storage.models import Base, Meta
from storage.upsert import insert_ignoring_conflicts

CHECK_KEY = "encryption_key_check"
CHECK_TEXT = "moodbot encryption key check"


class WrongKey(EncryptionKeyError):
    """The configured keys do not open what this database holds."""

    def __init__(self) -> None:
        super().__init__("this database was written with a different encryption key")


def encrypted_columns() -> dict[Table, list[Column[str]]]:
    """Every column stored as a Fernet token, by table."""
    found: dict[Table, list[Column[str]]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, EncryptedText)]
        if columns:
            found[table] = columns
    return found


async def _check_value(session: AsyncSession) -> str | None:
    return await session.scalar(select(Meta.value).where(Meta.key == CHECK_KEY))


async def holds_encrypted_data(session: AsyncSession) -> bool:
    """Whether anything here was written under some key (the check value, or any encrypted value). Needs no key."""
    if await _check_value(session) is not None:
        return True
    for table, columns in encrypted_columns().items():
        any_value = select(literal(1)).select_from(table).where(or_(*(column.is_not(None) for column in columns)))
        if await session.scalar(any_value.limit(1)) is not None:
            return True
    return False


def _opens(check: str) -> bool:
    try:
        return decrypt(check) == CHECK_TEXT
    except EncryptionKeyError:
        return False


async def key_opens(session: AsyncSession) -> bool | None:
    """Whether the configured keys open this database: its check value, else one stored value; None when empty."""
    check = await _check_value(session)
    if check is None:
        return await key_matches(session)
    return _opens(check)


async def verify_key(session: AsyncSession) -> None:
    """Raise :class:`WrongKey` unless the configured keys open this database; write the check value it lacks."""
    check = await _check_value(session)
    if check is not None:
        if not _opens(check):
            raise WrongKey
        return
    if await key_matches(session) is False:
        raise WrongKey
    row = {"key": CHECK_KEY, "value": encrypt(CHECK_TEXT)}
    # Two first starts at once with different keys: the second finds the first one's value and must match it.
    if not await insert_ignoring_conflicts(session, Meta, [row], key=["key"]) and not await key_opens(session):
        raise WrongKey


async def write_check(session: AsyncSession) -> None:
    """The check value under the current key, replacing one under an older key."""
    await session.merge(Meta(key=CHECK_KEY, value=encrypt(CHECK_TEXT)))
