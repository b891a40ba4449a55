"""Configuration from environment variables (documented in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REPO_ROOT", "Settings", "ConfigError"]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_BASE = "https://api.telegram.org/bot"
DEFAULT_FILE_BASE = "https://api.telegram.org/file/bot"


class ConfigError(ValueError):
    """A setting has a value we cannot use."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    api_base_url: str = DEFAULT_API_BASE
    api_file_url: str = DEFAULT_FILE_BASE
    database_path: Path = Path("data/joldosh.sqlite3")
    content_dir: Path = REPO_ROOT / "content"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8080
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        port_raw = get("PORT") or "8080"
        try:
            port = int(port_raw)
        except ValueError as exc:
            raise ConfigError(f"PORT must be a number, not {port_raw!r}") from exc
        settings = cls(
            bot_token=get("BOT_TOKEN"),
            api_base_url=get("BOT_API_BASE_URL") or DEFAULT_API_BASE,
            api_file_url=get("BOT_API_FILE_URL") or DEFAULT_FILE_BASE,
            database_path=Path(get("DATABASE_PATH") or "data/joldosh.sqlite3"),
            content_dir=Path(get("CONTENT_DIR") or REPO_ROOT / "content"),
            webhook_url=get("WEBHOOK_URL"),
            webhook_secret=get("WEBHOOK_SECRET"),
            port=port,
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
        )
        if settings.webhook_url and not settings.webhook_secret:
            raise ConfigError("WEBHOOK_URL is set: set WEBHOOK_SECRET too (1-256 of A-Z a-z 0-9 _ -)")
        return settings
