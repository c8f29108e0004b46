"""Exports and erasure in Telegram, through the stand-in: staff /export, /mydata, /mood, /delete."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

from fhir.resources.R4B.bundle import Bundle
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.local import LocalBot
from storage.models import AuditEvent, CheckIn, CrisisAlert, CrisisEvent, JournalEntry, Staff
from tests.e2e.test_checkin import asks
from tests.export.records import load_schema_validator
from tests.factories import add_staff, button, enrol, eventually

ANA = 8001
BEN = 8002
STAFF = 8003
STRANGER = 8004
STAFF_CHAT = -1001234567890
DUE = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 20:00 in New York on 2 March
CRISIS = "I don't want to be alive anymore"


async def count(bot: LocalBot, model: type, **where: object) -> int:
    async with bot.runtime.session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return await session.scalar(query) or 0


async def history(bot: LocalBot, user: int) -> int:
    """Ana answers a check-in with a note, writes in her journal, and writes something that alerts the staff."""
    patient = await enrol(bot, user, name="Ana Lúcia")
    bot.clock.set(DUE)
    await bot.tick()
    [ask] = await bot.standin.wait_for(lambda: asks(bot, user) or None)
    await bot.standin.press_button(user, ask.message_id, button(ask, "6"))
    await bot.standin.wait_for(lambda: "add a few words" in (bot.standin.sent(user)[-1].text or ""))
    await bot.standin.send_text(user, "Walked by the river, ça va mieux")
    await bot.standin.wait_for(lambda: "added that" in (bot.standin.sent(user)[-1].text or ""))
    bot.clock.advance(timedelta(hours=3))
    await bot.standin.send_text(user, "=SUM(A1) is what my spreadsheet says about my week")
    await bot.standin.wait_for(lambda: "journal" in (bot.standin.sent(user)[-1].text or ""))
    await bot.standin.send_text(user, CRISIS)
    await bot.standin.wait_for(lambda: any("Crisis alert" in (m.text or "") for m in bot.standin.sent(STAFF_CHAT)))

    async def recorded() -> bool:
        return await count(bot, JournalEntry) == 2 and await count(bot, CrisisEvent) == 1

    await eventually(recorded)
    return patient.id


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of white space made single, as a reader would copy it."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


async def exported(bot: LocalBot, chat_id: int, before: int):
    [document] = (await bot.standin.wait_for_messages(chat_id, before + 1))[before:]
    assert document.kind == "document", document.text
    return document


async def test_staff_export_csv_holds_what_the_database_holds(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "export", f"{patient_id} csv")
    document = await exported(bot, STAFF, 0)
    assert document.filename.startswith(f"patient-{patient_id}-") and document.filename.endswith(".csv")
    assert "Ana Lúcia" in document.caption
    rows = list(csv.DictReader(io.StringIO(document.file_bytes.decode("utf-8-sig"))))
    by_record = {r["record"]: r for r in rows}
    assert by_record["profile"]["text"] == "Ana Lúcia"
    async with bot.runtime.session() as session:
        [checkin] = await session.scalars(select(CheckIn))
        journal = list(await session.scalars(select(JournalEntry).order_by(JournalEntry.id)))
        [event] = await session.scalars(select(CrisisEvent))
    assert by_record["checkin"]["score"] == str(checkin.score) == "6"
    assert by_record["checkin"]["text"] == checkin.note == "Walked by the river, ça va mieux"
    assert by_record["checkin"]["local_date"] == "2026-03-02"
    assert by_record["checkin"]["local_time"].endswith("-05:00")
    journal_cells = [r["text"] for r in rows if r["record"] == "journal"]
    # A cell that a spreadsheet would run as a formula is shown as text.
    assert journal_cells == ["'" + journal[0].text, journal[1].text]
    assert by_record["crisis"]["kind"] == event.tier and by_record["crisis"]["status"] == "open"
    async with bot.runtime.session() as session:
        [audit] = await session.scalars(select(AuditEvent))
    assert (audit.action, audit.actor_kind, audit.actor) == ("export", "staff", str(STAFF))
    assert audit.patient_id == patient_id
    assert audit.detail["format"] == "csv"


async def test_staff_export_json_and_fhir_in_the_staff_chat(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await add_staff(bot, STAFF, name="Dr. Reyes")
    [alert] = [m for m in bot.standin.sent(STAFF_CHAT) if "Crisis alert" in (m.text or "")]
    await bot.standin.press_button(STAFF, alert.message_id, button(alert, "Acknowledge"), chat_id=STAFF_CHAT)

    async def acknowledged() -> bool:
        async with bot.runtime.session() as session:
            return await session.scalar(select(CrisisAlert.acknowledged_at)) is not None

    await eventually(acknowledged)
    before = len(bot.standin.sent(STAFF_CHAT))
    await bot.standin.send_command(STAFF, "export", f"{patient_id} JSON", chat_id=STAFF_CHAT)
    document = json.loads((await exported(bot, STAFF_CHAT, before)).file_bytes)
    load_schema_validator().validate(document)
    assert [j["text"] for j in document["journal"]][1] == CRISIS
    [crisis] = document["crisis_events"]
    assert crisis["acknowledged_by"] == "Dr. Reyes" and crisis["excerpt"] == CRISIS
    assert document["summary"]["open_crisis_events"] == 0

    await bot.standin.send_command(STAFF, "export", f"{patient_id} fhir", chat_id=STAFF_CHAT)
    bundle = json.loads((await exported(bot, STAFF_CHAT, before + 1)).file_bytes)
    Bundle.model_validate(bundle)
    moods = [e["resource"] for e in bundle["entry"] if e["resource"].get("valueInteger") is not None]
    assert [m["valueInteger"] for m in moods] == [6]
    assert await count(bot, AuditEvent, action="export") == 2


async def test_nobody_else_gets_anything_of_any_patient(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await enrol(bot, BEN, name="Ben")
    for user, chat in ((BEN, BEN), (STRANGER, STRANGER), (ANA, ANA)):
        before = len(bot.standin.sent(chat))
        await bot.standin.send_command(user, "export", str(patient_id), chat_id=chat)
        [reply] = (await bot.standin.wait_for_messages(chat, before + 1))[before:]
        assert reply.kind == "text" and "only for the clinic's staff" in reply.text
    # Staff, but in a group that is not the clinic's staff chat.
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "export", str(patient_id), chat_id=-100999)
    [reply] = await bot.standin.wait_for_messages(-100999, 1)
    assert "only for the clinic's staff" in reply.text
    assert await count(bot, AuditEvent) == 0
    assert all(m.kind == "text" for chat in (BEN, STRANGER, -100999) for m in bot.standin.sent(chat))


async def test_export_usage_and_unknown_patient(bot: LocalBot) -> None:
    await add_staff(bot, STAFF)
    replies = []
    for args in ("", "twelve", "12 docx", "12 pdf extra", "999"):
        before = len(bot.standin.sent(STAFF))
        await bot.standin.send_command(STAFF, "export", args)
        replies.append((await bot.standin.wait_for_messages(STAFF, before + 1))[-1].text)
    assert all("/export PATIENT_ID" in r for r in replies[:4])
    assert replies[4] == "There is no patient #999."
    assert await count(bot, AuditEvent) == 0


async def test_mydata_sends_the_patient_their_own_export(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    before = len(bot.standin.sent(ANA))
    await bot.standin.send_command(ANA, "mydata", "json")
    document = json.loads((await exported(bot, ANA, before)).file_bytes)
    assert document["patient"]["id"] == patient_id and len(document["journal"]) == 2
    await bot.standin.send_command(ANA, "mydata", "xlsx")
    [reply] = (await bot.standin.wait_for_messages(ANA, before + 2))[before + 1 :]
    assert "/mydata csv" in reply.text
    async with bot.runtime.session() as session:
        [audit] = await session.scalars(select(AuditEvent))
    assert (audit.actor_kind, audit.actor, audit.patient_id) == ("patient", str(ANA), patient_id)
    await bot.standin.send_command(STRANGER, "mydata")
    [reply] = await bot.standin.wait_for_messages(STRANGER, 1)
    assert "joined with the link" in reply.text


async def delete_prompt(bot: LocalBot, user: int):
    before = len(bot.standin.sent(user))
    await bot.standin.send_command(user, "delete")
    [prompt] = (await bot.standin.wait_for_messages(user, before + 1))[before:]
    assert "can't be undone" in prompt.text and "keeps" in prompt.text
    return prompt


async def test_delete_cancel_erases_nothing(bot: LocalBot) -> None:
    await history(bot, ANA)
    prompt = await delete_prompt(bot, ANA)
    await bot.standin.press_button(ANA, prompt.message_id, button(prompt, "Cancel"))
    await bot.standin.wait_for(lambda: "Nothing was erased" in (bot.standin.message(ANA, prompt.message_id).text or ""))
    assert not bot.standin.buttons(bot.standin.message(ANA, prompt.message_id))
    assert await count(bot, JournalEntry) == 2 and await count(bot, CheckIn) == 1
    assert await count(bot, AuditEvent) == 0


async def test_delete_confirmed_erases_and_no_export_shows_it(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await enrol(bot, BEN, name="Ben")
    await bot.standin.send_text(BEN, "Ben's own journal")
    await bot.standin.wait_for(lambda: "journal" in (bot.standin.sent(BEN)[-1].text or ""))
    prompt = await delete_prompt(bot, ANA)
    yes = button(prompt, "Yes, erase")
    # Someone else pressing Ana's button (or a forged one) erases nothing.
    query = await bot.standin.press_button(BEN, prompt.message_id, yes, chat_id=BEN)
    assert "isn't for you" in (await bot.standin.wait_for(lambda: bot.standin.callback_answer(query)))["text"]
    assert await count(bot, JournalEntry, patient_id=patient_id) == 2

    await bot.standin.press_button(ANA, prompt.message_id, yes)
    await bot.standin.wait_for(lambda: "Done." in (bot.standin.message(ANA, prompt.message_id).text or ""))
    assert await count(bot, JournalEntry, patient_id=patient_id) == 0
    assert await count(bot, CheckIn, patient_id=patient_id) == 0
    assert await count(bot, JournalEntry) == 1  # Ben's entry stays
    async with bot.runtime.session() as session:
        [event] = await session.scalars(select(CrisisEvent))
        [erasure] = await session.scalars(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert event.excerpt == "" and event.tier == "ideation"  # that it happened is kept, the words are not
    assert erasure.detail == {"journal": 2, "checkins": 1, "questionnaires": 0, "crisis_excerpts": 1}

    await add_staff(bot, STAFF)
    payloads = []
    for fmt in ("csv", "json", "fhir", "pdf"):
        before = len(bot.standin.sent(STAFF))
        await bot.standin.send_command(STAFF, "export", f"{patient_id} {fmt}")
        content = (await exported(bot, STAFF, before)).file_bytes
        payloads.append(pdf_text(content) if fmt == "pdf" else content.decode("utf-8-sig"))
    assert "erased" in payloads[3] and "Ana Lúcia" in payloads[3]
    for payload in payloads:
        for erased in ("Walked by the river", "SUM(A1)", CRISIS):
            assert erased not in payload
    document = json.loads(payloads[1])
    assert document["checkins"] == [] and document["journal"] == []
    assert [e["by"] for e in document["erasures"]] == ["patient"]
    # Journaling carries on afterwards.
    before = len(bot.standin.sent(ANA))
    await bot.standin.send_text(ANA, "a fresh start")
    [saved] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert saved.text == "Saved to your journal."
    assert await count(bot, JournalEntry, patient_id=patient_id) == 1


async def test_delete_press_after_the_question_expired(bot: LocalBot) -> None:
    await history(bot, ANA)
    prompt = await delete_prompt(bot, ANA)
    bot.clock.advance(timedelta(minutes=16))
    await bot.standin.press_button(ANA, prompt.message_id, button(prompt, "Yes, erase"))
    await bot.standin.wait_for(lambda: "expired" in (bot.standin.message(ANA, prompt.message_id).text or ""))
    assert await count(bot, JournalEntry) == 2 and await count(bot, AuditEvent) == 0


async def test_delete_from_a_stranger_and_a_forged_press(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await bot.standin.send_command(STRANGER, "delete")
    [reply] = await bot.standin.wait_for_messages(STRANGER, 1)
    assert "joined with the link" in reply.text
    query = await bot.standin.press_button(STRANGER, 1, f"er:{patient_id}:y")
    assert "isn't for you" in (await bot.standin.wait_for(lambda: bot.standin.callback_answer(query)))["text"]
    query = await bot.standin.press_button(ANA, 999, f"er:{patient_id}:y")  # a message that never existed
    await bot.standin.wait_for(lambda: bot.standin.callback_answer(query))
    assert await count(bot, JournalEntry) == 2 and await count(bot, Staff) == 0
    assert date(2026, 3, 2) <= bot.clock.now().date()


async def test_a_counselor_gets_the_pdf_in_one_command(bot: LocalBot) -> None:
    patient_id = await history(bot, ANA)
    await add_staff(bot, STAFF)
    await bot.standin.send_command(STAFF, "export", str(patient_id))
    document = await exported(bot, STAFF, 0)
    assert document.mime_type == "application/pdf" and document.filename.endswith(".pdf")
    text = pdf_text(document.file_bytes)
    for expected in (
        "Ana Lúcia",
        f"patient #{patient_id}",
        "Walked by the river, ça va mieux",
        "Mood 6 of 10",
        "=SUM(A1) is what my spreadsheet says",
        CRISIS,
        "NOT acknowledged",
        "Riverside Ketamine Clinic",
    ):
        assert expected in text, expected  # fmt: skip


async def test_mood_sends_a_chart_of_the_last_30_days(bot: LocalBot) -> None:
    await history(bot, ANA)
    before = len(bot.standin.sent(ANA))
    await bot.standin.send_command(ANA, "mood")
    [picture] = (await bot.standin.wait_for_messages(ANA, before + 1))[before:]
    assert picture.kind == "photo" and "last 30 days" in picture.caption
    assert Image.open(io.BytesIO(picture.file_bytes)).size == (1000, 600)
    await bot.standin.send_command(BEN, "mood")
    [reply] = await bot.standin.wait_for_messages(BEN, 1)
    assert reply.kind == "text" and "joined with the link" in reply.text
    await enrol(bot, BEN, name="Ben")
    before = len(bot.standin.sent(BEN))
    await bot.standin.send_command(BEN, "mood")
    [reply] = (await bot.standin.wait_for_messages(BEN, before + 1))[before:]
    assert reply.kind == "text" and "no check-ins from the last 30 days yet" in reply.text


async def test_questionnaire_results_reach_every_format(bot: LocalBot) -> None:
    from tests.e2e.test_questionnaires import answer_through, begin

    patient = await enrol(bot, ANA, name="Ana")
    await begin(bot, ANA, "phq9")
    await answer_through(bot, ANA, [1, 2, 1, 0, 1, 2, 1, 0, 0])  # total 8: mild
    await begin(bot, ANA, "gad7")
    await answer_through(bot, ANA, [3, 3, 2, 2, 1, 1, 0])  # total 12: moderate
    await add_staff(bot, STAFF)
    files = {}
    for fmt in ("csv", "json", "fhir", "pdf"):
        before = len(bot.standin.sent(STAFF))
        await bot.standin.send_command(STAFF, "export", f"{patient.id} {fmt}")
        files[fmt] = (await exported(bot, STAFF, before)).file_bytes
    rows = [r for r in csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))) if r["record"] == "questionnaire"]
    assert [(r["kind"], r["score"], r["status"]) for r in rows] == [("phq9", "8", "mild"), ("gad7", "12", "moderate")]
    assert rows[0]["items"] == "1=1 2=2 3=1 4=0 5=1 6=2 7=1 8=0 9=0"
    document = json.loads(files["json"])
    load_schema_validator().validate(document)
    assert [(q["title"], q["total"]) for q in document["questionnaires"]] == [("PHQ-9", 8), ("GAD-7", 12)]
    bundle = json.loads(files["fhir"])
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    codes = {c["code"]: r for r in resources for c in r.get("code", {}).get("coding", [])}
    assert codes["44261-6"]["valueInteger"] == 8 and codes["70274-6"]["valueInteger"] == 12
    assert codes["44260-8"]["valueCodeableConcept"]["coding"][0]["display"] == "Not at all"
    text = pdf_text(files["pdf"])
    assert "PHQ-9: 8 (mild)" in text and "GAD-7: 12 (moderate)" in text
