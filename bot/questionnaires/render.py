"""How a questionnaire looks in Telegram: one item a message with the four answers, and the total at the end."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.questionnaires.instruments import Instrument, instruments
from bot.questionnaires.service import Opened, Trend
from bot.questionnaires.wording import Wording
from bot.texts import t

# Bands after which the closing words suggest talking to the care team soon.
GENTLE_BANDS = frozenset({"minimal", "mild"})


def item_text(spec: Instrument, number: int, language: str, words: Wording) -> str:
    spec.item(number)  # an unknown item fails here, by name
    return t(
        "questionnaire.item",
        language,
        title=spec.title,
        number=number,
        count=len(spec.items),
        stem=words.stem,
        item=words.item(number),
    )


def answer_keyboard(
    spec: Instrument, response_id: int, number: int, chosen: int | None, words: Wording
) -> InlineKeyboardMarkup:
    """One answer a row: the texts are too long to share a row. The chosen one is ticked after its text."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{words.answers[answer.score]} ✓" if answer.score == chosen else words.answers[answer.score],
                    callback_data=callbacks.questionnaire_answer(response_id, number, answer.score),
                )
            ]
            for answer in spec.answers
        ]
    )


def ask(
    spec: Instrument, opened: Opened, *, name: str, language: str, words: Wording
) -> tuple[str, InlineKeyboardMarkup]:
    """The message asking `opened.item`: a greeting before the first item, a word when an unfinished one goes on."""
    lead = ""
    if opened.resumed:
        lead = t("questionnaire.resume", language)
    elif opened.item == 1:
        lead = t("questionnaire.intro", language, name=name, title=spec.title, count=len(spec.items))
    text = lead + item_text(spec, opened.item, language, words)
    return text, answer_keyboard(spec, opened.response.id, opened.item, None, words)


def result_text(spec: Instrument, total: int, language: str) -> str:
    band = spec.band(total)
    closing = "questionnaire.closing" if band.name in GENTLE_BANDS else "questionnaire.closing.higher"
    return t(
        "questionnaire.result",
        language,
        count=len(spec.items),
        title=spec.title,
        total=total,
        max=spec.max_total,
        band=t(f"questionnaire.band.{spec.key}.{band.name.replace(' ', '_')}", language),
        closing=t(closing, language),
    )


def trend_text(trend: Trend) -> str:
    """ "PHQ-9 12 (−3)": the latest total and its change since the one before, when there is one."""
    spec = instruments().get(trend.instrument)
    title = spec.title if spec is not None else trend.instrument
    if trend.previous is None:
        return f"{title} {trend.latest}"
    return f"{title} {trend.latest} ({signed_change(trend.latest - trend.previous)})"


def signed_change(change: int) -> str:
    """ "+2", "−3", "±0": a change with its sign, a true minus sign for a fall."""
    return f"{'−' if change < 0 else '+' if change > 0 else '±'}{abs(change)}"
