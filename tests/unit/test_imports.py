"""CSV and iCalendar parsing: good files, every kind of bad row with its line, and no crash on any input."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.appointments.imports import parse_csv, parse_ics

KINDS = ("infusion", "therapy")
DURATIONS = {"infusion": 60, "therapy": 50}
OPTIONS = {"kinds": KINDS, "default_timezone": "America/New_York", "default_durations": DURATIONS}
HEADER = "patient_id,kind,start,timezone,duration_minutes,location,notes\n"


def csv(body: str, header: str = HEADER):
    return parse_csv(header + body, **OPTIONS)


def test_good_csv_with_defaults_and_zones() -> None:
    rows, errors = csv(
        "1,Infusion,2026-03-05T10:00,Europe/Berlin,90,Room 1,\n2,therapy,2026-03-05 10:00,,,,bring notes\n"
    )
    assert errors == []
    first, second = rows
    assert (first.line, first.kind, first.starts_at, first.duration_minutes, first.location, first.notes) == (
        2, "infusion", datetime(2026, 3, 5, 9, 0, tzinfo=UTC), 90, "Room 1", None,
    )  # fmt: skip
    assert (second.starts_at, second.duration_minutes, second.notes) == (
        datetime(2026, 3, 5, 15, 0, tzinfo=UTC), 50, "bring notes",
    )  # fmt: skip
    assert first.uid == "csv:1:infusion:2026-03-05T09:00Z"
    assert (
        parse_csv(HEADER + "1,Infusion,2026-03-05T10:00,Europe/Berlin,90,Room 1,\n", **OPTIONS)[0][0].uid == first.uid
    )


def test_every_bad_row_is_listed_with_its_line() -> None:
    rows, errors = csv(
        "x,infusion,2026-03-05T10:00,,,,\n"
        "1,massage,2026-03-05T10:00,,,,\n"
        "1,infusion,2026-13-40T10:00,,,,\n"
        "1,infusion,2026-03-05T10:00,Mars/Base,,,\n"
        "1,infusion,2026-03-05T10:00,,3,,\n"
        "1,infusion,2026-03-08T02:30,,,,\n"
        "1,infusion,2026-03-05T10:00,,,,\n"
    )
    assert [e.line for e in errors] == [2, 3, 4, 5, 6, 7]
    reasons = " | ".join(e.reason for e in errors)
    for words in (
        "'x' is not a positive number",
        "unknown kind 'massage'",
        "bad date",
        "Mars/Base",
        "5 to 1440",
        "does not exist",
    ):
        assert words in reasons
    assert [r.line for r in rows] == [8]


def test_missing_and_unknown_columns_and_empty_files() -> None:
    assert csv("", header="patient_id,kind\n")[1][0].reason == "missing column 'start'"
    assert "unknown column 'colour'" in csv("", header=HEADER.strip() + ",colour\n")[1][0].reason
    assert parse_csv("", **OPTIONS)[1][0].reason == "empty file"
    assert csv("") == ([], [])


def test_quoted_newlines_bom_and_crlf_keep_line_numbers() -> None:
    text = (
        "\ufeff"
        + HEADER.replace("\n", "\r\n")
        + '1,therapy,2026-03-05T10:00,,,,"two\r\nlines"\r\n\r\n1,oops,2026-03-05T11:00,,,,\r\n'
    )
    rows, errors = parse_csv(text, **OPTIONS)
    assert rows[0].notes == "two\r\nlines" or rows[0].notes == "two\nlines"
    assert [e.line for e in errors] == [5]


def test_ambiguous_local_time_takes_the_first_occurrence() -> None:
    [row], _ = csv("1,therapy,2026-11-01T01:30,,,,\n")
    assert row.starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a@clinic\r\nDTSTAMP:20260301T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260305T100000\r\n"
    "DTEND;TZID=Europe/Berlin:20260305T113000\r\nCATEGORIES:INFUSION\r\nLOCATION:Room 3\r\nDESCRIPTION:Bring a book\r\n"
    "X-MOODBOT-PATIENT:7\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b@clinic\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260306T150000Z\r\nDURATION:PT45M\r\n"
    "CATEGORIES:Therapy,Weekly\r\nX-MOODBOT-PATIENT:7\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:c@clinic\r\nDTSTAMP:20260301T000000Z\r\nDTSTART;VALUE=DATE:20260307\r\n"
    "CATEGORIES:therapy\r\nX-MOODBOT-PATIENT:7\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:d@clinic\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260308T150000Z\r\n"
    "CATEGORIES:yoga\r\nX-MOODBOT-PATIENT:7\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:e@clinic\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260309T150000Z\r\n"
    "CATEGORIES:therapy\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_ics_events_and_their_errors() -> None:
    rows, errors = parse_ics(ICS.encode(), **OPTIONS)
    first, second = rows
    assert (first.uid, first.kind, first.starts_at, first.duration_minutes, first.location, first.notes) == (
        "a@clinic", "infusion", datetime(2026, 3, 5, 9, 0, tzinfo=UTC), 90, "Room 3", "Bring a book",
    )  # fmt: skip
    assert (second.kind, second.duration_minutes, second.cancelled) == ("therapy", 45, True)
    lines = [line for line, text in enumerate(ICS.split("\r\n"), start=1) if text == "BEGIN:VEVENT"]
    assert [e.line for e in errors] == lines[2:]
    reasons = " | ".join(e.reason for e in errors)
    assert "all-day" in reasons and "no known kind" in reasons and "patient id" in reasons


def test_broken_ics() -> None:
    assert parse_ics(b"not a calendar", **OPTIONS)[1][0].reason.startswith("not a valid iCalendar file")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_csv_text_gives_rows_or_errors(text: str) -> None:
    rows, errors = parse_csv(HEADER + text, **OPTIONS)
    assert all(r.starts_at.tzinfo is UTC for r in rows)
    assert all(e.line >= 1 for e in errors)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_ics_never_crash(data: bytes) -> None:
    parse_ics(b"BEGIN:VCALENDAR\r\n" + data, **OPTIONS)
