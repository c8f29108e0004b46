"""The console's appointments page through its ASGI app: the week, booking one or a series, clashes confirmed first,
moving (the patient is told), cancelling, marking, and every refusal shown beside its field with nothing saved."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.local import LocalBot
from storage.models import Appointment, AppointmentStatus, OutboxMessage, OutboxStatus, Staff, StaffRole
from tests.console.helpers import browser, make_staff, sign_in
from tests.factories import enrol, invite

ANA = 7201
COUNSELOR = 7202


async def appointments(bot: LocalBot) -> list[Appointment]:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(Appointment).order_by(Appointment.starts_at)))


async def signed_in(bot: LocalBot, client: httpx.AsyncClient) -> tuple[Staff, str]:
    member = await make_staff(bot, COUNSELOR, role=StaffRole.COUNSELOR)
    return member, await sign_in(client, bot, member)


def booking(csrf: str, patient_id: int, **fields: str) -> dict[str, str]:
    return {"csrf": csrf, "patient": str(patient_id), "kind": "infusion", "at": "2026-03-05T10:00", **fields}


async def test_the_week_shows_bookings_in_the_clinics_zone_with_names(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, name="Ana Ruiz")
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        made = await client.post("/appointments", data=booking(csrf, ana.id, location="Room 2"))
        assert made.status_code == 303 and made.headers["location"].startswith("/appointments?week=2026-03-02#appt-")
        week = await client.get("/appointments")
        assert week.status_code == 200
        assert "Week of Mon 2 Mar" in week.text and "Thu 5 Mar" in week.text
        assert "Ana Ruiz" in week.text and "Room 2" in week.text and "not confirmed yet" in week.text
        assert "America/New_York" in week.text
        later = await client.get("/appointments?week=2026-03-11")  # any day names its week
        assert "Week of Mon 9 Mar" in later.text and "Ana Ruiz" not in later.text.split("Book an appointment")[0]
        assert (await client.get("/appointments?week=soon")).status_code == 400
    [booked] = await appointments(bot)
    assert booked.starts_at == datetime(2026, 3, 5, 15, 0, tzinfo=UTC) and booked.location == "Room 2"
    async with bot.runtime.session() as session:
        keys = [r.idempotency_key for r in await session.scalars(select(OutboxMessage))]
    assert any(key.startswith(f"appt:{booked.id}:") for key in keys)  # its reminders are planned


async def test_a_series_on_weekdays_in_the_patients_own_time(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, timezone="Europe/Berlin")
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        data = {**booking(csrf, ana.id, at="2026-03-09T09:00", count="4"), "weekdays": ["mon", "thu"]}
        assert (await client.post("/appointments", data=data)).status_code == 303
    starts = [a.starts_at for a in await appointments(bot)]
    assert [s.date().isoformat() for s in starts] == ["2026-03-09", "2026-03-12", "2026-03-16", "2026-03-19"]
    assert {s.hour for s in starts} == {8}  # 09:00 in Berlin


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"patient": ""}, "patient", "choose a patient"),
        ({"patient": "999"}, "patient", "choose a patient"),
        ({"kind": "massage"}, "kind", "choose a kind"),
        ({"at": "next tuesday"}, "at", "give a date and a time"),
        ({"at": "2026-03-05"}, "at", "give a date and a time"),
        ({"at": "2026-03-08T02:30"}, "at", "does not exist in America/New_York"),
        ({"duration": "3"}, "duration", "from 5 to 1440"),
        ({"notes": "x" * 501}, "notes", "At most 500 characters"),
        ({"count": "3"}, "count", "tick weekdays or give a number of days"),
        ({"count": "3", "every_days": "2", "weekdays": "mon"}, "count", "not both"),
        ({"count": "99"}, "count", "from 1 to"),
    ],
)
async def test_each_refusal_is_shown_beside_its_field_and_saves_nothing(
    bot: LocalBot, fields: dict[str, str], field: str, words: str
) -> None:
    patient_id, _ = await invite(bot)
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        refused = await client.post("/appointments", data=booking(csrf, patient_id, **fields))
    assert refused.status_code == 400
    assert f'<span class="field-error" id="{field}-error">' in refused.text and words in refused.text
    assert f'aria-describedby="{field}-error"' in refused.text
    assert await appointments(bot) == []


async def test_a_booking_in_the_past_or_over_another_is_saved_only_when_confirmed(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        past = await client.post("/appointments", data=booking(csrf, ana.id, at="2026-03-01T10:00", notes="kept"))
        assert past.status_code == 400 and "is in the past" in past.text and 'name="force"' in past.text
        assert 'value="kept"' in past.text  # what was typed stays
        assert await appointments(bot) == []
        assert (await client.post("/appointments", data=booking(csrf, ana.id))).status_code == 303
        over = await client.post("/appointments", data=booking(csrf, ana.id, at="2026-03-05T10:30", kind="therapy"))
        assert over.status_code == 400
        assert "overlaps the patient's infusion at Thu 5 Mar, 10:00" in html.unescape(over.text)
        assert len(await appointments(bot)) == 1
        forced = booking(csrf, ana.id, at="2026-03-05T10:30", kind="therapy", force="1")
        assert (await client.post("/appointments", data=forced)).status_code == 303
    assert [a.kind for a in await appointments(bot)] == ["infusion", "therapy"]


async def test_moving_a_requested_booking_tells_the_patient_and_clears_the_request(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        await client.post("/appointments", data=booking(csrf, ana.id))
        [booked] = await appointments(bot)
        async with bot.runtime.session() as session:
            (await session.get_one(Appointment, booked.id)).reschedule_requested_at = bot.clock.now()
        page = await client.get("/appointments")
        assert f'id="request-{booked.id}"' in page.text
        before = len(bot.standin.sent(ANA))
        moved = await client.post(f"/appointments/{booked.id}/move", data={"csrf": csrf, "at": "2026-03-06T11:00"})
        assert moved.status_code == 303
        assert f'id="request-{booked.id}"' not in (await client.get("/appointments")).text
    [after] = await appointments(bot)
    assert after.starts_at == datetime(2026, 3, 6, 16, 0, tzinfo=UTC) and after.reschedule_requested_at is None
    await bot.dispatch()
    assert len(bot.standin.sent(ANA)) == before  # 04:00 in New York: the news waits for the end of quiet hours
    bot.clock.advance(timedelta(hours=4))
    await bot.dispatch()
    told = (await bot.standin.wait_for_messages(ANA, before + 1))[-1]
    assert told.text.startswith("The clinic has moved your infusion: it is now Friday 6 March, 11:00.")
    assert "Confirm" in str(told.reply_markup)


async def test_a_move_into_a_clash_waits_for_confirmation(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        await client.post("/appointments", data=booking(csrf, ana.id))
        await client.post("/appointments", data=booking(csrf, ana.id, at="2026-03-06T10:00"))
        first, _ = await appointments(bot)
        clash = await client.post(f"/appointments/{first.id}/move", data={"csrf": csrf, "at": "2026-03-06T10:15"})
        assert clash.status_code == 400 and "overlaps" in clash.text and 'name="force"' in clash.text
        assert (await appointments(bot))[0].starts_at == first.starts_at
        gap = await client.post(f"/appointments/{first.id}/move", data={"csrf": csrf, "at": "2026-03-08T02:30"})
        assert gap.status_code == 400 and "does not exist" in gap.text
        forced = {"csrf": csrf, "at": "2026-03-06T10:15", "force": "1"}
        assert (await client.post(f"/appointments/{first.id}/move", data=forced)).status_code == 303
    assert (await appointments(bot))[1].starts_at == datetime(2026, 3, 6, 15, 15, tzinfo=UTC)


async def test_cancel_and_mark_attended_or_no_show(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    async with browser(bot) as client:
        _, csrf = await signed_in(bot, client)
        await client.post("/appointments", data=booking(csrf, ana.id))
        await client.post("/appointments", data=booking(csrf, ana.id, at="2026-03-06T10:00"))
        first, second = await appointments(bot)
        early = await client.post(f"/appointments/{first.id}/attended", data={"csrf": csrf})
        assert early.status_code == 400 and "has not begun yet" in early.text
        assert (await client.post(f"/appointments/{second.id}/cancel", data={"csrf": csrf})).status_code == 303
        again = await client.post(f"/appointments/{second.id}/move", data={"csrf": csrf, "at": "2026-03-07T10:00"})
        assert again.status_code == 400 and "is cancelled" in again.text
        assert (await client.post(f"/appointments/{first.id}/promote", data={"csrf": csrf})).status_code == 404
        assert (await client.post("/appointments/999/cancel", data={"csrf": csrf})).status_code == 404
        assert (await client.post(f"/appointments/{first.id}/cancel", data={})).status_code == 403  # no CSRF
        bot.clock.advance(timedelta(days=3, hours=8))
        member = await make_staff(bot, COUNSELOR + 1, name="Dr. Lee")
        csrf = await sign_in(client, bot, member)  # the first session has timed out by now
        assert (await client.post(f"/appointments/{first.id}/no_show", data={"csrf": csrf})).status_code == 303
    first, second = await appointments(bot)
    assert (first.status, second.status) == (AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)
    async with bot.runtime.session() as session:
        pending = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key.like(f"appt:{second.id}:%"), OutboxMessage.status == OutboxStatus.PENDING
            )
        )
        assert list(pending) == []
