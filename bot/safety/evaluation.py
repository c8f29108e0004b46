"""How well the crisis net does on wording it has not seen: train on some authors, score on another.

Each fold holds out one author batch (in every language) and trains the learned layer on all the others; the
batch the rules were written from ("w0") is always trained on and never scored. Figures are computed per fold
and then averaged, for the rules alone, the learned layer alone and the two combined.

A message counts as *flagged* when its crisis path runs: for the combination and the learned layer that
includes a possible crisis, which the bot asks about. Recall is the share of crisis messages flagged; per tier,
the share of that tier's messages flagged at all (what decides whether anyone hears of it). Precision is the
share of flagged messages that are crises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import mean

from bot.safety.corpus import CRISIS_LABELS, LANGUAGES, Example
from bot.safety.detector import Concern, Detector, Verdict
from bot.safety.model import Prediction, Spec, train
from bot.safety.net import POSSIBLE, combine

RULES_BATCH = "w0"
METHODS = ("rules", "model", "combined")
GROUPS = ("all", *LANGUAGES, *CRISIS_LABELS)


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    def add(self, *, crisis: bool, flagged: bool) -> None:
        if crisis and flagged:
            self.true_positive += 1
        elif crisis:
            self.false_negative += 1
        elif flagged:
            self.false_positive += 1
        else:
            self.true_negative += 1

    @property
    def recall(self) -> float | None:
        found = self.true_positive + self.false_negative
        return self.true_positive / found if found else None

    @property
    def precision(self) -> float | None:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else None


@dataclass(frozen=True, slots=True)
class Scored:
    example: Example
    rules: Verdict
    prediction: Prediction
    combined: Verdict

    def flagged(self, method: str) -> bool:
        if method == "rules":
            return self.rules.clear
        if method == "model":
            return self.prediction.crisis >= POSSIBLE
        return self.combined.crisis


@dataclass
class Fold:
    held_out: str
    scored: list[Scored] = field(default_factory=list)

    def counts(self, method: str, flagged: Callable[[Scored], bool] | None = None) -> dict[str, Counts]:
        """Counts per group: all, each language, and each crisis tier (recall only)."""
        counts = {group: Counts() for group in GROUPS}
        for item in self.scored:
            example = item.example
            hit = flagged(item) if flagged else item.flagged(method)
            for group in ("all", example.language, example.label):
                if group in counts and (group not in CRISIS_LABELS or example.crisis):
                    counts[group].add(crisis=example.crisis, flagged=hit)
        return counts

    def concern_rate(self, label: str) -> float | None:
        """Share of messages labelled `label` (other_person, past) that the combination names so, unflagged."""
        items = [s for s in self.scored if s.example.label == label]
        if not items:
            return None
        return sum(1 for s in items if not s.combined.crisis and s.combined.concern == Concern(label)) / len(items)


def fold_of(batch: str) -> str:
    """Batches are held out in pairs of a crisis batch and an everyday one: "w1" and "d1" make fold "1"."""
    return batch[1:]


def folds(
    examples: Sequence[Example],
    rules: Detector,
    *,
    spec: Spec | None = None,
    held_out: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Fold]:
    """One fold per author number but the rules' own batch: the learned layer trained without the fold's
    batches, then scored on them."""
    names = sorted(held_out or {fold_of(e.batch) for e in examples if e.batch != RULES_BATCH})
    result = []
    for name in names:
        if progress:
            progress(name)
        model = train([e for e in examples if e.batch == RULES_BATCH or fold_of(e.batch) != name], spec)
        test = [e for e in examples if e.batch != RULES_BATCH and fold_of(e.batch) == name]
        ruled = [rules.check(e.text) for e in test]
        predictions = model.predict_many([e.text for e in test], [r.signals for r in ruled])
        fold = Fold(name)
        for example, verdict, prediction in zip(test, ruled, predictions, strict=True):
            fold.scored.append(Scored(example, verdict, prediction, combine(verdict, prediction)))
        result.append(fold)
    return result


def averaged(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def mean_figures(all_folds: Sequence[Fold], method: str) -> dict[str, tuple[float | None, float | None]]:
    """(recall, precision) per group, each the mean over the folds."""
    per_fold = [fold.counts(method) for fold in all_folds]
    return {
        group: (averaged(c[group].recall for c in per_fold), averaged(c[group].precision for c in per_fold))
        for group in GROUPS
    }
