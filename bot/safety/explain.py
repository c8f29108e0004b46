"""Why the detector spoke, in words staff read: in alerts, notices and exports."""

from __future__ import annotations

from bot.texts import t

EXCERPT_CHARS = 300
MODEL_RULE = "model"  # rule ids of the learned layer's verdicts: "model", "model.<likeliest tier>"


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def percent(score: float | None) -> str:
    return "?" if score is None else str(round(score * 100))


def explain(
    *, rule: str | None, matched: str | None, score: float | None, answer: str | None = None, language: str = "en"
) -> str:
    """The patient's answer to the bot's question, the rule's words, or the learned layer's certainty."""
    if answer in ("yes", "call"):
        return t(f"crisis.why.answer.{answer}", language, percent=percent(score))
    if rule and rule.split(".")[0] != MODEL_RULE:
        also = t("crisis.why.score", language, percent=percent(score)) if score is not None else ""
        if matched:
            return t("crisis.why.rule", language, matched=shorten(matched, 80), rule=rule, score=also)
        return t("crisis.why.rule_only", language, rule=rule, score=also)
    return t("crisis.why.model", language, percent=percent(score))
