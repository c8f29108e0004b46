"""The compiled message catalogues, one per language, read once a process.

English is the source: its words live in `bot/texts.py` and need no catalogue. Spanish, German and French live in
`bot/locale/<language>/LC_MESSAGES/messages.po`, compiled to the `.mo` beside it (both committed; see the README's
"Languages" for the `pybabel` steps).
"""

from __future__ import annotations

import gettext
import logging
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

log = logging.getLogger(__name__)

SOURCE = "en"
LANGUAGES = (SOURCE, "es", "de", "fr")
NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français"}  # each in its own words


def name_in_sentence(code: str) -> str:
    """A language's name inside a sentence of that language: Spanish and French write it in lower case."""
    name = NAMES.get(code, code)
    return name.lower() if code in ("es", "fr") else name


LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def supported(code: str | None) -> str | None:
    """The language of a tag such as Telegram's `language_code` ("es", "de-CH", "fr_CA") if the bot speaks it."""
    if not code:
        return None
    language = code.replace("_", "-").split("-")[0].strip().lower()
    return language if language in LANGUAGES else None


def country_of(code: str | None) -> str | None:
    """The country a language tag points to: the one it names ("de-CH", "fr_CA"), else the country CLDR takes as
    the language's likeliest ("es": ES, "en": US). None for a tag Babel cannot read."""
    if not code:
        return None
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.territory and len(locale.territory) == 2 and locale.territory.isalpha():
        return locale.territory.upper()
    likely = get_global("likely_subtags").get(locale.language)
    return Locale.parse(likely).territory if likely else None


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for `language`; English (the source words) for English and for languages the bot lacks."""
    if language == SOURCE or language not in LANGUAGES:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except OSError:
        log.critical("the %s message catalogue cannot be read from %s; English is used instead", language, LOCALE_DIR)
        return gettext.NullTranslations()
