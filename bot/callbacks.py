"""Callback data: compact, versioned by prefix, at most 64 bytes, parsed without trusting it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n.catalogue import LANGUAGES
from bot.ids import MAX_ID


@dataclass(frozen=True, slots=True)
class ScoreTap:
    checkin_id: int
    score: int


@dataclass(frozen=True, slots=True)
class NoteSkip:
    checkin_id: int


@dataclass(frozen=True, slots=True)
class ConsentAnswer:
    invite_id: int
    tag: str
    agree: bool


@dataclass(frozen=True, slots=True)
class Acknowledge:
    alert_id: int


@dataclass(frozen=True, slots=True)
class ReminderAnswer:
    appointment_id: int
    confirm: bool


@dataclass(frozen=True, slots=True)
class EffectToggle:
    checkin_id: int
    effect: str


@dataclass(frozen=True, slots=True)
class QuestionnaireAnswer:
    response_id: int
    item: int
    score: int


@dataclass(frozen=True, slots=True)
class EraseAnswer:
    patient_id: int
    confirm: bool


@dataclass(frozen=True, slots=True)
class PossibleAnswer:
    """The patient's answer to "are you having thoughts of ending your life or hurting yourself?"."""

    event_id: int
    answer: str  # "yes", "no" or "call"


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    language: str


POSSIBLE_ANSWERS = {"y": "yes", "n": "no", "c": "call"}

EFFECTS = ("dissociation", "nausea", "headache", "dizziness", "none")

Callback = (
    ScoreTap
    | NoteSkip
    | ConsentAnswer
    | Acknowledge
    | ReminderAnswer
    | EffectToggle
    | EraseAnswer
    | QuestionnaireAnswer
    | PossibleAnswer
    | LanguageChoice
)

_ID = r"([0-9]{1,12})"
_PATTERNS: list[tuple[re.Pattern[str], type]] = [
    (re.compile(rf"^ci:{_ID}:([0-9]{{1,2}})$"), ScoreTap),
    (re.compile(rf"^cn:{_ID}:skip$"), NoteSkip),
    (re.compile(rf"^cs:{_ID}:([0-9a-f]{{16}}):([yn])$"), ConsentAnswer),
    (re.compile(rf"^ack:{_ID}$"), Acknowledge),
    (re.compile(rf"^ap:{_ID}:([cr])$"), ReminderAnswer),
    (re.compile(rf"^fx:{_ID}:({'|'.join(EFFECTS)})$"), EffectToggle),
    (re.compile(rf"^er:{_ID}:([yn])$"), EraseAnswer),
    # Items are numbered from 1 (at most 99); every answer of the validated questionnaires scores 0 to 3.
    (re.compile(rf"^qa:{_ID}:([1-9][0-9]?):([0-3])$"), QuestionnaireAnswer),
    (re.compile(rf"^pq:{_ID}:([ync])$"), PossibleAnswer),
    (re.compile(rf"^lg:({'|'.join(LANGUAGES)})$"), LanguageChoice),
]


def score_tap(checkin_id: int, score: int) -> str:
    return f"ci:{checkin_id}:{score}"


def note_skip(checkin_id: int) -> str:
    return f"cn:{checkin_id}:skip"


def consent_answer(invite_id: int, tag: str, *, agree: bool) -> str:
    return f"cs:{invite_id}:{tag}:{'y' if agree else 'n'}"


def acknowledge(alert_id: int) -> str:
    return f"ack:{alert_id}"


def reminder_answer(appointment_id: int, *, confirm: bool) -> str:
    return f"ap:{appointment_id}:{'c' if confirm else 'r'}"


def effect_toggle(checkin_id: int, effect: str) -> str:
    return f"fx:{checkin_id}:{effect}"


def erase_answer(patient_id: int, *, confirm: bool) -> str:
    return f"er:{patient_id}:{'y' if confirm else 'n'}"


def questionnaire_answer(response_id: int, item: int, score: int) -> str:
    return f"qa:{response_id}:{item}:{score}"


def possible_answer(event_id: int, answer: str) -> str:
    code = next(code for code, name in POSSIBLE_ANSWERS.items() if name == answer)
    return f"pq:{event_id}:{code}"


def language_choice(language: str) -> str:
    return f"lg:{language}"


def parse(data: str | None) -> Callback | None:
    """The press, or None for anything malformed, out of range or unknown."""
    if not data or len(data) > 64:
        return None
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(data)
        if match is None:
            continue
        if kind is LanguageChoice:
            return LanguageChoice(match[1])
        if int(match[1]) > MAX_ID:
            return None  # twelve digits pass the pattern, but no row has such an id (and PostgreSQL would refuse it)
        if kind is ScoreTap:
            score = int(match[2])
            return ScoreTap(int(match[1]), score) if 0 <= score <= 10 else None
        if kind is NoteSkip:
            return NoteSkip(int(match[1]))
        if kind is Acknowledge:
            return Acknowledge(int(match[1]))
        if kind is ReminderAnswer:
            return ReminderAnswer(int(match[1]), match[2] == "c")
        if kind is EffectToggle:
            return EffectToggle(int(match[1]), match[2])
        if kind is EraseAnswer:
            return EraseAnswer(int(match[1]), match[2] == "y")
        if kind is QuestionnaireAnswer:
            return QuestionnaireAnswer(int(match[1]), int(match[2]), int(match[3]))
        if kind is PossibleAnswer:
            return PossibleAnswer(int(match[1]), POSSIBLE_ANSWERS[match[2]])
        return ConsentAnswer(int(match[1]), match[2], match[3] == "y")
    return None
