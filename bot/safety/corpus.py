"""The labelled crisis corpus: chat messages in batches, one file per language and author.

Each file is `corpus/<language>-<batch>.tsv` with the columns label, category, text. The batch names the
author (see `corpus/README.md`), so that the learned layer can be judged on authors it was not trained on.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).with_name("corpus")
LANGUAGES = ("en", "es", "de", "fr")
# The learned layer's classes; the first three are the writer's own crisis, by tier.
CRISIS_LABELS = ("imminent", "self_harm", "ideation")
LABELS = (*CRISIS_LABELS, "other_person", "past", "none")


class CorpusError(ValueError):
    """A corpus file that does not follow the format."""


@dataclass(frozen=True, slots=True)
class Example:
    language: str
    batch: str  # "w1": the author, shared by the four languages' files of one round of writing
    label: str
    category: str
    text: str

    @property
    def crisis(self) -> bool:
        return self.label in CRISIS_LABELS


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.tsv"))


def read_file(path: Path) -> list[Example]:
    language, _, batch = path.stem.partition("-")
    if language not in LANGUAGES or not batch:
        raise CorpusError(f"{path.name}: the name must be <language>-<batch>.tsv, language one of {LANGUAGES}")
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != ["label", "category", "text"]:
            raise CorpusError(f"{path.name}: the header must be label, category, text")
        for line, row in enumerate(reader, start=2):
            label, category, text = row["label"], row["category"], row["text"]
            if label not in LABELS or not text or None in row.values() or len(row) != 3:
                raise CorpusError(f"{path.name}:{line}: a label of {LABELS} and a text are needed")
            examples.append(Example(language, batch, label, category, text))
    return examples


def load(directory: Path = CORPUS_DIR) -> list[Example]:
    return [example for path in corpus_files(directory) for example in read_file(path)]


def fingerprint(examples: Iterable[Example]) -> str:
    """A hash of the corpus, kept with the trained model so a model can say what it was trained on."""
    digest = hashlib.sha256()
    for e in examples:
        digest.update("\t".join((e.language, e.batch, e.label, e.text)).encode() + b"\n")
    return digest.hexdigest()
