"""SQLite serves one running bot: a second `moodbot run` on the same file is refused rather than left to fight
over the write lock and each other's schedule. PostgreSQL takes any number of instances."""

from __future__ import annotations

import fcntl
import os
from typing import IO

from storage.db import sqlite_file


class AlreadyRunning(RuntimeError):
    """Another bot process holds this SQLite database."""


_held: list[IO[str]] = []  # kept open for the life of the process: closing the file would free the lock


def claim_database(url: str) -> None:
    """Hold the SQLite file for this process; no-op on PostgreSQL. Raises :class:`AlreadyRunning`."""
    database = sqlite_file(url)
    if database is None:
        return
    lock_path = database.resolve().with_name(database.name + ".run-lock")
    if not lock_path.parent.is_dir():
        return  # the database itself cannot be opened either; that is reported where it is opened
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open on purpose, see _held
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise AlreadyRunning(
            f"another moodbot ({holder}) is already running on {database}; SQLite serves one instance, "
            "use PostgreSQL (DATABASE_URL=postgresql+asyncpg://…) to run several"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    _held.append(handle)
