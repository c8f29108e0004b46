"""moodbot: the Telegram bot, its domain logic and its command line."""

import os

# python-telegram-bot's documented opt-in to timedelta durations (RetryAfter.retry_after and others), the type
# its next major version uses; the sender handles both, and the opt-in silences the deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
