"""Reading bookings from CSV and iCalendar files into checked rows, collecting every bad row with its line.

Pure: no database. Unknown patients are found by the service, which knows them. Neither parser raises on bad
input: whatever is wrong comes back as a `RowError` with the line it was found on. Given a `Matching`, events and
rows without our own patient id or a known kind are matched by name, record number, e-mail and keywords.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.appointments.matching import Matching, NoMatch, NoPatient
from bot.appointments.schedule import LocalTimeError, to_utc
from bot.timeparse import parse_timezone

REQUIRED = ("patient_id", "kind", "start")
# 'patient' (a name, record number or e-mail, when matching) stands in for 'patient_id'.
OPTIONAL = ("patient", "timezone", "duration_minutes", "location", "notes", "uid")
MAX_TEXT = 500
MAX_UID = 300  # appointments.source_uid is VARCHAR(300)
MAX_PATIENT_ID = 2**31 - 1  # an INTEGER column
MIN_MINUTES, MAX_MINUTES = 5, 1440
YEARS = range(1900, 2200)  # outside this a date is a typo, and far ones overflow when shifted to UTC

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImportedAppointment:
    line: int
    uid: str
    patient_id: int
    kind: str
    starts_at: datetime
    duration_minutes: int
    location: str | None
    notes: str | None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str
    # The row's patient could not be found from its words: choosing one for it would mend this.
    unmatched: bool = False
    # A CSV header that is not ours: its columns, for a person to say which is which.
    columns: tuple[str, ...] = field(default=(), compare=False)


class _Bad(ValueError):
    def __init__(self, message: str, *, unmatched: bool = False) -> None:
        super().__init__(message)
        self.unmatched = unmatched


class _Problems:
    """Runs each check of one row and keeps every complaint, so a row's errors are all listed at once."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.unmatched = False

    def check(self, step: Callable[..., T], *args: Any) -> T | None:
        try:
            return step(*args)
        except (_Bad, NoMatch) as exc:
            self.found.append(str(exc))
            self.unmatched = self.unmatched or isinstance(exc, NoPatient)
            return None

    def raise_found(self) -> None:
        if self.found:
            raise _Bad("; ".join(self.found), unmatched=self.unmatched)


def _number(text: str) -> int | None:
    """Plain ASCII digits as an int; `str.isdigit` alone also passes '²', which int() refuses."""
    return int(text) if text.isascii() and text.isdigit() else None


def _patient(value: object) -> int:
    text = str(value).strip()
    number = _number(text)
    if number is None or number <= 0:
        raise _Bad(f"patient id {text!r} is not a positive number")
    if number > MAX_PATIENT_ID:
        raise _Bad(f"patient id {text!r} is too large")
    return number


def _kind(value: object, kinds: Collection[str], match: Matching | None = None) -> str:
    kind = str(value).strip().lower()
    if kind in {k.lower() for k in kinds}:
        return kind
    if match is not None:
        return match.kinds.find(str(value))
    raise _Bad(f"unknown kind {str(value).strip()!r} (known: {', '.join(sorted(kinds))})")


def _duration(value: object, default: int) -> int:
    text = str(value).strip() if value is not None else ""
    if not text:
        return default
    number = _number(text)
    if number is None or not MIN_MINUTES <= number <= MAX_MINUTES:
        raise _Bad(f"duration {text!r} is not a number of minutes from {MIN_MINUTES} to {MAX_MINUTES}")
    return number


