"""Appointment files into checked rows: CSV and iCalendar, every bad row with its line, and no crash on any input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.appointments.imports import ImportedAppointment, RowError, parse_csv, parse_file, parse_ics

KINDS = ("infusion", "therapy")
DURATIONS = {"infusion": 120, "therapy": 50}
OPTIONS = {"kinds": KINDS, "default_timezone": "Europe/Berlin", "default_durations": DURATIONS}
HEADER = "patient_id,kind,start,timezone,duration_minutes,location,notes\n"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def csv_rows(body: str, header: str = HEADER) -> tuple[list[ImportedAppointment], list[RowError]]:
    return parse_csv(header + body, **OPTIONS)


def only_error(body: str, header: str = HEADER) -> RowError:
    rows, errors = csv_rows(body, header)
    assert rows == [] and len(errors) == 1, (rows, errors)
    return errors[0]


# --- CSV: good files ----------------------------------------------------------------------------------------


def test_good_csv_converts_local_times_to_utc() -> None:
    rows, errors = csv_rows(
        "7,Infusion,2026-03-05T10:00,America/New_York,90,Room 1,fasting\n"
        "8,THERAPY,2026-07-01 09:30,Europe/Berlin,45,,\n"
        "9,therapy,2026-07-01T09:30+02:00,,,,\n"
    )
    assert errors == []
    first, second, third = rows
    assert first == ImportedAppointment(
        line=2,
        uid="csv:7:infusion:2026-03-05T15:00Z",
        patient_id=7,
        kind="infusion",
        starts_at=utc(2026, 3, 5, 15, 0),
        duration_minutes=90,
        location="Room 1",
        notes="fasting",
    )
    assert (second.line, second.kind, second.starts_at, second.duration_minutes) == (
        3,
        "therapy",
        utc(2026, 7, 1, 7, 30),
        45,
    )
    assert third.starts_at == utc(2026, 7, 1, 7, 30)  # an explicit offset wins over the zone
    assert all(row.starts_at.tzinfo is UTC and not row.cancelled for row in rows)


def test_empty_optional_cells_take_defaults() -> None:
    [infusion, therapy, other], errors = parse_csv(
        HEADER
        + "1,infusion,2026-03-05T10:00,,,,\n2,therapy,2026-03-05T10:00,  ,  ,  ,  \n3,yoga,2026-03-05T10:00,,,,\n",
        kinds=(*KINDS, "yoga"),
        default_timezone="Europe/Berlin",
        default_durations=DURATIONS,
    )
    assert errors == []
    assert infusion.starts_at == utc(2026, 3, 5, 9, 0)  # default_timezone Europe/Berlin, CET
    assert (infusion.duration_minutes, therapy.duration_minutes, other.duration_minutes) == (120, 50, 60)
    assert (therapy.location, therapy.notes) == (None, None)


def test_header_is_case_insensitive_trimmed_in_any_order_and_optional_columns_may_be_left_out() -> None:
    rows, errors = csv_rows("2026-03-05T10:00 , therapy , 4\n", header=" START ,Kind,Patient_ID \n")
    assert errors == []
    assert (rows[0].patient_id, rows[0].kind, rows[0].starts_at, rows[0].duration_minutes) == (
        4,
        "therapy",
        utc(2026, 3, 5, 9, 0),
        50,
    )


def test_derived_uid_is_stable_and_a_uid_column_is_used_as_is() -> None:
    body = "5,therapy,2026-03-05T10:00,Europe/Berlin,,,\n"
    assert csv_rows(body)[0][0].uid == csv_rows("\n\n" + body)[0][0].uid == "csv:5:therapy:2026-03-05T09:00Z"
    # the same moment written in another zone is the same booking
    assert csv_rows("5,therapy,2026-03-05T04:00,America/New_York,,,\n")[0][0].uid == "csv:5:therapy:2026-03-05T09:00Z"
    rows, errors = csv_rows("ext-17,5,therapy,2026-03-05T10:00\n", header="uid,patient_id,kind,start\n")
    assert errors == [] and rows[0].uid == "ext-17"


def test_header_only_gives_nothing_and_an_empty_file_one_error() -> None:
    assert csv_rows("") == ([], [])
    assert csv_rows("\n\n") == ([], [])
    assert parse_csv("", **OPTIONS) == ([], [RowError(1, "empty file")])
    assert parse_csv("\ufeff \r\n", **OPTIONS) == ([], [RowError(1, "empty file")])


def test_bom_crlf_and_quoted_multiline_notes_keep_physical_line_numbers() -> None:
    text = (
        "\ufeff"
        + HEADER.replace("\n", "\r\n")
        + '1,therapy,2026-03-05T10:00,,,"Room 2, east wing","first\r\nsecond\r\nthird"\r\n'  # lines 2-4
        + "\r\n"  # line 5, blank
        + "1,oops,2026-03-05T11:00,,,,\r\n"  # line 6
        + '2,infusion,2026-03-05T12:00,,,,"one\r\ntwo"\r\n'  # lines 7-8
        + "x,therapy,2026-03-05T13:00,,,,\r\n"  # line 9
    )
    rows, errors = parse_csv(text, **OPTIONS)
    assert [row.line for row in rows] == [2, 7]
    assert rows[0].location == "Room 2, east wing"
    assert rows[0].notes is not None and rows[0].notes.splitlines() == ["first", "second", "third"]
    assert [error.line for error in errors] == [6, 9]


# --- CSV: errors --------------------------------------------------------------------------------------------


def test_missing_required_columns_are_one_error_on_line_one() -> None:
    error = only_error("1,2026-03-05T10:00\n", header="patient_id,start\n")
    assert error == RowError(1, "missing column 'kind'")
    assert only_error("", header="kind,notes\n").reason == "missing column 'patient_id', 'start'"


def test_unknown_and_repeated_columns_are_refused_on_line_one() -> None:
    error = only_error("", header=HEADER.strip() + ",Colour\n")
    assert error.line == 1 and "unknown column 'colour'" in error.reason
    error = only_error("", header=HEADER.strip() + ",kind\n")
    assert error.line == 1 and "'kind'" in error.reason


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ("x,infusion,2026-03-05T10:00,,,,", "patient id 'x' is not a positive number"),
        ("0,infusion,2026-03-05T10:00,,,,", "patient id '0' is not a positive number"),
        ("-3,infusion,2026-03-05T10:00,,,,", "patient id '-3' is not a positive number"),
        ("1.5,infusion,2026-03-05T10:00,,,,", "patient id '1.5' is not a positive number"),
        ("²,infusion,2026-03-05T10:00,,,,", "patient id '²' is not a positive number"),
        (",infusion,2026-03-05T10:00,,,,", "patient id '' is not a positive number"),
        ("1,massage,2026-03-05T10:00,,,,", "unknown kind 'massage'"),
        ("1,infusion,2026-13-40T10:00,,,,", "bad date '2026-13-40T10:00'"),
        ("1,infusion,tomorrow,,,,", "bad date 'tomorrow'"),
        ("1,infusion,2026-03-05,,,,", "no time of day"),
        ("1,infusion,,,,,", "start is empty"),
        ("1,infusion,0001-01-01T00:00,Asia/Tokyo,,,", "the year must be"),
        ("1,infusion,9999-12-31T23:00,America/New_York,,,", "the year must be"),
        ("1,infusion,2026-03-05T10:00,Mars/Base,,,", "unknown time zone 'Mars/Base'"),
        ("1,infusion,2026-03-05T10:00,,4,,", "duration '4' is not a number of minutes from 5 to 1440"),
        ("1,infusion,2026-03-05T10:00,,1441,,", "duration '1441'"),
        ("1,infusion,2026-03-05T10:00,,1h,,", "duration '1h'"),
        ("1,infusion,2026-03-05T10:00,,90.0,,", "duration '90.0'"),
        ("1,infusion,2026-03-05T10:00,,," + "x" * 501 + ",", "location is longer than 500 characters"),
        ("1,infusion,2026-03-05T10:00,,,," + "x" * 501, "notes is longer than 500 characters"),
        ("1,infusion,2026-03-05T10:00,,,", "expected 7 cells, found 6"),
    ],
)
def test_each_bad_cell_is_named(cells: str, words: str) -> None:
    rows, errors = csv_rows("1,therapy,2026-03-05T10:00,,,,\n\n" + cells + "\n")
    assert [row.line for row in rows] == [2]
    assert len(errors) == 1 and errors[0].line == 4 and words in errors[0].reason, errors


def test_limits_are_inclusive() -> None:
    rows, errors = csv_rows("1,infusion,2026-03-05T10:00,,5," + "x" * 500 + ",\n1,infusion,2026-03-06T10:00,,1440,,\n")
    assert errors == [] and [row.duration_minutes for row in rows] == [5, 1440]


def test_every_bad_row_and_every_problem_in_a_row_is_listed() -> None:
    rows, errors = csv_rows(
        "x,yoga,2026-03-05T10:00,Mars/Base,3,,\n"  # line 2: four problems
        "1,infusion,2026-03-05T10:00,,,,\n"  # line 3: fine
        "1,infusion,2026-13-40T10:00,,,,\n"  # line 4
        "2,therapy,2026-03-29T02:30,,,,\n"  # line 5: Berlin's spring gap
    )
    assert [row.line for row in rows] == [3]
    assert [error.line for error in errors] == [2, 4, 5]
    first = errors[0].reason
    for words in ("patient id 'x'", "unknown kind 'yoga'", "unknown time zone 'Mars/Base'", "duration '3'"):
        assert words in first


def test_the_same_booking_or_uid_twice_is_refused_on_the_second() -> None:
    rows, errors = csv_rows("1,therapy,2026-03-05T10:00,,,,\n1,therapy,2026-03-05T04:00,America/New_York,,,\n")
    assert [row.line for row in rows] == [2] and errors == [RowError(3, "the same booking is already on line 2")]
    rows, errors = csv_rows(
        "a,1,therapy,2026-03-05T10:00\na,2,infusion,2026-03-06T10:00\n", "uid,patient_id,kind,start\n"
    )
    assert errors == [RowError(3, "uid 'a' is already on line 2")]


# --- daylight saving time -----------------------------------------------------------------------------------


def test_a_local_time_the_clocks_skip_is_an_error() -> None:
    error = only_error("1,therapy,2026-03-08T02:30,America/New_York,,,\n")
    assert error.line == 2
    assert "2026-03-08 02:30 does not exist in America/New_York" in error.reason and "clocks change" in error.reason
    assert "does not exist in Europe/Berlin" in only_error("1,therapy,2026-03-29T02:30,,,,\n").reason


def test_a_repeated_local_time_is_its_first_occurrence() -> None:
    [new_york, berlin], errors = csv_rows(
        "1,therapy,2026-11-01T01:30,America/New_York,,,\n1,therapy,2026-10-25T02:30,Europe/Berlin,,,\n"
    )
    assert errors == []
    assert new_york.starts_at == utc(2026, 11, 1, 5, 30)  # 01:30 EDT (-4), not EST
    assert berlin.starts_at == utc(2026, 10, 25, 0, 30)  # 02:30 CEST (+2), not CET


# --- iCalendar ----------------------------------------------------------------------------------------------


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//clinic//test//EN\r\n{body}END:VCALENDAR\r\n".encode()


def event(uid: str, *lines: str, patient: str | None = "7", categories: str | None = "INFUSION") -> str:
    props = [f"UID:{uid}", "DTSTAMP:20260301T000000Z", *lines]
    if patient is not None:
        props.append(f"X-MOODBOT-PATIENT:{patient}")
    if categories is not None:
        props.append(f"CATEGORIES:{categories}")
    return "".join(line + "\r\n" for line in props)


def vevent_lines(data: bytes) -> list[int]:
    return [n for n, text in enumerate(data.decode().split("\r\n"), start=1) if text == "BEGIN:VEVENT"]


def test_good_ics_with_zones_utc_dtend_and_duration() -> None:
    data = ics(
        event(
            "berlin@clinic",
            "DTSTART;TZID=Europe/Berlin:20260305T100000",
            "DTEND;TZID=Europe/Berlin:20260305T113000",
            "LOCATION:Room 3\\, upstairs",
            "DESCRIPTION:Bring a book\\nand water",
        ),
        event(
            "ny@clinic",
            "DTSTART;TZID=America/New_York:20260710T090000",
            "DURATION:PT45M",
            categories="Weekly,Therapy",
        ),
        event("utc@clinic", "DTSTART:20260306T150000Z", "DTEND:20260306T170000Z", "STATUS:CANCELLED"),
        event("floating@clinic", "DTSTART:20260307T080000", categories="therapy"),
        event("mixed@clinic", "DTSTART;TZID=America/New_York:20260308T090000", "DTEND:20260308T140000Z"),
    )
    rows, errors = parse_ics(data, **OPTIONS)
    assert errors == []
    berlin, new_york, in_utc, floating, mixed = rows
    assert berlin == ImportedAppointment(
        line=vevent_lines(data)[0],
        uid="berlin@clinic",
        patient_id=7,
        kind="infusion",
        starts_at=utc(2026, 3, 5, 9, 0),
        duration_minutes=90,
        location="Room 3, upstairs",
        notes="Bring a book\nand water",
    )
    assert (new_york.kind, new_york.starts_at, new_york.duration_minutes) == ("therapy", utc(2026, 7, 10, 13, 0), 45)
    assert (in_utc.starts_at, in_utc.duration_minutes, in_utc.cancelled) == (utc(2026, 3, 6, 15, 0), 120, True)
    assert (floating.starts_at, floating.duration_minutes) == (
        utc(2026, 3, 7, 7, 0),
        50,
    )  # default zone, default length
    assert (mixed.starts_at, mixed.duration_minutes) == (utc(2026, 3, 8, 13, 0), 60)  # EDT already on 8 March
    assert [row.line for row in rows] == vevent_lines(data)
    assert all(row.starts_at.tzinfo is UTC for row in rows)


def test_ics_lines_unfolded_lf_only_and_bom() -> None:
    data = ics(event("a", "DTSTART:20260306T150000Z", "DESCRIPTION:a long\r\n  folded note"))
    rows, errors = parse_ics(b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n"), **OPTIONS)
    assert errors == [] and rows[0].notes == "a long folded note" and rows[0].line == 4


def test_ics_errors_each_on_its_vevent_line() -> None:
    data = ics(
        event("ok", "DTSTART:20260306T150000Z"),
        event("allday", "DTSTART;VALUE=DATE:20260307"),
        event("mars", "DTSTART;TZID=Mars/Base:20260307T100000"),
        event("nokind", "DTSTART:20260306T150000Z", categories="Yoga,Massage"),
        event("nocats", "DTSTART:20260306T150000Z", categories=None),
        event("nopatient", "DTSTART:20260306T150000Z", patient=None),
        event("badpatient", "DTSTART:20260306T150000Z", patient="seven"),
        event("", "DTSTART:20260306T150000Z"),
        event("ok", "DTSTART:20260308T150000Z"),
        event("gap", "DTSTART;TZID=America/New_York:20260308T023000"),
        event("backwards", "DTSTART:20260306T150000Z", "DTEND:20260306T140000Z"),
        event("long", "DTSTART:20260306T150000Z", "DURATION:P2D"),
        event("nostart"),
        event("weekly", "DTSTART:20260306T150000Z", "RRULE:FREQ=WEEKLY;COUNT=4"),
        event("garbled", "DTSTART:tomorrow"),
        event("wordy", "DTSTART:20260306T150000Z", "LOCATION:" + "x" * 501),
    )
    rows, errors = parse_ics(data, **OPTIONS)
    lines = vevent_lines(data)
    assert [row.uid for row in rows] == ["ok"]
    assert [error.line for error in errors] == lines[1:]
    expected = [
        "all-day events have no time",
        "unknown time zone 'Mars/Base'",
        "no known kind in CATEGORIES",
        "no known kind in CATEGORIES",
        "no patient id (X-MOODBOT-PATIENT)",
        "patient id 'seven' is not a positive number",
        "event without UID",
        f"UID 'ok' is already on line {lines[0]}",
        "2026-03-08 02:30 does not exist in America/New_York",
        "DTEND is not after DTSTART",
        "2880 minutes",
        "event without DTSTART",
        "repeating events are not supported",
        "bad DTSTART",
        "location is longer than 500 characters",
    ]
    for error, words in zip(errors, expected, strict=True):
        assert words in error.reason, (error, words)


def test_every_problem_of_one_event_is_listed() -> None:
    [error] = parse_ics(ics(event("a", "DTSTART;VALUE=DATE:20260307", patient="0", categories="yoga")), **OPTIONS)[1]
    for words in ("patient id '0'", "no known kind", "all-day"):
        assert words in error.reason


def test_ics_ambiguous_time_is_the_first_occurrence() -> None:
    data = ics(event("fall", "DTSTART;TZID=America/New_York:20261101T013000"))
    assert parse_ics(data, **OPTIONS)[0][0].starts_at == utc(2026, 11, 1, 5, 30)


@pytest.mark.parametrize(
    "data",
    [b"not a calendar", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", ics().replace(b"END:VCALENDAR", b"")],
)
def test_a_broken_calendar_is_one_short_error(data: bytes) -> None:
    rows, [error] = parse_ics(data, **OPTIONS)
    assert rows == [] and error.line == 1 and error.reason.startswith("not a valid iCalendar file: ")
    assert "\n" not in error.reason


def test_empty_and_non_utf8_and_eventless_calendars() -> None:
    assert parse_ics(b"", **OPTIONS) == ([], [RowError(1, "empty file")])
    assert parse_ics(b"\xff\xfe\x00B", **OPTIONS) == ([], [RowError(1, "not UTF-8 text")])
    assert parse_ics(ics(), **OPTIONS) == ([], [])


# --- files --------------------------------------------------------------------------------------------------


def test_parse_file_picks_the_parser_by_suffix(tmp_path: Path) -> None:
    sheet = tmp_path / "book.CSV"
    sheet.write_bytes(("\ufeff" + HEADER + "1,therapy,2026-03-05T10:00,,,,\n").encode())
    calendar = tmp_path / "book.Ics"
    calendar.write_bytes(ics(event("a", "DTSTART:20260306T150000Z")))
    assert parse_file(sheet, **OPTIONS)[0][0].uid == "csv:1:therapy:2026-03-05T09:00Z"
    assert parse_file(calendar, **OPTIONS)[0][0].uid == "a"
    other = tmp_path / "book.xlsx"
    other.write_bytes(b"PK")
    rows, [error] = parse_file(other, **OPTIONS)
    assert rows == [] and error.line == 0 and ".xlsx" in error.reason
    windows = tmp_path / "windows.csv"
    windows.write_bytes((HEADER + "1,therapy,2026-03-05T10:00,,,,Café – 2€\n").encode("cp1252"))
    assert parse_file(windows, **OPTIONS)[0][0].notes == "Café – 2€"
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x81\x8d\x8f\x90\x9d")  # undefined in Windows-1252 and not UTF-8
    assert parse_file(binary, **OPTIONS) == ([], [RowError(1, "neither UTF-8 nor Windows-1252 text")])


def test_a_semicolon_csv_from_a_european_excel_with_a_bom(tmp_path: Path) -> None:
    sheet = tmp_path / "Termine.csv"
    body = HEADER.replace(",", ";") + "7;infusion;2026-03-05 10:00;;;Raum 1;nüchtern kommen\r\n"
    sheet.write_bytes(b"\xef\xbb\xbf" + body.encode())
    [row], errors = parse_file(sheet, **OPTIONS)
    assert errors == [] and (row.patient_id, row.starts_at, row.location, row.notes) == (
        7, utc(2026, 3, 5, 9, 0), "Raum 1", "nüchtern kommen",
    )  # fmt: skip
    # A comma inside a cell of a semicolon file is text, not a separator.
    [row], errors = csv_rows("7;therapy;2026-03-05T10:00;;;Room 1, 2nd floor;\n", HEADER.replace(",", ";"))
    assert errors == [] and row.location == "Room 1, 2nd floor"
    # Every bad row is reported in the same pass, as in a comma file.
    bad = "7;massage;2026-03-05T10:00;;;;\nx;therapy;2026-03-05T10:00;;;;\n"
    rows, errors = csv_rows(bad, HEADER.replace(",", ";"))
    assert rows == [] and [e.line for e in errors] == [2, 3]


# --- any input ----------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_as_csv_gives_rows_or_errors(text: str) -> None:
    for candidate in (text, HEADER + text):
        rows, errors = parse_csv(candidate, **OPTIONS)
        assert all(row.starts_at.tzinfo is UTC and row.kind in KINDS for row in rows)
        assert all(isinstance(error.reason, str) and error.line >= 1 for error in errors)


CSV_CELLS = st.sampled_from(["1", "x", "", "²", "therapy", "2026-03-29T02:30", "Mars/Base", "9999-12-31T23:59", '"'])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CSV_CELLS, min_size=6, max_size=8), max_size=5))
def test_csv_shaped_nonsense_gives_rows_or_errors(table: list[list[str]]) -> None:
    parse_csv(HEADER + "\n".join(",".join(row) for row in table), **OPTIONS)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_ics_give_rows_or_errors(data: bytes) -> None:
    for candidate in (data, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + data + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"):
        rows, errors = parse_ics(candidate, **OPTIONS)
        assert all(row.starts_at.tzinfo is UTC for row in rows)
        assert all(error.line >= 1 for error in errors)


ICS_LINES = st.sampled_from(
    [
        "UID:a",
        "UID:b",
        "DTSTART:20260306T150000Z",
        "DTSTART;TZID=Mars/Base:20260306T150000",
        "DTSTART;VALUE=DATE:20260306",
        "DTSTART:garbage",
        "DTEND:20260306T100000Z",
        "DURATION:PT30M",
        "DURATION:-PT30M",
        "CATEGORIES:therapy",
        "CATEGORIES:",
        "X-MOODBOT-PATIENT:3",
        "X-MOODBOT-PATIENT:-1",
        "STATUS:CANCELLED",
        "RRULE:FREQ=DAILY",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "BEGIN:VALARM",
        "END:VALARM",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ICS_LINES, max_size=20))
def test_ics_shaped_nonsense_gives_rows_or_errors(lines: list[str]) -> None:
    body = "".join(line + "\r\n" for line in lines)
    parse_ics(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode(), **OPTIONS)
