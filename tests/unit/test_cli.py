"""The `moodbot` command line in-process: patients, staff, the clinic file, `run` and `db upgrade`."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bot.cli.main import app

CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
BOX = re.compile(r"[│╭╮╰╯─]")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def cli(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("MOODBOT_ENCRYPTION_KEY", "test")
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "riverside_bot")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("CLINIC_CONFIG", raising=False)
    return CliRunner()


def invoke(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(app, list(args))


def ok_json(cli: CliRunner, *args: str) -> Any:
    result = invoke(cli, *args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)  # exactly one JSON document, nothing else


def refused(cli: CliRunner, *args: str, code: int | None = None) -> str:
    """The command fails as a user mistake: non-zero, nothing on stdout, no traceback. Returns stderr, flattened."""
    result = invoke(cli, *args)
    assert result.exit_code != 0, result.stdout
    if code is not None:
        assert result.exit_code == code, result.stderr
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return " ".join(BOX.sub(" ", result.stderr).split())


def add_ana(cli: CliRunner, *extra: str) -> dict[str, Any]:
    return ok_json(cli, "patients", "add", "--name", "Ana", "--timezone", "berlin", "--checkin-time", "8pm", *extra)


def test_patients_add(cli: CliRunner) -> None:
    ana = add_ana(cli)
    assert isinstance(ana["id"], int) and ana["id"] >= 1
    code = ana["invite_code"]
    assert CODE.match(code), code
    assert ana["invite_link"] == f"https://t.me/riverside_bot?start={code}"
    assert ana["timezone"] == "Europe/Berlin"
    assert ana["checkin_time"] == "20:00"
    assert (ana["name"], ana["status"], ana["country"], ana["language"]) == ("Ana", "invited", "US", "en")
    assert ana["telegram_linked"] is False


def test_patients_add_with_clinic_defaults_and_country(cli: CliRunner) -> None:
    bob = ok_json(cli, "patients", "add", "--name", "Bob", "--country", "de", "--language", "DE")
    assert (bob["timezone"], bob["checkin_time"], bob["country"], bob["language"]) == (
        "America/New_York",
        "20:00",
        "DE",
        "de",
    )


def test_the_invite_hash_is_stored_not_the_code(cli: CliRunner, db: Path) -> None:
    code = add_ana(cli)["invite_code"]
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT * FROM invites").fetchall()
        hashes = [r[0] for r in connection.execute("SELECT code_hash FROM invites")]
    assert len(rows) == 1
    assert code not in repr(rows)
    assert hashes == [hashlib.sha256(code.encode()).hexdigest()]
    for file in db.parent.glob(db.name + "*"):  # the database and any WAL file beside it
        assert code.encode() not in file.read_bytes(), file


def test_patients_list_and_show(cli: CliRunner) -> None:
    ana = add_ana(cli)
    bob = ok_json(cli, "patients", "add", "--name", "Bob")
    listed = ok_json(cli, "patients", "list")
    assert [(p["id"], p["name"]) for p in listed] == [(ana["id"], "Ana"), (bob["id"], "Bob")]
    assert all("invite_code" not in p for p in listed)
    shown = ok_json(cli, "patients", "show", str(ana["id"]))
    assert (shown["id"], shown["name"], shown["timezone"], shown["checkin_time"]) == (
        ana["id"],
        "Ana",
        "Europe/Berlin",
        "20:00",
    )
    assert (shown["answered_checkins"], shown["journal_entries"], shown["open_invites"]) == (0, 0, 1)
    assert shown["last_checkin_date"] is None


def test_patients_list_when_empty(cli: CliRunner) -> None:
    assert ok_json(cli, "patients", "list") == []


def test_patients_invite_issues_a_fresh_code(cli: CliRunner, db: Path) -> None:
    ana = add_ana(cli)
    again = ok_json(cli, "patients", "invite", str(ana["id"]))
    assert again["id"] == ana["id"]
    assert CODE.match(again["invite_code"])
    assert again["invite_code"] != ana["invite_code"]
    assert again["invite_link"] == f"https://t.me/riverside_bot?start={again['invite_code']}"
    # The earlier code stops working: one open invite remains.
    assert ok_json(cli, "patients", "show", str(ana["id"]))["open_invites"] == 1
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM invites").fetchone() == (2,)


def test_patients_deactivate(cli: CliRunner) -> None:
    ana = add_ana(cli)
    gone = ok_json(cli, "patients", "deactivate", str(ana["id"]))
    assert (gone["id"], gone["status"]) == (ana["id"], "deactivated")
    assert ok_json(cli, "patients", "show", str(ana["id"]))["open_invites"] == 0
    message = refused(cli, "patients", "invite", str(ana["id"]), "--json")
    assert f"patient {ana['id']} is deactivated" in message


def link(db: Path, patient_id: int) -> None:
    """As if the patient had opened their invite: linked to a chat and active."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE patients SET telegram_user_id = ?, telegram_chat_id = ?, status = 'active' WHERE id = ?",
            (9000 + patient_id, 9000 + patient_id, patient_id),
        )


