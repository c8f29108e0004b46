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
