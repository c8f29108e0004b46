"""Calendar events without our own fields: the patient by e-mail, record number or name, the kind by keywords."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.appointments.imports import parse_csv, parse_ics
from bot.appointments.matching import KindMatcher, Known, Matching, NoMatch, NoPatient, PatientMatcher, words
from bot.clinic import ClinicConfig

ANA = Known(1, "Ana Ruiz", "MRN-0042", "ana.ruiz@example.org")
ANA_MARIA = Known(2, "Ana María Ruiz")
BEN = Known(3, "Benjamin Müller", "7781")
ANA_TOO = Known(4, "Ana", email="family@example.org")
ZOE = Known(5, "Zoé Martin", email="family@example.org")
PATIENTS = PatientMatcher([ANA, ANA_MARIA, BEN, ANA_TOO, ZOE])


def kinds_of(config: ClinicConfig) -> KindMatcher:
    return KindMatcher(
        {name: [*kind.label.values(), *kind.keywords] for name, kind in config.appointments.kinds.items()}
    )


KINDS = kinds_of(ClinicConfig())
MATCHING = Matching(PATIENTS, KINDS)
OPTIONS = {
    "kinds": ("infusion", "therapy"),
    "default_timezone": "Europe/Berlin",
    "default_durations": {"infusion": 60, "therapy": 50},
}


def test_words_fold_case_accents_and_punctuation() -> None:
    assert words("Benjamin MÜLLER, José!") == ("benjamin", "muller", "jose")
    assert words("") == ()


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Ketamine – Ana Ruiz", ANA.id),
        ("ana ruiz: infusion 3/6", ANA.id),
        ("Infusion ANA MARIA RUIZ", ANA_MARIA.id),  # the longest name found wins over "Ana"
        ("Therapie mit Benjamin Muller", BEN.id),  # no umlaut typed
        ("Check-in with Ana", ANA_TOO.id),
        ("Zoe Martin follow-up", ZOE.id),
    ],
)
def test_a_name_in_the_summary(summary: str, expected: int) -> None:
    assert PATIENTS.find(summary) == expected


def test_a_record_number_anywhere_in_the_summary_or_description_beats_a_name() -> None:
    assert PATIENTS.find("Infusion (mrn-0042)") == ANA.id
    assert PATIENTS.find("Infusion Ana", more="Patient record: MRN:7781") == BEN.id
    with pytest.raises(NoMatch):
        PATIENTS.find("Infusion 77810")  # a longer number is another number


def test_an_attendees_e_mail_beats_everything_and_one_shared_by_two_is_refused() -> None:
    assert PATIENTS.find("Infusion Ana Ruiz", emails=["ANA.RUIZ@example.org", "nurse@clinic.org"]) == ANA.id
    assert PATIENTS.find("Infusion", emails=["someone@else.org"], more="7781") == BEN.id
    with pytest.raises(NoMatch, match="more than one patient"):
        PATIENTS.find("Infusion", emails=["family@example.org"])


def test_a_summary_that_names_nobody_or_two_people_is_refused_with_the_reason() -> None:
    with pytest.raises(NoMatch, match="no patient's name, record number or e-mail in 'Ketamine infusion'"):
        PATIENTS.find("Ketamine infusion")
    with pytest.raises(NoMatch, match="no patient"):
        PATIENTS.find("")
    twins = PatientMatcher([Known(1, "Ana Ruiz"), Known(2, "Ana Ruiz")])
    with pytest.raises(NoMatch, match=r"Ana Ruiz \(#1\), Ana Ruiz \(#2\)"):
        twins.find("Infusion Ana Ruiz")
    with pytest.raises(NoMatch):
        PatientMatcher([]).find("Ana Ruiz")


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        ("Ketamine – Ana Ruiz", "infusion"),
        ("KÉTAMINE Ana", "infusion"),
        ("Infusión Ana", "infusion"),
        ("Spravato session", "infusion"),
        ("Psychotherapie Benjamin", "therapy"),
        ("Therapy session with Zoé", "therapy"),
        ("Sesión de terapia", "therapy"),
    ],
)
def test_the_kind_from_its_name_labels_or_keywords(summary: str, kind: str) -> None:
    assert KINDS.find(summary) == kind


def test_a_summary_naming_no_kind_or_two_is_refused() -> None:
    with pytest.raises(NoMatch, match="no kind named in 'Ana Ruiz'"):
        KINDS.find("Ana Ruiz")
    with pytest.raises(NoMatch, match=r"more than one kind \(infusion, therapy\)"):
        KINDS.find("Therapy after the infusion")


def test_a_clinics_own_keywords_name_its_kind() -> None:
    config = ClinicConfig.model_validate(
        {
            "appointments": {
                "kinds": {"consult": {"label": {"en": "Consultation"}, "keywords": ["intake", "Erstgespräch"]}}
            }
        }
    )
    kinds = kinds_of(config)
    assert kinds.find("Intake – Ana") == "consult" and kinds.find("erstgesprach Ben") == "consult"
    assert kinds.find("Consultation") == "consult"


@given(st.text(max_size=200), st.lists(st.text(max_size=40), max_size=3), st.text(max_size=100))
def test_any_text_finds_a_patient_or_says_why_not(summary: str, emails: list[str], more: str) -> None:
    try:
        found = PATIENTS.find(summary, emails=emails, more=more)
    except NoMatch as exc:
        assert str(exc)
    else:
        assert found in {ANA.id, ANA_MARIA.id, BEN.id, ANA_TOO.id, ZOE.id}


# --- in the parsers -----------------------------------------------------------------------------------------

GOOGLE = (
    "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\nX-WR-CALNAME:Infusion suite\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    "BEGIN:VEVENT\r\nDTSTART:20260305T090000Z\r\nDTEND:20260305T103000Z\r\nDTSTAMP:20260301T101010Z\r\n"
    "UID:0a1b2c3d4e5f@google.com\r\n"
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=ana.ruiz@example.org;\r\n"
    " X-NUM-GUESTS=0:mailto:ana.ruiz@example.org\r\n"
    "CREATED:20260301T101000Z\r\nDESCRIPTION:\r\nLAST-MODIFIED:20260301T101010Z\r\nLOCATION:Room 2\r\n"
    "SEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:Ketamine #3\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20260306T140000\r\nDTEND;TZID=Europe/Berlin:20260306T145000\r\n"
    "DTSTAMP:20260301T101010Z\r\nUID:9f8e7d6c@google.com\r\nSUMMARY:Therapie – Benjamin Müller\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART:20260307T090000Z\r\nDTEND:20260307T100000Z\r\nDTSTAMP:20260301T101010Z\r\n"
    "UID:unmatched@google.com\r\nSUMMARY:Infusion – walk-in\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

OUTLOOK = (
    "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\n"
    "METHOD:PUBLISH\r\nX-MS-OLK-FORCEINSPECTOROPEN:TRUE\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nCLASS:PUBLIC\r\nCREATED:20260301T090000Z\r\n"
    "DESCRIPTION:Patient MRN: MRN-0042\\nBring a companion.\\n\r\n"
    'DTEND;TZID="W. Europe Standard Time":20260310T110000\r\n'
    'DTSTART;TZID="W. Europe Standard Time":20260310T090000\r\nDTSTAMP:20260301T090000Z\r\n'
    "LOCATION:Infusion room\r\nPRIORITY:5\r\nSEQUENCE:0\r\nSUMMARY;LANGUAGE=de-de:Esketamin\r\n"
    "TRANSP:OPAQUE\r\nUID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5\r\n"
    "X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nX-MICROSOFT-CDO-IMPORTANCE:1\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_a_google_calendar_export_is_read_and_the_event_matching_no_one_is_named() -> None:
    rows, errors = parse_ics(GOOGLE.encode(), **OPTIONS, match=MATCHING)
    assert [(r.uid, r.patient_id, r.kind, r.duration_minutes, r.location) for r in rows] == [
        ("0a1b2c3d4e5f@google.com", ANA.id, "infusion", 90, "Room 2"),
        ("9f8e7d6c@google.com", BEN.id, "therapy", 50, None),
    ]
    assert rows[1].starts_at == datetime(2026, 3, 6, 13, 0, tzinfo=UTC)
    [error] = errors
    assert error.line == GOOGLE[: GOOGLE.index("UID:unmatched")].count("\n") - 3
    assert error.reason == "no patient's name, record number or e-mail in 'Infusion – walk-in'"


def test_without_matching_such_a_file_is_refused_row_by_row_with_the_way_out() -> None:
    rows, errors = parse_ics(GOOGLE.encode(), **OPTIONS)
    assert rows == [] and len(errors) == 3
    assert all("match them" in e.reason and "no known kind in CATEGORIES" in e.reason for e in errors)


def test_an_outlook_export_with_a_windows_zone_and_the_record_number_in_the_description() -> None:
    [row], errors = parse_ics(OUTLOOK.encode(), **OPTIONS, match=MATCHING)
    assert errors == []
    assert (row.patient_id, row.kind, row.duration_minutes) == (ANA.id, "infusion", 120)
    assert row.starts_at == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert row.notes == "Patient MRN: MRN-0042\nBring a companion."


def test_a_csv_names_patients_in_a_patient_column_when_matching() -> None:
    text = (
        "patient;kind;start\n"
        "Ana Ruiz;Ketamin;2026-03-05T10:00\n"
        "7781;therapy;2026-03-06T10:00\n"
        "ana.ruiz@example.org;infusion;2026-03-07T10:00\n"
        "Nobody Known;Yoga;2026-03-08T10:00\n"
    )
    rows, errors = parse_csv(text, **OPTIONS, match=MATCHING)
    assert [(r.patient_id, r.kind) for r in rows] == [(ANA.id, "infusion"), (BEN.id, "therapy"), (ANA.id, "infusion")]
    [error] = errors
    assert error.line == 5 and "no patient's name" in error.reason and "no kind named in 'Yoga'" in error.reason


def test_a_patient_column_needs_matching_and_cannot_stand_beside_patient_id() -> None:
    [error] = parse_csv("patient,kind,start\nAna,infusion,2026-03-05T10:00\n", **OPTIONS)[1]
    assert (error.line, error.reason) == (
        1,
        "column 'patient' holds names, record numbers or e-mails: match them (--match)",
    )
    [error] = parse_csv("patient_id,patient,kind,start\n1,Ana,infusion,2026-03-05T10:00\n", **OPTIONS, match=MATCHING)[
        1
    ]
    assert error.reason == "give either 'patient_id' or 'patient', not both"


def test_a_chosen_patient_and_an_earlier_import_stand_in_for_words_that_name_no_one() -> None:
    matching = Matching(PATIENTS, KINDS, assigned={7: BEN.id}, booked={"walk-in@cal": ZOE.id})
    assert matching.patient(7, "Ana Ruiz") == BEN.id  # a person's choice for the line wins
    assert matching.patient(8, "Infusion (walk-in)", uid="walk-in@cal") == ZOE.id
    assert matching.patient(8, "Ana Ruiz", uid="walk-in@cal") == ANA.id  # the words, when they name someone
    with pytest.raises(NoPatient):
        matching.patient(9, "Infusion (walk-in)", uid="other@cal")
