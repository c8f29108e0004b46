"""The crisis net: the rules and the learned layer together give one verdict.

* A rule match on the writer's own crisis is a crisis, its tier from the rule — unless the learned layer finds
  a resolved past or someone else's crisis likelier than anything else, and at least `VETO` likely.
* Else a crisis probability at or above `ALERT` is a crisis, its tier the likeliest one.
* Else someone else's crisis or a resolved past (from a rule, or the learned layer's likeliest class).
* Else a probability at or above `POSSIBLE` is a possible crisis: the bot asks the patient first.

The thresholds are chosen from `bench/crisis_detector.py`, on authors the model was not trained on.
Until the learned layer is loaded (or when it cannot be), the rules alone decide.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import replace

from bot.safety.detector import Concern, Detector, Tier, Verdict, normalise
from bot.safety.explain import MODEL_RULE
from bot.safety.model import CrisisModel, Prediction, load_packaged

log = logging.getLogger(__name__)

ALERT = 0.6  # crisis probability from which staff are alerted at once
POSSIBLE = 0.4  # from here up to ALERT the bot asks the patient first
POSSIBLE_IMMINENT = 0.1  # ... and from this probability of the imminent tier alone: the costliest to miss
VETO = 0.4  # how sure the learned layer must be that a rule's words are about the past or someone else
CACHE_SIZE = 512
MIN_WORDS = 2
MODEL_HEAD, MODEL_TAIL = 3000, 1000  # characters of a long message the learned layer reads
_CONCERNS = frozenset(concern.value for concern in Concern)


class SafetyNet:
    def __init__(self, rules: Detector, model: CrisisModel | None = None) -> None:
        self.rules = rules
        self.model = model
        # The crisis guard and the journal both read the same message: it is judged once.
        self._recent: OrderedDict[str, Verdict] = OrderedDict()

    @property
    def learned(self) -> bool:
        return self.model is not None

    def attach(self, model: CrisisModel | None) -> None:
        self.model = model
        self._recent.clear()

    async def load(self) -> None:
        """Read the packaged model in a worker thread; the rules keep deciding until it is there."""
        self.attach(await asyncio.to_thread(load_packaged))

    def check(self, text: str) -> Verdict:
        verdict = self._recent.get(text)
        if verdict is None:
            verdict = self._judge(text)
            self._recent[text] = verdict
            if len(self._recent) > CACHE_SIZE:
                self._recent.popitem(last=False)
        return verdict

    def _judge(self, text: str) -> Verdict:
        ruled = self.rules.check(text)
        words = _words_for_model(text)
        if self.model is None or words is None:
            return ruled
        try:
            prediction = self.model.predict(words, ruled.signals)
        except Exception:  # the rules' verdict stands whatever happens to the model
            log.exception("the learned layer failed on a message; the rules decide")
            return ruled
        return combine(ruled, prediction)


def _words_for_model(text: str) -> str | None:
    """What the learned layer reads: a command's arguments rather than the command ("/start CODE" is a code,
    not words), nothing shorter than two words (too little to learn from), and of a very long message its
    beginning and its end (where a farewell sits), so that no message costs more than a few milliseconds.
    The rules read everything."""
    if text.startswith("/"):
        text = text.partition(" ")[2]
        if len(text.split()) < MIN_WORDS:  # "/start aB3-x_9": an invite code splits into letter runs, not words
            return None
    if len(text) > MODEL_HEAD + MODEL_TAIL:
        text = text[:MODEL_HEAD] + "\n" + text[-MODEL_TAIL:]
    return text if len(normalise(text).split()) >= MIN_WORDS else None


def combine(
    ruled: Verdict,
    prediction: Prediction,
    *,
    alert: float = ALERT,
    possible: float = POSSIBLE,
    possible_imminent: float = POSSIBLE_IMMINENT,
    veto: float = VETO,
) -> Verdict:
    score = round(prediction.crisis, 3)
    likeliest = prediction.label
    if ruled.clear:
        vetoed = likeliest in _CONCERNS and prediction.probabilities[likeliest] >= veto
        if not vetoed:
            return replace(ruled, score=score)
        return replace(ruled, tier=None, score=score, concern=Concern(likeliest))
    rule = f"{MODEL_RULE}.{prediction.tier}"
    if prediction.crisis >= alert:
        return Verdict(Tier(prediction.tier), None, rule, None, score=score)
    if ruled.concern is not None:
        return replace(ruled, score=score)
    if likeliest in _CONCERNS:
        return Verdict(None, None, MODEL_RULE, None, score=score, concern=Concern(likeliest))
    if prediction.crisis >= possible or prediction.probabilities[Tier.IMMINENT] >= possible_imminent:
        return Verdict(Tier.POSSIBLE, None, rule, None, score=score)
    return Verdict(None, None, None, None, score=score)
