"""Dates and times as each language writes them (Babel's CLDR data): "Tuesday 3 March, 09:30",
"martes 3 de marzo, 9:30", "Dienstag, 3. März, 09:30", "mardi 3 mars, 09:30"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_time

from bot.i18n.catalogue import SOURCE

# The weekday written out, no year: a patient reads when their next appointment is, within weeks.
DAY = {"en": "EEEE d MMMM", "es": "EEEE d 'de' MMMM", "de": "EEEE, d. MMMM", "fr": "EEEE d MMMM"}
LOCALES = {"en": "en_GB"}  # day before month, 24-hour clock, as clinics outside the US write


def local_day_and_time(instant: datetime, zone: str, language: str) -> str:
    """`instant` in the time zone `zone`, written the way `language` writes a day and a time."""
    local = instant.astimezone(ZoneInfo(zone))
    language = language if language in DAY else SOURCE
    locale = LOCALES.get(language, language)
    return f"{format_datetime(local, DAY[language], locale=locale)}, {format_time(local, 'short', locale=locale)}"
