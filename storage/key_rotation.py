"""Re-encrypting every stored token under the current key, in batches, while the bot keeps running.

Each batch is its own transaction, so an interrupted rotation keeps what it did and a rerun skips the tokens
already under the current key. A row the bot changes meanwhile is left alone: the bot wrote it under the current
key already (its cipher writes with the first key it was given).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Integer, Table, TableClause, Text, bindparam, column, func, or_, select, table, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.crypto import reencrypt
from storage.db import session_scope
from storage.keycheck import encrypted_columns, write_check

BATCH_ROWS = 500


def _raw(source: Table) -> TableClause:
    """The table with its tokens typed as plain text, so that they are read and written as stored."""
    (key,) = source.primary_key.columns
    names = [found.name for found in encrypted_columns()[source]]
    return table(source.name, column(key.name, Integer), *(column(name, Text) for name in names))


async def rows_to_visit(sessions: async_sessionmaker[AsyncSession]) -> int:
    """How many rows hold at least one token: the length of the progress bar."""
    total = 0
    async with session_scope(sessions) as session:
        for source, columns in encrypted_columns().items():
            holding = or_(*(found.is_not(None) for found in columns))
            total += await session.scalar(select(func.count()).select_from(source).where(holding)) or 0
    return total


async def rotate(
    sessions: async_sessionmaker[AsyncSession],
    *,
    batch_rows: int = BATCH_ROWS,
    on_batch: Callable[[int], None] = lambda _rows: None,
) -> int:
    """Re-encrypt every token under the current key; returns how many tokens changed. `on_batch` gets rows seen.

    The check value moves to the current key first: from the first re-encrypted row on, a process holding only
    the old key could no longer read everything, so it must not start."""
    async with session_scope(sessions) as session:
        await write_check(session)
    changed = 0
    for source in encrypted_columns():
        raw = _raw(source)
        key, *tokens = raw.columns
        after: int | None = None
        while True:
            query = select(key, *tokens).where(or_(*(token.is_not(None) for token in tokens)))
            if after is not None:
                query = query.where(key > after)
            async with session_scope(sessions) as session:
                rows = (await session.execute(query.order_by(key).limit(batch_rows))).all()
                moved = 0
                for position, token in enumerate(tokens, start=1):
                    moves = []
                    for row in rows:
                        old = row[position]
                        new = None if old is None else reencrypt(old)
                        if new is not None:
                            moves.append({"row": row[0], "old": old, "new": new})
                    if moves:
                        # Only where the token is still the one read: the bot may have rewritten it meanwhile.
                        statement = (
                            update(raw)
                            .where(key == bindparam("row"), token == bindparam("old"))
                            .values({token.name: bindparam("new")})
                        )
                        await session.execute(statement, moves)
                        moved += len(moves)
            if not rows:
                break
            changed += moved
            after = rows[-1][0]
            on_batch(len(rows))
    return changed
