"""The validated questionnaires (PHQ-9, GAD-7), read from `data/instruments.toml`: wording, scoring, bands."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Answer:
    score: int
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based, as printed on the form
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Band:
    lowest: int
    name: str


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str  # "phq9"
    title: str  # "PHQ-9"
    name: str
    stem: str
    loinc: str
    total_loinc: str
    items: tuple[Item, ...]
    answers: tuple[Answer, ...]
    bands: tuple[Band, ...]
    crisis_item: int | None = None

    @property
    def max_total(self) -> int:
        return len(self.items) * max(answer.score for answer in self.answers)

    def item(self, number: int) -> Item:
        if not 1 <= number <= len(self.items):
            raise ValueError(f"{self.title} has no item {number}")
        return self.items[number - 1]

    def answer(self, score: int) -> Answer:
        for answer in self.answers:
            if answer.score == score:
                return answer
        raise ValueError(f"{self.title} has no answer scored {score}")

    def total(self, answers: Mapping[int, int]) -> int:
        """The sum of every item's score; all items must be answered with a valid score, and no others."""
        missing = [item.number for item in self.items if item.number not in answers]
        if missing:
            raise ValueError(f"{self.title}: items {missing} are not answered")
        unknown = sorted(set(answers) - {item.number for item in self.items})
        if unknown:
            raise ValueError(f"{self.title} has no items {unknown}")
        return sum(self.answer(answers[item.number]).score for item in self.items)

    def band(self, total: int) -> Band:
        if not 0 <= total <= self.max_total:
            raise ValueError(f"{self.title} totals run from 0 to {self.max_total}, not {total}")
        return [band for band in self.bands if band.lowest <= total][-1]


def _build(key: str, raw: Mapping[str, Any], answers: tuple[Answer, ...]) -> Instrument:
    return Instrument(
        key=key,
        title=raw["title"],
        name=raw["name"],
        stem=raw["stem"],
        loinc=raw["loinc"],
        total_loinc=raw["total_loinc"],
        items=tuple(Item(n, item["text"], item["loinc"]) for n, item in enumerate(raw["items"], start=1)),
        answers=answers,
        bands=tuple(Band(band["from"], band["name"]) for band in raw["bands"]),
        crisis_item=raw.get("crisis_item"),
    )


@cache
def instruments() -> dict[str, Instrument]:
    raw = tomllib.loads(resources.files("bot").joinpath("data/instruments.toml").read_text(encoding="utf-8"))
    answers = tuple(Answer(a["score"], a["text"], a["loinc"]) for a in raw.pop("answers"))
    return {key: _build(key, table, answers) for key, table in raw.items()}


def instrument(key: str) -> Instrument:
    found = instruments().get(key)
    if found is None:
        raise KeyError(f"unknown questionnaire {key!r}; known: {', '.join(sorted(instruments()))}")
    return found
