"""How the console writes times and numbers: in the clinic's or the patient's zone, short and unambiguous."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.questionnaires.render import signed_change
from bot.texts import t


def local(instant: datetime | None, zone: str) -> str:
    """ "Tue 3 Mar 09:30"; an empty string for no time."""
    if instant is None:
        return ""
    moment = instant.astimezone(ZoneInfo(zone))
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


def signed(number: int | None) -> str:
    return "" if number is None else signed_change(number)


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


FILTERS = {"tier": tier, "local": local, "signed": signed, "ago": ago}
