"""`moodbot appointments …` in-process: booking, a series, moving, cancelling, and imports that are all or nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

from bot.cli.main import app

CSV_HEADER = "patient_id,kind,start,timezone,duration_minutes,location,notes\n"


@pytest.fixture(autouse=True)
def booking_ahead() -> Iterator[None]:
    """The bookings below fall in March and April 2026: the clinic makes them on 1 February."""
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=True):
        yield


def run(cli: CliRunner, *args: str) -> object:
    return cli.invoke(app, list(args))


def ok_json(cli: CliRunner, *args: str) -> object:
    result = run(cli, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def patient(cli: CliRunner, zone: str = "America/New_York") -> int:
    return ok_json(cli, "patients", "add", "--name", "Ana", "--timezone", zone)["id"]


def test_add_stores_utc_from_the_patients_zone(cli: CliRunner) -> None:
    pid = patient(cli)
    booked = ok_json(
        cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", "2026-03-05T10:00"
    )
    assert booked["starts_at"] == "2026-03-05T15:00:00+00:00" and booked["duration_minutes"] == 60
    berlin = ok_json(
        cli, "appointments", "add", "--patient", str(pid), "--kind", "therapy",
        "--at", "2026-07-01T09:30", "--timezone", "Europe/Berlin", "--location", "Room 2",
    )  # fmt: skip
    assert berlin["starts_at"] == "2026-07-01T07:30:00+00:00" and berlin["location"] == "Room 2"


def test_the_list_reads_in_each_patients_own_time_with_their_name(cli: CliRunner) -> None:
    ana = patient(cli)
    ben = ok_json(cli, "patients", "add", "--name", "Ben", "--timezone", "Europe/Berlin")["id"]
    run(cli, "appointments", "add", "--patient", str(ana), "--kind", "infusion", "--at", "2026-03-05T10:00")
    run(cli, "appointments", "add", "--patient", str(ben), "--kind", "therapy", "--at", "2026-07-01T09:30")
    first, second = ok_json(cli, "appointments", "list")
    assert (first["patient_name"], first["timezone"]) == ("Ana", "America/New_York")
    assert first["starts_at"] == "2026-03-05T15:00:00+00:00" and first["starts_local"] == "2026-03-05T10:00:00-05:00"
    assert second["patient_name"] == "Ben" and second["starts_local"] == "2026-07-01T09:30:00+02:00"
    table = cli.invoke(app, ["appointments", "list"], env={"COLUMNS": "160"})  # a wide terminal: no cell wraps
    assert table.exit_code == 0, table.output
    assert "Thu 2026-03-05 10:00 EST" in table.stdout and "Wed 2026-07-01 09:30 CEST" in table.stdout
    assert f"Ana (#{ana})" in table.stdout and f"Ben (#{ben})" in table.stdout
    assert "15:00" not in table.stdout  # no UTC time where a person reads it


def test_six_infusions_in_one_command(cli: CliRunner) -> None:
    pid = patient(cli)
    series = ok_json(
        cli, "appointments", "add-series", "--patient", str(pid), "--kind", "infusion",
        "--start", "2026-03-02T09:00", "--count", "6", "--weekdays", "mon,wed,fri",
    )  # fmt: skip
    assert [a["starts_at"][:10] for a in series] == [
        "2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13",
    ]  # fmt: skip
    assert series[3]["starts_at"] == "2026-03-09T13:00:00+00:00"  # after the DST change, still 09:00 local
    every = ok_json(
        cli, "appointments", "add-series", "--patient", str(pid), "--kind", "therapy",
        "--start", "2026-04-01T12:00", "--count", "3", "--every-days", "7",
    )  # fmt: skip
    assert [a["starts_at"][:10] for a in every] == ["2026-04-01", "2026-04-08", "2026-04-15"]
    assert len(ok_json(cli, "appointments", "list", "--patient", str(pid))) == 9


def test_reschedule_and_cancel(cli: CliRunner) -> None:
    pid = patient(cli)
    booked = ok_json(cli, "appointments", "add", "--patient", str(pid), "--kind", "therapy", "--at", "2026-03-05T10:00")
    moved = ok_json(cli, "appointments", "reschedule", str(booked["id"]), "--at", "2026-03-06T11:00")
    assert moved["starts_at"] == "2026-03-06T16:00:00+00:00"
    assert ok_json(cli, "appointments", "cancel", str(booked["id"]))["status"] == "cancelled"


def test_a_booking_in_the_past_or_over_another_asks_for_force(cli: CliRunner) -> None:
    pid = patient(cli)
    past = run(cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", "2026-01-20T10:00")
    assert past.exit_code == 1
    assert "Tue 2026-01-20 10:00 EST is in the past; add --force to book it anyway" in past.output
    recorded = ok_json(
        cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", "2026-01-20T10:00", "--force"
    )  # a past infusion recorded for the journal's chart
    assert recorded["starts_at"] == "2026-01-20T15:00:00+00:00"

    first = ok_json(cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", "2026-03-05T10:00")
    # Infusions last 60 minutes by default: 10:30 falls inside the first, 11:00 begins as it ends.
    over = run(cli, "appointments", "add", "--patient", str(pid), "--kind", "therapy", "--at", "2026-03-05T10:30")
    assert (
        over.exit_code == 1 and f"overlaps appointment {first['id']} (infusion, Thu 2026-03-05 10:00 EST" in over.output
    )
    after = ok_json(cli, "appointments", "add", "--patient", str(pid), "--kind", "therapy", "--at", "2026-03-05T11:00")
    other = ok_json(cli, "patients", "add", "--name", "Ben", "--timezone", "America/New_York")["id"]
    ok_json(cli, "appointments", "add", "--patient", str(other), "--kind", "infusion", "--at", "2026-03-05T10:00")

    moved = run(cli, "appointments", "reschedule", str(after["id"]), "--at", "2026-03-05T09:30")
    assert moved.exit_code == 1 and f"overlaps appointment {first['id']}" in moved.output
    # Moving a booking never overlaps itself, and a cancelled one is no longer in the way.
    assert ok_json(cli, "appointments", "reschedule", str(after["id"]), "--at", "2026-03-05T11:15")["id"] == after["id"]
    ok_json(cli, "appointments", "cancel", str(first["id"]))
    assert ok_json(cli, "appointments", "reschedule", str(after["id"]), "--at", "2026-03-05T10:00")["id"] == after["id"]

    series = run(
        cli, "appointments", "add-series", "--patient", str(pid), "--kind", "infusion",
        "--start", "2026-03-04T10:00", "--count", "3", "--every-days", "1",
    )  # fmt: skip
    assert series.exit_code == 1 and f"overlaps appointment {after['id']}" in series.output
    assert len(ok_json(cli, "appointments", "list", "--patient", str(pid))) == 3  # the series booked nothing


def outbox_states(tmp_path: Path, appointment_id: int) -> dict[str, str]:
    with closing(sqlite3.connect(tmp_path / "cli.db")) as db:
        rows = db.execute(
            "SELECT idempotency_key, status FROM outbox WHERE idempotency_key LIKE ?", (f"appt:{appointment_id}:%",)
        )
        return {key.rsplit(":", 1)[1]: status for key, status in rows}


def test_marking_attended_or_no_show_once_it_has_begun(cli: CliRunner, tmp_path: Path) -> None:
    pid = patient(cli)
    came, missed, later = (
        ok_json(cli, "appointments", "add", "--patient", str(pid), "--kind", "infusion", "--at", at)["id"]
        for at in ("2026-03-05T10:00", "2026-03-12T10:00", "2026-04-30T10:00")
    )
    assert outbox_states(tmp_path, missed)["followup"] == "pending"
    with time_machine.travel(datetime(2026, 3, 12, 16, tzinfo=UTC), tick=True):  # 11:00 in New York
        early = run(cli, "appointments", "mark", str(later), "attended")
        assert early.exit_code == 1 and f"appointment {later} has not begun yet" in early.output
        assert ok_json(cli, "appointments", "mark", str(came), "attended")["status"] == "attended"
        marked = ok_json(cli, "appointments", "mark", str(missed), "no-show")
        assert marked["status"] == "no_show" and marked["starts_local"] == "2026-03-12T10:00:00-04:00"
        assert outbox_states(tmp_path, missed)["followup"] == "cancelled"  # no "how was your infusion?"
        ok_json(cli, "appointments", "cancel", str(later))
        refused = run(cli, "appointments", "mark", str(later), "no-show")
        assert refused.exit_code == 1 and "is cancelled" in refused.output
        wrong = run(cli, "appointments", "mark", str(came), "maybe")
        assert wrong.exit_code != 0 and "Traceback" not in wrong.output
        table = cli.invoke(app, ["appointments", "list"], env={"COLUMNS": "160"})
        assert "attended" in table.stdout and "no_show" in table.stdout

        out = tmp_path / "journal.json"
        exported = run(cli, "export", "--patient", str(pid), "--format", "json", "--out", str(out))
        assert exported.exit_code == 0, exported.output
        states = {a["id"]: a["state"] for a in json.loads(out.read_text())["appointments"]}
        assert (states[came], states[missed], states[later]) == ("attended", "no_show", "cancelled")
        fhir = tmp_path / "journal.fhir.json"
        assert run(cli, "export", "--patient", str(pid), "--format", "fhir", "--out", str(fhir)).exit_code == 0
        statuses = sorted(
            e["resource"]["status"]
            for e in json.loads(fhir.read_text())["entry"]
            if e["resource"]["resourceType"] == "Appointment"
        )
        assert statuses == ["cancelled", "fulfilled", "noshow"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "infusion", "--at", "2026-03-05T10:00", "--patient", "999"], "no patient with id 999"),
        (["--kind", "massage", "--at", "2026-03-05T10:00"], "unknown kind"),
        (["--kind", "infusion", "--at", "5 March at ten"], "not an ISO date"),
        (["--kind", "infusion", "--at", "2026-03-05T10:00", "--timezone", "Mars/Base"], "unknown time zone"),
        (["--kind", "infusion", "--at", "2026-03-08T02:30"], "does not exist"),
    ],
)
def test_bad_bookings_are_refused_clearly(cli: CliRunner, args: list[str], words: str) -> None:
    pid = patient(cli)
    full = ["appointments", "add", *(args if "--patient" in args else ["--patient", str(pid), *args])]
    result = run(cli, *full)
    assert result.exit_code != 0
    assert words in result.output and "Traceback" not in result.output


def test_csv_import_is_idempotent_updates_and_refuses_bad_files(cli: CliRunner, tmp_path: Path) -> None:
    pid = patient(cli)
    good = tmp_path / "book.csv"
    good.write_text(
        CSV_HEADER
        + f"{pid},infusion,2026-03-05T10:00,America/New_York,,Room 1,\n"
        + f"{pid},therapy,2026-03-06 14:00,,50,,bring your notes\n"
    )
    assert ok_json(cli, "appointments", "import", str(good))["created"] == 2
    again = ok_json(cli, "appointments", "import", str(good))
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert len(ok_json(cli, "appointments", "list")) == 2

    with_uid = tmp_path / "uid.csv"
    with_uid.write_text(CSV_HEADER.strip() + ",uid\n" + f"{pid},therapy,2026-03-10T09:00,,,,,s-1\n")
    ok_json(cli, "appointments", "import", str(with_uid))
    with_uid.write_text(CSV_HEADER.strip() + ",uid\n" + f"{pid},therapy,2026-03-11T09:00,,,,,s-1\n")
    assert ok_json(cli, "appointments", "import", str(with_uid))["updated"] == 1
    starts = [a["starts_at"] for a in ok_json(cli, "appointments", "list") if a["source_uid"] == "s-1"]
    assert starts == ["2026-03-11T13:00:00+00:00"]

    bad = tmp_path / "bad.csv"
    bad.write_text(
        CSV_HEADER
        + f"{pid},infusion,2026-04-01T10:00,Mars/Base,,,\n"
        + "999,infusion,2026-04-02T10:00,,,,\n"
        + f"{pid},infusion,2026-13-40T10:00,,,,\n"
        + f"{pid},infusion,2026-04-03T10:00,,,,\n"
    )
    result = run(cli, "appointments", "import", str(bad))
    assert result.exit_code != 0
    assert "line 2" in result.output and "Mars/Base" in result.output
    assert "line 3: unknown patient 999" in result.output  # with the file's own faults, in one pass
    assert "line 4" in result.output and "nothing was imported" in result.output
    assert len(ok_json(cli, "appointments", "list")) == 3
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(CSV_HEADER + "999,infusion,2026-04-02T10:00,,,,\n")
    result = run(cli, "appointments", "import", str(unknown))
    assert result.exit_code != 0 and "unknown patient 999" in result.output
    missing = tmp_path / "missing.csv"
    missing.write_text("patient_id,kind\n1,infusion\n")
    result = run(cli, "appointments", "import", str(missing))
    assert result.exit_code != 0 and "start" in result.output


def test_ics_import(cli: CliRunner, tmp_path: Path) -> None:
    pid = patient(cli)
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//clinic//EN\r\n"
        "BEGIN:VEVENT\r\nUID:inf-1@clinic\r\nDTSTAMP:20260301T000000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20260305T100000\r\nDURATION:PT90M\r\n"
        f"CATEGORIES:INFUSION\r\nLOCATION:Room 3\r\nX-MOODBOT-PATIENT:{pid}\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    calendar = tmp_path / "book.ics"
    calendar.write_text(event, newline="")
    assert ok_json(cli, "appointments", "import", str(calendar))["created"] == 1
    assert ok_json(cli, "appointments", "import", str(calendar))["unchanged"] == 1
    [booked] = ok_json(cli, "appointments", "list")
    assert (booked["starts_at"], booked["duration_minutes"], booked["kind"]) == (
        "2026-03-05T09:00:00+00:00",
        90,
        "infusion",
    )

    moved = event.replace("20260305T100000", "20260306T110000")
    calendar.write_text(moved, newline="")
    assert ok_json(cli, "appointments", "import", str(calendar))["updated"] == 1
    [booked] = ok_json(cli, "appointments", "list")
    assert booked["starts_at"] == "2026-03-06T10:00:00+00:00"
    calendar.write_text(moved.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT"), newline="")
    assert ok_json(cli, "appointments", "import", str(calendar))["cancelled"] == 1
    [booked] = ok_json(cli, "appointments", "list")
    assert booked["status"] == "cancelled"


def test_a_google_calendar_export_is_matched_by_e_mail_record_number_and_name(cli: CliRunner, tmp_path: Path) -> None:
    ana = ok_json(cli, "patients", "add", "--name", "Ana Ruiz", "--email", "Ana.Ruiz@Example.org")["id"]
    ben = ok_json(cli, "patients", "add", "--name", "Ben Okafor", "--external-id", "mrn-7781")["id"]
    carla = ok_json(cli, "patients", "add", "--name", "Carla Díaz", "--timezone", "Europe/Madrid")["id"]

    def event(uid: str, day: int, summary: str, *extra: str) -> str:
        lines = [f"UID:{uid}@google.com", f"DTSTART:202603{day:02d}T140000Z", f"DTEND:202603{day:02d}T150000Z"]
        return "BEGIN:VEVENT\r\n" + "\r\n".join([*lines, f"SUMMARY:{summary}", *extra]) + "\r\nEND:VEVENT\r\n"

    head = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
    matched = [
        event("a", 5, "Ketamine #1", "ATTENDEE;CN=Ana;PARTSTAT=ACCEPTED:mailto:ana.ruiz@example.org"),
        event("b", 6, "Infusion", "DESCRIPTION:MRN-7781"),
        event("c", 9, "Therapy – carla diaz"),
    ]
    calendar = tmp_path / "google.ics"
    calendar.write_text(head + "".join(matched) + event("d", 10, "Infusion – new patient") + "END:VCALENDAR\r\n")
    refused = run(cli, "appointments", "import", str(calendar), "--match")
    assert refused.exit_code != 0 and "nothing was imported: 1 bad row(s)" in refused.output
    assert "no patient's name, record number or e-mail in 'Infusion – new patient'" in refused.output
    assert ok_json(cli, "appointments", "list") == []

    calendar.write_text(head + "".join(matched) + "END:VCALENDAR\r\n")
    assert ok_json(cli, "appointments", "import", str(calendar), "--match")["created"] == 3
    assert ok_json(cli, "appointments", "import", str(calendar), "--match")["unchanged"] == 3
    booked = {a["source_uid"]: (a["patient_id"], a["kind"]) for a in ok_json(cli, "appointments", "list")}
    assert booked == {
        "a@google.com": (ana, "infusion"),
        "b@google.com": (ben, "infusion"),
        "c@google.com": (carla, "therapy"),
    }
    plain = run(cli, "appointments", "import", str(calendar))
    assert plain.exit_code != 0 and "match them" in plain.output
