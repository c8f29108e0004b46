"""Appointments through the stand-in: reminders on time and never at night, buttons, follow-ups, changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.appointments import service
from bot.appointments.schedule import series_starts, to_utc
from bot.local import LocalBot
from storage.models import Appointment, CheckIn, OutboxMessage, OutboxStatus
from tests.factories import add_staff, button, enrol, eventually

ANA = 9001  # America/New_York
BEN = 9002  # Europe/Berlin
STAFF = 9003
STAFF_CHAT = -1001234567890


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def reminders(bot: LocalBot, chat_id: int) -> list:
    return [m for m in bot.standin.sent(chat_id) if (m.text or "").startswith("Reminder:")]


async def book(bot: LocalBot, patient_id: int, kind: str, starts_at: datetime, **extra: object) -> Appointment:
    async with bot.runtime.session() as session:
        return await service.book(
            session, patient_id=patient_id, kind=kind, starts_at=starts_at, duration_minutes=extra.get("duration"),  # type: ignore[arg-type]
            location=extra.get("location", "Riverside, room 2"), notes=None, config=bot.clinic, now=bot.clock.now(),  # type: ignore[arg-type]
        )  # fmt: skip


async def outbox_of(bot: LocalBot, appointment_id: int) -> dict[str, OutboxStatus]:
    async with bot.runtime.session() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(f"appt:{appointment_id}:"))
        )
        return {row.idempotency_key.split(":", 2)[-1]: row.status for row in rows}


async def test_a_six_infusion_series_gets_every_reminder_with_instructions(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    starts = series_starts(datetime(2026, 3, 3, 10, 0), "America/New_York", 6, weekdays={1, 3})  # Tue, Thu
    assert len(starts) == 6
    booked = [await book(bot, patient.id, "infusion", s) for s in starts]
    for appointment in booked:
        for lead in (24, 2):
            bot.clock.set(appointment.starts_at - timedelta(hours=lead))
            await bot.tick()
    await bot.standin.wait_for(lambda: len(reminders(bot, ANA)) == 12)
    first = reminders(bot, ANA)[0]
    assert "infusion is Tuesday 3 March, 10:00" in first.text and "Riverside, room 2" in first.text
    assert "fasting rule" in first.text and "take you home" in first.text and "No driving" in first.text
    assert [label for label, _ in bot.standin.buttons(first)] == ["Confirm", "I need to reschedule"]


async def test_confirm_is_recorded_and_reschedule_tells_the_staff(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    appointment = await book(bot, patient.id, "therapy", utc(2026, 3, 5, 15, 0))
    bot.clock.set(appointment.starts_at - timedelta(hours=24))
    await bot.tick()
    [reminder] = await bot.standin.wait_for(lambda: reminders(bot, ANA) or None)
    assert "therapy session" in reminder.text and "fasting" not in reminder.text
    query = await bot.standin.press_button(ANA, reminder.message_id, button(reminder, "Confirm"))
    answer = await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    assert "confirmed" in answer["text"]
    await bot.standin.wait_for(lambda: "✓ Confirmed" in reminders(bot, ANA)[0].text)
    async with bot.runtime.session() as session:
        assert (await session.get_one(Appointment, appointment.id)).confirmed_at == bot.clock.now()

    query = await bot.standin.press_button(ANA, reminder.message_id, button(reminder, "I need to reschedule"))
    answer = await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    assert "The clinic will be in touch" in answer["text"]
    await bot.tick()
    [notice] = await bot.standin.wait_for_messages(STAFF_CHAT, 1)
    assert f"#{patient.id}" in notice.text and "reschedule" in notice.text and "therapy session" in notice.text


async def test_quiet_hours_bring_a_reminder_forward_in_two_zones(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA, timezone="America/New_York")
    ben = await enrol(bot, BEN, timezone="Europe/Berlin")
    early_ny = await book(bot, ana.id, "infusion", to_utc(datetime(2026, 3, 4, 8, 30), "America/New_York"))
    early_berlin = await book(bot, ben.id, "infusion", to_utc(datetime(2026, 3, 4, 8, 30), "Europe/Berlin"))
    async with bot.runtime.session() as session:
        due = {
            (row.patient_id, row.payload["lead_hours"]): row.due_at
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))
        }
    # 2 h before 08:30 is 06:30, inside quiet hours (22:00–08:00): it goes out at 21:59 the evening before.
    assert due[(ana.id, 2.0)] == to_utc(datetime(2026, 3, 3, 21, 59), "America/New_York")
    assert due[(ben.id, 2.0)] == to_utc(datetime(2026, 3, 3, 21, 59), "Europe/Berlin")
    assert due[(ana.id, 24.0)] == early_ny.starts_at - timedelta(hours=24)
    assert due[(ben.id, 24.0)] == early_berlin.starts_at - timedelta(hours=24)
    bot.clock.set(to_utc(datetime(2026, 3, 3, 21, 58), "Europe/Berlin"))
    await bot.tick()
    assert len(reminders(bot, BEN)) == 1  # the 24 h one, earlier that morning
    bot.clock.set(to_utc(datetime(2026, 3, 3, 21, 59), "Europe/Berlin"))
    await bot.tick()
    await bot.standin.wait_for(lambda: len(reminders(bot, BEN)) == 2)


async def test_lead_times_follow_the_dst_change(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    appointment = await book(bot, patient.id, "infusion", to_utc(datetime(2026, 3, 9, 9, 0), "America/New_York"))
    assert appointment.starts_at == utc(2026, 3, 9, 13, 0)  # EDT from 8 March
    bot.clock.set(utc(2026, 3, 8, 12, 59))
    await bot.tick()
    assert reminders(bot, ANA) == []
    bot.clock.set(utc(2026, 3, 8, 13, 0))
    await bot.tick()
    [reminder] = await bot.standin.wait_for(lambda: reminders(bot, ANA) or None)
    assert "Monday 9 March, 09:00" in reminder.text


async def test_reschedule_and_cancel_with_reminders_pending(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    moved = await book(bot, patient.id, "therapy", utc(2026, 3, 5, 15, 0))
    dropped = await book(bot, patient.id, "therapy", utc(2026, 3, 6, 15, 0))
    async with bot.runtime.session() as session:
        await service.reschedule(
            session, appointment_id=moved.id, starts_at=utc(2026, 3, 7, 15, 0), config=bot.clinic, now=bot.clock.now()
        )
        await service.cancel(session, appointment_id=dropped.id, now=bot.clock.now())
    states = await outbox_of(bot, moved.id)
    assert states["20260305T1500Z:24h"] is OutboxStatus.CANCELLED
    assert states["20260307T1500Z:24h"] is OutboxStatus.PENDING
    assert set((await outbox_of(bot, dropped.id)).values()) == {OutboxStatus.CANCELLED}
    for day in (4, 5, 6):
        bot.clock.set(utc(2026, 3, day, 15, 0))
        await bot.tick()
    [reminder] = await bot.standin.wait_for(lambda: reminders(bot, ANA) or None)
    assert "Saturday 7 March" in reminder.text


async def test_restart_between_planning_and_sending(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    appointment = await book(bot, patient.id, "therapy", utc(2026, 3, 5, 15, 0))
    await bot.restart()
    bot.clock.set(appointment.starts_at - timedelta(hours=24))
    await bot.tick()
    await bot.restart()
    await bot.tick()
    await bot.standin.wait_for(lambda: len(reminders(bot, ANA)) == 1)
    assert len(reminders(bot, ANA)) == 1


async def test_nothing_is_sent_after_the_appointment_began(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    appointment = await book(bot, patient.id, "infusion", utc(2026, 3, 5, 15, 0))
    bot.clock.set(appointment.starts_at + timedelta(minutes=1))  # the bot was down through both reminders
    await bot.tick()
    assert reminders(bot, ANA) == []
    states = await outbox_of(bot, appointment.id)
    assert states["20260305T1500Z:24h"] is OutboxStatus.DROPPED and states["20260305T1500Z:2h"] is OutboxStatus.DROPPED


async def test_stale_and_foreign_presses(bot: LocalBot) -> None:
    ana = await enrol(bot, ANA)
    await enrol(bot, BEN, timezone="Europe/Berlin")
    appointment = await book(bot, ana.id, "therapy", utc(2026, 3, 5, 15, 0))
    bot.clock.set(appointment.starts_at - timedelta(hours=24))
    await bot.tick()
    [reminder] = await bot.standin.wait_for(lambda: reminders(bot, ANA) or None)
    foreign = await bot.standin.press_button(BEN, 12345, f"ap:{appointment.id}:c")
    garbage = await bot.standin.press_button(ANA, reminder.message_id, "ap:x:c")
    bot.clock.set(appointment.starts_at + timedelta(minutes=5))
    late = await bot.standin.press_button(ANA, reminder.message_id, button(reminder, "Confirm"))
    for query, words in ((foreign, "isn't for you"), (garbage, "no longer works"), (late, "already started")):
        answer = await bot.standin.wait_for(lambda q=query: bot.standin.callback_answer(q))
        assert words in answer["text"]
    async with bot.runtime.session() as session:
        assert (await session.get_one(Appointment, appointment.id)).confirmed_at is None


async def test_after_infusion_followup_is_a_tagged_checkin(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    infusion = await book(bot, patient.id, "infusion", to_utc(datetime(2026, 3, 5, 10, 0), "America/New_York"))
    bot.clock.set(to_utc(datetime(2026, 3, 5, 19, 0), "America/New_York"))
    await bot.tick()
    ask = await bot.standin.wait_for(
        lambda: next((m for m in bot.standin.sent(ANA) if "after today's infusion" in (m.text or "")), None)
    )
    await bot.standin.press_button(ANA, ask.message_id, button(ask, "5"))
    prompt = await bot.standin.wait_for(
        lambda: next((m for m in bot.standin.sent(ANA) if "Did you notice" in (m.text or "")), None)
    )
    await bot.standin.press_button(ANA, prompt.message_id, button(prompt, "Nausea"))
    await bot.standin.wait_for(lambda: any(label.startswith("✓ Nausea") for label, _ in bot.standin.buttons(prompt)))
    await bot.standin.press_button(ANA, prompt.message_id, button(prompt, "Feeling detached"))
    await bot.standin.wait_for(lambda: any(label.startswith("✓ Feeling") for label, _ in bot.standin.buttons(prompt)))
    await bot.standin.send_text(ANA, "Floaty but calm")
    await bot.standin.wait_for(lambda: "added that" in (bot.standin.sent(ANA)[-1].text or ""))

    async def recorded() -> bool:
        async with bot.runtime.session() as session:
            found = await session.scalar(select(CheckIn).where(CheckIn.kind == "followup"))
        return found is not None and found.note == "Floaty but calm"

    await eventually(recorded)
    async with bot.runtime.session() as session:
        followup = await session.scalar(select(CheckIn).where(CheckIn.kind == "followup"))
    assert followup is not None
    assert (followup.appointment_id, followup.score, followup.effects) == (infusion.id, 5, ["nausea", "dissociation"])


async def test_appointments_command_for_patients_and_staff(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA, name="Ana")
    await book(bot, patient.id, "infusion", to_utc(datetime(2026, 3, 5, 10, 0), "America/New_York"))
    await bot.standin.send_command(ANA, "appointments")
    listing = (await bot.standin.wait_for_messages(ANA, 3))[-1].text
    assert "infusion: Thursday 5 March, 10:00 – Riverside, room 2" in listing
    await bot.standin.send_command(ANA, "appointments", str(patient.id))
    assert "only for the clinic's staff" in (await bot.standin.wait_for_messages(ANA, 4))[-1].text
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "appointments", str(patient.id))
    staff_view = (await bot.standin.wait_for_messages(STAFF, 1))[-1].text
    assert "Ana" in staff_view and "not confirmed yet" in staff_view


async def test_reminders_come_back_when_a_blocked_patient_writes_again(bot: LocalBot) -> None:
    patient = await enrol(bot, ANA)
    appointment = await book(bot, patient.id, "therapy", utc(2026, 3, 6, 15, 0))
    bot.standin.block_chat(ANA)
    bot.clock.set(utc(2026, 3, 3, 1, 0))
    await bot.tick()  # the check-in bounces: everything pending for her is withdrawn
    assert set((await outbox_of(bot, appointment.id)).values()) == {OutboxStatus.CANCELLED}
    bot.standin.unblock_chat(ANA)
    await bot.standin.send_text(ANA, "sorry, I'm back")
    await bot.standin.wait_for(lambda: "Saved to your journal" in (bot.standin.sent(ANA)[-1].text or ""))
    assert (await outbox_of(bot, appointment.id))["20260306T1500Z:24h"] is OutboxStatus.PENDING
