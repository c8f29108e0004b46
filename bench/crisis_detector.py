"""The crisis net on wording it was not trained on, its thresholds, and its speed and memory.

Run: python bench/crisis_detector.py [--sweep] [--no-timing]

1. Held-out authors: for each author batch, the learned layer is trained on every other batch and scored on
   this one (see bot/safety/evaluation.py). Recall and precision per language and tier are the means over the
   folds, for the rules alone, the learned layer alone and the combination the bot uses.
2. --sweep: the same folds with other alert / possible thresholds, to choose them.
3. Latency of one `SafetyNet.check` with the packaged model (p50, p99 over the corpus, after a warm-up), the
   time to load the model, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safety.corpus import LANGUAGES, load
from bot.safety.detector import default_detector
from bot.safety.evaluation import GROUPS, METHODS, Fold, averaged, folds, mean_figures
from bot.safety.model import CrisisModel
from bot.safety.net import ALERT, POSSIBLE, VETO, SafetyNet, combine


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def corpus_table(examples: list) -> None:
    print(f"corpus: {len(examples)} messages")
    batches = sorted({e.batch for e in examples})
    print(f"{'':6s}" + "".join(f"{b:>7s}" for b in batches) + "  crisis  not  imminent-indirect  hard-negative")
    for language in LANGUAGES:
        rows = [e for e in examples if e.language == language]
        per = Counter(e.batch for e in rows)
        crisis = sum(e.crisis for e in rows)
        indirect = sum(e.category == "imminent_indirect" for e in rows)
        hard = sum(e.category.startswith("hard_") for e in rows)
        counts = "".join(f"{per[b]:7d}" for b in batches)
        print(f"{language:6s}{counts}  {crisis:6d} {len(rows) - crisis:4d}  {indirect:17d}  {hard:13d}")


def figures_table(all_folds: list[Fold]) -> None:
    print(f"\nheld-out authors: {len(all_folds)} folds ({', '.join(f.held_out for f in all_folds)}), mean over folds")
    print(f"{'group':10s}" + "".join(f"{m + ' recall':>17s}{'precision':>10s}" for m in METHODS))
    tables = {method: mean_figures(all_folds, method) for method in METHODS}
    for group in GROUPS:
        cells = "".join(f"{pct(tables[m][group][0]):>17s}{pct(tables[m][group][1]):>10s}" for m in METHODS)
        print(f"{group:10s}{cells}")
    print("(tier rows: recall is the share of that tier's messages flagged at all; precision is the language's)")
    print("\nper language, combination: recall, precision, imminent recall (mean over folds)")
    for language in LANGUAGES:
        imminent = averaged(
            statistics.mean(s.combined.crisis for s in items) if items else None
            for items in (
                [s for s in fold.scored if s.example.language == language and s.example.label == "imminent"]
                for fold in all_folds
            )
        )
        recall, precision = tables["combined"][language]
        print(f"  {language}: {pct(recall)}  {pct(precision)}  {pct(imminent)}")
    print("\nper fold, combination:")
    for fold in all_folds:
        overall = fold.counts("combined")["all"]
        imminent = fold.counts("combined")["imminent"]
        print(
            f"  {fold.held_out}: recall {pct(overall.recall)}  precision {pct(overall.precision)}  "
            f"imminent {pct(imminent.recall)}  (fn {overall.false_negative}, fp {overall.false_positive})"
        )
    for label in ("other_person", "past"):
        rate = averaged(fold.concern_rate(label) for fold in all_folds)
        print(f"{label} messages named as such, no crisis path: {pct(rate)}")
    alerted = [
        sum(s.combined.clear for s in f.scored if not s.example.crisis)
        / max(1, sum(not s.example.crisis for s in f.scored))
        for f in all_folds
    ]
    print(f"share of non-crisis messages that alert staff (not just ask): {pct(statistics.mean(alerted))}")
    alerts = [fold.counts("combined", lambda s: s.combined.clear)["all"] for fold in all_folds]
    print(
        f"staff alerts alone (no question asked first): recall {pct(averaged(c.recall for c in alerts))}, "
        f"precision {pct(averaged(c.precision for c in alerts))}"
    )
    everyday = [s for f in all_folds for s in f.scored if s.example.batch.startswith("d")]
    print(
        f"everyday messages (d batches): {pct(sum(s.combined.crisis for s in everyday) / max(1, len(everyday)))} "
        f"asked about or alerted, {pct(sum(s.combined.clear for s in everyday) / max(1, len(everyday)))} alerted"
    )
    hard = [s for f in all_folds for s in f.scored if s.example.category.startswith("hard_")]
    print(f"hard negatives: {pct(sum(s.combined.crisis for s in hard) / max(1, len(hard)))} flagged")
    indirect = [s for f in all_folds for s in f.scored if s.example.category == "imminent_indirect"]
    print(
        f"imminent in indirect words: {pct(sum(s.combined.crisis for s in indirect) / max(1, len(indirect)))} flagged, "
        f"{pct(sum(s.combined.clear for s in indirect) / max(1, len(indirect)))} alerted at once"
    )


def sweep(all_folds: list[Fold]) -> None:
    print("\nthreshold sweep (combination, mean over folds): alert / possible / veto")
    for alert in (0.4, 0.5, 0.6):
        for possible in (0.15, 0.2, 0.25, 0.3, 0.35):
            for veto in (0.8, 0.9, 1.01):
                recall, precision, imminent = [], [], []
                for fold in all_folds:
                    counts = fold.counts(
                        "combined",
                        lambda s, a=alert, p=possible, v=veto: (
                            combine(s.rules, s.prediction, alert=a, possible=p, veto=v).crisis
                        ),
                    )
                    recall.append(counts["all"].recall)
                    precision.append(counts["all"].precision)
                    imminent.append(counts["imminent"].recall)
                print(
                    f"  {alert:.2f} {possible:.2f} {veto:.2f}: recall {pct(averaged(recall))} "
                    f"precision {pct(averaged(precision))} imminent {pct(averaged(imminent))}"
                )


def timing(texts: list[str]) -> None:
    began = time.perf_counter()
    model = CrisisModel.load()
    loaded = time.perf_counter() - began
    net = SafetyNet(default_detector(), model)
    for text in texts[:200]:
        net._judge(text)  # warm-up, past the cache
    samples = []
    gc.disable()
    try:
        for text in texts:
            began = time.perf_counter_ns()
            net._judge(text)
            samples.append((time.perf_counter_ns() - began) / 1e6)
    finally:
        gc.enable()
    samples.sort()
    p99 = samples[int(len(samples) * 0.99)]
    print(
        f"\nmodel load: {loaded:.2f} s; one check (rules + model), ms: median {statistics.median(samples):.2f}, "
        f"p99 {p99:.2f}, max {samples[-1]:.2f} over {len(samples)} messages"
    )
    long_text = " ".join(texts[:400])[:24_000]
    began = time.perf_counter()
    net._judge(long_text)
    print(f"one check of a {len(long_text):,}-character message: {(time.perf_counter() - began) * 1000:.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (corpus, folds, model): {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="also try other thresholds")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    examples = load()
    corpus_table(examples)
    print(f"thresholds: alert {ALERT}, possible {POSSIBLE}, veto {VETO}")
    all_folds = folds(examples, default_detector(), progress=lambda b: print(f"  training without {b} …", end="\r"))
    figures_table(all_folds)
    if args.sweep:
        sweep(all_folds)
    if not args.no_timing:
        timing([e.text for e in examples])


if __name__ == "__main__":
    main()
