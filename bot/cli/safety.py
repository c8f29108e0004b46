"""`moodbot safety check`: try the crisis detector, with the clinic's own phrases, before going live."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from bot.cli.common import err_console, load_env
from bot.safety.detector import Detector
from bot.safety.model import load_packaged
from bot.safety.net import SafetyNet

app = typer.Typer(help="The crisis safety net.", no_args_is_help=True)


@app.command("check")
def check(
    text: Annotated[str | None, typer.Argument(help="Text to check; without it, each line of stdin.")] = None,
) -> None:
    """Print the detector's verdict as one JSON object per line of input."""
    env = load_env()
    model = load_packaged()
    if model is None:
        err_console.print("[yellow]warning:[/yellow] the learned layer could not be loaded; the rules alone decide")
    net = SafetyNet(Detector(extra_phrases=env.clinic.safety.extra_phrases), model)
    lines = [text] if text is not None else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        verdict = net.check(line)
        document = {
            "text": line,
            "crisis": verdict.crisis,
            "tier": verdict.tier.value if verdict.tier else None,
            "matched": verdict.matched,
            "score": verdict.score,
            "concern": verdict.concern.value if verdict.concern else None,
            "rule": verdict.rule,
            "language": verdict.language,
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
