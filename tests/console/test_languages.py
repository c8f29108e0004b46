"""The console in the reader's language: every page, error and problem in the signed-in member's own language or
the clinic's, dates as that language writes them, and the menu that lets a member choose."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path
from string import Formatter

import httpx
import pytest
from sqlalchemy import select

from bot.clinic import ClinicConfig, load_clinic_config
from bot.i18n.dates import short_day_and_time
from bot.local import LocalBot
from bot.texts import EN, Plural, t
from storage.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    CheckIn,
    CrisisAlert,
    CrisisEvent,
    JournalEntry,
    Patient,
    QuestionnaireResponse,
    Staff,
    StaffRole,
)
from tests.conftest import CLINIC_TOML
from tests.console.helpers import browser, csrf_of, link_for, make_staff, sign_in
from tests.factories import enrol

ANA, QUENTIN = 7201, 7202
ADMIN, FORMER = 7203, 7204
TRANSLATED = ["es", "de", "fr"]
LANG = re.compile(r'<html lang="([^"]+)">')


@pytest.fixture
def clinic(tmp_path: Path, request: pytest.FixtureRequest) -> ClinicConfig:
    """The shared clinic file, in the language a test asks for with `indirect` (English by default)."""
    language = getattr(request, "param", "en")
    path = tmp_path / "clinic.toml"
    path.write_text(CLINIC_TOML.replace("[clinic]\n", f'[clinic]\nlanguage = "{language}"\n', 1))
    return load_clinic_config(path)


def _fragments(text: str) -> list[str]:
    """The words between a message's placeholders, each as one run of text."""
    return [" ".join(literal.split()) for literal, _, _, _ in Formatter().parse(text)]


# Sentences, not single words: "PDF", "Patient" or "Action" are the same in more than one language.
ENGLISH = sorted(
    {
        fragment
        for key, entry in EN.items()
        if key.startswith("console.")
        for form in ([entry.one, entry.other] if isinstance(entry, Plural) else [entry])
        for fragment in _fragments(form)
        if len(fragment.split()) > 2
    }
)


def assert_speaks(response: httpx.Response, language: str) -> str:
    """The page says it is in `language` and, unless that is English, holds no English sentence of the console."""
    found = LANG.search(response.text)
    assert found is not None and found.group(1) == language, response.text[:300]
    text = " ".join(html.unescape(response.text).split())
    english = [sentence for sentence in ENGLISH if sentence in text] if language != "en" else []
    assert not english, (language, str(response.url), english)
    return text


async def fill_the_clinic(bot: LocalBot) -> Patient:
    """Something in every section of every page: an open alert, a question to review, a silent patient, today's
    appointment, a request to reschedule, a journal with flags and notes, a questionnaire, a former colleague."""
    ana = await enrol(bot, ANA, name="Ana")
    await enrol(bot, QUENTIN, name="Quiet Quentin")
    bot.clock.advance(timedelta(days=4))
    now = bot.clock.now()
    yesterday = now - timedelta(days=1)
    async with bot.runtime.session() as session:
        alert = CrisisAlert(patient_id=ana.id, telegram_user_id=ANA, person="Patient #1 Ana", tier="ideation",
                            opened_at=now - timedelta(hours=2), last_event_at=now, events=2)  # fmt: skip
        session.add(alert)
        await session.flush()
        session.add_all(
            [
                CrisisEvent(alert_id=alert.id, patient_id=ana.id, telegram_user_id=ANA, tier="ideation",
                            rule="ideation.want_to_die", excerpt="I want to die", matched="want to die",
                            detected_at=now - timedelta(hours=2), score=0.9),
                CrisisEvent(patient_id=ana.id, telegram_user_id=ANA, tier="possible", rule="model",
                            excerpt="everything is grey", detected_at=now - timedelta(hours=1), score=0.45,
                            answer="no", answered_at=now - timedelta(minutes=50)),
                JournalEntry(patient_id=ana.id, text="everything is grey", telegram_message_id=901,
                             created_at=now - timedelta(hours=1), flag="possible:no"),
                JournalEntry(patient_id=ana.id, text="a year ago it was bad, not now", telegram_message_id=902,
                             created_at=yesterday, flag="past"),
                CheckIn(patient_id=ana.id, local_date=yesterday.date(), asked_at=yesterday, score=6,
                        answered_at=yesterday, note="slept well", note_at=yesterday),
                QuestionnaireResponse(patient_id=ana.id, instrument="phq9", trigger="on_demand",
                                      started_at=now - timedelta(days=2), updated_at=now - timedelta(days=2),
                                      expires_at=now, completed_at=now - timedelta(days=2),
                                      answers={str(i): 2 for i in range(1, 10)}, total=18),
                Appointment(patient_id=ana.id, kind="infusion", starts_at=now + timedelta(hours=6),
                            duration_minutes=60, status=AppointmentStatus.SCHEDULED, created_at=now, updated_at=now),
                Appointment(patient_id=ana.id, kind="therapy", starts_at=now + timedelta(days=3),
                            duration_minutes=50, status=AppointmentStatus.SCHEDULED, created_at=now, updated_at=now,
                            reschedule_requested_at=now),
                Staff(telegram_user_id=FORMER, name="Former", role=StaffRole.COUNSELOR,
                      created_at=now - timedelta(days=9), deactivated_at=yesterday),
            ]
        )  # fmt: skip
    return ana


