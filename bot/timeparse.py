"""Reading the times and time zones people type: "20:00", "8pm", "Europe/Berlin", "berlin", "new york"."""

from __future__ import annotations

import re
import zoneinfo
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo

_TIME = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*h?\s*$",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^\s*(?P<h>\d{2})(?P<m>\d{2})\s*$")


def parse_time(text: str) -> time | None:
    """A wall-clock time, or None when the text is not one."""
    match = _TIME.match(text) or _COMPACT.match(text)
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@cache
def _zone_index() -> dict[str, str]:
    """Lower-case lookups: full names, and city parts where only one zone has that city."""
    names = sorted(zoneinfo.available_timezones())
    index = {name.lower(): name for name in names}
    cities: dict[str, set[str]] = {}
    for name in names:
        if "/" in name and not name.startswith(("Etc/", "SystemV/")):
            city = name.rsplit("/", 1)[1].lower()
            cities.setdefault(city, set()).add(name)
            cities.setdefault(city.replace("_", " "), set()).add(name)
    for city, zones in cities.items():
        canonical = [z for z in sorted(zones) if not z.startswith(("US/", "Canada/", "Mexico/", "Brazil/", "Chile/"))]
        if len(canonical) == 1 and city not in index:
            index[city] = canonical[0]
    return index


def parse_timezone(text: str) -> str | None:
    """An IANA zone name, from the name itself in any case or from a city; None when nothing fits."""
    key = re.sub(r"\s+", " ", text.strip()).lower()
    if not key or len(key) > 64:
        return None
    found = _zone_index().get(key) or _zone_index().get(key.replace(" ", "_"))
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return found
