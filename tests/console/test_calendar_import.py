"""Importing a calendar in the console through its ASGI app: a Google-style export with an event that names no one,
the preview, choosing its patient, importing, and importing again with nothing changed; a ';' CSV with a BOM."""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy import select

from bot.local import LocalBot
from storage.models import Appointment, StaffRole
from tests.console.helpers import browser, make_staff, sign_in
from tests.factories import enrol

COUNSELOR = 7401
ANA, BEN = 7402, 7403


def event(uid: str, day: int, summary: str, *extra: str) -> str:
    lines = [f"UID:{uid}@google.com", f"DTSTART:202603{day:02d}T150000Z", f"DTEND:202603{day:02d}T160000Z"]
    return "BEGIN:VEVENT\r\n" + "\r\n".join([*lines, f"SUMMARY:{summary}", *extra]) + "\r\nEND:VEVENT\r\n"


GOOGLE = (
    "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
    + event("a", 5, "Ketamine #1", "ATTENDEE;CN=Ana:mailto:ana@example.org")
    + event("b", 6, "Therapy – Ben Okafor")
    + event("c", 9, "Infusion (walk-in)")
    + "END:VCALENDAR\r\n"
)


async def booked(bot: LocalBot) -> dict[str, int]:
    async with bot.runtime.session() as session:
        return {a.source_uid: a.patient_id for a in await session.scalars(select(Appointment))}


async def upload(client: httpx.AsyncClient, csrf: str, name: str, content: bytes) -> httpx.Response:
    return await client.post("/appointments/import", data={"csrf": csrf}, files={"file": (name, content)})


def sent_back(page: str) -> dict[str, str]:
    """The hidden fields of the preview's import form, as the browser would send them."""
    fields = dict(re.findall(r'<input type="hidden" name="(filename|content)" value="([^"]*)"', page))
    return {name: html.unescape(value) for name, value in fields.items()}


async def test_a_google_export_is_previewed_assigned_imported_and_reimported_unchanged(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, name="Ana Ruiz")
    ben = await enrol(bot, BEN, name="Ben Okafor")
    async with bot.runtime.session() as session:
        (await session.get_one(type(ana), ana.id)).email = "ana@example.org"
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, await make_staff(bot, COUNSELOR, role=StaffRole.COUNSELOR))
        assert (await client.get("/appointments/import")).status_code == 200
        preview = await upload(client, csrf, "clinic.ics", GOOGLE.encode())
        assert preview.status_code == 200
        text = html.unescape(preview.text)
        assert "Ana Ruiz (#1)" in text and "Ben Okafor (#2)" in text and "books it" in text
        assert "no patient's name, record number or e-mail in 'Infusion (walk-in)'" in text
        [line] = re.findall(r'name="assign-(\d+)"', preview.text)
        assert await booked(bot) == {}  # a preview saves nothing

        fields = {"csrf": csrf, **sent_back(preview.text)}
        refused = await client.post("/appointments/import", data={**fields, "step": "import"})
        assert refused.status_code == 400 and await booked(bot) == {}  # still one row without a patient
        done = await client.post("/appointments/import", data={**fields, "step": "import", f"assign-{line}": "1"})
        assert done.status_code == 200 and "Imported: 3 booked, 0 changed, 0 unchanged, 0 cancelled." in done.text
        assert await booked(bot) == {"a@google.com": ana.id, "b@google.com": ben.id, "c@google.com": ana.id}

        again = await upload(client, csrf, "clinic.ics", GOOGLE.encode())
        assert "changes nothing" in again.text and "books it" not in again.text
        assert 'name="assign-' not in again.text  # the walk-in keeps the patient chosen for it
        fields = {"csrf": csrf, **sent_back(again.text), "step": "import"}
        repeat = await client.post("/appointments/import", data=fields)
        assert "0 booked, 0 changed, 3 unchanged" in repeat.text


async def test_a_semicolon_csv_with_a_bom_and_bad_files(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana Ruiz")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, await make_staff(bot, COUNSELOR, role=StaffRole.COUNSELOR))
        csv = "\ufeffpatient;kind;start\nAna Ruiz;Ketamin;2026-03-05 10:00\nAna Ruiz;therapy;2026-13-01 10:00\n"
        preview = await upload(client, csrf, "export.csv", csv.encode("utf-8"))
        text = html.unescape(preview.text)
        assert preview.status_code == 200 and "books it" in text and "bad date '2026-13-01 10:00'" in text
        assert "Mend these rows" in text and 'value="import"' not in preview.text  # a bad date cannot be assigned away
        assert (await upload(client, csrf, "notes.txt", b"hello")).status_code == 200
        empty = await client.post("/appointments/import", data={"csrf": csrf})
        assert empty.status_code == 400 and "choose a file" in empty.text
        forged = await client.post(
            "/appointments/import", data={"csrf": csrf, "filename": "x.ics", "content": "%%%", "step": "import"}
        )
        assert forged.status_code == 400
        huge = await upload(client, csrf, "big.csv", b"x" * 2_000_001)
        assert huge.status_code == 400 and "larger than 2 MB" in huge.text
    assert await booked(bot) == {}


async def test_a_csv_with_columns_of_its_own_is_read_once_each_column_is_chosen(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, name="Ana Ruiz")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, await make_staff(bot, COUNSELOR, role=StaffRole.COUNSELOR))
        sheet = "Name;Type;Date;Room;Paid\nAna Ruiz;Infusion;2026-03-05 10:00;Room 2;yes\n"
        first = await upload(client, csrf, "export.csv", sheet.encode("cp1252"))
        assert first.status_code == 200 and "Which column is which" in first.text
        assert 'name="column-start"' in first.text and '<option value="date"' in first.text
        fields = {
            "csrf": csrf, **sent_back(first.text), "column-patient": "name", "column-kind": "type",
            "column-start": "date", "column-location": "room",
        }  # fmt: skip
        checked = await client.post("/appointments/import", data={**fields, "step": "preview"})
        assert checked.status_code == 200 and "books it" in checked.text and "Which column" not in checked.text
        assert 'name="column-location" value="room"' in checked.text  # the choice travels to the import
        done = await client.post("/appointments/import", data={**fields, "step": "import"})
        assert "Imported: 1 booked" in done.text
    async with bot.runtime.session() as session:
        [booked] = list(await session.scalars(select(Appointment)))
    assert (booked.patient_id, booked.kind, booked.location) == (ana.id, "infusion", "Room 2")
