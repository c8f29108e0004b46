"""The learned layer: TF-IDF word and character n-grams into a multinomial logistic regression.

Text is folded exactly as the rules fold it (`normalise`: accents, case, look-alike letters, letter-for-digit
spellings, stretched letters), so "su1c1de" and "suicide" are the same features. Word 1-2-grams catch
phrasing; character 2-5-grams inside word boundaries catch misspellings and inflections the corpus never
showed. The model's classes are the three crisis tiers, someone else's crisis, a resolved past and none;
the probability of a crisis is the sum of the three tiers.

The trained model is stored as plain arrays in an `.npz` file read with `allow_pickle=False`: vocabularies
as UTF-8 text, idf weights and coefficients as float32. Nothing executable is ever loaded from disk.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.safety import phrases
from bot.safety.corpus import CRISIS_LABELS, Example, fingerprint
from bot.safety.detector import default_detector, fold_pattern, normalise

log = logging.getLogger(__name__)

MODEL_FILE = "crisis_model.npz"
SEED = 20261204


@dataclass(frozen=True, slots=True)
class Spec:
    """How a model is built; kept inside the artefact so that a rebuild is the same model."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_char_features: int = 120_000
    max_word_features: int = 40_000
    negation_scope: int = 3  # words after a negation that are read as negated ("not neg_suicidal")
    c: float = 8.0
    balanced: bool = False  # weigh classes by their inverse frequency


_NEGATIONS = frozenset(fold_pattern(word) for word in phrases.DENIALS.split())


def word_document(folded: str, signals: Iterable[str], scope: int) -> str:
    """What the word n-grams read: the folded words, those just after a negation marked, and what the rules
    saw as words of their own ("rule_imminent", "rule_denied")."""
    words, negated = [], 0
    for word in folded.split():
        if word in _NEGATIONS:
            negated = scope
            words.append(word)
            continue
        words.append(f"neg_{word}" if negated > 0 else word)
        negated -= 1
    return " ".join([*words, *(f"rule_{signal}" for signal in sorted(signals))])


def _vectorizers(spec: Spec) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # Both read text already folded by `normalise`, once per message.
    common: dict[str, Any] = {"lowercase": False, "sublinear_tf": True, "dtype": np.float32, "min_df": spec.min_df}
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=spec.word_ngrams,
        token_pattern=r"\S+",
        max_features=spec.max_word_features,
        **common,
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=spec.char_ngrams, max_features=spec.max_char_features, **common
    )
    return words, chars


@dataclass(frozen=True, slots=True)
class Prediction:
    probabilities: dict[str, float]

    @property
    def crisis(self) -> float:
        """The probability that the writer is in crisis, whatever the tier."""
        return sum(self.probabilities[label] for label in CRISIS_LABELS)

    @property
    def tier(self) -> str:
        """The likeliest crisis tier."""
        return max(CRISIS_LABELS, key=self.probabilities.__getitem__)

    @property
    def label(self) -> str:
        return max(self.probabilities, key=self.probabilities.__getitem__)


