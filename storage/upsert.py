"""Single-statement inserts that skip rows whose unique key already exists, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


async def insert_ignoring_conflicts(
    session: AsyncSession, model: type[DeclarativeBase], rows: Sequence[dict[str, Any]], *, key: Sequence[str]
) -> int:
    """Insert `rows`, leaving alone any whose `key` columns match an existing row; returns how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(list(rows)).on_conflict_do_nothing(index_elements=list(key))
    result = await session.execute(statement)
    return max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
