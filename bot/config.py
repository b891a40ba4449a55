"""Configuration from environment variables (documented in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.hours import HoursError, OperatorHours

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
    #: ``postgresql://…``: PostgreSQL instead of the SQLite file (issue 17, first slice).
    database_url: str | None = None
    content_dir: Path = REPO_ROOT / "content"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8080
    log_level: str = "INFO"
    #: The operators' supergroup (hand-off of cases); None: cases are kept until it is set.
    operators_chat_id: int | None = None
    #: If set, only these Telegram user ids may act on cases (besides being in the group).
    operator_ids: frozenset[int] = frozenset()
    #: "Mon-Fri 09:00-18:00" in Kazakhstan time; None: around the clock.
    operator_hours: str | None = None
    #: Ping the group (and reassure the user) when a case waits this long unclaimed.
    unclaimed_minutes: int = 30
    #: Admins (editors, managers): /reload, publishing reports, the weekly report, language previews.
    admin_ids: frozenset[int] = frozenset()
    #: Data of users silent for this many days is deleted (the same deletion as /forget).
    retention_days: int = 180

    @property
    def database(self) -> str | Path:
        """Where Storage lives: ``DATABASE_URL`` (PostgreSQL) if set, else the SQLite file."""
        return self.database_url or self.database_path

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

        def number(name: str, default: str | None = None) -> int | None:
            raw = get(name) or default
            if raw is None:
                return None
            try:
                return int(raw)
            except ValueError as exc:
                raise ConfigError(f"{name} must be a number, not {raw!r}") from exc

        def user_ids(name: str) -> frozenset[int]:
            ids = set()
            for part in (get(name) or "").replace(";", ",").split(","):
                if part.strip():
                    try:
                        ids.add(int(part))
                    except ValueError as exc:
                        raise ConfigError(f"{name}: {part.strip()!r} is not a Telegram user id") from exc
            return frozenset(ids)

        hours = get("OPERATOR_HOURS")
        try:
            OperatorHours.parse(hours)
        except HoursError as exc:
            raise ConfigError(str(exc)) from exc
        settings = cls(
            bot_token=get("BOT_TOKEN"),
            api_base_url=get("BOT_API_BASE_URL") or DEFAULT_API_BASE,
            api_file_url=get("BOT_API_FILE_URL") or DEFAULT_FILE_BASE,
            database_path=Path(get("DATABASE_PATH") or "data/joldosh.sqlite3"),
            database_url=get("DATABASE_URL"),
            content_dir=Path(get("CONTENT_DIR") or REPO_ROOT / "content"),
            webhook_url=get("WEBHOOK_URL"),
            webhook_secret=get("WEBHOOK_SECRET"),
            port=port,
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            operators_chat_id=number("OPERATORS_CHAT_ID"),
            operator_ids=user_ids("OPERATOR_IDS"),
            admin_ids=user_ids("ADMIN_IDS"),
            operator_hours=hours,
            unclaimed_minutes=number("UNCLAIMED_MINUTES", "30") or 30,
            retention_days=number("RETENTION_DAYS", "180") or 180,
        )
        if settings.database_url and not settings.database_url.startswith(("postgresql://", "postgres://")):
            raise ConfigError("DATABASE_URL must start with postgresql:// (or leave it unset for SQLite)")
        if settings.retention_days < 1:
            raise ConfigError("RETENTION_DAYS must be 1 or more")
        if settings.webhook_url and not settings.webhook_secret:
            raise ConfigError("WEBHOOK_URL is set: set WEBHOOK_SECRET too (1-256 of A-Z a-z 0-9 _ -)")
        return settings