class CrisisModel:
    def __init__(
        self,
        *,
        spec: Spec,
        classes: Sequence[str],
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        meta: dict[str, Any],
    ) -> None:
        self.spec = spec
        self.classes = tuple(classes)
        self._words, self._chars = words, chars
        self._coef = np.ascontiguousarray(coef.T, dtype=np.float32)  # features x classes
        self._intercept = intercept.astype(np.float32)
        self.meta = meta

    def predict_many(self, texts: Sequence[str], signals: Sequence[Iterable[str]]) -> list[Prediction]:
        """Predictions for texts, given what the rules saw in each (`Verdict.signals`)."""
        words, chars = _documents(texts, signals, self.spec)
        features = sparse.hstack([self._words.transform(words), self._chars.transform(chars)], format="csr")
        logits = features @ self._coef + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        odds /= odds.sum(axis=1, keepdims=True)
        return [Prediction(dict(zip(self.classes, map(float, row), strict=True))) for row in odds]

    def predict(self, text: str, signals: Iterable[str] = ()) -> Prediction:
        return self.predict_many([text], [signals])[0]

    # --- Storage ---------------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        def text(items: Sequence[str]) -> np.ndarray:
            return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)

        arrays = {
            "classes": text(self.classes),
            "coef": self._coef.T.astype(np.float32),
            "intercept": self._intercept,
            "meta": text([json.dumps({**self.meta, "spec": asdict(self.spec)}, sort_keys=True)]),
        }
        for name, vectorizer in (("words", self._words), ("chars", self._chars)):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            arrays[f"{name}_terms"] = text(terms)
            arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisModel:
        source = path or Path(str(files("bot").joinpath("data", MODEL_FILE)))
        with np.load(source, allow_pickle=False) as stored:

            def text(name: str) -> list[str]:
                return bytes(stored[name]).decode("utf-8").split("\n")

            meta = json.loads(text("meta")[0])
            raw = meta.pop("spec")
            spec = Spec(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
            words, chars = _vectorizers(spec)
            for name, vectorizer in (("words", words), ("chars", chars)):
                vectorizer.vocabulary_ = {term: i for i, term in enumerate(text(f"{name}_terms"))}
                vectorizer.idf_ = stored[f"{name}_idf"]
            return cls(
                spec=spec,
                classes=text("classes"),
                words=words,
                chars=chars,
                coef=stored["coef"],
                intercept=stored["intercept"],
                meta=meta,
            )


def _documents(texts: Sequence[str], signals: Sequence[Iterable[str]], spec: Spec) -> tuple[list[str], list[str]]:
    folded = [normalise(text) for text in texts]
    words = [word_document(f, s, spec.negation_scope) for f, s in zip(folded, signals, strict=True)]
    return words, folded


def train(examples: Sequence[Example], spec: Spec | None = None) -> CrisisModel:
    """Fit a model on `examples`; the same examples and spec always give the same model."""
    from sklearn.linear_model import LogisticRegression

    spec = spec or Spec()
    texts = [e.text for e in examples]
    rules = default_detector()
    word_docs, char_docs = _documents(texts, [rules.check(text).signals for text in texts], spec)
    words, chars = _vectorizers(spec)
    # Fitted in float64: in float32, lbfgs stops wherever the loss stops changing in the seventh digit, and that point
    # moved with the BLAS thread count (probabilities 0.007 apart); in float64 two rebuilds agree to 1e-6.
    features = sparse.hstack(
        [words.fit_transform(word_docs), chars.fit_transform(char_docs)], format="csr", dtype=np.float64
    )
    regression = LogisticRegression(
        C=spec.c, class_weight="balanced" if spec.balanced else None, max_iter=3000, random_state=SEED
    )
    labels = [e.label for e in examples]
    regression.fit(features, labels)
    meta = {
        "corpus": fingerprint(examples),
        "examples": len(examples),
        "batches": sorted({f"{e.language}-{e.batch}" for e in examples}),
    }
    return CrisisModel(
        spec=spec,
        classes=[str(c) for c in regression.classes_],
        words=words,
        chars=chars,
        coef=regression.coef_,
        intercept=regression.intercept_,
        meta=meta,
    )


@cache
def load_packaged() -> CrisisModel | None:
    """The model that ships with the bot, or None (logged loudly) when it cannot be read. Read once a process."""
    began = time.perf_counter()
    try:
        model = CrisisModel.load()
        model.predict("warm-up", ())  # the first call builds the analyzers' caches: not on a patient's message
    except Exception:
        log.critical("the crisis detector's learned layer could not be loaded; the rules alone decide", exc_info=True)
        return None
    log.info("crisis model loaded in %.2f s (%d examples)", time.perf_counter() - began, model.meta.get("examples", 0))
    return model
