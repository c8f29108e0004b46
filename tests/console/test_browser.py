"""The console in headless Chromium against the real `moodbot run` process and the Bot API stand-in.

Sign in through the link the bot sent, acknowledge a crisis alert and see the staff chat's alert edited, download a
PDF, a counselor refused the staff page, a series booked in the calendar whose first reminder reaches the patient,
and a staff invite link that registers its holder once. A screenshot of each main page goes to
`test-output/screenshots/`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.standin.server import BotApiStandIn
from tests.processes import TOKEN, start_bot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
STAFF_CHAT = -1001234567890
ADMIN, COUNSELOR, PATIENT = 8101, 8102, 8103
KEY = "browser-test-key"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)

from playwright.async_api import Browser, Page, async_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def moodbot(folder: Path, env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=folder, env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode()


@dataclass
class Clinic:
    standin: BotApiStandIn
    url: str
    env: dict[str, str]
    folder: Path


@pytest.fixture
async def clinic(database_url: str, tmp_path: Path) -> AsyncIterator[Clinic]:
    port = free_port()
    # No quiet hours: a booking's first reminder goes out at once whatever the hour the test runs at.
    (tmp_path / "clinic.toml").write_text(
        f'[clinic]\nname = "Riverside Clinic"\nstaff_chat_id = {STAFF_CHAT}\n'
        '[appointments]\nquiet_start = "00:00"\nquiet_end = "00:00"\n'
    )
    env = {"DATABASE_URL": database_url, "MOODBOT_ENCRYPTION_KEY": KEY, "TELEGRAM_BOT_USERNAME": "riverside_bot"}
    await moodbot(tmp_path, env, "staff", "add", "--telegram-id", str(ADMIN), "--name", "Dr. Admin", "--role", "admin")
    await moodbot(tmp_path, env, "staff", "add", "--telegram-id", str(COUNSELOR), "--name", "Dr. Reyes")
    async with BotApiStandIn(token=TOKEN) as standin:
        process = await start_bot(
            standin, database_url, tmp_path, MOODBOT_ENCRYPTION_KEY=KEY, CONSOLE_PORT=str(port),
            DISPATCH_INTERVAL_SECONDS="1",
        )  # fmt: skip
        try:
            await standin.wait_for(lambda: standin.commands or None, timeout=30)
            yield Clinic(standin, f"http://127.0.0.1:{port}", env, tmp_path)
        finally:
            process.terminate()
            await asyncio.wait_for(process.communicate(), timeout=30)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )  # fmt: skip
        try:
            yield chromium
        finally:
            await chromium.close()


async def signed_in(clinic: Clinic, browser: Browser, telegram_id: int, *, phone: bool = False) -> Page:
    """Send /console to the bot in the stand-in, open the link it sends back, press Sign in."""
    before = len(clinic.standin.sent(telegram_id))
    await clinic.standin.send_command(telegram_id, "console")
    reply = (await clinic.standin.wait_for_messages(telegram_id, before + 1, timeout=30))[-1]
    link = reply.text.split()[-1]
    assert link.startswith(clinic.url + "/login/"), reply.text
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = await browser.new_context(viewport=viewport, accept_downloads=True)
    page = await context.new_page()
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(clinic.url + "/")
    return page


async def shot(page: Page, name: str) -> None:
    await asyncio.to_thread(SHOTS.mkdir, parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def enrol_patient(clinic: Clinic) -> None:
    import json

    added = json.loads(await moodbot(clinic.folder, clinic.env, "patients", "add", "--name", "Ana Weber", "--json"))
    code = added["invite_code"]
    await clinic.standin.send_command(PATIENT, "start", code)
    [consent] = await clinic.standin.wait_for_messages(PATIENT, 1, timeout=30)
    agree = next(data for label, data in clinic.standin.buttons(consent) if "agree" in label.lower())
    await clinic.standin.press_button(PATIENT, consent.message_id, agree)
    await clinic.standin.wait_for_messages(PATIENT, 2, timeout=30)


def alerts(clinic: Clinic) -> list:
    return [m for m in clinic.standin.sent(STAFF_CHAT) if "Crisis alert" in (m.text or "")]


async def test_acknowledge_in_the_browser_edits_the_staff_chat_alert(clinic: Clinic, browser: Browser) -> None:
    await enrol_patient(clinic)
    await clinic.standin.send_text(PATIENT, "I want to die, I can't do this anymore")
    [alert] = await clinic.standin.wait_for(lambda: alerts(clinic) or None, timeout=30)
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.wait_for_selector("text=Open crisis alerts")
    assert await page.get_by_text("I can't do this anymore").count() >= 1
    await shot(page, "today")
    await page.get_by_role("button", name="Acknowledge").first.click()
    await page.wait_for_selector("text=No open alerts.")

    def edited() -> bool:
        message = clinic.standin.message(STAFF_CHAT, alert.message_id)
        return message is not None and "Acknowledged by Dr. Reyes" in (message.text or "")

    await clinic.standin.wait_for(edited, timeout=30)
    phone = await signed_in(clinic, browser, COUNSELOR, phone=True)
    await shot(phone, "today-phone")


async def test_patients_a_patient_and_a_pdf_download(clinic: Clinic, browser: Browser) -> None:
    await enrol_patient(clinic)
    await clinic.standin.send_text(PATIENT, "slept well, walked to the lake")
    await clinic.standin.wait_for_messages(PATIENT, 3, timeout=30)
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.get_by_role("link", name="Patients").click()
    await page.get_by_label("Search by name").fill("weber")
    await page.get_by_role("button", name="Search").click()
    await shot(page, "patients")
    await page.get_by_role("link", name="Ana Weber").click()
    await page.wait_for_selector("text=slept well, walked to the lake")
    await shot(page, "patient")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="PDF report").click()
    download = await waiting.value
    path = await download.path()
    content = await asyncio.to_thread(Path(path).read_bytes)
    assert download.suggested_filename.endswith(".pdf") and content.startswith(b"%PDF")


async def test_a_counselor_cannot_open_staff_and_an_admin_can(clinic: Clinic, browser: Browser) -> None:
    counselor = await signed_in(clinic, browser, COUNSELOR)
    assert await counselor.get_by_role("link", name="Staff").count() == 0
    response = await counselor.goto(clinic.url + "/staff")
    assert response is not None and response.status == 403
    admin = await signed_in(clinic, browser, ADMIN)
    await admin.get_by_role("link", name="Staff").click()
    await admin.wait_for_selector("text=Add a staff member")
    await shot(admin, "staff")
    await admin.get_by_role("link", name="Audit").click()
    await admin.get_by_role("cell", name="sign-in").first.wait_for()
    await shot(admin, "audit")


async def test_the_keyboard_alone_reaches_the_main_content_and_signs_out(clinic: Clinic, browser: Browser) -> None:
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Skip to content"
    await page.keyboard.press("Enter")
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "Sign out":
            break
    await page.goto(clinic.url + "/")
    await page.get_by_role("button", name="Sign out").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(clinic.url + "/signin")


async def test_a_member_switches_the_console_to_their_language(clinic: Clinic, browser: Browser) -> None:
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.get_by_label("Language").select_option("de")
    await page.get_by_role("button", name="Apply").click()
    await page.get_by_role("heading", name="Heute", exact=True).wait_for()
    assert await page.get_attribute("html", "lang") == "de"
    await page.get_by_role("link", name="Patienten").click()
    await page.get_by_role("button", name="Suchen").wait_for()
    await shot(page, "patients-de")


async def test_a_series_booked_in_the_calendar_sends_its_first_reminder(clinic: Clinic, browser: Browser) -> None:
    await enrol_patient(clinic)
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.get_by_role("link", name="Appointments").click()
    await page.get_by_role("heading", name="Book an appointment").wait_for()
    first = datetime.now(ZoneInfo("America/New_York")) + timedelta(hours=3)
    await page.get_by_label("Patient", exact=True).select_option(label="Ana Weber (#1, America/New_York)")
    await page.get_by_label("Kind", exact=True).select_option("infusion")
    await page.get_by_label("Date and time, in the patient's time zone").fill(first.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("How many appointments").fill("3")
    await page.get_by_label("Every how many days").fill("7")
    await page.get_by_role("button", name="Book", exact=True).click()
    await page.wait_for_url("**/appointments?week=*")
    await page.locator(".slot", has_text="Ana Weber").first.wait_for()
    await shot(page, "appointments")

    def reminded() -> list:
        return [m for m in clinic.standin.sent(PATIENT) if (m.text or "").startswith("Reminder: your infusion")]

    [reminder] = await clinic.standin.wait_for(reminded, timeout=30)
    assert first.strftime("%H:%M") in reminder.text
    phone = await signed_in(clinic, browser, COUNSELOR, phone=True)
    await phone.goto(page.url)
    await shot(phone, "appointments-phone")


async def test_a_staff_invite_made_in_the_browser_registers_its_holder_once(clinic: Clinic, browser: Browser) -> None:
    admin = await signed_in(clinic, browser, ADMIN)
    await admin.get_by_role("link", name="Staff").click()
    await admin.get_by_label("Name").first.wait_for()
    await admin.locator("#invite-name").fill("Dr. Okafor")
    await admin.get_by_role("button", name="Make an invite link").click()
    link = await admin.locator(".invite input.link").input_value()
    assert link.startswith("https://t.me/moodbot_demo_bot?start=staff-")  # the name the running bot learnt from getMe
    await shot(admin, "staff-invite")
    newcomer, stranger = 8201, 8202
    await clinic.standin.send_command(newcomer, "start", link.split("?start=")[1])
    [welcome] = await clinic.standin.wait_for_messages(newcomer, 1, timeout=30)
    assert "Welcome, Dr. Okafor" in (welcome.text or "")
    await clinic.standin.send_command(stranger, "start", link.split("?start=")[1])
    [refused] = await clinic.standin.wait_for_messages(stranger, 1, timeout=30)
    assert "used already or has expired" in (refused.text or "")
    await admin.reload()
    await admin.get_by_role("rowheader", name="Dr. Okafor").wait_for()


async def test_a_patient_added_in_the_browser_gets_a_link_a_qr_code_and_a_message(
    clinic: Clinic, browser: Browser
) -> None:
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.get_by_role("link", name="Patients").click()
    await page.get_by_role("link", name="Add a patient").click()
    await page.get_by_label("Name", exact=True).fill("Carla Díaz")
    await page.locator("#timezone").fill("madrid")
    await page.locator("#country").fill("ES")
    await page.locator("#patient-language").select_option("es")
    await page.get_by_role("button", name="Add and make an invite link").click()
    await page.get_by_role("heading", name="Invite for Carla Díaz").wait_for()
    assert await page.locator("figure.qr svg").count() == 1
    message = await page.locator("textarea.message").input_value()
    assert message.startswith("Hola Carla Díaz")
    await shot(page, "patient-invite")
    code = (await page.locator(".invite input.link").input_value()).split("?start=")[1]
    await clinic.standin.send_command(8301, "start", code)
    [consent] = await clinic.standin.wait_for_messages(8301, 1, timeout=30)
    assert "Carla" in (consent.text or "")


async def test_a_google_calendar_export_is_imported_after_choosing_the_unmatched_events_patient(
    clinic: Clinic, browser: Browser
) -> None:
    await enrol_patient(clinic)
    day = (datetime.now(ZoneInfo("America/New_York")) + timedelta(days=3)).strftime("%Y%m%d")
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}@google.com\r\nDTSTART;TZID=America/New_York:{day}T{hour}0000\r\n"
        f"DTEND;TZID=America/New_York:{day}T{hour}5000\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
        for uid, hour, summary in (("one", "10", "Ketamine – Ana Weber"), ("two", "14", "Infusion (walk-in)"))
    )
    head = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
    calendar = f"{head}{events}END:VCALENDAR\r\n"
    upload = {"name": "clinic.ics", "mimeType": "text/calendar", "buffer": calendar.encode()}
    page = await signed_in(clinic, browser, COUNSELOR)
    await page.goto(clinic.url + "/appointments/import")
    await page.locator("#file").set_input_files(upload)
    await page.get_by_role("button", name="See what it holds").click()
    await page.get_by_text("no patient's name, record number or e-mail in 'Infusion (walk-in)'").wait_for()
    await page.get_by_label("Patient for line").select_option(label="Ana Weber (#1)")
    await shot(page, "import-preview")
    await page.get_by_role("button", name="Import", exact=True).click()
    await page.get_by_text("Imported: 2 booked, 0 changed, 0 unchanged, 0 cancelled.").wait_for()
    await page.goto(clinic.url + "/appointments/import")
    await page.locator("#file").set_input_files(upload)
    await page.get_by_role("button", name="See what it holds").click()
    await page.get_by_role("button", name="Import", exact=True).click()
    await page.get_by_text("Imported: 0 booked, 0 changed, 2 unchanged, 0 cancelled.").wait_for()
