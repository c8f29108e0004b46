"""Staff commands in Telegram. Everyone who is not registered staff gets a polite refusal and nothing else."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.console.auth import issue_link
from bot.patients import staff_may_see
from bot.questionnaires.render import trend_text
from bot.runtime import runtime
from bot.staff.access import Permission, may, staff_by_telegram, staff_language
from bot.staff.invites import Refusal, redeem_staff_invite
from bot.staff.language import staff_reply_language
from bot.staff.notices import notify_staff
from bot.staff.service import not_checked_in_today, roster
from bot.texts import t


async def patients_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List every patient with status, check-in time and latest score."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        language = await staff_reply_language(session, rt, user, personal=chat.type == "private")
        if not await staff_may_see(
            session, telegram_user_id=user.id, chat_id=chat.id, private=chat.type == "private",
            staff_chat_id=rt.clinic.clinic.staff_chat_id,
        ):  # fmt: skip
            reply = t("staff.only", language)
        else:
            rows = await roster(session)
            lines = [
                t(
                    "staff.patients.row",
                    language,
                    id=r.id,
                    name=r.name,
                    status=t(f"patient.status.{r.status}", language),
                    time=r.checkin_time.strftime("%H:%M"),
                    timezone=r.timezone,
                    score="–" if r.last_score is None else r.last_score,
                    scores="".join(f", {trend_text(q)}" for q in r.questionnaires),
                )
                for r in rows
            ]
            reply = (
                "\n".join([t("staff.patients.header", language, count=len(rows)), *lines])
                if rows
                else t("staff.patients.empty", language)
            )
    await rt.sender.send_text(chat.id, reply)


async def today_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Active patients who have not answered today's check-in (in their own day)."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        language = await staff_reply_language(session, rt, user, personal=chat.type == "private")
        if not await staff_may_see(
            session, telegram_user_id=user.id, chat_id=chat.id, private=chat.type == "private",
            staff_chat_id=rt.clinic.clinic.staff_chat_id,
        ):  # fmt: skip
            reply = t("staff.only", language)
        else:
            missing = await not_checked_in_today(session, now=rt.clock.now())
            lines = [
                t(
                    "staff.today.row",
                    language,
                    id=p.id,
                    name=p.display_name,
                    time=p.checkin_time.strftime("%H:%M"),
                    timezone=p.timezone,
                )
                for p in missing
            ]
            reply = (
                "\n".join([t("staff.today.header", language, count=len(missing)), *lines])
                if missing
                else t("staff.today.all", language)
            )
    await rt.sender.send_text(chat.id, reply)


async def console_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A one-time link into the web console, for active staff, in a private chat only."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with rt.session() as session:
        member = await staff_by_telegram(session, user.id)
        language = await staff_reply_language(session, rt, user, personal=chat.type == "private")
        if not may(member, Permission.PATIENTS):
            reply = t("staff.only", language)
        elif chat.type != "private":
            reply = t("console.private", language)
        elif rt.settings.console_port == 0:
            reply = t("console.off", language)
        else:
            assert member is not None
            token, _ = await issue_link(session, member=member, now=rt.clock.now())
            reply = t("console.link", language, url=f"{rt.settings.console_base()}/login/{token}", minutes=10)
    await rt.sender.send_text(chat.id, reply)


_REFUSALS = {
    Refusal.UNKNOWN: "staff.invite.unknown",
    Refusal.ALREADY_STAFF: "staff.invite.already",
    Refusal.DEACTIVATED_STAFF: "staff.invite.deactivated",
    Refusal.PATIENT: "staff.invite.patient",
}


async def staff_start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start with a staff invite: register this account as staff, and tell the staff chat who joined."""
    rt = runtime(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = rt.clock.now()
    clinic = rt.clinic.clinic
    async with rt.session() as session:
        member, refusal = await redeem_staff_invite(
            session, start_parameter=context.args[0] if context.args else "", telegram_user_id=user.id, now=now
        )
        if member is None:
            assert refusal is not None
            reply = t(_REFUSALS[refusal], rt.language_for(user.language_code))
        else:
            language = staff_language(member, clinic.language)
            role = t(f"console.role.{member.role.value}", language)
            reply = t("staff.invite.welcome", language, name=member.name, role=role, clinic=clinic.name)
            await notify_staff(
                session,
                key=f"staff-joined:{member.id}",
                text_key="staff.joined",
                patient=None,
                staff_chat_id=clinic.staff_chat_id,
                now=now,
                values={"name": member.name, "role": t(f"console.role.{member.role.value}", clinic.language)},
            )
    await rt.sender.send_text(chat.id, reply)
