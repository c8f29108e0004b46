"""The Spanish, German and French catalogues are whole: every English message is translated, with the same
placeholders, within Telegram's limits, and the compiled `.mo` files are what their `.po` files say."""

from __future__ import annotations

import gettext
import io
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.catalogue import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE, supported, translations
from bot.texts import EN, Plural, t

TRANSLATED = [language for language in LANGUAGES if language != SOURCE]
MESSAGE_LIMIT = 4096  # Telegram's limit for a message's text
COMMAND_LIMIT = 256  # and for a command's description in the menu


def catalogue(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=language)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    found = {message.context: message for message in catalogue(language) if message.id}
    assert set(found) == set(EN), "run pybabel update (README, Languages): keys differ"
    for key, entry in EN.items():
        message = found[key]
        assert not message.fuzzy, (language, key)
        english = [entry.one, entry.other] if isinstance(entry, Plural) else [entry]
        assert message.id == (tuple(english) if isinstance(entry, Plural) else entry), (language, key, "stale")
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert forms and all(forms), (language, key, "untranslated")
        expected = placeholders(english[-1])
        for form in forms:
            missing = expected - placeholders(form) - ({entry.count} if isinstance(entry, Plural) else set())
            assert not missing and placeholders(form) <= expected, (language, key, form)
            limit = COMMAND_LIMIT if key.startswith("cmd.") else MESSAGE_LIMIT
            assert len(form) <= limit, (language, key, len(form))


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    shipped = translations(language)
    assert isinstance(shipped, gettext.GNUTranslations), "compile with: pybabel compile -d bot/locale"
    assert shipped._catalog == fresh._catalog, "the .mo is stale: pybabel compile -d bot/locale"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_is_used_and_plurals_follow_the_number(language: str) -> None:
    assert t("checkin.skip", language) != t("checkin.skip")
    assert t("chart.title", language, days=1) != t("chart.title", language, days=30)
    assert "30" in t("chart.title", language, days=30)


@pytest.mark.parametrize(
    ("code", "language"),
    [("es", "es"), ("de-CH", "de"), ("fr_CA", "fr"), ("EN-us", "en"), ("pt-BR", None), ("", None), (None, None)],
)
def test_telegram_language_codes_map_to_what_the_bot_speaks(code: str | None, language: str | None) -> None:
    assert supported(code) == language
