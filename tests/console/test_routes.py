"""The console's routes through its ASGI app: signing in and out, sessions, roles, CSRF, every page, every refusal."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.local import LocalBot
from storage.models import AuditEvent, CheckIn, ConsoleSession, CrisisAlert, CrisisEvent, Staff, StaffInvite, StaffRole
from tests.console.helpers import browser, csrf_of, link_for, make_staff, sign_in
from tests.e2e.test_crisis import alert_state, alerts
from tests.factories import enrol, eventually

ANA = 7101
COUNSELOR = 7102
ADMIN = 7103
STAFF_CHAT = -1001234567890
PAGES = [
    "/", "/patients", "/patients/1", "/staff", "/audit", "/audit.csv", "/patients/1/export.csv", "/appointments",
    "/patients/new", "/patients/1/profile", "/patients/1/upcoming",
]  # fmt: skip


async def rows(bot: LocalBot, model: type) -> list:
    async with bot.runtime.session() as session:
        return list(await session.scalars(select(model)))


async def test_without_a_session_every_page_sends_to_a_sign_in_page_without_patient_data(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana Secret")
    async with browser(bot) as client:
        for path in PAGES:
            response = await client.get(path)
            assert (response.status_code, response.headers["location"]) == (303, "/signin"), path
        signin = await client.get("/signin")
        assert signin.status_code == 200 and "/console" in signin.text and "Ana Secret" not in signin.text
        forged = await client.post("/alerts/1/acknowledge", data={"csrf": "x"})
        assert forged.status_code == 303
        client.cookies.set("moodbot_console", "forged.value")
        assert (await client.get("/")).status_code == 303


async def test_health_endpoints_need_no_session(bot: LocalBot) -> None:
    async with browser(bot) as client:
        assert (await client.get("/healthz")).text == "ok"
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        bot.runtime.detector.attach(None)
        not_ready = await client.get("/readyz")
        assert not_ready.status_code == 503 and "crisis model" in not_ready.text
        metrics = await client.get("/metrics")
        assert "moodbot_crisis_model_loaded 0.0" in metrics.text


async def test_every_response_carries_the_security_headers(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        for path in ("/", "/signin", "/static/console.css", "/patients/999"):
            headers = (await client.get(path)).headers
            assert "script-src 'self'" in headers["content-security-policy"]
            assert "unsafe-inline" not in headers["content-security-policy"]
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert headers["referrer-policy"] == "no-referrer" and headers["x-frame-options"] == "DENY"


async def test_a_link_signs_in_once_with_a_strict_http_only_cookie(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    link = await link_for(bot, member)
    async with browser(bot) as client:
        form = await client.get(link)
        assert "Sign in" in form.text and (await rows(bot, ConsoleSession)) == []  # opening it signs no one in
        done = await client.post(link, data={"csrf": csrf_of(form.text)})
        cookie = done.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        assert (await client.get("/")).status_code == 200
    async with browser(bot) as other:
        again = await other.get(link)
        assert again.status_code == 400 and "used already" in again.text
        assert "set-cookie" not in again.headers
    [row] = [a for a in await rows(bot, AuditEvent) if a.action == "sign_in"]
    assert row.actor == str(COUNSELOR) and row.patient_id is None


async def test_expired_forged_and_deactivated_links_get_a_clear_page_and_no_session(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    expired = await link_for(bot, member)
    bot.clock.advance(timedelta(minutes=10, seconds=1))
    async with browser(bot) as client:
        response = await client.get(expired)
        assert response.status_code == 400 and "expired" in response.text
        assert (await client.get("/login/not-a-real-token")).status_code == 400
        fresh = await link_for(bot, member)
        form = await client.get(fresh)
        async with bot.runtime.session() as session:
            (await session.get_one(Staff, member.id)).deactivated_at = bot.clock.now()
        refused = await client.post(fresh, data={"csrf": csrf_of(form.text)})
        assert refused.status_code == 400 and "no longer active" in refused.text
    assert await rows(bot, ConsoleSession) == []


async def test_the_sign_in_form_needs_its_csrf_token(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    link = await link_for(bot, member)
    async with browser(bot) as client:
        await client.get(link)
        assert (await client.post(link, data={})).status_code == 403
        assert (await client.post(link, data={"csrf": "wrong"})).status_code == 403
    async with browser(bot) as client:  # a form from another browser: no cookie to match
        assert (await client.post(link, data={"csrf": "anything"})).status_code == 403
    assert await rows(bot, ConsoleSession) == []


async def test_sign_in_attempts_are_rate_limited(bot: LocalBot) -> None:
    async with browser(bot) as client:
        codes = [(await client.get(f"/login/guess-{n}")).status_code for n in range(12)]
    assert codes[:10] == [400] * 10 and codes[10:] == [429, 429]


async def test_idle_and_absolute_timeouts_and_sign_out(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        bot.clock.advance(timedelta(minutes=29))
        assert (await client.get("/")).status_code == 200
        bot.clock.advance(timedelta(minutes=31))
        assert (await client.get("/")).status_code == 303
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        for _ in range(26):  # busy all day: still ends after 12 hours
            bot.clock.advance(timedelta(minutes=29))
            response = await client.get("/")
        assert response.status_code == 303
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        assert (await client.post("/logout", data={})).status_code == 403  # sign-out is a form like any other
        out = await client.post("/logout", data={"csrf": csrf})
        assert out.status_code == 303 and (await client.get("/")).status_code == 303


async def test_deactivation_ends_sessions_at_once_and_refuses_telegram_commands(bot: LocalBot) -> None:
    admin = await make_staff(bot, ADMIN, role=StaffRole.ADMIN, name="Admin")
    member = await make_staff(bot, COUNSELOR)
    async with browser(bot) as counselor, browser(bot) as boss:
        await sign_in(counselor, bot, member)
        csrf = await sign_in(boss, bot, admin)
        response = await boss.post(f"/staff/{member.id}/deactivate", data={"csrf": csrf})
        assert response.status_code == 303
        assert (await counselor.get("/")).status_code == 303
    await bot.standin.send_command(COUNSELOR, "patients")
    [reply] = await bot.standin.wait_for_messages(COUNSELOR, 1)
    assert "only for the clinic's staff" in reply.text
    await bot.standin.send_command(COUNSELOR, "console")
    [_, reply] = await bot.standin.wait_for_messages(COUNSELOR, 2)
    assert "only for the clinic's staff" in reply.text


async def test_a_counselor_cannot_open_admin_pages(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        for path in ("/staff", "/audit", "/audit.csv"):
            response = await client.get(path)
            assert response.status_code == 403 and "role" in response.text, path
        refused = await client.post("/staff", data={"csrf": csrf, "name": "X", "telegram_id": "5", "role": "admin"})
        assert refused.status_code == 403
        assert "/staff" not in (await client.get("/")).text  # not offered in the menu either


async def test_a_post_without_its_csrf_token_is_refused(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "I want to die")
    await alert_state(bot, rounds=1)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        for data in ({}, {"csrf": "forged"}):
            assert (await client.post("/alerts/1/acknowledge", data=data)).status_code == 403
    [alert] = await rows(bot, CrisisAlert)
    assert alert.acknowledged_at is None


async def test_ids_that_do_not_exist_are_404_and_never_another_patients_data(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    await enrol(bot, ANA, name="Ana Secret")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        for path in (
            "/patients/999",
            "/patients/abc",
            "/patients/-1",
            "/patients/1/export.exe",
            "/patients/9/export.pdf",
        ):
            response = await client.get(path)
            assert response.status_code == 404 and "Ana Secret" not in response.text, path
        assert (await client.post("/alerts/999/acknowledge", data={"csrf": csrf})).status_code == 404
        assert (await client.post("/reviews/999", data={"csrf": csrf})).status_code == 404
        assert (await client.get("/patients/1?from=2026-13-01")).status_code == 400
        assert (await client.get("/patients/1?from=2026-03-05&to=2026-03-01")).status_code == 400


async def test_the_patient_page_decrypts_the_journal_and_audits_the_view(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    patient = await enrol(bot, ANA, name="Ana")
    await bot.standin.send_text(ANA, "walked by the river, felt lighter")
    await bot.standin.wait_for_messages(ANA, 3)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        page = await client.get(f"/patients/{patient.id}")
        assert page.status_code == 200 and "walked by the river, felt lighter" in page.text
        for name in ("PDF report", "CSV", "JSON", "FHIR bundle"):
            assert f">{name}</a>" in page.text
        assert "No mood scores in this period." in page.text
        async with bot.runtime.session() as session:
            session.add(
                CheckIn(patient_id=patient.id, local_date=date(2026, 3, 2), asked_at=bot.clock.now(), score=6,
                        answered_at=bot.clock.now())
            )  # fmt: skip
        charted = await client.get(f"/patients/{patient.id}?from=2026-02-20&to=2026-03-02")
        assert '<svg class="chart"' in charted.text and "<title>2026-03-02: 6</title>" in charted.text
        listing = await client.get("/patients?q=an")
        assert f'href="/patients/{patient.id}"' in listing.text
        assert f'href="/patients/{patient.id}"' not in (await client.get("/patients?q=zz%25")).text
    views = [a for a in await rows(bot, AuditEvent) if a.action == "view"]
    assert [(v.patient_id, v.actor, v.detail["journal"]) for v in views] == [(patient.id, str(COUNSELOR), 1)] * 2


@pytest.mark.parametrize(("fmt", "media"), [("pdf", "application/pdf"), ("csv", "text/csv"), ("fhir", "json")])
async def test_an_export_downloads_with_an_audit_row(bot: LocalBot, fmt: str, media: str) -> None:
    member = await make_staff(bot, COUNSELOR)
    patient = await enrol(bot, ANA)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        response = await client.get(f"/patients/{patient.id}/export.{fmt}?from=2026-03-01&to=2026-03-02")
    assert response.status_code == 200 and media in response.headers["content-type"]
    assert "attachment" in response.headers["content-disposition"]
    [row] = [a for a in await rows(bot, AuditEvent) if a.action == "export"]
    assert row.actor_kind == "console" and row.detail["from"] == "2026-03-01"


async def test_acknowledging_in_the_console_edits_the_staff_chat_alert(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    await enrol(bot, ANA, name="Ana")
    await bot.standin.send_text(ANA, "I want to die")
    await alert_state(bot, rounds=1)
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        today = await client.get("/")
        assert "Acknowledge" in today.text and "I want to die" in today.text and "want to die" in today.text
        done = await client.post("/alerts/1/acknowledge", data={"csrf": csrf})
        assert done.status_code == 303
        assert "No open alerts." in (await client.get("/")).text
    [alert_message] = alerts(bot)
    edited = bot.standin.message(STAFF_CHAT, alert_message.message_id)
    assert edited is not None and "Acknowledged by Dr. Reyes" in edited.text
    assert [a.action for a in await rows(bot, AuditEvent)].count("acknowledge") == 1


async def test_an_acknowledgement_in_telegram_shows_in_the_console(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    await enrol(bot, ANA)
    await bot.standin.send_text(ANA, "I want to die")
    await alert_state(bot, rounds=1)
    [alert_message] = alerts(bot)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        assert "Acknowledge" in (await client.get("/?fragment=1")).text
        await bot.standin.press_button(COUNSELOR, alert_message.message_id, "ack:1", chat_id=STAFF_CHAT)
        await alert_state(bot, acknowledged_by=member.id)
        fragment = await client.get("/?fragment=1")
        assert "No open alerts." in fragment.text and "<html" not in fragment.text


async def test_possible_crises_wait_for_review_and_silent_patients_are_listed(bot: LocalBot) -> None:
    from tests.e2e.test_crisis_net import FIXED, UNSURE, button

    member = await make_staff(bot, COUNSELOR)
    await enrol(bot, ANA, name="Ana")
    await enrol(bot, 7199, name="Quiet Quentin")
    bot.runtime.detector.attach(FIXED)
    await bot.standin.send_text(ANA, UNSURE)
    question = (await bot.standin.wait_for_messages(ANA, 3))[-1]
    await bot.standin.press_button(ANA, question.message_id, button(question, "No"))

    async def answered() -> bool:
        return [e.answer for e in await rows(bot, CrisisEvent)] == ["no"]

    await eventually(answered)
    bot.clock.advance(timedelta(days=4))
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        today = await client.get("/")
        assert UNSURE in today.text and "Mark reviewed" in today.text
        assert "Quiet Quentin" in today.text
        assert (await client.post("/reviews/1", data={"csrf": csrf})).status_code == 303
        assert "Nothing waiting." in (await client.get("/")).text
    [event] = await rows(bot, CrisisEvent)
    assert event.reviewed_by == "Dr. Reyes"


async def test_admins_manage_staff_with_audit_rows(bot: LocalBot) -> None:
    admin = await make_staff(bot, ADMIN, role=StaffRole.ADMIN, name="Admin")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, admin)
        added = await client.post(
            "/staff", data={"csrf": csrf, "name": "Lee", "telegram_id": "7300", "role": "counselor"}
        )
        assert added.status_code == 303
        [lee] = [m for m in await rows(bot, Staff) if m.name == "Lee"]
        assert (await client.post(f"/staff/{lee.id}/role", data={"csrf": csrf, "role": "admin"})).status_code == 303
        twice = await client.post("/staff", data={"csrf": csrf, "name": "Lee", "telegram_id": "7300", "role": "admin"})
        assert twice.status_code == 400 and "already registered" in twice.text
        bad = await client.post("/staff", data={"csrf": csrf, "name": "X", "telegram_id": "abc", "role": "admin"})
        assert bad.status_code == 400 and "is a number" in bad.text
        assert (await client.post(f"/staff/{lee.id}/promote", data={"csrf": csrf})).status_code == 404
        assert (await client.post(f"/staff/{lee.id}/deactivate", data={"csrf": csrf})).status_code == 303
        last = await client.post(f"/staff/{admin.id}/deactivate", data={"csrf": csrf})
        assert last.status_code == 400 and "only active admin" in last.text
        page = await client.get("/staff")
        assert "Lee" in page.text and "deactivated" in page.text
        audit = await client.get("/audit?action=staff")
        assert audit.text.count("change=") == 3
        csv = await client.get("/audit.csv?action=staff")
        assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 4
        assert (await client.get("/audit?from=yesterday")).status_code == 400


async def test_an_admin_makes_a_staff_invite_link_that_registers_its_holder(bot: LocalBot) -> None:
    admin = await make_staff(bot, ADMIN, role=StaffRole.ADMIN, name="Admin")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, admin)
        made = await client.post("/staff/invite", data={"csrf": csrf, "name": "Dr. Okafor", "role": "counselor"})
        assert made.status_code == 200 and "Invite link for Dr. Okafor (counselor)" in made.text
        [link] = re.findall(r'value="(https://t\.me/[^"]+)"', made.text)
        for refused in (
            {"csrf": csrf, "name": "  ", "role": "counselor"},
            {"csrf": csrf, "name": "Sam", "role": "owner"},
        ):
            answer = await client.post("/staff/invite", data=refused)
            assert answer.status_code == 400 and "https://t.me/" not in answer.text
        assert (await client.post("/staff/invite", data={"name": "Sam", "role": "admin"})).status_code == 403
    async with bot.runtime.session() as session:
        assert len(list(await session.scalars(select(StaffInvite)))) == 1  # nothing saved for a refusal
    await bot.standin.send_command(7400, "start", link.split("?start=")[1])
    [welcome] = await bot.standin.wait_for_messages(7400, 1)
    assert "Welcome, Dr. Okafor" in welcome.text
    assert [m.name for m in await rows(bot, Staff) if m.telegram_user_id == 7400] == ["Dr. Okafor"]
    counselor = await make_staff(bot, COUNSELOR)
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, counselor)
        denied = await client.post("/staff/invite", data={"csrf": csrf, "name": "Sam", "role": "admin"})
        assert denied.status_code == 403


async def test_the_console_command_sends_a_link_in_private_only(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    await bot.standin.send_command(COUNSELOR, "console")
    [reply] = await bot.standin.wait_for_messages(COUNSELOR, 1)
    assert "works once, for 10 minutes" in reply.text
    path = "/login/" + reply.text.rsplit("/login/", 1)[1].strip()
    async with browser(bot) as client:
        form = await client.get(path)
        assert (await client.post(path, data={"csrf": csrf_of(form.text)})).status_code == 303
    await bot.standin.send_command(COUNSELOR, "console", chat_id=STAFF_CHAT)
    [group_reply] = await bot.standin.wait_for_messages(STAFF_CHAT, 1)
    assert "private chat" in group_reply.text and "/login/" not in group_reply.text
    await bot.standin.send_command(ANA, "console")
    [refusal] = await bot.standin.wait_for_messages(ANA, 1)
    assert "only for the clinic's staff" in refusal.text
    assert [r.action for r in await rows(bot, AuditEvent)] == ["sign_in"] and member.active


async def test_many_clients_at_once(bot: LocalBot) -> None:
    member = await make_staff(bot, COUNSELOR)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        answers = await asyncio.gather(*(client.get(p) for p in ["/", "/patients"] * 10))
    assert all(a.status_code == 200 for a in answers)
