"""`moodbot demo` plays its whole conversation through the real bot."""

from __future__ import annotations

import io

from rich.console import Console

from bot.clinic import ClinicConfig
from bot.demo import play


async def test_demo_plays_the_whole_conversation(clinic: ClinicConfig) -> None:
    output = io.StringIO()
    await play(clinic, Console(file=output, width=200))
    text = output.getvalue()
    for expected in (
        "Yes, I agree",
        "Saved to your journal.",
        "How is your mood today",
        "added that to today's check-in",
        "21:00, America/New_York",
        "only keep written words",
        "988",
        "Crisis alert",
        "End of the demo",
    ):
        assert expected in text, expected
