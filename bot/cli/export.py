"""`moodbot export`: one patient's records as CSV, JSON, a PDF report or a FHIR bundle, with an audit row."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import UserError, cli_actor, date_option, emit_json, fail, load_env, with_session
from bot.clock import SystemClock
from bot.export.formats import Format, render
from bot.export.model import ExportData
from bot.export.service import export_data
from bot.i18n.catalogue import LANGUAGES
from storage.models import Patient


def _write(path: Path, content: bytes) -> None:
    """Write beside the target and rename, so that an interrupted export never leaves half a file."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export(
    patient: Annotated[int, typer.Option("--patient", help="The patient's id (see: moodbot patients list).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the file.", dir_okay=False)],
    fmt: Annotated[Format, typer.Option("--format", case_sensitive=False, help="csv, json, pdf or fhir.")] = Format.PDF,
    from_: Annotated[str | None, typer.Option("--from", help="First local day, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD, inclusive.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document describing the export.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    language: Annotated[
        str | None, typer.Option("--language", help="The report's language: en, es, de or fr (default: the clinic's).")
    ] = None,
) -> None:
    """Export a patient's journal, check-ins, appointments, questionnaires and crisis events."""
    if language is not None and language not in LANGUAGES:
        raise typer.BadParameter(f"the bot speaks {', '.join(LANGUAGES)}, not {language!r}", param_hint="--language")
    env = load_env()
    start, end = date_option(from_, "--from"), date_option(to, "--to")
    if start and end and start > end:
        raise typer.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    if not out.parent.is_dir():
        fail(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.exists() and not force:
        fail(f"{out} already exists; add --force to replace it")
    now = SystemClock().now()
    actor = cli_actor()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=True
    ) as progress:
        task = progress.add_task("reading records", total=3)

        async def work(session: AsyncSession) -> ExportData:
            found = await session.get(Patient, patient)
            if found is None:
                raise UserError(f"no patient with id {patient} (see: moodbot patients list)")
            return await export_data(
                session,
                patient=found,
                config=env.clinic,
                fmt=fmt,
                actor=actor,
                start=start,
                end=end,
                now=now,
                language=language or env.clinic.clinic.language,
            )

        data = with_session(env, work)
        progress.update(task, advance=1, description=f"rendering {fmt.value}")
        file = render(data, fmt)
        progress.update(task, advance=1, description=f"writing {out.name}")
        try:
            _write(out, file.content)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror}")
        progress.update(task, advance=1)
    summary = {
        "patient": patient,
        "format": fmt.value,
        "path": str(out),
        "bytes": len(file.content),
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "records": {
            "checkins": len(data.checkins),
            "journal": len(data.journal),
            "appointments": len(data.appointments),
            "crisis_events": len(data.crises),
            "questionnaires": len(data.questionnaires),
        },
    }
    if as_json:
        emit_json(summary)
    else:
        Console().print(f"Wrote {out} ({fmt.value}, {len(file.content):,} bytes).", highlight=False)
