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


def test_every_line_says_its_score_and_concern(cli: CliRunner) -> None:
    result = cli.invoke(
        app,
        ["safety", "check"],
        input="my brother said he wants to die\nI used to want to die, now I'm much better\nI want to die\n",
    )
    assert result.exit_code == 0
    other, past, crisis = (json.loads(line) for line in result.stdout.splitlines())
    assert (other["crisis"], other["concern"]) == (False, "other_person")
    assert (past["crisis"], past["concern"]) == (False, "past")
    assert (crisis["crisis"], crisis["concern"], crisis["tier"]) == (True, None, "ideation")
    assert all(isinstance(v["score"], float) and 0 <= v["score"] <= 1 for v in (other, past, crisis))
    assert set(crisis) == {"text", "crisis", "tier", "matched", "score", "concern", "rule", "language"}


def test_without_the_model_the_rules_answer_and_say_so(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.cli.safety.load_packaged", lambda: None)
    result = cli.invoke(app, ["safety", "check", "I want to die"])
    assert result.exit_code == 0
    verdict = json.loads(result.stdout)
    assert verdict["crisis"] is True and verdict["score"] is None
    assert "rules alone" in result.stderr
