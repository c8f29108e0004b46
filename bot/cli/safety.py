"""`moodbot safety check`: try the crisis detector, with the clinic's own phrases, before going live."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from bot.cli.common import load_env
from bot.safety.detector import Detector

app = typer.Typer(help="The crisis safety net.", no_args_is_help=True)


@app.command("check")
def check(
    text: Annotated[str | None, typer.Argument(help="Text to check; without it, each line of stdin.")] = None,
) -> None:
    """Print the detector's verdict as one JSON object per line of input."""
    env = load_env()
    detector = Detector(extra_phrases=env.clinic.safety.extra_phrases)
    lines = [text] if text is not None else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        verdict = detector.check(line)
        document = {
            "text": line,
            "crisis": verdict.crisis,
            "tier": verdict.tier.value if verdict.tier else None,
            "matched": verdict.matched,
            "rule": verdict.rule,
            "language": verdict.language,
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