def _minutes(length: timedelta, what: str) -> int:
    minutes = int(length.total_seconds() // 60)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise _Bad(f"{what} gives {minutes} minutes; an appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes")
    return minutes


def _text(value: object, name: str) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > MAX_TEXT:
        raise _Bad(f"{name} is longer than {MAX_TEXT} characters")
    return text or None


def _uid(value: str) -> str:
    if len(value) > MAX_UID:
        raise _Bad(f"uid is longer than {MAX_UID} characters")
    return value


def _zone(value: str | None, default: str) -> str:
    text = (value or "").strip()
    if not text:
        return default
    zone = parse_timezone(text)
    if zone is None:
        raise _Bad(f"unknown time zone {text!r}")
    return zone


def _in_range(moment: datetime, shown: str) -> datetime:
    if moment.year not in YEARS:
        raise _Bad(f"bad date {shown!r}: the year must be from {YEARS.start} to {YEARS.stop - 1}")
    return moment


def _local(moment: datetime, zone: str, shown: str) -> datetime:
    """A naive wall-clock time in `zone` as UTC: a time the clocks skip is an error, a repeated one is the first."""
    _in_range(moment, shown)
    try:
        return to_utc(moment, zone)
    except LocalTimeError as exc:
        raise _Bad(str(exc)) from None


def _aware(moment: datetime, shown: str) -> datetime:
    _in_range(moment, shown)
    return moment.astimezone(UTC)


def _start(value: str, zone: str) -> datetime:
    text = value.strip()
    if not text:
        raise _Bad("start is empty; use 2026-03-05T10:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"bad date {text!r}; use 2026-03-05T10:00") from None
    try:
        date.fromisoformat(text)
    except ValueError:
        pass
    else:
        raise _Bad(f"bad date {text!r}: no time of day; use 2026-03-05T10:00")
    return _aware(parsed, text) if parsed.tzinfo is not None else _local(parsed, zone, text)


# --- CSV ---------------------------------------------------------------------------------------------------


def parse_csv(
    text: str,
    *,
    kinds: Collection[str],
    default_timezone: str,
    default_durations: Mapping[str, int],
    match: Matching | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[ImportedAppointment], list[RowError]]:
    """`columns`: the file's own column names (any case) mapped to ours; its other columns are then left out."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return [], [RowError(1, "empty file")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header_line, line = 1, 1
    try:
        header: list[str] = []
        while not any(cell.strip() for cell in header):  # blank lines before the header are skipped too
            header_line = line
            header = [name.strip().lower() for name in next(reader)]
            line = reader.line_num + 1
    except (csv.Error, StopIteration) as exc:
        return [], [RowError(header_line, f"unreadable header: {exc}")]
    theirs = tuple(header)
    if columns:
        chosen = {name.strip().lower(): ours for name, ours in columns.items()}
        header = [chosen.get(name, "") for name in header]
    problems = _header_problems(header, matching=match is not None)
    if problems:
        return [], [RowError(header_line, "; ".join(problems), columns=theirs)]
    rows: list[ImportedAppointment] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, f"unreadable row: {exc}"))
            break
        start_line, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(start_line, f"expected {len(header)} cells, found {len(cells)}"))
            continue
        record = dict(zip(header, cells, strict=True))
        try:
            row = _csv_row(start_line, record, kinds, default_timezone, default_durations, match)
        except _Bad as exc:
            errors.append(RowError(start_line, str(exc), exc.unmatched))
            continue
        if row.uid in first_seen:
            what = f"uid {row.uid!r} is" if "uid" in record and record["uid"].strip() else "the same booking is"
            errors.append(RowError(start_line, f"{what} already on line {first_seen[row.uid]}"))
            continue
        first_seen[row.uid] = start_line
        rows.append(row)
    return rows, errors


def _matched_patient(match: Matching, cell: str, line: int) -> int:
    emails = [cell.strip()] if "@" in cell else []
    return match.patient(line, cell, emails=emails)


def _delimiter(text: str) -> str:
    """Excel writes `;` where the decimal mark is a comma (most of Europe): the header line tells which."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _header_problems(header: list[str], *, matching: bool) -> list[str]:
    named = REQUIRED + OPTIONAL
    missing = [name for name in REQUIRED if name not in header and not (name == "patient_id" and "patient" in header)]
    unknown = [name for name in header if name and name not in named]
    twice = sorted({name for name in header if header.count(name) > 1 and name in named})
    problems = []
    if "patient" in header and "patient_id" in header:
        problems.append("give either 'patient_id' or 'patient', not both")
    elif "patient" in header and not matching:
        problems.append("column 'patient' holds names, record numbers or e-mails: match them (--match)")
    if missing:
        problems.append(f"missing column {', '.join(repr(m) for m in missing)}")
    if unknown:
        problems.append(f"unknown column {', '.join(repr(u) for u in unknown)}")
    if twice:
        problems.append(f"column {', '.join(repr(t) for t in twice)} appears more than once")
    return problems


def _csv_row(
    line: int,
    record: dict[str, str],
    kinds: Collection[str],
    default_zone: str,
    durations: Mapping[str, int],
    match: Matching | None,
) -> ImportedAppointment:
    problems = _Problems()
    check = problems.check
    if "patient_id" in record:
        patient_id = check(_patient, record["patient_id"])
    else:
        assert match is not None  # the header check refuses a 'patient' column otherwise
        patient_id = check(_matched_patient, match, record["patient"], line)
    kind = check(_kind, record["kind"], kinds, match)
    zone = check(_zone, record.get("timezone"), default_zone)
    starts_at = check(_start, record["start"], zone) if zone else None
    duration = check(_duration, record.get("duration_minutes"), durations.get(kind or "", 60))
    location = check(_text, record.get("location"), "location")
    notes = check(_text, record.get("notes"), "notes")
    uid = check(_uid, (record.get("uid") or "").strip())
    problems.raise_found()
    assert patient_id is not None and kind is not None and starts_at is not None and duration is not None
    if not uid:
        uid = f"csv:{patient_id}:{kind}:{starts_at:%Y-%m-%dT%H:%MZ}"
    return ImportedAppointment(line, uid, patient_id, kind, starts_at, duration, location, notes)


# --- iCalendar ---------------------------------------------------------------------------------------------

_BEGIN = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_REPEATS = ("RRULE", "RDATE", "RECURRENCE-ID")


def parse_ics(
    data: bytes,
    *,
    kinds: Collection[str],
    default_timezone: str,
    default_durations: Mapping[str, int],
    match: Matching | None = None,
) -> tuple[list[ImportedAppointment], list[RowError]]:
    from icalendar import Calendar

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "not UTF-8 text")]
    if not text.strip():
        return [], [RowError(1, "empty file")]
    with warnings.catch_warnings():
        # icalendar warns when it guesses a vendor-prefixed TZID ("/mozilla.org/…/Europe/Berlin"); the guess is kept
        warnings.simplefilter("ignore")
        try:
            calendar = Calendar.from_ical(text)
            events = calendar.walk("VEVENT")
        except Exception as exc:  # icalendar raises assorted errors for malformed input
            return [], [RowError(1, f"not a valid iCalendar file: {_first_line(exc)}")]
        lines = [text.count("\n", 0, match.start()) + 1 for match in _BEGIN.finditer(text)]
        rows: list[ImportedAppointment] = []
        errors: list[RowError] = []
        first_seen: dict[str, int] = {}
        for index, event in enumerate(events):
            line = lines[index] if index < len(lines) else 1
            try:
                row = _event(line, event, kinds, default_timezone, default_durations, match)
            except _Bad as exc:
                errors.append(RowError(line, str(exc), exc.unmatched))
                continue
            except Exception as exc:  # a value icalendar decodes in a way not foreseen here
                errors.append(RowError(line, f"unreadable event: {_first_line(exc)}"))
                continue
            if row.uid in first_seen:
                errors.append(RowError(line, f"UID {row.uid!r} is already on line {first_seen[row.uid]}"))
                continue
            first_seen[row.uid] = line
            rows.append(row)
    return rows, errors


