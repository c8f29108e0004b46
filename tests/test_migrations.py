"""The migrations build exactly the schema the models describe, and go down and up again cleanly."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import alembic_config, upgrade
from storage.models import Base


def _differences(url: str) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async def run() -> list[object]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(compare)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_models_and_migrations_agree(_database_template: str) -> None:
    url = _database_template if "://" in _database_template else f"sqlite+aiosqlite:///{_database_template}"
    assert _differences(url) == []


def test_downgrade_and_upgrade_again(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/roundtrip.db"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    upgrade(url)
    assert _differences(url) == []


async def test_bulk_inserts_stay_below_the_drivers_parameter_limit(database_url: str) -> None:
    """asyncpg refuses more than 32,767 parameters in one statement: 3,000 outbox rows (33,000 values) go in."""
    from datetime import UTC, datetime

    from storage import outbox
    from storage.db import create_engine, session_factory, session_scope

    now = datetime(2026, 3, 2, tzinfo=UTC)
    planned = [outbox.Planned(key=f"bulk:{n}", kind="x", due_at=now, chat_id=n, payload={}) for n in range(3000)]
    engine = create_engine(database_url, encryption_key="k")
    try:
        async with session_scope(session_factory(engine)) as session:
            assert await outbox.enqueue(session, planned, now=now) == 3000
        async with session_scope(session_factory(engine)) as session:
            assert await outbox.enqueue(session, planned, now=now) == 0  # again: nothing new, nothing doubled
    finally:
        await engine.dispose()
