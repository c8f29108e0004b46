"""A questionnaire's words in the patient's language: the built-in English of the validated instrument, or a
translation the clinic provides in its own file (validated translations are licensed: the bot ships none)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bot.questionnaires.instruments import Instrument

Line = Annotated[str, Field(min_length=1, max_length=600)]
# Telegram cuts a button's text short well before this; an answer is a few words.
ButtonText = Annotated[str, Field(min_length=1, max_length=60)]


class TranslatedItems(BaseModel):
    """One instrument in one language, as the clinic's licensed translation words it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Who made the translation and which version: kept with the file for the clinic's records.
    source: str = Field(min_length=3, max_length=300)
    stem: Line
    items: tuple[Line, ...]
    # The answers in the order of their scores, lowest first.
    answers: tuple[ButtonText, ...]

    def mismatch(self, spec: Instrument) -> str | None:
        """What does not fit the instrument, or None."""
        if len(self.items) != len(spec.items):
            return f"{len(self.items)} items given, {spec.title} has {len(spec.items)}"
        if len(self.answers) != len(spec.answers):
            return f"{len(self.answers)} answers given, {spec.title} has {len(spec.answers)}"
        return None


# By instrument key ("phq9"), then language ("es").
Translations = Mapping[str, Mapping[str, TranslatedItems]]


@dataclass(frozen=True, slots=True)
class Wording:
    stem: str
    items: tuple[str, ...]
    answers: Mapping[int, str]  # by score

    def item(self, number: int) -> str:
        return self.items[number - 1]


def wording(spec: Instrument, translations: Translations, language: str) -> Wording:
    """The clinic's translation for `language` when it gave one, else the instrument's own English."""
    found = translations.get(spec.key, {}).get(language)
    by_score = sorted(spec.answers, key=lambda answer: answer.score)
    if found is not None:
        answers = {answer.score: text for answer, text in zip(by_score, found.answers, strict=True)}
        return Wording(found.stem, found.items, answers)
    return Wording(spec.stem, tuple(item.text for item in spec.items), {a.score: a.text for a in by_score})
