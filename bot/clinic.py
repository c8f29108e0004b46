"""The clinic file (TOML): validated once at start, with defaults for every key."""

from __future__ import annotations

import re
import tomllib
from datetime import date, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.errors import ConfigError
from bot.i18n.catalogue import LANGUAGES
from bot.timeparse import parse_time, parse_timezone


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zone(value: str) -> str:
    zone = parse_timezone(value)
    if zone is None:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin'")
    return zone


def _clock(value: object) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        raise ValueError(f"use a quoted time of day such as '20:00', not {value!r}")
    parsed = parse_time(value)
    if parsed is None:
        raise ValueError(f"not a time of day: {value!r}; use HH:MM such as '20:00'")
    return parsed


CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class ClinicSection(_Strict):
    name: str = "your clinic"
    timezone: str = "America/New_York"
    country: CountryCode = "US"
    language: str = "en"  # the default for patients, strangers and staff; one of bot.i18n.catalogue.LANGUAGES
    staff_chat_id: int | None = None
    checkin_time: time = time(20, 0)
    invite_days: int = Field(default=14, ge=1, le=90)
    # A daily check-in that could not go out within this many hours of its time is dropped, not sent late.
    checkin_grace_hours: float = Field(default=3, gt=0, le=12)
    # How long after the mood tap the patient's next text is taken as the check-in's note.
    note_window_minutes: int = Field(default=120, ge=5, le=24 * 60)
    # Check-ins older than this many days no longer accept taps.
    answer_window_days: int = Field(default=3, ge=1, le=14)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _zone(value)

    @field_validator("checkin_time", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> time:
        return _clock(value)

    @field_validator("language")
    @classmethod
    def _spoken(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"the bot speaks {', '.join(LANGUAGES)}, not {value!r}")
        return value


class HotlineLine(_Strict):
    name: str
    call: str | None = None
    text: str | None = None
    chat_url: str | None = None
    hours: str = "24/7"
    free: bool = True
    languages: tuple[str, ...] = ()
    for_others: bool = False

    @property
    def always_open(self) -> bool:
        return self.hours.strip() == "24/7"


class CountryHotlines(_Strict):
    emergency: str | None = None
    checked: date | None = None
    lines: tuple[HotlineLine, ...] = Field(min_length=1)


Tier = Literal["imminent", "self_harm", "ideation"]


class SafetySection(_Strict):
    # Minutes an alert may stay unacknowledged before the staff chat is alerted again.
    ack_minutes: int = Field(default=15, ge=1, le=240)
    # Repeats after the first alert; after the last one the fallback contact is alerted.
    max_realerts: int = Field(default=3, ge=0, le=20)
    # A chat (a person's private chat with the bot, or another group) told when nobody acknowledges.
    fallback_chat_id: int | None = None
    # Minutes the bot waits for an answer to its question about a possible crisis before telling the staff.
    possible_answer_minutes: int = Field(default=30, ge=5, le=240)
    # The clinic's own phrases, per tier, matched after the same normalisation as the built-in ones.
    extra_phrases: dict[Tier, tuple[str, ...]] = Field(default_factory=dict)


class AppointmentKind(_Strict):
    label: str
    # Hours before the start at which a reminder goes out.
    lead_hours: tuple[float, ...] = Field(default=(24.0,), max_length=6)
    duration_minutes: int = Field(default=60, ge=5, le=1440)
    instructions: tuple[str, ...] = ()
    # An evening check-in after the appointment (how are you feeling, after-effects, a note).
    followup: bool = False
    followup_time: time = time(19, 0)

    @field_validator("lead_hours")
    @classmethod
    def _positive(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(hours <= 0 or hours > 24 * 14 for hours in value):
            raise ValueError("lead times are hours before the start, between 0 and 336")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("followup_time", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> time:
        return _clock(value)


FASTING_RULE = "Please follow the fasting rule your clinic gave you before the infusion."
DEFAULT_KINDS: dict[str, dict[str, Any]] = {
    "infusion": {
        "label": "infusion",
        "lead_hours": (24, 2),
        "duration_minutes": 60,
        "instructions": (
            FASTING_RULE,
            "Arrange for an adult to take you home afterwards.",
            "No driving and no big decisions until the next day, after a night's sleep.",
        ),
        "followup": True,
    },
    "therapy": {"label": "therapy session", "lead_hours": (24, 1), "duration_minutes": 50},
}


class AppointmentsSection(_Strict):
    kinds: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")], AppointmentKind] = Field(
        default_factory=lambda: {name: AppointmentKind(**kind) for name, kind in DEFAULT_KINDS.items()}
    )
    # Local time in which no reminder is sent; one that would fall inside goes out before it begins.
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)

    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> time:
        return _clock(value)


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "off"]


