"""The labelled crisis corpus and the figures both the tests and the bench read from it."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.safety.detector import Detector

CORPUS = Path(__file__).with_name("crisis_corpus.tsv")


@dataclass(frozen=True, slots=True)
class Example:
    language: str
    label: str
    text: str


def load() -> list[Example]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return [Example(r["language"], r["label"], r["text"]) for r in csv.DictReader(handle, delimiter="\t")]


@dataclass
class Figures:
    """Crisis-versus-none counts, and the tier confusion (label → predicted, "none" for no crisis)."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    @property
    def recall(self) -> float:
        found = self.true_positive + self.false_negative
        return self.true_positive / found if found else 1.0

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0


def evaluate(detector: Detector, examples: list[Example]) -> tuple[dict[str, Figures], Counter[tuple[str, str]]]:
    """Figures overall ("all"), per language and per tier, and the confusion counts."""
    figures: dict[str, Figures] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    for example in examples:
        verdict = detector.check(example.text)
        predicted = verdict.tier.value if verdict.tier else "none"
        confusion[(example.label, predicted)] += 1
        groups = ["all", example.language]
        if example.label != "none":
            groups.append(example.label)
        if predicted not in ("none", example.label):
            figures.setdefault(predicted, Figures())
        for group in groups:
            counts = figures.setdefault(group, Figures())
            crisis, flagged = example.label != "none", verdict.crisis
            if crisis and flagged:
                counts.true_positive += 1
            elif crisis:
                counts.false_negative += 1
            elif flagged:
                counts.false_positive += 1
            else:
                counts.true_negative += 1
    return figures, confusion
