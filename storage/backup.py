"""An online copy of a SQLite database: safe while the bot runs, and at its destination whole or not at all."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path


class BackupError(Exception):
    """Why the copy was not made, in one line for the operator."""


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> int:
    """Copy `source` to `target` with SQLite's backup API; returns the copy's size in bytes.

    The copy is written beside `target` under a temporary name and renamed over it at the end, so `target` is
    never half-written. An existing `target` is replaced only with `force`.
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name")
    if target.exists():
        if target.resolve() == source.resolve():
            raise BackupError(f"{target} is the database itself; choose another file")
        if not force:
            raise BackupError(f"{target} exists; add --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"cannot write {target}: the folder {target.parent} does not exist")
    try:
        # Created readable by its owner only: the copy holds health data, as the database does.
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise BackupError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(descriptor)
    partial = Path(name)
    try:
        _copy(source, partial)
        partial.replace(target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"cannot back up {source} to {target}: {_reason(exc)}") from None
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(target.parent)
    return target.stat().st_size


def _copy(source: Path, destination: Path) -> None:
    # Only ever reads. "rw" rather than "ro" never creates a database either, and lets this connection remove the
    # -wal and -shm files it had to make when the bot is not running (left behind, made by another user such as
    # root, they would lock the bot out). In WAL mode the bot goes on writing while the copy reads one snapshot.
    reading = sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, timeout=30)
    with closing(reading), closing(sqlite3.connect(destination)) as writing:
        reading.backup(writing)
        # One self-contained file (no -wal beside it) that can be copied anywhere as it is.
        writing.execute("PRAGMA journal_mode=DELETE")


def _sync_folder(folder: Path) -> None:
    """The rename survives a power cut once the folder's entry is on disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reason(exc: sqlite3.Error | OSError) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
