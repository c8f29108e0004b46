"""Roles that one instance at a time must hold (the planner, the alert sweeper), elected through the database.

On PostgreSQL a role is a session-level advisory lock on a connection kept for it: when the holder dies, its
connection closes and the lock passes to the next instance that asks, within one tick. SQLite serves one
process only (see :mod:`storage.single_instance`), so there the role is always held.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import is_sqlite

log = logging.getLogger(__name__)

PLANNER = 0x6D6F6F01
ALERT_SWEEPER = 0x6D6F6F02


class Role:
    def __init__(self, engine: AsyncEngine, key: int, name: str) -> None:
        self._engine = engine
        self._key = key
        self.name = name
        self._connection: AsyncConnection | None = None

    async def held(self) -> bool:
        """Whether this instance holds the role now, taking it if it is free."""
        if is_sqlite(self._engine.url.render_as_string()):
            return True
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                await self._connection.commit()
                return True
            except Exception:
                log.warning("lost the %s role with its database connection; asking again", self.name)
                await self._forget()
        try:
            connection = await self._engine.connect()
        except Exception:
            log.warning("cannot ask for the %s role: database unreachable", self.name)
            return False
        try:
            taken = bool(await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}))
            await connection.commit()  # the lock belongs to the connection, not to this transaction
        except Exception:
            await connection.close()
            return False
        if not taken:
            await connection.close()
            return False
        log.info("this instance now holds the %s role", self.name)
        self._connection = connection
        return True

    async def release(self) -> None:
        await self._forget()

    async def _forget(self) -> None:
        """Give the lock back before the connection returns to the pool, where it would otherwise live on."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            await connection.commit()
            await connection.close()
        except Exception:
            await connection.invalidate()  # a broken connection is discarded, and its lock with it
            await connection.close()
