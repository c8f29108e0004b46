"""The clinic file (TOML): validated once at start, with defaults for every key."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping
from datetime import date, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from bot.errors import ConfigError
from bot.i18n.catalogue import LANGUAGES, SOURCE
from bot.questionnaires.instruments import instruments
from bot.questionnaires.wording import TranslatedItems
from bot.texts import t
from bot.timeparse import parse_time, parse_timezone

log = logging.getLogger(__name__)


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
    # Other countries the clinic's patients live in: someone not enrolled whose app's language points to one of
    # them (es-MX: MX) is shown that country's lines; otherwise the clinic's own country's.
    also_serves: tuple[CountryCode, ...] = ()
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
    # The URI naming the clinic's record numbers (MRN) in FHIR exports (Patient.identifier.system), such as
    # "urn:oid:1.2.3.4" from its records system; without it the number goes out with its type alone.
    record_system: str | None = Field(default=None, min_length=4, max_length=200, pattern=r"^(urn:|https?://)\S+$")

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


Language = Literal["en", "es", "de", "fr"]  # bot.i18n.catalogue.LANGUAGES, for the clinic file's tables


def _per_language(value: object) -> object:
    """A plain value in the clinic file is English; a table gives it per language ({ en = …, es = … })."""
    return value if isinstance(value, dict) else {SOURCE: value}


_missing_logged: set[tuple[str, str, str]] = set()
T = TypeVar("T")


class AppointmentKind(_Strict):
    # Per language; patients whose language has none read the English words (logged once a process).
    label: dict[Language, str] = Field(min_length=1)
    # Hours before the start at which a reminder goes out.
    lead_hours: tuple[float, ...] = Field(default=(24.0,), max_length=6)
    duration_minutes: int = Field(default=60, ge=5, le=1440)
    instructions: dict[Language, tuple[str, ...]] = Field(default_factory=dict)
    # An evening check-in after the appointment (how are you feeling, after-effects, a note).
    followup: bool = False
    followup_time: time = time(19, 0)
    # Words that name this kind in a calendar event's summary ("ketamine"), besides its own name and labels; an
    # import that matches events reads them (README: "Importing appointments").
    keywords: tuple[Annotated[str, Field(min_length=1, max_length=60)], ...] = Field(default=(), max_length=30)

    @field_validator("label", "instructions", mode="before")
    @classmethod
    def _per_language(cls, value: object) -> object:
        return _per_language(value)

    @model_validator(mode="after")
    def _english_given(self) -> AppointmentKind:
        for name, words in (("label", self.label), ("instructions", self.instructions)):
            if words and SOURCE not in words:
                raise ValueError(
                    f"give the {name} in English too ({SOURCE} = …): it is what other languages fall back on"
                )
        return self

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

    def label_in(self, language: str) -> str:
        return _in(self.label, language, "label", self.label[SOURCE])

    def instructions_in(self, language: str) -> tuple[str, ...]:
        return _in(self.instructions, language, "instructions", ()) if self.instructions else ()


def _in(words: Mapping[Language, T], language: str, what: str, english_words: T) -> T:
    """`words` in `language`, else in English, said once a process so that the clinic can add the translation."""
    if language in words:
        return words[language]  # type: ignore[index]
    english = words.get(SOURCE, english_words)
    key = (what, language, repr(english)[:60])
    if key not in _missing_logged:
        _missing_logged.add(key)
        log.warning(
            "the clinic file has no %s %s for %r: patients reading %s get the English",
            language,
            what,
            english,
            language,
        )
    return english


def _default_kinds() -> dict[str, dict[str, Any]]:
    """The built-in kinds, in every language the bot speaks (the words live in the message catalogues)."""

    def each(key: str) -> dict[str, str]:
        return {language: t(key, language) for language in LANGUAGES}

    steps = ("appt.default.fasting", "appt.default.escort", "appt.default.no_driving")
    return {
        "infusion": {
            "label": each("appt.default.infusion"),
            "lead_hours": (24, 2),
            "duration_minutes": 60,
            "instructions": {language: tuple(t(step, language) for step in steps) for language in LANGUAGES},
            "followup": True,
            # Accents are ignored when matching: "kétamine" is "ketamine".
            "keywords": ("ketamine", "ketamina", "ketamin", "esketamine", "esketamina", "esketamin", "spravato"),
        },
        "therapy": {
            "label": each("appt.default.therapy"),
            "lead_hours": (24, 1),
            "duration_minutes": 50,
            "keywords": (
                "therapy",
                "psychotherapy",
                "terapia",
                "psicoterapia",
                "therapie",
                "psychotherapie",
                "counselling",
                "counseling",
            ),
        },
    }


class AppointmentsSection(_Strict):
    kinds: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")], AppointmentKind] = Field(
        default_factory=lambda: {name: AppointmentKind(**kind) for name, kind in _default_kinds().items()}
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
    # A file of the clinic's licensed translations of the items (README: "Translated questionnaire items"),
    # relative to the clinic file; read into `translated_items` on load.
    items_file: str | None = None
    translated_items: dict[str, dict[Language, TranslatedItems]] = Field(default_factory=dict)

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

    def serves(self, country: str | None) -> bool:
        return country is not None and (country == self.clinic.country or country in self.clinic.also_serves)

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
        kinds = {k: dict(v) for k, v in _default_kinds().items()}
        for kind, values in appointments["kinds"].items():
            kinds[kind] = {**kinds.get(kind, {}), **values} if isinstance(values, dict) else values
        merged["appointments"] = {**appointments, "kinds": kinds}
    questionnaires = raw.get("questionnaires")
    if isinstance(questionnaires, dict) and isinstance(questionnaires.get("items_file"), str):
        folder = path.parent if path is not None else Path.cwd()
        items = load_translated_items(folder / questionnaires["items_file"])
        merged["questionnaires"] = {**questionnaires, "translated_items": items}
    try:
        config = ClinicConfig.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, name, text)) from None
    if not config.hotlines:
        raise ConfigError(f"{name}: [hotlines]: at least one country's crisis lines are needed")
    unlisted = [country for country in config.clinic.also_serves if country not in config.hotlines]
    if unlisted:
        line = _line_of(text, ["clinic", "also_serves"])
        raise ConfigError(
            f"{name}:{f' line {line}:' if line else ''} clinic.also_serves: no crisis lines for {unlisted[0]}; "
            f"add a [hotlines.{unlisted[0]}] table"
        )
    unknown = [kind for kind in config.questionnaires.series_kinds if kind not in config.appointments.kinds]
    if unknown:
        line = _line_of(text, ["questionnaires", "series_kinds"])
        raise ConfigError(
            f"{name}:{f' line {line}:' if line else ''} questionnaires.series_kinds: unknown appointment kind "
            f"{unknown[0]!r}; the clinic file knows {', '.join(sorted(config.appointments.kinds))}"
        )
    return config


_TRANSLATED = TypeAdapter(dict[str, dict[Language, TranslatedItems]])


def load_translated_items(path: Path) -> dict[str, dict[Language, TranslatedItems]]:
    """The clinic's file of translated questionnaire items: one table per instrument and language, each checked
    against the instrument (as many items and answers). English is the instruments' own and cannot be replaced."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read the questionnaire items file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    try:
        items = _TRANSLATED.validate_python(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, name, text)) from None
    known = instruments()
    for key, languages in items.items():
        spec = known.get(key)
        if spec is None:
            raise ConfigError(f"{name}: [{key}]: unknown questionnaire; known: {', '.join(sorted(known))}")
        for language, translated in languages.items():
            if language == SOURCE:
                raise ConfigError(f"{name}: [{key}.{language}]: English is the instrument's own wording")
            problem = translated.mismatch(spec)
            if problem:
                line = _line_of(text, [key, language])
                raise ConfigError(f"{name}:{f' line {line}:' if line else ''} [{key}.{language}]: {problem}")
    return items


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
