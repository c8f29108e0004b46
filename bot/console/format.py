"""How the console writes words, times and numbers: in the page's language (the template context's `language`,
set once per page by `views.page`), in the clinic's or the patient's zone, short and unambiguous."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from bot.i18n import dates
from bot.questionnaires.render import signed_change
from bot.texts import EN, t


@pass_context
def say(context: Context, key: str, /, **values: Any) -> str:
    """The template's `_("console.key", name=...)`: the catalogue's words in the page's language."""
    return t(key, context["language"], **values)


@pass_context
def word(context: Context, code: str | None, group: str) -> str:
    """A stored code ("reschedule_requested", "moderately severe", None) in the page's words, from the catalogue
    keys `group.<code>`; a code the catalogue does not know is shown as stored rather than hiding the row."""
    key = f"{group}.{(code or 'none').replace(' ', '_')}"
    return t(key, context["language"]) if key in EN else (code or "")


@pass_context
def local(context: Context, instant: datetime | None, zone: str, *, log: bool = False) -> str:
    """ "Tue 3 Mar, 09:30" in the page's language (with the year and seconds in a `log`); empty for no time."""
    if instant is None:
        return ""
    return dates.short_day_and_time(instant, zone, context["language"], log=log)


@pass_context
def clock(context: Context, value: time) -> str:
    return dates.short_time(value, context["language"])


@pass_context
def ago(context: Context, instant: datetime | None, now: datetime) -> str:
    language = context["language"]
    if instant is None:
        return t("console.ago.never", language)
    if (now - instant).days < 1:
        return t("console.ago.today", language)
    return dates.ago(instant, now, language)


def signed(number: int | None) -> str:
    return "" if number is None else signed_change(number)


FILTERS = {"word": word, "local": local, "clock": clock, "signed": signed, "ago": ago}
GLOBALS = {"_": say}
