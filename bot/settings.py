"""Process settings from the environment (and a `.env` file in the working directory).

The database and the key file live in one data folder, whatever the working directory: `MOODBOT_HOME`, else the
platform's folder for user data. A command run from another folder finds the same database and key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.logging_setup import LogFormat

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DATABASE_FILE = "moodbot.db"
KEY_FILE = "moodbot.key"


def default_home() -> Path:
    """The platform's folder for a user's application data, e.g. ~/.local/share/moodbot on Linux."""
    return platformdirs.user_data_path("moodbot", appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _home(data: dict[str, Any]) -> Path:
    # Absent only when MOODBOT_HOME itself was refused; that refusal is what gets reported.
    home: Path = data.get("moodbot_home") or default_home()
    return home


class Settings(BaseSettings):
    # An empty `NAME=` (as in .env.example) means unset: an empty key or token must never be used as one.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    telegram_bot_username: str | None = None
    moodbot_home: Path = Field(default_factory=default_home)  # before the fields whose defaults live in it
    database_url: str = Field(default_factory=lambda data: sqlite_url(_home(data) / DATABASE_FILE))
    clinic_config: Path | None = None
    moodbot_encryption_key: SecretStr | None = None
    moodbot_key_file: Path = Field(default_factory=lambda data: _home(data) / KEY_FILE)
    moodbot_previous_keys: SecretStr | None = None  # comma-separated, while a key rotation runs
    log_level: str = "INFO"
    log_format: LogFormat = "text"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    dispatch_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    console_host: str = "127.0.0.1"
    console_port: int = Field(default=8080, ge=0, le=65535)  # 0: no console
    console_url: str | None = None  # the console's public address, for sign-in links

    def console_base(self) -> str:
        """Where sign-in links point: CONSOLE_URL, else the address the console listens on."""
        return (self.console_url or f"http://{self.console_host}:{self.console_port}").rstrip("/")

    @property
    def console_secure(self) -> bool:
        """Behind HTTPS: cookies are marked Secure."""
        return self.console_base().startswith("https://")

    @field_validator("moodbot_home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value

    @property
    def database_is_default(self) -> bool:
        return "database_url" not in self.model_fields_set

    def ensure_home(self) -> None:
        """Create the data folder, readable by its owner only, if it is missing."""
        self.moodbot_home.mkdir(mode=0o700, parents=True, exist_ok=True)

    def key_source(self) -> str:
        """Where the key comes from, for messages (never the key)."""
        if self.moodbot_encryption_key is not None:
            return "MOODBOT_ENCRYPTION_KEY"
        return f"the key file {self.moodbot_key_file.absolute()}"

    def stored_key(self) -> str | None:
        """The key for text at rest: the variable, else the key file; None while there is neither."""
        if self.moodbot_encryption_key is not None:
            return self.moodbot_encryption_key.get_secret_value()
        path = self.moodbot_key_file
        try:
            key = path.read_text().strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ConfigError(f"cannot read the key file {path.absolute()}: {exc.strerror}") from None
        if not key:
            raise ConfigError(f"the key file {path.absolute()} is empty; restore it from your backup")
        return key

    def make_key(self) -> str:
        """A new key in the key file. Only for a database that holds nothing encrypted yet."""
        from storage.crypto import generate_key

        path = self.moodbot_key_file
        if path.parent.absolute() == self.moodbot_home:
            self.ensure_home()
        key = generate_key()
        try:
            # Created readable by its owner only from the first byte.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.encryption_key()  # another process made it first
        except OSError as exc:
            raise ConfigError(f"cannot create the key file {path.absolute()}: {exc.strerror}") from None
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key + "\n")
        return key

    def encryption_key(self) -> str:
        """The key for text at rest: the variable, else the key file, made once."""
        return self.stored_key() or self.make_key()

    def previous_keys(self) -> list[str]:
        """Older keys still accepted for reading while `moodbot keys rotate` moves text to the current one."""
        if self.moodbot_previous_keys is None:
            return []
        return [key.strip() for key in self.moodbot_previous_keys.get_secret_value().split(",") if key.strip()]


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "environment"
        raise ConfigError(f"environment: {name}: {first['msg']}") from None
