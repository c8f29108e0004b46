"""Dates and times as each language writes them (Babel's CLDR data): "Tuesday 3 March, 09:30",
"martes 3 de marzo, 9:30", "Dienstag, 3. März, 09:30", "mardi 3 mars, 09:30"."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_skeleton, format_time, format_timedelta

from bot.i18n.catalogue import SOURCE

# The weekday written out, no year: a patient reads when their next appointment is, within weeks.
DAY = {"en": "EEEE d MMMM", "es": "EEEE d 'de' MMMM", "de": "EEEE, d. MMMM", "fr": "EEEE d MMMM"}
LOCALES = {"en": "en_GB"}  # day before month, 24-hour clock, as clinics outside the US write


def _locale(language: str) -> str:
    return LOCALES.get(language, language if language in DAY else LOCALES[SOURCE])


def local_day_and_time(instant: datetime, zone: str, language: str) -> str:
    """`instant` in the time zone `zone`, written the way `language` writes a day and a time."""
    local = instant.astimezone(ZoneInfo(zone))
    language = language if language in DAY else SOURCE
    locale = _locale(language)
    return f"{format_datetime(local, DAY[language], locale=locale)}, {format_time(local, 'short', locale=locale)}"


def short_day_and_time(instant: datetime, zone: str, language: str, *, log: bool = False) -> str:
    """The compact form staff scan down a list: "Tue 3 Mar, 09:30", "mar, 3 mar, 9:30", "Di., 3. März, 09:30".
    CLDR picks each language's order and abbreviations for the fields asked. A `log` row, read across months, has
    the year and seconds instead of the weekday: "3 Mar 2026, 09:30:05"."""
    local = instant.astimezone(ZoneInfo(zone))
    locale = _locale(language)
    day = format_skeleton("yMMMd" if log else "MMMEd", local, locale=locale)
    clock = format_time(local, "medium" if log else "short", locale=locale)
    # The language's own way of joining a date ({1}) and a time ({0}): "{1}, {0}" in these four.
    return Locale.parse(locale).datetime_formats["medium"].format(clock, day)


def short_time(value: time, language: str) -> str:
    """A time of day on its own: "20:00", or "9:30" where the language drops the leading zero."""
    return format_time(value, "short", locale=_locale(language))


def ago(instant: datetime, now: datetime, language: str) -> str:
    """How long before `now`, in the largest unit that reads naturally: "3 days ago", "hace 2 semanas"."""
    return format_timedelta(instant - now, add_direction=True, locale=_locale(language))


def short_day(day: date, language: str) -> str:
    """A day heading in a week: "Mon 2 Mar", "lun, 2 mar", "Mo., 2. März"."""
    return format_skeleton("MMMEd", day, locale=_locale(language))
