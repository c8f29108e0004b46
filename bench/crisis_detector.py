"""Recall, precision and speed of the crisis detector on the labelled corpus.

Run: python bench/crisis_detector.py

Binary figures count any tier as "crisis". Per tier, recall is the share of items with that label given
exactly that tier, precision the share of items given that tier that carry that label; "found" is the
share of items with that label flagged as any crisis (what decides whether anyone is told).
Times are perf_counter_ns around single `check` calls, after a warm-up, over many rounds.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safety.detector import Detector, default_detector
from tests.safety.corpus import evaluate, load

LABELS = ("imminent", "self_harm", "ideation", "none")
ROUNDS = 30


def timing(detector: Detector, texts: list[str], rounds: int = ROUNDS) -> list[float]:
    """Microseconds per check."""
    for text in texts:  # warm-up
        detector.check(text)
    samples = []
    gc.disable()
    try:
        for _ in range(rounds):
            for text in texts:
                began = time.perf_counter_ns()
                detector.check(text)
                samples.append((time.perf_counter_ns() - began) / 1000)
    finally:
        gc.enable()
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99)]
    return f"mean {statistics.mean(ordered):6.1f} µs, median {statistics.median(ordered):6.1f} µs, p99 {p99:6.1f} µs"


def main() -> None:
    examples = load()
    detector = default_detector()
    figures, confusion = evaluate(detector, examples)
    print(f"corpus: {len(examples)} messages")

    print("\ncrisis vs none")
    print(f"{'group':10s} {'recall':>7s} {'precision':>9s}   tp  fn  fp   tn")
    for group in ("all", "en", "es", "de", "fr"):
        f = figures[group]
        print(
            f"{group:10s} {f.recall:7.3f} {f.precision:9.3f} {f.true_positive:4d} {f.false_negative:3d}"
            f" {f.false_positive:3d} {f.true_negative:4d}"
        )

    print("\nper tier")
    print(f"{'tier':10s} {'recall':>7s} {'precision':>9s} {'found':>7s}  items")
    for tier in LABELS[:3]:
        labelled = sum(confusion[(tier, c)] for c in LABELS)
        given = sum(confusion[(label, tier)] for label in LABELS)
        exact = confusion[(tier, tier)]
        found = labelled - confusion[(tier, "none")]
        print(f"{tier:10s} {exact / labelled:7.3f} {exact / max(given, 1):9.3f} {found / labelled:7.3f}  {labelled:5d}")

    print("\nconfusion (rows: label, columns: detected tier)")
    print(" " * 10 + "".join(f"{c:>10s}" for c in LABELS))
    for label in LABELS:
        print(f"{label:10s}" + "".join(f"{confusion[(label, c)]:10d}" for c in LABELS))

    verdicts = [(e, detector.check(e.text)) for e in examples]
    print("\nmisses:")
    for e, v in verdicts:
        if e.label != "none" and not v.crisis:
            print(f"  [{e.language} {e.label}] {e.text}")
    print("false alarms:")
    for e, v in verdicts:
        if e.label == "none" and v.crisis:
            print(f"  [{e.language} {v.rule}] {e.text}  <- {v.matched!r}")
    print("other tier:")
    for e, v in verdicts:
        if e.label != "none" and v.tier is not None and v.tier.value != e.label:
            print(f"  [{e.language} {e.label} -> {v.rule}] {e.text}")

    print(f"\ntime per check ({ROUNDS} rounds over the corpus)")
    print(f"  all messages     {summary(timing(detector, [e.text for e in examples]))}")
    print(f"  none messages    {summary(timing(detector, [e.text for e in examples if e.label == 'none']))}")
    print(f"  crisis messages  {summary(timing(detector, [e.text for e in examples if e.label != 'none']))}")

    journal = ("Slept badly again, mood about a 5. The infusion on Tuesday went fine, a bit floaty. " * 250)[:20_000]
    print("a 20,000-character message")
    print(f"  no crisis        {summary(timing(detector, [journal], rounds=40))}")
    print(f"  crisis at the end {summary(timing(detector, [journal[:-20] + ' I want to die.'], rounds=40))}")
    worst = {
        "i will " * 5000: "repeated anchor words",
        "a" * 23_000 + "1": "one long token",
        "no " * 8000 + "suicidal": "a denial walk",
        "é\u0301" * 10_000: "accents and marks",
        "k1" * 12_000: "letters for digits",
    }
    slowest = max(statistics.median(timing(detector, [text], rounds=5)) for text in worst)
    print(f"  pathological (slowest of {len(worst)} kinds) median {slowest / 1000:.2f} ms")

    began = time.perf_counter()
    Detector()
    print(f"compiling the rules: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
