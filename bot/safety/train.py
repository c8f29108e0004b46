"""Rebuild the crisis detector's learned layer from the corpus: `python -m bot.safety.train`.

The same corpus always gives the same model (a fixed seed, a deterministic solver); `tests/safety` checks that a
rebuild predicts exactly what the committed model predicts. Judge a change with `bench/crisis_detector.py`,
which trains on some authors and scores on the others.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from bot.safety.corpus import load
from bot.safety.model import MODEL_FILE, train

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / MODEL_FILE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write the model ({DEFAULT_OUT})")
    args = parser.parse_args(argv)
    examples = load()
    began = time.perf_counter()
    model = train(examples)
    model.save(args.out)
    labels = Counter(e.label for e in examples)
    print(
        f"trained on {len(examples)} messages ({dict(sorted(labels.items()))}) in {time.perf_counter() - began:.1f} s"
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), corpus {model.meta['corpus'][:12]}")


if __name__ == "__main__":
    main()
