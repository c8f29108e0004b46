"""What `moodbot doctor` asks of the database: reachable, migrated, and readable with the configured key."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.crypto import EncryptionKeyError
from storage.models import CheckIn, CrisisEvent, JournalEntry


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    from alembic.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        return await connection.run_sync(read)


async def key_matches(session: AsyncSession) -> bool | None:
    """Whether stored text decrypts with the configured key; None when nothing is stored yet."""
    for column in (JournalEntry.text, CrisisEvent.excerpt, CheckIn.note):
        try:
            value = await session.scalar(select(column).where(column.is_not(None)).limit(1))
        except EncryptionKeyError:
            return False
        if value is not None:
            return True
    return None
