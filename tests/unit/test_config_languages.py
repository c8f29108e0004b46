"""The clinic file's words per language: appointment labels and instructions, the countries it serves, and the
file of the clinic's translated questionnaire items, each mistake refused in one line naming the file and key."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import get_args

import pytest

from bot.clinic import ClinicConfig, Language, load_clinic_config
from bot.errors import ConfigError
from bot.i18n.catalogue import LANGUAGES, country_of
from bot.questionnaires.instruments import instrument
from bot.questionnaires.wording import wording
from bot.texts import t

PHQ9_ITEMS = len(instrument("phq9").items)


def load(tmp_path: Path, text: str) -> ClinicConfig:
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return load_clinic_config(path)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    message = str(info.value)
    assert "\n" not in message
    return message


def items_file(tmp_path: Path, body: str) -> str:
    (tmp_path / "items").mkdir(exist_ok=True)
    (tmp_path / "items" / "phq.toml").write_text(body, encoding="utf-8")
    return '[questionnaires]\nitems_file = "items/phq.toml"\n'


def phq9_in(language: str, *, items: int = PHQ9_ITEMS, answers: int = 4, answer: str = "Nunca") -> str:
    listed = ", ".join(f'"ítem {n}"' for n in range(1, items + 1))
    given = ", ".join([f'"{answer}"'] + [f'"respuesta {n}"' for n in range(1, answers)])
    return f'[phq9.{language}]\nsource = "test"\nstem = "Tallo"\nitems = [{listed}]\nanswers = [{given}]\n'


def test_the_built_in_kinds_speak_every_language_from_the_catalogues(tmp_path: Path) -> None:
    infusion = load(tmp_path, "").appointments.kinds["infusion"]
    for language in LANGUAGES:
        assert infusion.label_in(language) == t("appt.default.infusion", language)
        assert infusion.instructions_in(language)[0] == t("appt.default.fasting", language)
    assert infusion.label_in("de") == "Infusion" and infusion.label_in("en") == "infusion"


def test_a_plain_label_is_english_and_a_table_gives_it_per_language(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[appointments.kinds.booster]\nlabel = { en = "booster", es = "refuerzo" }\ninstructions = ["Eat first."]\n'
        '[appointments.kinds.scan]\nlabel = "scan"\n',
    )
    booster, scan = config.appointments.kinds["booster"], config.appointments.kinds["scan"]
    assert (booster.label_in("es"), booster.label_in("en")) == ("refuerzo", "booster")
    assert scan.label == {"en": "scan"} and scan.instructions_in("fr") == ()
    assert booster.instructions == {"en": ("Eat first.",)}


def test_a_missing_language_falls_back_to_english_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kind = load(tmp_path, '[appointments.kinds.dental]\nlabel = "dental visit"\ninstructions = ["Brush."]\n')
    dental = kind.appointments.kinds["dental"]
    with caplog.at_level(logging.WARNING, logger="bot.clinic"):
        assert [dental.instructions_in("de") for _ in range(3)] == [("Brush.",)] * 3
        assert dental.label_in("de") == "dental visit"
    said = [r.getMessage() for r in caplog.records]
    assert len([line for line in said if "no de instructions" in line]) == 1
    assert len([line for line in said if "no de label" in line]) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[appointments.kinds.x]\nlabel = { es = "solo" }\n', "appointments.kinds.x: give the label in English too"),
        ('[appointments.kinds.x]\nlabel = "x"\ninstructions = { de = ["Nur"] }\n', "give the instructions in English"),
        ('[appointments.kinds.x]\nlabel = { en = "x", it = "x" }\n', "appointments.kinds.x.label.it"),
        ("[appointments.kinds.x]\nlabel = {}\n", "appointments.kinds.x.label"),
        ('[clinic]\nalso_serves = ["ZZ"]\n', "line 2: clinic.also_serves: no crisis lines for ZZ"),
        ('[clinic]\nalso_serves = ["mx"]\n', "clinic.also_serves.0"),
    ],
)
def test_mistakes_in_the_words_per_language_are_refused_in_one_line(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refused(tmp_path, text)


def test_the_countries_a_clinic_serves(tmp_path: Path) -> None:
    config = load(tmp_path, '[clinic]\ncountry = "US"\nalso_serves = ["MX", "CA"]\n')
    assert [config.serves(c) for c in ("US", "MX", "CA", "ES", None)] == [True, True, True, False, False]


@pytest.mark.parametrize(
    ("tag", "country"),
    [("es-MX", "MX"), ("es", "ES"), ("de_CH", "CH"), ("fr-CA", "CA"), ("en", "US"),
     ("es-419", "ES"), ("de", "DE"), ("pt-br", "BR"), ("", None), (None, None), ("not a tag!", None)],
)  # fmt: skip
def test_the_country_a_language_tag_points_to(tag: str | None, country: str | None) -> None:
    assert country_of(tag) == country


def test_translated_items_are_read_beside_the_clinic_file_and_used_for_that_language_only(tmp_path: Path) -> None:
    config = load(tmp_path, items_file(tmp_path, phq9_in("es")))
    spec = instrument("phq9")
    spanish = wording(spec, config.questionnaires.translated_items, "es")
    assert (spanish.stem, spanish.item(1), spanish.answers[0], spanish.answers[3]) == (
        "Tallo",
        "ítem 1",
        "Nunca",
        "respuesta 3",
    )
    german = wording(spec, config.questionnaires.translated_items, "de")
    assert (german.stem, german.item(9), german.answers[3]) == (spec.stem, spec.items[8].text, spec.answers[3].text)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (phq9_in("es", items=PHQ9_ITEMS - 1), f"line 1: [phq9.es]: {PHQ9_ITEMS - 1} items given, PHQ-9 has 9"),
        (phq9_in("es", answers=3), "[phq9.es]: 3 answers given, PHQ-9 has 4"),
        (phq9_in("en"), "[phq9.en]: English is the instrument's own wording"),
        (phq9_in("es").replace("phq9", "bdi2"), "[bdi2]: unknown questionnaire; known: gad7, phq9"),
        (phq9_in("it"), "phq9.it"),
        (phq9_in("es", answer="x" * 61), "phq9.es.answers.0: String should have at most 60 characters"),
        (phq9_in("es").replace('source = "test"\n', ""), "phq9.es.source: Field required"),
        (phq9_in("es") + "colour = 1\n", "line 6: phq9.es.colour: unknown key"),
        ("[phq9.es\n", "not valid TOML"),
    ],
)
def test_a_wrong_items_file_is_refused_in_one_line_naming_it(tmp_path: Path, body: str, expected: str) -> None:
    message = refused(tmp_path, items_file(tmp_path, body))
    assert message.startswith(str(tmp_path / "items" / "phq.toml")) and expected in message


def test_an_items_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, '[questionnaires]\nitems_file = "nowhere.toml"\n')
    assert "nowhere.toml: cannot read the questionnaire items file" in message


def test_the_clinic_files_languages_are_the_ones_the_bot_speaks() -> None:
    assert get_args(Language) == LANGUAGES
