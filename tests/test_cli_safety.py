"""`moodbot safety check`: one JSON verdict per text, with the clinic's own phrases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clinic.toml").write_text('[safety]\nextra_phrases = { ideation = ["blue whale"] }\n')
    monkeypatch.delenv("CLINIC_CONFIG", raising=False)
    return CliRunner()


def test_one_text(cli: CliRunner) -> None:
    result = cli.invoke(app, ["safety", "check", "I don't want to wake up tomorrow"])
    assert result.exit_code == 0
    verdict = json.loads(result.stdout)
    assert verdict["crisis"] is True and verdict["tier"] == "ideation" and verdict["matched"]


def test_each_line_of_stdin_with_the_clinics_phrases(cli: CliRunner) -> None:
    result = cli.invoke(app, ["safety", "check"], input="this traffic is killing me\nthe blue whale game\n\n")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(v["text"], v["crisis"], v["tier"]) for v in lines] == [
        ("this traffic is killing me", False, None),
        ("the blue whale game", True, "ideation"),
        ("", False, None),
    ]
    assert lines[1]["rule"] == "extra.ideation.0"
