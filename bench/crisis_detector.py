"""Recall, precision and speed of the crisis detector on the labelled corpus.

Run: python bench/crisis_detector.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safety.detector import Detector, default_detector
from tests.safety.corpus import evaluate, load

LABELS = ("imminent", "self_harm", "ideation", "none")


def timing(detector: Detector, texts: list[str], rounds: int = 20) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            began = time.perf_counter_ns()
            detector.check(text)
            samples.append((time.perf_counter_ns() - began) / 1000)
    return samples


def main() -> None:
    examples = load()
    detector = default_detector()
    figures, confusion = evaluate(detector, examples)
    print(f"corpus: {len(examples)} messages")
    print(f"{'group':10s} {'recall':>7s} {'precision':>9s}   tp  fn  fp")
    for group in ("all", "en", "es", "de", "fr", "imminent", "self_harm", "ideation"):
        f = figures.get(group)
        if f is not None:
            print(
                f"{group:10s} {f.recall:7.3f} {f.precision:9.3f} {f.true_positive:4d}"
                f" {f.false_negative:3d} {f.false_positive:3d}"
            )
    print("\nconfusion (rows: label, columns: detected tier)")
    print(" " * 10 + "".join(f"{c:>10s}" for c in LABELS))
    for label in LABELS:
        print(f"{label:10s}" + "".join(f"{confusion[(label, c)]:10d}" for c in LABELS))
    print("\nmisses:")
    for e in examples:
        verdict = detector.check(e.text)
        if e.label != "none" and not verdict.crisis:
            print(f"  [{e.language} {e.label}] {e.text}")
    print("false alarms:")
    for e in examples:
        verdict = detector.check(e.text)
        if e.label == "none" and verdict.crisis:
            print(f"  [{e.language} {verdict.rule}] {e.text}")
    samples = sorted(timing(detector, [e.text for e in examples]))
    p99 = samples[int(len(samples) * 0.99)]
    print(f"\ntime per message: mean {statistics.mean(samples):.1f} µs, p99 {p99:.1f} µs ({len(samples)} checks)")
    huge = ("I had a long day and wrote a lot. " * 700)[:20_000]
    big = sorted(timing(detector, [huge], rounds=30))
    print(f"a 20,000-character message: median {statistics.median(big) / 1000:.2f} ms")
    began = time.perf_counter()
    Detector()
    print(f"compiling the rules: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
