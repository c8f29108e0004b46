"""`moodbot export` in-process: every format to a file, date ranges, and mistakes answered in one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bot.cli.main import app
from bot.texts import t
from tests.export.records import load_schema_validator
from tests.test_cli_appointments import ok_json, patient, run


def export(cli: CliRunner, *args: str) -> object:
    return cli.invoke(app, ["export", *args])


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_each_format_is_written_and_described_in_json(cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    pid = patient(cli)
    out = tmp_path / f"ana.{fmt}"
    result = export(cli, "--patient", str(pid), "--format", fmt, "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert summary["path"] == str(out) and summary["bytes"] == out.stat().st_size
    assert summary["records"] == {
        "checkins": 0,
        "journal": 0,
        "appointments": 0,
        "crisis_events": 0,
        "questionnaires": 0,
    }
    content = out.read_bytes()
    if fmt == "csv":
        [profile] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        assert profile["text"] == "Ana"
    else:
        assert json.loads(content)["resourceType" if fmt == "fhir" else "format"] in ("Bundle", "moodbot-export")
    assert not list(tmp_path.glob("*.part"))


def test_a_range_and_appointments_in_it(cli: CliRunner, tmp_path: Path) -> None:
    pid = patient(cli)
    for day in ("2026-03-02", "2026-03-09", "2026-03-16"):
        ok_json(
            cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", f"{day}T09:00", "--force"
        )
    out = tmp_path / "march.json"
    result = export(cli, "--patient", str(pid), "--format", "json", "--from", "2026-03-03", "--to", "2026-03-09",
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    load_schema_validator().validate(document)
    assert document["period"] == {"from": "2026-03-03", "to": "2026-03-09"}
    assert [a["starts_at"] for a in document["appointments"]] == ["2026-03-09T09:00:00-04:00"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-02-30"], "not a date"),
        (["--to", "yesterday"], "not a date"),
        (["--from", "2026-03-10", "--to", "2026-03-01"], "is after"),
        (["--format", "docx"], "docx"),
        (["--language", "it"], "the bot speaks en, es, de, fr, not 'it'"),
    ],
)
def test_malformed_options_are_refused(cli: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    pid = patient(cli)
    result = export(cli, "--patient", str(pid), "--out", str(tmp_path / "x"), *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_unknown_patient_and_missing_folder(cli: CliRunner, tmp_path: Path) -> None:
    patient(cli)
    result = export(cli, "--patient", "99", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "no patient with id 99" in result.output
    result = export(cli, "--patient", "1", "--format", "csv", "--out", str(tmp_path / "nowhere" / "x.csv"))
    assert result.exit_code == 1 and "does not exist" in result.output
    assert run(cli, "export", "--help").exit_code == 0


def test_an_existing_file_is_replaced_only_with_force(cli: CliRunner, tmp_path: Path) -> None:
    pid = patient(cli)
    out = tmp_path / "ana.csv"
    out.write_text("the counselor's own notes")
    result = export(cli, "--patient", str(pid), "--format", "csv", "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: {out} already exists; add --force to replace it"
    assert out.read_text() == "the counselor's own notes"
    result = export(cli, "--patient", str(pid), "--format", "csv", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert "Ana" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("language", [None, "de"])
def test_the_report_is_written_in_the_readers_language(cli: CliRunner, tmp_path: Path, language: str | None) -> None:
    pid = patient(cli)
    out = tmp_path / "ana.pdf"
    extra = ["--language", language] if language else []
    result = export(cli, "--patient", str(pid), "--format", "pdf", "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert t("report.title", language or "en") in text  # the clinic's language (English here) without --language
    if language:
        assert t("report.title") not in text