def _first_line(exc: Exception) -> str:
    """icalendar's messages can quote the whole input; one short line is enough to act on."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text if len(text) <= 120 else text[:117] + "..."


def _one(event: Any, name: str) -> Any:
    """The property `name` once (None when absent); read eagerly so a value icalendar could not parse is named."""
    value = event.get(name)
    if isinstance(value, list):
        raise _Bad(f"more than one {name}")
    if value is not None and type(value).__name__ == "vBroken":
        reason = next((why for prop, why in getattr(event, "errors", []) if prop == name), "unreadable value")
        raise _Bad(f"bad {name}: {_first_line(ValueError(reason))}")
    return value


def _ics_uid(event: Any) -> str:
    uid = str(_one(event, "UID") or "").strip()
    if not uid:
        raise _Bad("event without UID")
    return _uid(uid)


def _ics_patient(event: Any, match: Matching | None, line: int) -> int:
    value = _one(event, "X-MOODBOT-PATIENT")
    if value is not None and str(value).strip():
        return _patient(value)
    if match is None:
        raise _Bad("no patient id (X-MOODBOT-PATIENT); to find patients by name, record number or e-mail, match them")
    raw = event.get("ATTENDEE")
    attendees = raw if isinstance(raw, list) else [raw] if raw is not None else []
    emails = [str(a).strip().removeprefix("mailto:").removeprefix("MAILTO:") for a in attendees]
    summary = str(_one(event, "SUMMARY") or "")
    more = str(_one(event, "DESCRIPTION") or "")
    return match.patient(line, summary, emails=emails, more=more, uid=str(event.get("UID") or "").strip())


def _ics_kind(event: Any, kinds: Collection[str], match: Matching | None) -> str:
    raw = event.get("CATEGORIES")
    categories: list[str] = []
    for group in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        categories += [str(c) for c in getattr(group, "cats", [group])]
    known = {k.lower() for k in kinds}
    kind = next((c.strip().lower() for c in categories if c.strip().lower() in known), None)
    if kind is not None:
        return kind
    if match is not None:
        return match.kinds.find(str(_one(event, "SUMMARY") or ""))
    raise _Bad(f"no known kind in CATEGORIES (known: {', '.join(sorted(kinds))})")


def _ics_moment(prop: Any, name: str, zone: str) -> tuple[datetime, str]:
    """A DTSTART/DTEND as UTC, and the IANA zone its wall-clock time was in (for reading a floating DTEND)."""
    moment = prop.dt
    if isinstance(moment, date) and not isinstance(moment, datetime):
        raise _Bad("all-day events have no time" if name == "DTSTART" else f"{name} is a date without a time")
    if not isinstance(moment, datetime):
        raise _Bad(f"{name} is not a date and time")
    shown = moment.replace(tzinfo=None).isoformat(timespec="minutes")
    try:
        if moment.tzinfo is None:
            # floating, or a TZID icalendar did not know: it keeps the parameter and gives a naive time
            tzid = prop.params.get("TZID")
            zone = _zone(str(tzid), zone) if tzid else zone
            return _local(moment, zone, shown), zone
        if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key:
            # an IANA zone (icalendar also maps Windows names like "W. Europe Standard Time" to one): the same
            # rules as a CSV row, so a time the clocks skip is refused rather than silently moved
            zone = moment.tzinfo.key
            return _local(moment.replace(tzinfo=None), zone, shown), zone
        return _aware(moment, shown), zone  # a zone built from the file's own VTIMEZONE
    except _Bad as exc:
        raise _Bad(f"{name}: {exc}") from None


def _ics_when(event: Any, default_zone: str) -> tuple[datetime, int | None]:
    """The start as UTC and the length in minutes, or None when the event gives none (the kind's default)."""
    start_prop = _one(event, "DTSTART")
    if start_prop is None:
        raise _Bad("event without DTSTART")
    starts_at, zone = _ics_moment(start_prop, "DTSTART", default_zone)
    end_prop = _one(event, "DTEND")
    length_prop = _one(event, "DURATION")
    if end_prop is not None:
        ends_at, _ = _ics_moment(end_prop, "DTEND", zone)
        if ends_at <= starts_at:
            raise _Bad("DTEND is not after DTSTART")
        return starts_at, _minutes(ends_at - starts_at, "DTEND")
    if length_prop is not None:
        length = length_prop.dt
        if not isinstance(length, timedelta) or length <= timedelta(0):
            raise _Bad("DURATION is not a positive length of time")
        return starts_at, _minutes(length, "DURATION")
    return starts_at, None


def _ics_repeats(event: Any) -> None:
    found = [name for name in _REPEATS if event.get(name) is not None]
    if found:
        raise _Bad(f"repeating events are not supported ({', '.join(found)}); export each appointment on its own")


def _event(
    line: int,
    event: Any,
    kinds: Collection[str],
    default_zone: str,
    durations: Mapping[str, int],
    match: Matching | None,
) -> ImportedAppointment:
    problems = _Problems()
    check = problems.check
    uid = check(_ics_uid, event)
    patient_id = check(_ics_patient, event, match, line)
    kind = check(_ics_kind, event, kinds, match)
    when = check(_ics_when, event, default_zone)
    location = check(lambda: _text(_one(event, "LOCATION"), "location"))
    notes = check(lambda: _text(_one(event, "DESCRIPTION"), "notes"))
    status = check(lambda: str(_one(event, "STATUS") or "").strip().upper())
    check(_ics_repeats, event)
    problems.raise_found()
    assert uid is not None and patient_id is not None and kind is not None and when is not None
    starts_at, duration = when
    return ImportedAppointment(
        line=line,
        uid=uid,
        patient_id=patient_id,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration if duration is not None else durations.get(kind, 60),
        location=location,
        notes=notes,
        cancelled=status == "CANCELLED",
    )


# --- files -------------------------------------------------------------------------------------------------


SUFFIXES = (".csv", ".ics", ".ical", ".ifb", ".icalendar")


def parse_file(
    path: Path,
    *,
    kinds: Collection[str],
    default_timezone: str,
    default_durations: Mapping[str, int],
    match: Matching | None = None,
) -> tuple[list[ImportedAppointment], list[RowError]]:
    """By suffix: .csv, or .ics (also .ical, .ifb, .icalendar), case-insensitive; any other gives one error."""
    if path.suffix.lower() not in SUFFIXES:
        return [], [RowError(0, f"unknown file type {path.suffix!r}; use .csv or .ics")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [RowError(0, f"cannot read {path.name}: {exc.strerror or exc}")]
    return parse_bytes(
        path.name,
        data,
        kinds=kinds,
        default_timezone=default_timezone,
        default_durations=default_durations,
        match=match,
    )


def parse_bytes(
    name: str,
    data: bytes,
    *,
    kinds: Collection[str],
    default_timezone: str,
    default_durations: Mapping[str, int],
    match: Matching | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[ImportedAppointment], list[RowError]]:
    """A file's content, read as its name's suffix says (an upload in the console, a file on the command line);
    `columns` maps a CSV's own column names to ours."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return [], [RowError(0, f"unknown file type {suffix or name!r}; use .csv or .ics")]
    options: dict[str, Any] = {
        "kinds": kinds,
        "default_timezone": default_timezone,
        "default_durations": default_durations,
        "match": match,
    }
    if suffix != ".csv":
        return parse_ics(data, **options)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (semicolon)" in Windows-1252, the code page of Western Europe and the Americas.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return [], [RowError(1, "neither UTF-8 nor Windows-1252 text")]
    return parse_csv(text, **options, columns=columns)
