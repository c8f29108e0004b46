"""A patient's next two weeks, worked out as the planner would: check-ins across a DST change, reminders and the
evening follow-up of an infusion, questionnaires weekly and after the series, and nothing while paused or gone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.clinic import ClinicConfig
from bot.upcoming import project
from storage.models import Appointment, AppointmentStatus, Patient, PatientStatus

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # a Friday; Berlin's clocks go forward on Sunday 29 March
CONFIG = ClinicConfig()


def patient(**overrides: object) -> Patient:
    values: dict[str, object] = {
        "id": 1, "display_name": "Ana", "timezone": "Europe/Berlin", "checkin_time": time(20, 0),
        "country": "DE", "language": "de", "status": PatientStatus.ACTIVE, "telegram_chat_id": 5,
        "enrolled_at": datetime(2026, 3, 1, tzinfo=UTC), "created_at": datetime(2026, 3, 1, tzinfo=UTC),
    }  # fmt: skip
    values.update(overrides)
    return Patient(**values)


def infusion(starts_at: datetime, status: AppointmentStatus = AppointmentStatus.SCHEDULED) -> Appointment:
    return Appointment(id=9, patient_id=1, kind="infusion", starts_at=starts_at, duration_minutes=60, status=status)


def test_checkins_follow_the_clock_change_and_an_infusion_brings_its_messages() -> None:
    booked = infusion(datetime(2026, 3, 25, 9, 0, tzinfo=UTC))  # 10:00 in Berlin
    found = project(patient(), [booked], config=CONFIG, now=NOW)
    checkins = [u.due_at for u in found if u.what == "checkin"]
    assert len(checkins) == 14 and checkins[0] == datetime(2026, 3, 20, 19, 0, tzinfo=UTC)
    assert datetime(2026, 3, 28, 19, 0, tzinfo=UTC) in checkins and datetime(2026, 3, 29, 18, 0, tzinfo=UTC) in checkins
    assert [u.due_at for u in found if u.what == "reminder"] == [
        datetime(2026, 3, 24, 9, 0, tzinfo=UTC),  # 24 hours before
        datetime(2026, 3, 25, 7, 0, tzinfo=UTC),  # 2 hours before
    ]
    [followup] = [u for u in found if u.what == "followup"]
    assert followup.due_at == datetime(2026, 3, 25, 18, 0, tzinfo=UTC) and followup.appointment is booked
    phq9 = [u.due_at for u in found if u.instrument == "phq9"]
    assert datetime(2026, 4, 1, 16, 0, tzinfo=UTC) in phq9  # 7 days after the series' last infusion, 18:00
    assert datetime(2026, 3, 22, 17, 0, tzinfo=UTC) in phq9  # Sundays at 18:00
    assert found == sorted(found, key=lambda u: (u.due_at, u.what))
    assert all(NOW <= u.due_at <= NOW + timedelta(days=14) for u in found)


def test_a_pause_holds_checkins_and_questionnaires_until_it_ends_but_not_reminders() -> None:
    resumes = datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    paused = patient(status=PatientStatus.PAUSED, paused_until=resumes)
    found = project(paused, [infusion(datetime(2026, 3, 25, 9, 0, tzinfo=UTC))], config=CONFIG, now=NOW)
    assert min(u.due_at for u in found if u.what == "checkin") == datetime(2026, 3, 27, 19, 0, tzinfo=UTC)
    assert all(u.due_at >= resumes for u in found if u.what == "questionnaire")
    assert [u.what for u in found if u.due_at < resumes] == ["reminder", "reminder", "followup"]
    forever = patient(status=PatientStatus.PAUSED, paused_until=None)
    assert {u.what for u in project(forever, [], config=CONFIG, now=NOW)} == set()


def test_nothing_for_a_patient_the_bot_cannot_reach_and_nothing_for_a_cancelled_booking() -> None:
    for gone in (
        patient(telegram_chat_id=None, status=PatientStatus.INVITED),
        patient(unreachable_since=NOW),
        patient(status=PatientStatus.DEACTIVATED),
    ):
        assert project(gone, [], config=CONFIG, now=NOW) == []
    cancelled = infusion(datetime(2026, 3, 25, 9, 0, tzinfo=UTC), AppointmentStatus.CANCELLED)
    assert {u.what for u in project(patient(), [cancelled], config=CONFIG, now=NOW)} == {"checkin", "questionnaire"}
