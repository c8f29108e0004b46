"""Single-statement inserts that skip or update rows whose unique key already exists, on SQLite and PostgreSQL:
two processes writing the same key at once both succeed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

MAX_PARAMETERS = 30_000


async def insert_ignoring_conflicts(
    session: AsyncSession, model: type[DeclarativeBase], rows: Sequence[dict[str, Any]], *, key: Sequence[str]
) -> int:
    """Insert `rows`, leaving alone any whose `key` columns match an existing row; returns how many were new.

    Rows go in statements of at most `MAX_PARAMETERS` bound values: asyncpg refuses more than 32,767 in one
    statement, and SQLite's limit is of the same order."""
    if not rows:
        return 0
    insert = _insert(session)
    per_statement = max(1, MAX_PARAMETERS // max(len(row) for row in rows))
    new = 0
    for start in range(0, len(rows), per_statement):
        chunk = list(rows[start : start + per_statement])
        statement = insert(model).values(chunk).on_conflict_do_nothing(index_elements=list(key))
        result = await session.execute(statement)
        new += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return new


async def upsert(
    session: AsyncSession, model: type[DeclarativeBase], row: dict[str, Any], *, key: Sequence[str]
) -> None:
    """Insert `row`, or give the row with the same `key` columns its other values."""
    statement = _insert(session)(model).values(row)
    changes = {column: statement.excluded[column] for column in row if column not in key}
    await session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changes))


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
