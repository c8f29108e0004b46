"""Errors that end a command with one clear line instead of a traceback."""


class ConfigError(Exception):
    """A setting or the clinic file is wrong; the message names where and what."""