def pending_checkins(db: Path, patient_id: int) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT due_at FROM outbox WHERE patient_id = ? AND kind = 'checkin' AND status = 'pending' "
            "ORDER BY due_at",
            (patient_id,),
        )
        return [row[0] for row in rows]


def test_patients_edit_corrects_the_profile_and_moves_the_checkins(cli: CliRunner, db: Path) -> None:
    ana = add_ana(cli)
    link(db, ana["id"])
    moved = ok_json(cli, "patients", "edit", str(ana["id"]), "--timezone", "Europe/Berlin", "--checkin-time", "08:15")
    assert (moved["timezone"], moved["checkin_time"], moved["status"]) == ("Europe/Berlin", "08:15", "active")
    due = pending_checkins(db, ana["id"])
    assert due, "the check-ins are planned again at once"
    assert all(str(at)[11:16] in ("07:15", "06:15") for at in due)  # 08:15 in Berlin, in UTC (winter or summer)
    renamed = ok_json(
        cli, "patients", "edit", str(ana["id"]), "--name", " Ana María ", "--language", "es", "--country", "mx"
    )
    assert (renamed["name"], renamed["language"], renamed["country"]) == ("Ana María", "es", "MX")
    assert pending_checkins(db, ana["id"]) == due  # nothing about time changed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "nothing to change"),
        (("--timezone", "Mars/Base"), "unknown time zone 'Mars/Base'"),
        (("--checkin-time", "soon"), "not a time of day: 'soon'"),
        (("--country", "USA"), "not a two-letter country code: 'USA'"),
        (("--language", "tlh"), "not a language the bot speaks: 'tlh'"),
        (("--name", "  "), "give a name of 1 to 120 characters"),
        (("--external-id", "MRN 42"), "not a record number: 'MRN 42'"),
        (("--email", "ana(at)example.org"), "not an e-mail address: 'ana(at)example.org'"),
    ],
)
def test_patients_edit_refuses_bad_values(cli: CliRunner, args: tuple[str, ...], expected: str) -> None:
    ana = add_ana(cli)
    assert expected in refused(cli, "patients", "edit", str(ana["id"]), *args, "--json", code=1 if not args else 2)
    assert ok_json(cli, "patients", "show", str(ana["id"]))["timezone"] == ana["timezone"]


