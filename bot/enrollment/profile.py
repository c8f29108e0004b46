"""A patient's profile as staff type it, checked the same way in the console and on the command line. Each check
returns the stored value or raises ValueError saying, in English, what is wrong (the console shows its own words)."""

from __future__ import annotations

from datetime import time

from bot.i18n.catalogue import LANGUAGES, supported
from bot.timeparse import parse_time, parse_timezone

MAX_NAME = 120


def name(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise ValueError(f"give a name of 1 to {MAX_NAME} characters")
    return cleaned


def zone(text: str) -> str:
    found = parse_timezone(text)
    if found is None:
        raise ValueError(f"unknown time zone {text!r}; use an IANA name such as Europe/Berlin")
    return found


def checkin_time(text: str) -> time:
    parsed = parse_time(text)
    if parsed is None:
        raise ValueError(f"not a time of day: {text!r}; use HH:MM such as 20:00")
    return parsed


def country(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValueError(f"not a two-letter country code: {text!r}")
    return code


def language(text: str) -> str:
    found = supported(text)
    if found is None:
        raise ValueError(f"not a language the bot speaks: {text!r}; use one of {', '.join(LANGUAGES)}")
    return found
