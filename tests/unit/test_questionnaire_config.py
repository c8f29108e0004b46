"""The clinic file's [questionnaires] section: defaults, key-by-key changes, and refusals naming file and line."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.clinic import ClinicConfig, load_clinic_config
from bot.errors import ConfigError
from bot.questionnaires.instruments import instruments


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_clinic_config(path)
    return str(info.value)


def test_defaults() -> None:
    section = ClinicConfig().questionnaires
    assert (section.expire_hours, section.expiry) == (24, timedelta(days=1))
    assert (section.series_kinds, section.series_gap_days) == (("infusion",), 14)
    phq9, gad7 = section.schedule("phq9"), section.schedule("gad7")
    assert (phq9.weekday, phq9.at, phq9.after_first_infusion_days, phq9.after_last_infusion_days) == (
        "sun",
        time(18, 0),
        0,
        7,
    )
    assert (gad7.weekday, gad7.after_first_infusion_days, gad7.after_last_infusion_days) == ("off", 0, 0)
    assert phq9.min_days_between == gad7.min_days_between == 3


def test_a_table_changes_its_questionnaire_key_by_key(tmp_path: Path) -> None:
    config = load_clinic_config(
        write(
            tmp_path,
            '[questionnaires]\nexpire_hours = 12\n\n[questionnaires.phq9]\ntime = "19:30"\n\n'
            '[questionnaires.gad7]\nweekday = "wed"\nafter_first_infusion_days = 1\n',
        )
    )
    section = config.questionnaires
    assert section.expiry == timedelta(hours=12)
    assert (section.phq9.weekday, section.phq9.at, section.phq9.after_last_infusion_days) == ("sun", time(19, 30), 7)
    assert (section.gad7.weekday, section.gad7.after_first_infusion_days, section.gad7.at) == ("wed", 1, time(18, 0))


def test_the_weekly_one_can_be_turned_off(tmp_path: Path) -> None:
    config = load_clinic_config(write(tmp_path, '[questionnaires.phq9]\nweekday = "off"\n'))
    assert config.questionnaires.phq9.weekday == "off" and config.questionnaires.phq9.after_last_infusion_days == 7


def test_a_booster_kind_can_belong_to_series(tmp_path: Path) -> None:
    text = (
        '[appointments.kinds.booster]\nlabel = "booster"\n\n[questionnaires]\nseries_kinds = ["infusion", "booster"]\n'
    )
    assert load_clinic_config(write(tmp_path, text)).questionnaires.series_kinds == ("infusion", "booster")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ('[questionnaires.phq9]\n\nweekday = "sunday"\n', "line 3: questionnaires.phq9.weekday: "),
        ('[questionnaires.gad7]\ntime = "25:00"\n', "line 2: questionnaires.gad7.time: not a time of day"),
        ("[questionnaires.gad7]\ntime = 1800\n", "line 2: questionnaires.gad7.time: use a quoted time"),
        ("[questionnaires.phq9]\nafter_last_infusion_days = -1\n", "line 2: questionnaires.phq9.after_last"),
        ("[questionnaires.phq9]\nafter_first_infusion_days = 91\n", "line 2: questionnaires.phq9.after_first"),
        ("[questionnaires.phq9]\nmonthly = true\n", "line 2: questionnaires.phq9.monthly: unknown key"),
        ("[questionnaires.phq8]\nweekday = 'sun'\n", "line 1: questionnaires.phq8: unknown key"),
        ("[questionnaires]\nexpire_hours = 0\n", "line 2: questionnaires.expire_hours: "),
        ("[questionnaires]\nseries_gap_days = 0\n", "line 2: questionnaires.series_gap_days: "),
        ('[questionnaires]\n\nseries_kinds = ["infusions"]\n', "line 3: questionnaires.series_kinds: unknown"),
    ],
)
def test_mistakes_name_the_file_line_and_key(tmp_path: Path, text: str, start: str) -> None:
    path = write(tmp_path, text)
    message = refusal(path)
    assert message.startswith(f"{path}: {start}"), message
    assert "\n" not in message


def test_every_instrument_has_a_schedule() -> None:
    section = ClinicConfig().questionnaires
    assert set(instruments()) <= set(type(section).model_fields)
    assert all(section.schedule(key) is getattr(section, key) for key in instruments())
