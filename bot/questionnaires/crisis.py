"""A questionnaire answer that takes the crisis path: any answer above 0 to the instrument's crisis item (PHQ-9
item 9, thoughts of being better off dead or of self-harm), read as the crisis detector's verdict."""

from __future__ import annotations

from bot.questionnaires.instruments import Instrument, instruments
from bot.safety.detector import Tier, Verdict
from bot.texts import t

# "Several days" is taken as thoughts, "More than half the days" as self-harm, "Nearly every day" as imminent.
TIERS = {1: Tier.IDEATION, 2: Tier.SELF_HARM, 3: Tier.IMMINENT}


def crisis_verdict(spec: Instrument, item: int, score: int, language: str) -> Verdict | None:
    """The verdict for this answer, or None when it is no crisis signal."""
    tier = TIERS.get(score)
    if spec.crisis_item != item or tier is None:
        return None
    return Verdict(tier, spec.answer(score).text, f"{spec.key}.item{item}.{score}", language)


def possible_crisis(item: int, score: int) -> Instrument | None:
    """The instrument whose crisis item this press could be, when the database cannot say which it is."""
    if score not in TIERS:
        return None
    return next((spec for spec in instruments().values() if spec.crisis_item == item), None)


def alert_excerpt(spec: Instrument, item: int, score: int) -> str:
    """What staff read in the alert: the item and the answer chosen, no free text."""
    return t(
        "questionnaire.alert_excerpt",
        title=spec.title,
        number=item,
        item=spec.item(item).text,
        answer=spec.answer(score).text,
    )