class QuestionnaireSchedule(_Strict):
    """When one questionnaire is sent by itself; all of it at `time` on the day, in the patient's zone."""

    # A weekly one on this day ("off": none).
    weekday: Weekday = "off"
    at: time = Field(default=time(18, 0), alias="time")
    # Days after the first and after the last infusion of a series (0: none).
    after_first_infusion_days: int = Field(default=0, ge=0, le=90)
    after_last_infusion_days: int = Field(default=0, ge=0, le=90)
    # A scheduled one is not sent when the patient finished the same questionnaire this many days ago or less.
    min_days_between: int = Field(default=3, ge=0, le=30)

    @field_validator("at", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> time:
        return _clock(value)


DEFAULT_SCHEDULES: dict[str, dict[str, Any]] = {
    "phq9": {"weekday": "sun", "after_last_infusion_days": 7},
    "gad7": {},
}


class QuestionnairesSection(_Strict):
    # An unfinished questionnaire closes this many hours after it was started.
    expire_hours: int = Field(default=24, ge=1, le=72)
    # Appointments of these kinds make up infusion series; a gap of more days than this starts a new series.
    series_kinds: tuple[str, ...] = ("infusion",)
    series_gap_days: int = Field(default=14, ge=1, le=60)
    phq9: QuestionnaireSchedule = QuestionnaireSchedule(**DEFAULT_SCHEDULES["phq9"])
    gad7: QuestionnaireSchedule = QuestionnaireSchedule(**DEFAULT_SCHEDULES["gad7"])

    @model_validator(mode="before")
    @classmethod
    def _key_by_key(cls, data: Any) -> Any:
        """A questionnaire's table in the file changes its built-in schedule key by key."""
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for key, defaults in DEFAULT_SCHEDULES.items():
            if isinstance(data.get(key), dict):
                merged[key] = {**defaults, **data[key]}
        return merged

    @property
    def expiry(self) -> timedelta:
        return timedelta(hours=self.expire_hours)

    def schedule(self, instrument: str) -> QuestionnaireSchedule:
        found: QuestionnaireSchedule = getattr(self, instrument)
        return found


class ClinicConfig(_Strict):
    clinic: ClinicSection = ClinicSection()
    safety: SafetySection = SafetySection()
    appointments: AppointmentsSection = AppointmentsSection()
    questionnaires: QuestionnairesSection = QuestionnairesSection()
    hotlines: dict[CountryCode, CountryHotlines] = Field(default_factory=dict)
    source: str = "built-in defaults"

    def hotlines_for(self, country: str | None) -> tuple[str, CountryHotlines, bool]:
        """(country, its lines, whether they are the clinic's fallback rather than the asked country's)."""
        if country and country.upper() in self.hotlines:
            return country.upper(), self.hotlines[country.upper()], False
        home = self.clinic.country
        if home in self.hotlines:
            return home, self.hotlines[home], country is not None and country.upper() != home
        first = next(iter(sorted(self.hotlines)))
        return first, self.hotlines[first], True


@cache
def default_hotlines() -> dict[str, Any]:
    text = resources.files("bot").joinpath("data/hotlines.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_clinic_config(path: Path | None) -> ClinicConfig:
    """The clinic file at `path`, `clinic.toml` when present, else the built-in defaults."""
    if path is None:
        candidate = Path("clinic.toml")
        path = candidate if candidate.exists() else None
    raw: dict[str, Any] = {}
    text = ""
    name = "built-in defaults"
    if path is not None:
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{name}: cannot read the clinic file: {exc.strerror}") from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    hotlines = dict(default_hotlines())
    hotlines.update(raw.get("hotlines", {}) if isinstance(raw.get("hotlines"), dict) else {})
    merged = {**raw, "hotlines": hotlines, "source": name}
    appointments = raw.get("appointments")
    if isinstance(appointments, dict) and isinstance(appointments.get("kinds"), dict):
        # A kind in the file changes the built-in one key by key, or adds a new kind.
        kinds = {k: dict(v) for k, v in DEFAULT_KINDS.items()}
        for kind, values in appointments["kinds"].items():
            kinds[kind] = {**kinds.get(kind, {}), **values} if isinstance(values, dict) else values
        merged["appointments"] = {**appointments, "kinds": kinds}
    try:
        config = ClinicConfig.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, name, text)) from None
    if not config.hotlines:
        raise ConfigError(f"{name}: [hotlines]: at least one country's crisis lines are needed")
    unknown = [kind for kind in config.questionnaires.series_kinds if kind not in config.appointments.kinds]
    if unknown:
        line = _line_of(text, ["questionnaires", "series_kinds"])
        raise ConfigError(
            f"{name}:{f' line {line}:' if line else ''} questionnaires.series_kinds: unknown appointment kind "
            f"{unknown[0]!r}; the clinic file knows {', '.join(sorted(config.appointments.kinds))}"
        )
    return config


def _describe(exc: ValidationError, name: str, text: str) -> str:
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    where = ".".join(loc) if loc else "(top)"
    line = _line_of(text, loc)
    at = f" line {line}:" if line else ""
    return f"{name}:{at} {where}: {message}"


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best effort: the line where the last key of `loc` is set inside its table."""
    if not text or not loc:
        return None
    table, key = ".".join(loc[:-1]), loc[-1]
    in_table = table == ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if header:
            in_table = header.group(1) == table or (table and table.startswith(header.group(1) + "."))
            if header.group(1) == ".".join(loc):
                return number
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None
