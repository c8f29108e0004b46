"""Process settings from the environment (and a `.env` file in the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///moodbot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    telegram_bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    clinic_config: Path | None = None
    moodbot_encryption_key: SecretStr | None = None
    moodbot_key_file: Path = Path("moodbot.key")
    log_level: str = "INFO"
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

    def encryption_key(self) -> str:
        """The key for text at rest: the variable, else a key file made once beside the working directory."""
        if self.moodbot_encryption_key is not None:
            return self.moodbot_encryption_key.get_secret_value()
        from storage.crypto import generate_key

        path = self.moodbot_key_file
        if path.exists():
            return path.read_text().strip()
        # Created readable by its owner only from the first byte.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(generate_key() + "\n")
        return path.read_text().strip()


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "environment"
        raise ConfigError(f"environment: {name}: {first['msg']}") from None