def test_a_record_number_and_e_mail_are_kept_changed_cleared_and_never_shared(cli: CliRunner) -> None:
    ana = add_ana(cli, "--external-id", "mrn-0042", "--email", " Ana@Example.ORG ")
    assert (ana["external_id"], ana["email"]) == ("mrn-0042", "ana@example.org")
    ben = ok_json(cli, "patients", "add", "--name", "Ben", "--external-id", "7781")
    assert "record number 'MRN-0042' is already patient #1 Ana's" in refused(
        cli, "patients", "add", "--name", "Cy", "--external-id", "MRN-0042"
    )
    assert "is already patient #1 Ana's" in refused(
        cli, "patients", "edit", str(ben["id"]), "--external-id", "MRN-0042"
    )
    assert ok_json(cli, "patients", "edit", str(ana["id"]), "--external-id", "mrn-0042")["external_id"] == "mrn-0042"
    cleared = ok_json(cli, "patients", "edit", str(ana["id"]), "--external-id", "", "--email", "")
    assert (cleared["external_id"], cleared["email"]) == (None, None)
    assert ok_json(cli, "patients", "edit", str(ben["id"]), "--external-id", "MRN-0042")["external_id"] == "MRN-0042"
    listed = invoke(cli, "patients", "list")
    assert "record no." in listed.stdout and "MRN-0042" in listed.stdout


def test_patients_reactivate(cli: CliRunner, db: Path) -> None:
    ana, ben = add_ana(cli), ok_json(cli, "patients", "add", "--name", "Ben")
    link(db, ana["id"])
    ok_json(cli, "patients", "edit", str(ana["id"]), "--checkin-time", "20:00")
    assert pending_checkins(db, ana["id"])
    assert "is not deactivated (status: active)" in refused(cli, "patients", "reactivate", str(ana["id"]), code=1)
    for who in (ana, ben):
        ok_json(cli, "patients", "deactivate", str(who["id"]))
    assert pending_checkins(db, ana["id"]) == []
    back = ok_json(cli, "patients", "reactivate", str(ana["id"]))
    assert back["status"] == "active" and pending_checkins(db, ana["id"])
    # Ben never joined: he is invited again, and needs a fresh code (the old one was revoked).
    assert ok_json(cli, "patients", "reactivate", str(ben["id"]))["status"] == "invited"
    said = invoke(cli, "patients", "reactivate", str(ben["id"]))
    assert said.exit_code == 1  # already reactivated
    fresh = ok_json(cli, "patients", "invite", str(ben["id"]))
    assert CODE.match(fresh["invite_code"])


def test_staff_add_and_list(cli: CliRunner) -> None:
    member = ok_json(cli, "staff", "add", "--telegram-id", "42", "--name", "X", "--role", "admin")
    assert (member["telegram_id"], member["name"], member["role"]) == (42, "X", "admin")
    counselor = ok_json(cli, "staff", "add", "--telegram-id", "43", "--name", "Yu")
    assert counselor["role"] == "counselor"
    listed = ok_json(cli, "staff", "list")
    assert [(m["telegram_id"], m["role"]) for m in listed] == [(42, "admin"), (43, "counselor")]


def test_staff_invite_prints_a_one_time_link_in_the_clinics_time(cli: CliRunner, db: Path) -> None:
    made = ok_json(cli, "staff", "invite", "--name", "  Dr.  Okafor ", "--role", "admin", "--days", "3")
    assert (made["name"], made["role"]) == ("Dr. Okafor", "admin")
    assert re.fullmatch(r"https://t\.me/riverside_bot\?start=staff-[A-Za-z0-9_-]{24}", made["invite_link"])
    assert made["expires_local"].endswith(("EST", "EDT"))  # the clinic's zone, as staff read it
    with sqlite3.connect(db) as conn:
        [(code_hash, role)] = conn.execute("SELECT code_hash, role FROM staff_invites").fetchall()
    assert role == "admin" and made["invite_link"].split("staff-")[1] not in code_hash
    printed = invoke(cli, "staff", "invite", "--name", "Sam")
    assert printed.exit_code == 0 and "Works once, until" in printed.stdout and "counselor" in printed.stdout
    assert "give a name" in refused(cli, "staff", "invite", "--name", "   ")
    assert "--days" in refused(cli, "staff", "invite", "--name", "Sam", "--days", "31", code=2)


