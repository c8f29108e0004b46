"""How the console writes times and numbers: in the clinic's or the patient's zone, short and unambiguous."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.texts import t


def local(instant: datetime | None, zone: str) -> str:
    """ "Tue 3 Mar 09:30"; an empty string for no time."""
    if instant is None:
        return ""
    moment = instant.astimezone(ZoneInfo(zone))
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


def local_day(instant: datetime | None, zone: str) -> str:
    if instant is None:
        return ""
    moment = instant.astimezone(ZoneInfo(zone))
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def signed(number: int | None) -> str:
    if number is None:
        return ""
    return f"+{number}" if number > 0 else ("±0" if number == 0 else f"−{-number}")


def ago(instant: datetime | None, now: datetime) -> str:
    if instant is None:
        return "never"
    days = (now - instant).days
    if days < 1:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


def tier(value: str) -> str:
    """The staff's words for a tier ("suicidal thoughts"), as in the Telegram alert."""
    return t(f"crisis.tier.{value}")


FILTERS = {"tier": tier, "local": local, "local_day": local_day, "day": day, "signed": signed, "ago": ago}
