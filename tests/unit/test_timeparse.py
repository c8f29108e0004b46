"""Reading typed times and zones: `bot.timeparse` and the /settings and /pause argument parsers."""

from __future__ import annotations

import zoneinfo
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.preferences.service import MAX_PAUSE_DAYS, SettingsChange, parse_pause_days, parse_settings
from bot.timeparse import parse_time, parse_timezone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:00", time(20, 0)),
        ("8pm", time(20, 0)),
        ("8 pm", time(20, 0)),
        ("8PM", time(20, 0)),
        ("8:30 p.m.", time(20, 30)),
        ("8:30 a.m.", time(8, 30)),
        ("20h", time(20, 0)),
        ("20h30", time(20, 30)),
        ("7.30", time(7, 30)),
        ("2000", time(20, 0)),
        ("0800", time(8, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("1am", time(1, 0)),
        ("11pm", time(23, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("  9:05  ", time(9, 5)),
        ("9", time(9, 0)),
    ],
)
def test_parse_time_reads_common_spellings(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "24:00",
        "13pm",
        "0am",
        "0pm",
        "",
        "   ",
        "abc",
        "99",
        "8:60",
        "2400",
        "1260",
        "20:0",
        "8pm tomorrow",
        "-1",
    ],
)
def test_parse_time_refuses_what_is_not_a_time(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("  Berlin  ", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New   York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("los angeles", "America/Los_Angeles"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("America/New_York", "America/New_York"),
    ],
)
def test_parse_timezone_reads_names_and_cities(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize("text", ["Mars/Base", "", "   ", "x" * 300, "Europe/" + "b" * 300, "atlantis", "20:00"])
def test_parse_timezone_refuses_unknown_zones(text: str) -> None:
    assert parse_timezone(text) is None


def test_a_300_char_string_that_starts_with_a_real_zone_is_refused() -> None:
    assert parse_timezone("Europe/Berlin" + " " * 150 + "x" * 150) is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["20:00", "Europe/Berlin"], SettingsChange(at=time(20, 0), zone="Europe/Berlin")),
        (["Europe/Berlin", "20:00"], SettingsChange(at=time(20, 0), zone="Europe/Berlin")),
        (["7", "pm", "new", "york"], SettingsChange(at=time(19, 0), zone="America/New_York")),
        (["new", "york", "7am"], SettingsChange(at=time(7, 0), zone="America/New_York")),
        (["new", "york", "7", "pm"], SettingsChange(at=time(19, 0), zone="America/New_York")),
        (["berlin", "8:30", "p.m."], SettingsChange(at=time(20, 30), zone="Europe/Berlin")),
        (["8pm"], SettingsChange(at=time(20, 0))),
        (["berlin"], SettingsChange(zone="Europe/Berlin")),
        (["UTC"], SettingsChange(zone="UTC")),
    ],
)
def test_parse_settings_takes_time_and_zone_in_any_order(words: list[str], expected: SettingsChange) -> None:
    assert parse_settings(words) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["banana"], SettingsChange(not_understood="banana")),
        (["8", "pm", "mars"], SettingsChange(at=time(20, 0), not_understood="mars")),
        (["Mars/Base", "20:00"], SettingsChange(at=time(20, 0), not_understood="Mars/Base")),
        (["25:00"], SettingsChange(not_understood="25:00")),
        (["please", "change", "it"], SettingsChange(not_understood="please change it")),
    ],
)
def test_parse_settings_reports_unknown_words(words: list[str], expected: SettingsChange) -> None:
    change = parse_settings(words)
    assert change == expected
    assert not change.empty


def test_parse_settings_cuts_long_leftovers_to_64_chars() -> None:
    change = parse_settings(["x" * 300])
    assert change.not_understood == "x" * 64
    assert change.at is None and change.zone is None


@pytest.mark.parametrize("words", [[], [""], ["  ", "\t"]])
def test_parse_settings_with_nothing_is_empty(words: list[str]) -> None:
    change = parse_settings(words)
    assert change == SettingsChange()
    assert change.empty


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], None),
        (["1"], 1),
        (["7"], 7),
        (["7", "days"], 7),
        ([str(MAX_PAUSE_DAYS)], MAX_PAUSE_DAYS),
        ([str(MAX_PAUSE_DAYS + 1)], False),
        (["0"], False),
        (["-3"], False),
        (["abc"], False),
        (["1.5"], False),
        ([""], False),
    ],
)
def test_parse_pause_days(words: list[str], expected: int | bool | None) -> None:
    result = parse_pause_days(words)
    assert result == expected
    assert type(result) is type(expected)


@given(st.text(max_size=80))
def test_parse_time_never_raises_and_returns_a_valid_time(text: str) -> None:
    result = parse_time(text)
    assert result is None or (isinstance(result, time) and result.tzinfo is None)
    if result is not None:
        assert 0 <= result.hour <= 23 and 0 <= result.minute <= 59 and result.second == 0


@given(st.text(max_size=400))
def test_parse_timezone_never_raises_and_returns_a_loadable_zone(text: str) -> None:
    result = parse_timezone(text)
    if result is not None:
        assert result in zoneinfo.available_timezones()
        assert zoneinfo.ZoneInfo(result).key == result


_WORDS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["8", "pm", "p.m.", "20:00", "new", "york", "berlin", "Europe/Berlin", "12am", "2000", "UTC"]),
)


@given(st.lists(_WORDS, max_size=6))
def test_parse_settings_never_raises_and_only_returns_valid_values(words: list[str]) -> None:
    change = parse_settings(words)
    if change.at is not None:
        assert isinstance(change.at, time)
    if change.zone is not None:
        assert zoneinfo.ZoneInfo(change.zone).key == change.zone
    if change.not_understood is not None:
        assert 0 < len(change.not_understood) <= 64
        assert change.zone is None


@given(st.lists(st.text(max_size=12), max_size=4))
def test_parse_pause_days_never_raises(words: list[str]) -> None:
    result = parse_pause_days(words)
    assert result is None or result is False or (type(result) is int and 1 <= result <= MAX_PAUSE_DAYS)
