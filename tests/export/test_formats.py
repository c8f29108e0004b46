"""CSV, JSON and FHIR read back by real parsers and compared with the records they came from."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime

from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.export.fhir import bundle
from bot.export.formats import Format, parse_format, render
from bot.export.json_doc import document
from bot.export.model import ExportData, JournalRecord
from bot.export.summary import summarise
from bot.export.timeline_csv import COLUMNS, render_csv
from tests.export.records import load_schema_validator, sample

VALIDATOR = load_schema_validator()
# Any text a person can type: every character but lone surrogates, which no Telegram message carries.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


def csv_rows(data: ExportData) -> list[dict[str, str]]:
    content = render_csv(data)
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def unguard(cell: str) -> str:
    return cell[1:] if cell[:2] in {"'=", "'+", "'-", "'@", "'\t", "'\r"} else cell


def empty(**overrides: object) -> ExportData:
    return sample(checkins=(), journal=(), appointments=(), crises=(), questionnaires=(), **overrides)


def test_csv_has_the_documented_columns_and_a_row_per_record() -> None:
    data = sample()
    content = render_csv(data).decode("utf-8-sig")
    assert content.splitlines()[0] == ",".join(COLUMNS)
    rows = csv_rows(data)
    expected = 1 + len(data.checkins) + len(data.journal) + len(data.appointments) + len(data.crises)
    assert len(rows) == expected + len(data.questionnaires)
    assert rows[0]["record"] == "profile" and rows[0]["text"] == "Zoë Ångström"
    stamps = [datetime.fromisoformat(r["local_time"]) for r in rows[1:]]
    assert stamps == sorted(stamps)


def test_csv_checkins_match_their_records_in_local_time() -> None:
    data = sample()
    rows = {(r["record"], r["id"]): r for r in csv_rows(data)}
    for c in data.checkins:
        row = rows[("checkin" if c.kind == "daily" else "followup", str(c.id))]
        assert row["score"] == ("" if c.score is None else str(c.score))
        assert row["status"] == c.status and row["local_date"] == c.local_date.isoformat()
        assert row["text"] == (c.note or "")
        assert datetime.fromisoformat(row["local_time"]) == (c.answered_at or c.asked_at)
    # 20:00 in Berlin on both sides of the clocks going forward on 29 March.
    assert (rows[("checkin", "4")]["status"], rows[("checkin", "4")]["local_time"]) == (
        "missed",
        "2026-03-24T20:00:00+01:00",
    )
    assert rows[("checkin", "0")]["local_time"] == "2026-03-20T20:03:00+01:00"
    assert rows[("checkin", "10")]["local_time"] == "2026-03-30T20:03:00+02:00"
    assert rows[("followup", "100")]["effects"] == "dissociation; nausea"
    assert rows[("followup", "100")]["appointment_id"] == "31"


def test_csv_other_records() -> None:
    rows = {(r["record"], r["id"]): r for r in csv_rows(sample())}
    assert rows[("journal", "1")]["text"] == "Привет, Ωμέγα — café"
    assert rows[("journal", "2")]["text"] == "'+1 day"  # shown as text, not run as a formula
    assert rows[("journal", "2")]["edited_at"] == "2026-03-29T04:00:00+02:00"
    assert [rows[("appointment", i)]["status"] for i in ("31", "32")] == ["confirmed", "unconfirmed"]
    assert rows[("crisis", "5")]["acknowledged_by"] == "Dr. Reyes" and rows[("crisis", "6")]["status"] == "open"
    assert rows[("questionnaire", "11")]["items"] == " ".join(f"{i}=2" for i in range(1, 10))
    phq9 = rows[("questionnaire", "11")]
    assert (phq9["score"], phq9["status"]) == ("18", "moderately severe")


@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_any_text_round_trips_through_csv_and_json(text: str) -> None:
    data = sample(journal=(JournalRecord(1, datetime(2026, 3, 28, tzinfo=UTC), None, text),))
    [row] = [r for r in csv_rows(data) if r["record"] == "journal"]
    assert unguard(row["text"]) == text
    assert json.loads(render(data, Format.JSON).content)["journal"][0]["text"] == text


def test_a_very_long_note_is_kept_whole() -> None:
    note = "ü" * 60_000 + " the end"
    data = sample(journal=(JournalRecord(1, datetime(2026, 3, 28, tzinfo=UTC), None, note),))
    assert [r["text"] for r in csv_rows(data) if r["record"] == "journal"] == [note]
    assert json.loads(render(data, Format.JSON).content)["journal"][0]["text"] == note


def test_json_follows_its_schema_and_holds_every_record() -> None:
    data = sample()
    doc = json.loads(render(data, Format.JSON).content)
    VALIDATOR.validate(doc)
    assert (doc["format"], doc["version"]) == ("moodbot-export", 1)
    assert [c["score"] for c in doc["checkins"]] == [c.score for c in data.checkins]
    assert [c["note"] for c in doc["checkins"]] == [c.note for c in data.checkins]
    assert [datetime.fromisoformat(c["asked_at"]) for c in doc["checkins"]] == [c.asked_at for c in data.checkins]
    assert [j["text"] for j in doc["journal"]] == [j.text for j in data.journal]
    assert [a["state"] for a in doc["appointments"]] == ["confirmed", "unconfirmed"]
    assert [(e["tier"], e["acknowledged_by"]) for e in doc["crisis_events"]] == [
        ("ideation", "Dr. Reyes"),
        ("imminent", None),
    ]
    assert [(q["instrument"], q["total"], q["band"]) for q in doc["questionnaires"]] == [
        ("phq9", 18, "moderately severe"),
        ("gad7", 7, "mild"),
    ]
    summary = summarise(data)
    assert doc["summary"]["mean_mood_7_days"] == round(summary.mean_7 or 0, 2)
    assert doc["summary"]["open_crisis_events"] == 1
    assert doc["patient"]["enrolled_at"] == "2026-03-01T11:00:00+01:00"


def test_json_schema_refuses_what_it_does_not_describe() -> None:
    doc = document(sample())
    assert VALIDATOR.is_valid(doc)
    for broken in (
        {**doc, "version": 2},
        {**doc, "surprise": True},
        {**doc, "checkins": [{**doc["checkins"][0], "score": 11}]},
        {**doc, "crisis_events": [{**doc["crisis_events"][0], "tier": "mild"}]},
    ):
        assert not VALIDATOR.is_valid(broken)


def test_fhir_bundle_validates_and_matches_the_records() -> None:
    data = sample()
    raw = bundle(data)
    Bundle.model_validate(raw)
    resources = [e["resource"] for e in raw["entry"]]
    urls = {e["fullUrl"] for e in raw["entry"]}
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Patient") == 1 and kinds.count("Appointment") == 2
    moods = [r for r in resources if r.get("code", {}).get("coding", [{}])[0].get("code", "").startswith("mood-score")]
    assert [m["valueInteger"] for m in moods] == [c.score for c in data.checkins if c.score is not None]
    assert all(m["subject"]["reference"] in urls for m in moods)
    followup = next(m for m in moods if m["code"]["coding"][0]["code"] == "mood-score-after-infusion")
    assert followup["focus"][0]["reference"] in urls

    def loinc(code: str) -> list[dict]:
        return [r for r in resources if any(c.get("code") == code for c in r.get("code", {}).get("coding", []))]

    [total] = loinc("44261-6")
    assert total["valueInteger"] == 18 and total["interpretation"][0]["text"] == "moderately severe"
    [item9] = loinc("44260-8")
    assert item9["valueCodeableConcept"]["coding"][0]["code"] == "LA6570-1"  # "More than half the days"
    [gad] = loinc("70274-6")
    assert gad["valueInteger"] == 7
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert [r["questionnaire"] for r in responses] == ["http://loinc.org/q/44249-1", "http://loinc.org/q/69737-5"]
    assert [i["linkId"] for i in responses[0]["item"]][-1] == "44260-8"
    assert total["derivedFrom"][0]["reference"] in urls
    # The same records give the same resource ids, so a records system can import a later export again.
    assert [e["fullUrl"] for e in bundle(data)["entry"]] == [e["fullUrl"] for e in raw["entry"]]


def test_the_clinics_record_number_goes_out_in_json_and_as_the_fhir_patient_identifier() -> None:
    plain = sample()
    assert document(plain)["patient"]["external_id"] is None
    assert bundle(plain)["entry"][0]["resource"]["identifier"] == [{"system": "urn:moodbot:patient", "value": "7"}]
    numbered = sample(
        profile=dataclasses.replace(plain.profile, external_id="MRN-0042"), record_system="urn:oid:1.2.36.146.595"
    )
    doc = document(numbered)
    VALIDATOR.validate(doc)
    assert doc["patient"]["external_id"] == "MRN-0042"
    raw = bundle(numbered)
    Bundle.model_validate(raw)
    record, ours = raw["entry"][0]["resource"]["identifier"]
    assert (record["use"], record["system"], record["value"]) == ("usual", "urn:oid:1.2.36.146.595", "MRN-0042")
    assert record["type"]["coding"] == [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]
    assert ours == {"system": "urn:moodbot:patient", "value": "7"}
    unnamed = bundle(dataclasses.replace(numbered, record_system=None))["entry"][0]["resource"]["identifier"][0]
    assert "system" not in unnamed and unnamed["value"] == "MRN-0042"


def test_a_patient_with_no_data() -> None:
    data = empty()
    assert [r["record"] for r in csv_rows(data)] == ["profile"]
    doc = json.loads(render(data, Format.JSON).content)
    VALIDATOR.validate(doc)
    assert doc["summary"]["mean_mood_30_days"] is None and doc["summary"]["adherence_period"]["rate"] is None
    raw = bundle(data)
    Bundle.model_validate(raw)
    assert [e["resource"]["resourceType"] for e in raw["entry"]] == ["Patient"]


def test_a_date_range_is_stated() -> None:
    data = empty(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert json.loads(render(data, Format.JSON).content)["period"] == {"from": "2026-03-01", "to": "2026-03-31"}


def test_file_names_carry_ids_and_dates_not_names() -> None:
    data = sample()
    names = {fmt: render(data, fmt).filename for fmt in (Format.CSV, Format.JSON, Format.FHIR)}
    assert names == {
        Format.CSV: "patient-7-20260402-1200.csv",
        Format.JSON: "patient-7-20260402-1200.json",
        Format.FHIR: "patient-7-20260402-1200.fhir.json",
    }
    assert parse_format(None) is Format.PDF and parse_format(" CSV ") is Format.CSV and parse_format("xls") is None


def test_erasures_are_shown_in_every_format() -> None:
    from bot.export.model import ErasureRecord

    data = dataclasses.replace(empty(), erasures=(ErasureRecord(datetime(2026, 3, 30, 12, tzinfo=UTC), "patient"),))
    [erasure] = [r for r in csv_rows(data) if r["record"] == "erasure"]
    assert erasure["local_time"] == "2026-03-30T14:00:00+02:00" and "erased" in erasure["details"]
    assert json.loads(render(data, Format.JSON).content)["erasures"] == [
        {"at": "2026-03-30T14:00:00+02:00", "by": "patient"}
    ]


def flagged() -> ExportData:
    """A patient whose journal holds a resolved past, a worry about someone else, and an entry the bot asked
    about (answered no); the asked-about message is an event staff were never alerted to."""
    from bot.export.model import CrisisRecord

    base = sample()
    start = base.journal[0].created_at
    journal = (
        JournalRecord(90, start, None, "a year ago I had it all planned. today I went hiking", "past"),
        JournalRecord(91, start, None, "my roommate keeps saying she wants to disappear", "other_person"),
        JournalRecord(92, start, None, "everything is grey", "possible:no"),
    )
    asked = CrisisRecord(
        id=93, detected_at=start, tier="possible", rule="model.ideation", excerpt="everything is grey",
        acknowledged_at=None, acknowledged_by=None, score=0.41, answer="no",
    )  # fmt: skip
    return dataclasses.replace(base, journal=journal, crises=(*base.crises, asked))


def test_review_flags_and_asked_about_messages_in_every_format() -> None:
    data = flagged()
    rows = csv_rows(data)
    assert [r["details"] for r in rows if r["record"] == "journal"] == [
        "flag=past",
        "flag=other_person",
        "flag=possible:no",
    ]
    [asked] = [r for r in rows if r["record"] == "crisis" and r["kind"] == "possible"]
    assert asked["status"] == "asked; answer=no" and "score=0.410" in asked["details"]
    doc = json.loads(render(data, Format.JSON).content)
    VALIDATOR.validate(doc)
    assert [j["flag"] for j in doc["journal"]] == ["past", "other_person", "possible:no"]
    assert doc["crisis_events"][-1] | {"id": 0} == doc["crisis_events"][-1] | {
        "id": 0,
        "tier": "possible",
        "score": 0.41,
        "answer": "no",
    }
    assert doc["summary"]["crisis_events"] == 2 and doc["summary"]["open_crisis_events"] == 1
    raw = bundle(data)
    Bundle.model_validate(raw)
    notes = [n["text"] for e in raw["entry"] for n in e["resource"].get("note", [])]
    assert "Flagged for review: past" in notes and "Asked first; answer: no" in notes
    assert any(n.startswith("Why: the detector's model is 41% sure") for n in notes)
    assert not VALIDATOR.is_valid({**doc, "journal": [{**doc["journal"][0], "flag": "whatever"}]})


def test_review_flags_in_the_pdf() -> None:
    from pypdf import PdfReader

    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(render(flagged(), Format.PDF).content)).pages
    )
    assert "For review: thoughts or self-harm in the past, said to be over." in text
    assert "For review: worried about someone else's safety." in text
    assert "the patient answered no" in text
    assert "Crisis event: possible crisis, asked first" in text and "The patient answered no." in text