@pytest.mark.parametrize("language", TRANSLATED)
async def test_every_page_speaks_the_members_own_language(bot: LocalBot, language: str) -> None:
    ana = await fill_the_clinic(bot)
    admin = await make_staff(bot, ADMIN, role=StaffRole.ADMIN, name="Dr. Admin", language=language)
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, admin)
        today = assert_speaks(await client.get("/"), language)
        assert t("console.today.alerts", language) in today and "I want to die" in today
        assert t("console.today.silent", language, days=3) in today and "Quiet Quentin" in today
        assert t("state.unconfirmed", language) in today and t("crisis.tier.ideation", language) in today
        patients = assert_speaks(await client.get("/patients"), language)
        assert t("console.patients.count", language, count=2) in patients
        patient = assert_speaks(await client.get(f"/patients/{ana.id}"), language)
        assert "slept well" in patient and t("console.flag.possible:no", language) in patient
        assert t("report.band.moderately_severe", language) in patient
        async with bot.runtime.session() as session:
            infusion = await session.scalar(select(Appointment).where(Appointment.kind == "infusion"))
        assert infusion is not None
        assert short_day_and_time(infusion.starts_at, ana.timezone, language) in patient
        staff = assert_speaks(await client.get("/staff"), language)
        assert t("console.role.admin", language) in staff and "Former" in staff
        audit = assert_speaks(await client.get("/audit"), language)
        assert t("console.audit.action.view", language) in audit
        missing = await client.get("/patients/999")
        assert missing.status_code == 404
        assert t("console.error.no_patient", language) in assert_speaks(missing, language)
        twice = await client.post(
            "/staff", data={"csrf": csrf, "name": "Again", "telegram_id": str(FORMER), "role": "counselor"}
        )
        assert twice.status_code == 400
        assert t("console.staff.error.registered", language, id=FORMER) in assert_speaks(twice, language)
        fragment = await client.get("/?fragment=1")
        assert t("console.today.no_reschedules", language) not in fragment.text  # the request is listed
        assert t("console.today.reschedules", language) in fragment.text


@pytest.mark.parametrize("clinic", TRANSLATED, indirect=True)
async def test_pages_without_a_member_speak_the_clinics_language(bot: LocalBot, clinic: ClinicConfig) -> None:
    language = clinic.clinic.language
    member = await make_staff(bot, ADMIN, language="en")  # not theirs: no one is signed in on these pages
    async with browser(bot) as client:
        signin = assert_speaks(await client.get("/signin"), language)
        assert t("console.signin.link", language, minutes=10) in signin and "/console" in signin
        link = await link_for(bot, member)
        form = await client.get(link)
        assert t("console.link.intro", language, clinic=clinic.clinic.name) in assert_speaks(form, language)
        assert (await client.post(link, data={"csrf": csrf_of(form.text)})).status_code == 303
        used = await client.get(link)
        assert used.status_code == 400 and t("console.link.used", language) in assert_speaks(used, language)
        expired = await link_for(bot, member)
        bot.clock.advance(timedelta(minutes=11))
        late = await client.get(expired)
        assert t("console.link.expired", language, minutes=10) in assert_speaks(late, language)
        nowhere = await client.get("/no/such/page")
        assert nowhere.status_code == 404
        assert t("console.error.not_found", language) in assert_speaks(nowhere, language)


