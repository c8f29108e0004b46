"""Staff onboarding without ids: a one-time link opened in Telegram registers its holder as staff, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.audit import Actor, ActorKind
from bot.local import LocalBot
from bot.staff.invites import issue_staff_invite
from storage.models import AuditEvent, Staff, StaffInvite, StaffRole
from tests.factories import add_staff, enrol

NEW = 6101
OTHER = 6102
ANA = 6103
STAFF_CHAT = -1001234567890


async def invite(bot: LocalBot, *, name: str = "Dr. Okafor", role: StaffRole = StaffRole.COUNSELOR) -> str:
    async with bot.runtime.session() as session:
        _, code = await issue_staff_invite(
            session, name=name, role=role, now=bot.clock.now(), actor=Actor(ActorKind.CLI, "test"), days=7
        )
    return code


async def reply(bot: LocalBot, chat_id: int, count: int) -> str:
    return (await bot.standin.wait_for_messages(chat_id, count))[-1].text or ""


async def member(bot: LocalBot, telegram_id: int) -> Staff | None:
    async with bot.runtime.session() as session:
        return await session.scalar(select(Staff).where(Staff.telegram_user_id == telegram_id))


async def test_the_link_registers_whoever_opens_it_once_and_tells_the_staff_chat(bot: LocalBot) -> None:
    code = await invite(bot, role=StaffRole.ADMIN)
    assert code.startswith("staff-")
    await bot.standin.send_command(NEW, "start", code)
    welcome = await reply(bot, NEW, 1)
    assert "Welcome, Dr. Okafor" in welcome and "registered as admin" in welcome and "/console" in welcome
    registered = await member(bot, NEW)
    assert registered is not None and (registered.name, registered.role) == ("Dr. Okafor", StaffRole.ADMIN)
    await bot.dispatch()
    notice = await reply(bot, STAFF_CHAT, 1)
    assert notice == "Dr. Okafor joined the staff as admin through an invite link."

    await bot.standin.send_command(OTHER, "start", code)  # a forwarded link is spent
    assert "used already or has expired" in await reply(bot, OTHER, 1)
    assert await member(bot, OTHER) is None
    await bot.standin.send_command(NEW, "console")
    assert "sign-in link" in await reply(bot, NEW, 2)  # a member now, in their private chat
    async with bot.runtime.session() as session:
        invite_row = await session.scalar(select(StaffInvite))
        assert invite_row is not None and invite_row.staff_id == registered.id and invite_row.used_at is not None
        changes = [e.detail.get("change") for e in await session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert changes[:1] == ["invited"] and len(changes) == 2


async def test_refusals_leave_the_link_unused(bot: LocalBot) -> None:
    code = await invite(bot)
    await add_staff(bot, OTHER)
    await bot.standin.send_command(OTHER, "start", code)
    assert "already registered as staff" in await reply(bot, OTHER, 1)
    async with bot.runtime.session() as session:
        former = await session.scalar(select(Staff).where(Staff.telegram_user_id == OTHER))
        assert former is not None
        former.deactivated_at = bot.clock.now()
    await bot.standin.send_command(OTHER, "start", code)  # a deactivated member is not let back in by a link
    assert "now deactivated" in await reply(bot, OTHER, 2)
    await enrol(bot, ANA)
    before = len(bot.standin.sent(ANA))
    await bot.standin.send_command(ANA, "start", code)
    assert "enrolled here as a patient" in await reply(bot, ANA, before + 1)
    await bot.standin.send_command(NEW, "start", code)  # still good for the person it was meant for
    assert "Welcome, Dr. Okafor" in await reply(bot, NEW, 1)


async def test_an_expired_or_forged_link_registers_no_one(bot: LocalBot) -> None:
    code = await invite(bot)
    bot.clock.advance(timedelta(days=7, seconds=1))
    await bot.standin.send_command(NEW, "start", code)
    assert "used already or has expired" in await reply(bot, NEW, 1)
    await bot.standin.send_command(NEW, "start", "staff-" + "x" * 24)
    await bot.standin.send_command(NEW, "start", "staff-")
    assert "used already or has expired" in await reply(bot, NEW, 3)
    assert await member(bot, NEW) is None


async def test_a_staff_link_never_enrols_a_patient_and_a_patient_link_still_does(bot: LocalBot) -> None:
    await bot.standin.send_command(NEW, "start", "staff-nothing")
    text = await reply(bot, NEW, 1)
    assert "staff link" in text and "consent" not in text.lower()
    patient = await enrol(bot, ANA)
    assert patient.telegram_user_id == ANA
