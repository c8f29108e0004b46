"""Patients' lifecycle in the console through its ASGI app: add (link, QR code, message), correct, a fresh invite,
deactivate and reactivate, each audited, and every refusal shown beside its field with nothing saved."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sqlalchemy import select

from bot.local import LocalBot
from storage.models import AuditEvent, Invite, OutboxMessage, OutboxStatus, Patient, PatientStatus, StaffRole
from tests.console.helpers import browser, make_staff, sign_in
from tests.factories import enrol

COUNSELOR = 7301
ANA = 7302
LINK = re.compile(r'value="(https://t\.me/[^"?]+\?start=([A-Za-z0-9_-]+))"')


async def patients(bot: LocalBot) -> list[Patient]:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(Patient).order_by(Patient.id)))


async def signed_in(bot: LocalBot, client: httpx.AsyncClient) -> str:
    return await sign_in(client, bot, await make_staff(bot, COUNSELOR, role=StaffRole.COUNSELOR))


def new(csrf: str, **fields: str) -> dict[str, str]:
    return {"csrf": csrf, "name": "Carla Díaz", "timezone": "madrid", "checkin_time": "21:00", "country": "es",
            "language": "es", "external_id": "MRN-7", "email": "Carla@Example.org", **fields}  # fmt: skip


async def test_adding_a_patient_shows_the_link_a_qr_code_and_a_message_in_their_language(bot: LocalBot) -> None:
    async with browser(bot) as client:
        csrf = await signed_in(bot, client)
        form = await client.get("/patients/new")
        assert form.status_code == 200 and 'value="America/New_York"' in form.text  # the clinic's defaults
        made = await client.post("/patients/new", data=new(csrf))
        assert made.status_code == 201
        [(link, code)] = LINK.findall(made.text)
        assert "<svg" in made.text and "QR code of the invite link for Carla Díaz" in made.text
        message = html.unescape(made.text.split('class="message"')[1].split("</textarea>")[0])
        assert "Hola Carla Díaz" in message and link in message
        assert "(the patient's time)" in html.unescape(made.text)
    [carla] = await patients(bot)
    assert (carla.timezone, carla.checkin_time.strftime("%H:%M"), carla.country, carla.language) == (
        "Europe/Madrid", "21:00", "ES", "es",
    )  # fmt: skip
    assert (carla.external_id, carla.email, carla.status) == ("MRN-7", "carla@example.org", PatientStatus.INVITED)
    await bot.standin.send_command(8801, "start", code)  # the link works in Telegram
    [consent] = await bot.standin.wait_for_messages(8801, 1)
    assert "Carla" in (consent.text or "")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "   ", "a name of 1 to 120 characters"),
        ("timezone", "Mars/Base", "Unknown time zone"),
        ("checkin_time", "soon", "a time of day such as 20:00"),
        ("country", "Spain", "two-letter country code"),
        ("language", "tlh", "choose a language"),
        ("external_id", "MRN 7", "Letters and digits"),
        ("email", "carla(at)example.org", "does not look like an e-mail address"),
    ],
)
async def test_a_bad_field_is_named_beside_it_and_nothing_is_saved(
    bot: LocalBot, field: str, value: str, words: str
) -> None:
    async with browser(bot) as client:
        csrf = await signed_in(bot, client)
        refused = await client.post("/patients/new", data=new(csrf, **{field: value}))
    assert refused.status_code == 400 and words in html.unescape(refused.text)
    assert f'aria-describedby="{field}-error"' in refused.text and "Nothing was saved" in refused.text
    assert await patients(bot) == []


async def test_correcting_a_profile_replans_and_is_audited_with_the_fields_named(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        csrf = await signed_in(bot, client)
        shown = await client.get(f"/patients/{ana.id}/profile")
        assert shown.status_code == 200 and 'value="20:00"' in shown.text and "joined in Telegram" in shown.text
        fields = {"csrf": csrf, "name": "Ana María", "timezone": "Europe/Berlin", "checkin_time": "19:30",
                  "country": "DE", "language": "de", "external_id": "", "email": ""}  # fmt: skip
        assert (await client.post(f"/patients/{ana.id}/edit", data=fields)).status_code == 303
        await client.post("/patients/new", data=new(csrf, external_id="mrn-9"))
        taken = await client.post(f"/patients/{ana.id}/edit", data={**fields, "external_id": "MRN-9"})
        assert taken.status_code == 400 and "already #2 Carla Díaz" in html.unescape(taken.text)
    [ana_now, _] = await patients(bot)
    assert (ana_now.display_name, ana_now.timezone, ana_now.language, ana_now.external_id) == (
        "Ana María", "Europe/Berlin", "de", None,
    )  # fmt: skip
    async with bot.runtime.session() as session:
        rows = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "patient")))
        pending = list(
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.patient_id == ana.id, OutboxMessage.status == OutboxStatus.PENDING
                )
            )
        )
    edited = [r.detail for r in rows if r.detail["change"] == "edited"]
    assert edited == [{"change": "edited", "fields": "name,timezone,checkin_time,country,language"}]
    assert "added" in {r.detail["change"] for r in rows}
    assert pending and all(row.due_at.astimezone().tzinfo for row in pending)


async def test_a_fresh_invite_deactivation_and_reactivation(bot: LocalBot) -> None:
    async with browser(bot) as client:
        csrf = await signed_in(bot, client)
        made = await client.post("/patients/new", data=new(csrf))
        [(_, first)] = LINK.findall(made.text)
        [carla] = await patients(bot)
        again = await client.post(f"/patients/{carla.id}/invite", data={"csrf": csrf})
        [(_, second)] = LINK.findall(again.text)
        assert again.status_code == 200 and second != first
        assert (await client.post(f"/patients/{carla.id}/deactivate", data={"csrf": csrf})).status_code == 303
        twice = await client.post(f"/patients/{carla.id}/deactivate", data={"csrf": csrf})
        assert twice.status_code == 400 and "already deactivated" in twice.text
        assert (await client.post(f"/patients/{carla.id}/invite", data={"csrf": csrf})).status_code == 400
        assert "Reactivate" in (await client.get(f"/patients/{carla.id}/profile")).text
        assert (await client.post(f"/patients/{carla.id}/reactivate", data={"csrf": csrf})).status_code == 303
        assert (await client.post(f"/patients/{carla.id}/promote", data={"csrf": csrf})).status_code == 404
        assert (await client.post("/patients/999/deactivate", data={"csrf": csrf})).status_code == 404
        assert (await client.post(f"/patients/{carla.id}/deactivate", data={})).status_code == 403
    [carla] = await patients(bot)
    assert carla.status is PatientStatus.INVITED  # never joined: back to invited
    async with bot.runtime.session() as session:
        invites = list(await session.scalars(select(Invite).where(Invite.patient_id == carla.id)))
    assert len(invites) == 2 and all(i.revoked_at is not None for i in invites)  # the second, by the deactivation
    await bot.standin.send_command(8802, "start", second)
    [refused] = await bot.standin.wait_for_messages(8802, 1)
    assert "Carla" not in (refused.text or "")


async def test_the_next_two_weeks_of_a_patients_messages(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        csrf = await signed_in(bot, client)
        booking = {"csrf": csrf, "patient": str(ana.id), "kind": "infusion", "at": "2026-03-05T10:00"}
        assert (await client.post("/appointments", data=booking)).status_code == 303
        shown = await client.get(f"/patients/{ana.id}/upcoming")
        text = html.unescape(shown.text)
        assert shown.status_code == 200 and "What Ana will get in the next 14 days" in text
        assert text.count("Daily check-in") == 14  # 20:00 each evening in New York, from today
        assert "Reminder of the infusion on Thu 5 Mar, 10:00" in text and "How-are-you after the infusion" in text
        assert "PHQ-9 questionnaire" in text
        await client.post("/patients/new", data=new(csrf))
        waiting = await client.get("/patients/2/upcoming")
        assert "The bot sends them nothing in these days (invited)." in html.unescape(waiting.text)
        assert (await client.get("/patients/99/upcoming")).status_code == 404
