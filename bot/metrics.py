"""Figures the bot counts as it works, for `/metrics`.

They live in one registry for the whole process (every console app built in it shows the same counts), and this
module imports nothing of the bot, so that the sender, the update processor and the crisis guard can all count.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()

SENDS = Counter(
    "moodbot_telegram_sends",
    "Messages, edits, files and button answers sent to Telegram, by outcome (sent, retry, blocked, rejected)",
    ["outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "moodbot_telegram_429",
    "Requests answered with 429 Too Many Requests (or held back while their chat waits out one)",
    registry=REGISTRY,
)
VERDICTS = Counter(
    "moodbot_crisis_verdicts",
    "Messages the crisis guard judged, by tier (imminent, self_harm, ideation, possible; none: no crisis)",
    ["tier"],
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "moodbot_update_seconds",
    "Time to handle one Telegram update, from its chat's turn to the end of its handlers",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)

# Shown at 0 before the first one, so that a rate over them is defined from the start.
for _outcome in ("sent", "retry", "blocked", "rejected"):
    SENDS.labels(_outcome)
for _tier in ("imminent", "self_harm", "ideation", "possible", "none"):
    VERDICTS.labels(_tier)
