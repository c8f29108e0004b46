"""A local stand-in for the Telegram Bot API, for tests and ``moodbot demo``: see :mod:`bot.standin.server`."""

from bot.standin.models import Edit, SentMessage, UploadedFile
from bot.standin.server import BotApiStandIn, UserProfile

__all__ = ["BotApiStandIn", "Edit", "SentMessage", "UploadedFile", "UserProfile"]
