"""Reading bookings from CSV and iCalendar files into checked rows, collecting every bad row with its line.

Pure: no database. Unknown patients are found by the service, which knows them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.appointments.schedule import LocalTimeError, to_utc
from bot.timeparse import parse_timezone

REQUIRED = ("patient_id", "kind", "start")
OPTIONAL = ("timezone", "duration_minutes", "location", "notes", "uid")
MAX_TEXT = 500


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


class _Bad(ValueError):
    pass


def _patient(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) <= 0:
        raise _Bad(f"patient id {text!r} is not a positive number")
    return int(text)


def _kind(value: object, kinds: Collection[str]) -> str:
    kind = str(value).strip().lower()
    if kind not in kinds:
        raise _Bad(f"unknown kind {str(value).strip()!r} (known: {', '.join(sorted(kinds))})")
    return kind


def _duration(value: object, default: int) -> int:
    text = str(value).strip() if value is not None else ""
    if not text:
        return default
    if not text.isdigit() or not 5 <= int(text) <= 1440:
        raise _Bad(f"duration {text!r} is not a number of minutes from 5 to 1440")
    return int(text)


def _text(value: object, name: str) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > MAX_TEXT:
        raise _Bad(f"{name} is longer than {MAX_TEXT} characters")
    return text or None


def _zone(value: str | None, default: str) -> str:
    text = (value or "").strip()
    if not text:
        return default
    zone = parse_timezone(text)
    if zone is None:
        raise _Bad(f"unknown time zone {text!r}")
    return zone


def _start(value: str, zone: str) -> datetime:
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"bad date {text!r}; use 2026-03-05T10:00") from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    try:
        return to_utc(parsed, zone)
    except LocalTimeError as exc:
        raise _Bad(str(exc)) from None


def parse_csv(
    text: str, *, kinds: Collection[str], default_timezone: str, default_durations: Mapping[str, int]
) -> tuple[list[ImportedAppointment], list[RowError]]:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return [], [RowError(1, "empty file")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (csv.Error, StopIteration) as exc:
        return [], [RowError(1, f"unreadable header: {exc}")]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        parts = [f"missing column {', '.join(repr(m) for m in missing)}"] if missing else []
        parts += [f"unknown column {', '.join(repr(u) for u in unknown)}"] if unknown else []
        return [], [RowError(1, "; ".join(parts))]
    rows: list[ImportedAppointment] = []
    errors: list[RowError] = []
    line = reader.line_num + 1
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
            rows.append(_csv_row(start_line, record, kinds, default_timezone, default_durations))
        except _Bad as exc:
            errors.append(RowError(start_line, str(exc)))
    return rows, errors


def _csv_row(
    line: int, record: dict[str, str], kinds: Collection[str], default_zone: str, durations: Mapping[str, int]
) -> ImportedAppointment:
    problems: list[str] = []

    def check(step: Any, *args: Any) -> Any:
        try:
            return step(*args)
        except _Bad as exc:
            problems.append(str(exc))
            return None

    patient_id = check(_patient, record["patient_id"])
    kind = check(_kind, record["kind"], kinds)
    zone = check(_zone, record.get("timezone"), default_zone)
    starts_at = check(_start, record["start"], zone) if zone else None
    duration = check(_duration, record.get("duration_minutes"), durations.get(kind or "", 60))
    location = check(_text, record.get("location"), "location")
    notes = check(_text, record.get("notes"), "notes")
    uid = (record.get("uid") or "").strip()
    if problems:
        raise _Bad("; ".join(problems))
    if not uid:
        uid = f"csv:{patient_id}:{kind}:{starts_at:%Y-%m-%dT%H:%MZ}"
    return ImportedAppointment(line, uid, patient_id, kind, starts_at, duration, location, notes)


_BEGIN = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)


def parse_ics(
    data: bytes, *, kinds: Collection[str], default_timezone: str, default_durations: Mapping[str, int]
) -> tuple[list[ImportedAppointment], list[RowError]]:
    from icalendar import Calendar

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "not UTF-8 text")]
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises assorted errors for malformed input
        return [], [RowError(1, f"not a valid iCalendar file: {exc}")]
    lines = [text.count("\n", 0, match.start()) + 1 for match in _BEGIN.finditer(text)]
    rows: list[ImportedAppointment] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = lines[index] if index < len(lines) else 1
        try:
            row = _event(line, event, kinds, default_timezone, default_durations)
        except _Bad as exc:
            errors.append(RowError(line, str(exc)))
            continue
        except Exception as exc:  # a property icalendar could not decode
            errors.append(RowError(line, f"unreadable event: {exc}"))
            continue
        if row.uid in seen:
            errors.append(RowError(line, f"UID {row.uid!r} appears twice"))
            continue
        seen.add(row.uid)
        rows.append(row)
    return rows, errors


def _event(
    line: int, event: Any, kinds: Collection[str], default_zone: str, durations: Mapping[str, int]
) -> ImportedAppointment:
    uid = str(event.get("UID") or "").strip()
    if not uid:
        raise _Bad("event without UID")
    patient_id = _patient(event.get("X-MOODBOT-PATIENT") or "")
    categories: list[str] = []
    raw = event.get("CATEGORIES")
    for group in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        categories += [str(c) for c in getattr(group, "cats", [group])]
    kind = next((c.strip().lower() for c in categories if c.strip().lower() in kinds), None)
    if kind is None:
        raise _Bad(f"no known kind in CATEGORIES (known: {', '.join(sorted(kinds))})")
    start_prop = event.get("DTSTART")
    if start_prop is None:
        raise _Bad("event without DTSTART")
    start = start_prop.dt
    if not isinstance(start, datetime) and isinstance(start, date):
        raise _Bad("all-day events have no time")
    if start.tzinfo is None:
        tzid = start_prop.params.get("TZID")
        zone = _zone(str(tzid), default_zone) if tzid else default_zone
        starts_at = _start(start.isoformat(), zone)
    else:
        starts_at = start.astimezone(UTC)
        key = getattr(start.tzinfo, "key", None)
        if key is not None:
            ZoneInfo(key)  # a zone icalendar made up from a broken TZID fails here
    end = event.get("DTEND")
    length = event.get("DURATION")
    if end is not None and isinstance(end.dt, datetime):
        end_at = end.dt if end.dt.tzinfo else _start(end.dt.isoformat(), default_zone)
        minutes = int((end_at.astimezone(UTC) - starts_at).total_seconds() // 60)
    elif length is not None and isinstance(length.dt, timedelta):
        minutes = int(length.dt.total_seconds() // 60)
    else:
        minutes = durations.get(kind, 60)
    duration = _duration(str(minutes), durations.get(kind, 60))
    status = str(event.get("STATUS") or "").upper()
    return ImportedAppointment(
        line=line,
        uid=uid,
        patient_id=patient_id,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration,
        location=_text(event.get("LOCATION"), "location"),
        notes=_text(event.get("DESCRIPTION"), "notes"),
        cancelled=status == "CANCELLED",
    )


def parse_file(
    path: Path, *, kinds: Collection[str], default_timezone: str, default_durations: Mapping[str, int]
) -> tuple[list[ImportedAppointment], list[RowError]]:
    options = {"kinds": kinds, "default_timezone": default_timezone, "default_durations": default_durations}
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            return parse_csv(path.read_text(encoding="utf-8-sig"), **options)  # type: ignore[arg-type]
        except UnicodeDecodeError:
            return [], [RowError(1, "not UTF-8 text")]
    if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
        return parse_ics(path.read_bytes(), **options)  # type: ignore[arg-type]
    return [], [RowError(0, f"unknown file type {path.suffix!r}; use .csv or .ics")]