@pytest.mark.parametrize("clinic", ["de"], indirect=True)
async def test_a_member_without_a_language_of_their_own_reads_the_clinics(bot: LocalBot) -> None:
    await enrol(bot, ANA, name="Ana")
    member = await make_staff(bot, ADMIN, role=StaffRole.ADMIN)
    async with browser(bot) as client:
        await sign_in(client, bot, member)
        for path in ("/", "/patients", "/patients/1", "/staff", "/audit"):
            assert_speaks(await client.get(path), "de")
        menu = (await client.get("/")).text
        assert '<option value="" selected>Sprache der Klinik (Deutsch)</option>' in menu
        assert '<option value="es" lang="es" >Español</option>' in menu


async def test_a_member_chooses_their_language_with_an_audit_row(bot: LocalBot) -> None:
    member = await make_staff(bot, ADMIN)
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        assert_speaks(await client.get("/patients"), "en")
        chosen = await client.post("/me/language", data={"csrf": csrf, "language": "fr", "back": "/patients?q=a"})
        assert (chosen.status_code, chosen.headers["location"]) == (303, "/patients?q=a")
        page = assert_speaks(await client.get("/patients?q=a"), "fr")
        assert '<option value="fr" lang="fr" selected>Français</option>' in page
        same = await client.post("/me/language", data={"csrf": csrf, "language": "fr"})
        assert same.headers["location"] == "/"  # no way back given: home, and nothing changed, so no audit row
        cleared = await client.post("/me/language", data={"csrf": csrf, "language": "", "back": "/staff"})
        assert cleared.headers["location"] == "/staff"
        assert_speaks(await client.get("/staff"), "en")
    async with bot.runtime.session() as session:
        assert (await session.get_one(Staff, member.id)).language is None
        changes = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "staff")))
    assert [(a.actor_kind, a.actor, a.detail["change"], a.detail["from"], a.detail["to"]) for a in changes] == [
        ("console", str(ADMIN), "language", None, "fr"),
        ("console", str(ADMIN), "language", "fr", None),
    ]


async def test_a_forged_language_or_a_missing_token_changes_nothing(bot: LocalBot) -> None:
    member = await make_staff(bot, ADMIN, language="es")
    async with browser(bot) as client:
        csrf = await sign_in(client, bot, member)
        for forged in ("pt", "EN", "es-MX", "<b>de</b>"):
            refused = await client.post("/me/language", data={"csrf": csrf, "language": forged})
            assert refused.status_code == 400, forged
            assert t("console.error.language", "es") in assert_speaks(refused, "es")
        missing = await client.post("/me/language", data={"csrf": csrf})
        assert missing.status_code == 400
        for data in ({"language": "de"}, {"csrf": "forged", "language": "de"}):
            expired = await client.post("/me/language", data=data)
            assert expired.status_code == 403
            assert t("console.error.form_expired", "es") in assert_speaks(expired, "es")
        for elsewhere in ("https://example.org/", "//example.org/", "/\\example.org", "patients"):
            moved = await client.post("/me/language", data={"csrf": csrf, "language": "es", "back": elsewhere})
            assert moved.headers["location"] == "/", elsewhere
    async with browser(bot) as stranger:  # no session: the sign-in page, and nothing changed
        assert (await stranger.post("/me/language", data={"csrf": csrf, "language": "de"})).status_code == 303
    async with bot.runtime.session() as session:
        assert (await session.get_one(Staff, member.id)).language == "es"
        assert list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "staff"))) == []