def test_staff_add_twice_fails(cli: CliRunner) -> None:
    ok_json(cli, "staff", "add", "--telegram-id", "42", "--name", "X", "--role", "admin")
    message = refused(cli, "staff", "add", "--telegram-id", "42", "--name", "Z", "--json", code=1)
    assert "42 is already registered" in message
    assert len(ok_json(cli, "staff", "list")) == 1


def test_staff_role_must_be_known(cli: CliRunner) -> None:
    message = refused(cli, "staff", "add", "--telegram-id", "42", "--name", "X", "--role", "nurse", "--json")
    assert "nurse" in message and "counselor" in message
    assert ok_json(cli, "staff", "list") == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--timezone", "Mars/Base"), "unknown time zone 'Mars/Base'"),
        (("--checkin-time", "25:00"), "not a time of day: '25:00'"),
        (("--checkin-time", "soon"), "not a time of day: 'soon'"),
        (("--country", "123"), "not a two-letter country code: '123'"),
        (("--country", "USA"), "not a two-letter country code: 'USA'"),
    ],
)
def test_patients_add_refuses_bad_values(cli: CliRunner, db: Path, args: tuple[str, ...], expected: str) -> None:
    message = refused(cli, "patients", "add", "--name", "Ana", *args, "--json")
    assert expected in message
    assert ok_json(cli, "patients", "list") == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_patients_add_refuses_a_bad_name(cli: CliRunner, name: str) -> None:
    assert "give a name of 1 to 120 characters" in refused(cli, "patients", "add", "--name", name, "--json")


@pytest.mark.parametrize("command", ["show", "invite", "deactivate", "reactivate"])
def test_an_unknown_patient_id(cli: CliRunner, command: str) -> None:
    message = refused(cli, "patients", command, "999", "--json", code=1)
    assert message == "error: no patient with id 999 (see: moodbot patients list)"


@pytest.mark.parametrize("command", ["show", "invite", "deactivate"])
def test_a_non_numeric_patient_id(cli: CliRunner, command: str) -> None:
    message = refused(cli, "patients", command, "abc", "--json", code=2)
    assert "'abc'" in message or "integer" in message


def test_a_bad_clinic_file_exits_2_with_one_line(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad-clinic.toml"
    bad.write_text('[clinic]\nname = "x"\ntimezone = "Mars/Base"\n', encoding="utf-8")
    monkeypatch.setenv("CLINIC_CONFIG", str(bad))
    result = invoke(cli, "patients", "list", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and "line 3" in lines[0] and "clinic.timezone" in lines[0]


def test_a_clinic_file_that_is_not_toml(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[clinic\n", encoding="utf-8")
    monkeypatch.setenv("CLINIC_CONFIG", str(bad))
    result = invoke(cli, "staff", "list")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(bad) in result.stderr and "not valid TOML" in result.stderr


def test_the_clinic_file_sets_defaults_for_new_patients(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clinic.toml").write_text(
        '[clinic]\ntimezone = "Europe/Berlin"\ncheckin_time = "19:15"\ncountry = "DE"\n', encoding="utf-8"
    )
    patient = ok_json(cli, "patients", "add", "--name", "Cleo")
    assert (patient["timezone"], patient["checkin_time"], patient["country"]) == ("Europe/Berlin", "19:15", "DE")


def test_run_without_a_token(cli: CliRunner) -> None:
    result = invoke(cli, "run")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0]


def test_db_upgrade_twice(cli: CliRunner, db: Path) -> None:
    for _ in range(2):
        result = invoke(cli, "db", "upgrade")
        assert result.exit_code == 0, (result.stderr, result.exception)
        assert result.stdout == ""
        assert "up to date" in result.stderr
    with sqlite3.connect(db) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"patients", "invites", "staff", "alembic_version"} <= tables
    assert len(versions) == 1
