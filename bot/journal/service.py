"""The journal: every other text of an enrolled patient, kept as written; edits replace the text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JournalEntry
from storage.upsert import insert_ignoring_conflicts


async def add_entry(
    session: AsyncSession, *, patient_id: int, text: str, message_id: int, at: datetime, flag: str | None = None
) -> None:
    """Idempotent per Telegram message, so a redelivered update is not kept twice. `flag` marks the entry for
    the counselor's review (see `JournalEntry.flag`)."""
    await insert_ignoring_conflicts(
        session,
        JournalEntry,
        [{"patient_id": patient_id, "text": text, "telegram_message_id": message_id, "created_at": at, "flag": flag}],
        key=["patient_id", "telegram_message_id"],
    )


async def edit_entry(session: AsyncSession, *, patient_id: int, message_id: int, text: str, at: datetime) -> bool:
    entry = await session.scalar(
        select(JournalEntry).where(
            JournalEntry.patient_id == patient_id, JournalEntry.telegram_message_id == message_id
        )
    )
    if entry is None:
        return False
    entry.text = text
    entry.edited_at = at
    return True
