"""Languages beyond the patient's own words, through the stand-in: reminders with the clinic's instructions, the
/mydata report, questionnaire items from the clinic's translation file, strangers' lines by the country their app
points to, and the staff reading alerts, notices and replies in the clinic's or their own language."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.clinic import ClinicConfig, load_clinic_config
from bot.local import LocalBot
from bot.questionnaires.instruments import instrument
from bot.texts import t
from storage.models import Staff
from tests.conftest import CLINIC_TOML, START
from tests.e2e.test_appointments import book
from tests.e2e.test_languages import no_english, received, start
from tests.factories import add_staff

ROSA, KLAUS, CLAIRE, STAFF, STRANGER = 3101, 3102, 3103, 3104, 3105
STAFF_CHAT = -1001234567890

# Test wording only, to show the file's shape: a clinic loads its licensed, validated translation instead.
ITEMS_TOML = """
[phq9.es]
source = "test wording, not a validated translation"
stem = "PRUEBA: en las últimas dos semanas, ¿con qué frecuencia te ha molestado lo siguiente?"
items = [{items}]
answers = ["Nunca (prueba)", "Varios días (prueba)", "Más de la mitad (prueba)", "Casi a diario (prueba)"]
"""


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def mydata(bot: LocalBot, user: int) -> str:
    before = len(bot.standin.sent(user))
    await bot.standin.send_command(user, "mydata")
    [document] = (await bot.standin.wait_for_messages(user, before + 1))[before:]
    assert document.kind == "document", document.text
    return pdf_text(document.file_bytes)


@pytest.mark.parametrize(
    ("user", "language", "country"), [(ROSA, "es", "ES"), (KLAUS, "de", "DE"), (CLAIRE, "fr", "FR")]
)
async def test_a_reminder_with_instructions_and_the_mydata_report_come_in_the_patients_language(
    bot: LocalBot, user: int, language: str, country: str
) -> None:
    patient_id = await start(bot, user, language, name="Kim", country=country, language=None)
    appointment = await book(bot, patient_id, "infusion", START + timedelta(days=2))
    bot.clock.set(appointment.starts_at - timedelta(hours=24))
    await bot.tick()
    reminder = await bot.standin.wait_for(
        lambda: next((m for m in bot.standin.sent(user) if t("appt.default.fasting", language) in (m.text or "")), None)
    )
    assert t("appt.default.infusion", language) in reminder.text
    assert t("appt.default.no_driving", language) in reminder.text
    assert [label for label, _ in bot.standin.buttons(reminder)] == [
        t("appt.confirm", language),
        t("appt.reschedule", language),
    ]
    report = await mydata(bot, user)
    assert t("report.title", language) in report and t("report.title") not in report
    no_english([*received(bot, user), report])


@pytest.fixture
def clinic_in_german(tmp_path: Path) -> ClinicConfig:
    items = ", ".join(f'"PRUEBA ítem {n}"' for n in range(1, len(instrument("phq9").items) + 1))
    (tmp_path / "items.toml").write_text(ITEMS_TOML.format(items=items), encoding="utf-8")
    text = CLINIC_TOML.replace('country = "US"', 'country = "US"\nlanguage = "de"\nalso_serves = ["MX"]')
    text += '\n[questionnaires]\nitems_file = "items.toml"\n'
    text += '\n[appointments.kinds.booster]\nlabel = "booster infusion"\ninstructions = ["Bring your glasses."]\n'
    (tmp_path / "clinic.toml").write_text(text, encoding="utf-8")
    return load_clinic_config(tmp_path / "clinic.toml")


@pytest.fixture
async def german_clinic(database_url: str, clinic_in_german: ClinicConfig) -> AsyncIterator[LocalBot]:
    async with LocalBot(database_url=database_url, clinic=clinic_in_german, start=START) as local:
        yield local


async def test_the_staff_chat_reads_alerts_and_notices_in_the_clinics_language(german_clinic: LocalBot) -> None:
    bot = german_clinic
    await start(bot, ROSA, "es", name="Rosa", country="ES", language=None)
    await bot.standin.send_text(ROSA, "ya no quiero vivir, esta noche lo termino todo")
    alert = await bot.standin.wait_for(lambda: next(iter(bot.standin.sent(STAFF_CHAT)), None))
    heading = t("crisis.alert", "de", tier="|", person="", excerpt="", when="", why="", repeats="").split("|")[0]
    assert alert.text.startswith(heading) and t("crisis.tier.ideation", "de") in alert.text
    assert [label for label, _ in bot.standin.buttons(alert)] == [t("crisis.ack.button", "de")]
    no_english([alert.text])
    await add_staff(bot, STAFF)
    query = await bot.standin.press_button(
        STAFF, alert.message_id, bot.standin.buttons(alert)[0][1], chat_id=STAFF_CHAT
    )
    answer = await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    assert answer["text"] == t("crisis.ack.done", "de")


async def test_a_staff_member_reads_private_replies_in_their_own_language(german_clinic: LocalBot) -> None:
    bot = german_clinic
    patient_id = await start(bot, ROSA, "es", name="Rosa", country="ES", language=None)
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "patients", chat_id=STAFF_CHAT)
    await bot.standin.send_command(STAFF, "patients")
    [in_group] = await bot.standin.wait_for_messages(STAFF_CHAT, 1)
    [private] = await bot.standin.wait_for_messages(STAFF, 1)
    assert in_group.text.startswith(t("staff.patients.header", "de", count=1))
    assert t("patient.status.active", "de") in in_group.text
    assert private.text == in_group.text  # no language of their own yet: the clinic's
    async with bot.runtime.session() as session:
        member = await session.scalar(select(Staff).where(Staff.telegram_user_id == STAFF))
        assert member is not None
        member.language = "fr"
    await bot.standin.send_command(STAFF, "patients")
    await bot.standin.send_command(STAFF, "export", f"{patient_id} pdf")
    _, listing, document = await bot.standin.wait_for_messages(STAFF, 3)
    assert listing.text.startswith(t("staff.patients.header", "fr", count=1))
    assert t("patient.status.active", "fr") in listing.text
    assert document.caption == t("export.caption", "fr", id=patient_id, name="Rosa", format="pdf")
    report = pdf_text(document.file_bytes)
    assert t("report.title", "fr") in report  # the counselor's language, not the patient's Spanish
    no_english([listing.text, report])


async def test_questionnaire_items_come_from_the_clinics_translation_file(german_clinic: LocalBot) -> None:
    bot = german_clinic
    await start(bot, ROSA, "es", name="Rosa", country="ES", language=None)
    await start(bot, KLAUS, "de", name="Klaus", country="DE", language=None)
    await bot.standin.send_command(ROSA, "phq9")
    await bot.standin.send_command(KLAUS, "phq9")
    *_, spanish = await bot.standin.wait_for_messages(ROSA, 3)
    *_, german = await bot.standin.wait_for_messages(KLAUS, 3)
    assert "PRUEBA: en las últimas dos semanas" in spanish.text and "PRUEBA ítem 1" in spanish.text
    assert bot.standin.buttons(spanish)[0][0] == "Nunca (prueba)"
    await bot.standin.press_button(ROSA, spanish.message_id, bot.standin.buttons(spanish)[1][1])
    await bot.standin.wait_for(lambda: any("PRUEBA ítem 2" in (m.text or "") for m in bot.standin.sent(ROSA)))
    no_english(received(bot, ROSA))
    # No German translation in the file: the validated English items, in German words around them.
    spec = instrument("phq9")
    assert spec.stem in german.text and spec.items[0].text in german.text
    assert bot.standin.buttons(german)[0][0] == spec.answers[0].text


async def test_instructions_missing_in_a_language_fall_back_to_english_with_a_log_line(
    german_clinic: LocalBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = german_clinic
    patient_id = await start(bot, CLAIRE, "fr", name="Claire", country="FR", language=None)
    appointment = await book(bot, patient_id, "booster", START + timedelta(days=2))
    with caplog.at_level(logging.WARNING, logger="bot.clinic"):
        bot.clock.set(appointment.starts_at - timedelta(hours=24))
        await bot.tick()
        reminder = await bot.standin.wait_for(
            lambda: next((m for m in bot.standin.sent(CLAIRE) if "glasses" in (m.text or "")), None)
        )
    assert "booster infusion" in reminder.text and "Bring your glasses." in reminder.text
    assert reminder.text.startswith(t("appt.reminder", "fr", label="", when="", where="")[:8])
    assert any("no fr instructions" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("app", "line"),
    [("es-MX", "800 911 2000"), ("es", "988"), ("de-CH", "988"), ("fr-CA", "988")],
)
async def test_a_stranger_gets_the_lines_of_the_country_their_app_points_to_when_the_clinic_serves_it(
    german_clinic: LocalBot, app: str, line: str
) -> None:
    """The clinic is in the US and also serves Mexico: es-MX gets Mexico's lines; Spain, Switzerland and Canada
    are not served, so the clinic's own country's lines come."""
    bot = german_clinic
    await bot.standin.send_text(STRANGER, "quiero morir esta noche", language_code=app)
    [reply] = await bot.standin.wait_for_messages(STRANGER, 1)
    assert line in reply.text
