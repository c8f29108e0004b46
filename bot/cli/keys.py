"""`moodbot keys rotate`: stored text moves to a new encryption key while the bot keeps running."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.common import emit_json, fail, load_env, open_database
from storage.crypto import EncryptionKeyError
from storage.db import session_factory
from storage.key_rotation import BATCH_ROWS, rotate, rows_to_visit

app = typer.Typer(help="The encryption key for text at rest.", no_args_is_help=True)


@app.command("rotate")
def rotate_keys(
    batch: Annotated[int, typer.Option("--batch", min=1, help="Rows per transaction.")] = BATCH_ROWS,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document with the counts.")] = False,
) -> None:
    """Re-encrypt stored text under MOODBOT_ENCRYPTION_KEY; the old key goes in MOODBOT_PREVIOUS_KEYS meanwhile."""
    settings = load_env().settings
    previous = settings.previous_keys()
    if not previous:
        fail(
            "nothing to rotate from: set MOODBOT_PREVIOUS_KEYS to the old key and MOODBOT_ENCRYPTION_KEY to the new one"
        )
    engine = open_database(settings)
    if settings.stored_key() in previous:
        fail("MOODBOT_PREVIOUS_KEYS holds the current key: MOODBOT_ENCRYPTION_KEY must be the new one")
    sessions = session_factory(engine)

    async def main(progress: Progress) -> tuple[int, int]:
        try:
            total = await rows_to_visit(sessions)
            task = progress.add_task("re-encrypting", total=total)
            changed = await rotate(sessions, batch_rows=batch, on_batch=lambda rows: progress.advance(task, rows))
            return total, changed
        finally:
            await engine.dispose()

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as progress:  # fmt: skip
        try:
            rows, changed = asyncio.run(main(progress))
        except EncryptionKeyError as exc:
            fail(f"{exc}; add the key it was written with to MOODBOT_PREVIOUS_KEYS and run this again", 2)
        except KeyboardInterrupt:
            fail("interrupted: the rows done so far are kept; run `moodbot keys rotate` again to finish", 130)
    if as_json:
        emit_json({"rows": rows, "reencrypted": changed})
    else:
        Console().print(
            f"Re-encrypted {changed:,} values in {rows:,} rows. The database now opens with the new key alone: "
            "remove MOODBOT_PREVIOUS_KEYS and restart the bot.",
            highlight=False,
        )
