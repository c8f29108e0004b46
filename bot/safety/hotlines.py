"""The hotline block patients see: one line per service, the emergency number first or last."""

from __future__ import annotations

from bot.clinic import ClinicConfig, HotlineLine
from bot.texts import t


def _line(line: HotlineLine, language: str) -> str:
    ways = []
    if line.call:
        ways.append(t("sos.line_call", language, call=line.call))
    if line.text:
        ways.append(t("sos.line_text", language, text=line.text))
    if line.chat_url:
        ways.append(line.chat_url)
    hours = "" if line.always_open else " " + t("sos.line_hours", language, hours=line.hours)
    return f"• {line.name}: {', '.join(ways)}{hours}"


def render_hotlines(
    config: ClinicConfig, country: str | None, language: str = "en", *, emergency_first: bool = False
) -> str:
    """Never empty: an unknown country gets the clinic's lines plus a pointer to local emergency services."""
    _, block, fallback = config.hotlines_for(country)
    lines = [_line(line, language) for line in block.lines]
    if block.emergency and not fallback:
        emergency = t("sos.emergency", language, number=block.emergency)
    else:
        emergency = t("sos.emergency_unknown", language)
    # Where no line is open around the clock, the emergency number leads: the lines may be closed right now.
    lead = emergency_first or not any(line.always_open for line in block.lines)
    return "\n".join([emergency, *lines] if lead else [*lines, emergency])


def sos_text(config: ClinicConfig, country: str | None, language: str = "en") -> str:
    return "\n\n".join(
        [t("sos.header", language), render_hotlines(config, country, language), t("sos.reach", language)]
    )
