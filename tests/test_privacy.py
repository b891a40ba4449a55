"""Privacy pieces without Telegram: the migration of unmatched questions, settings, token masking."""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.logs import SecretFilter, mask
from bot.storage import MIGRATIONS, Storage


async def test_migration_keeps_only_anonymous_counts_of_old_unmatched_texts(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:  # a database as version 4 left it
        for number, sql in enumerate(MIGRATIONS[:4], start=1):
            conn.executescript(f"{sql}\nPRAGMA user_version = {number};")
        conn.executemany(
            "INSERT INTO unmatched (text, lang, count, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
            [
                ("кто-то спросил", "ru", 3, "2026-10-01T00:00:00+00:00", "2026-10-05T00:00:00+00:00"),
                ("yana biri", "uz", 2, "2026-10-02T00:00:00+00:00", "2026-11-01T00:00:00+00:00"),
                ("ещё вопрос", "ru", 1, "2026-10-03T00:00:00+00:00", "2026-10-09T00:00:00+00:00"),
            ],
        )
    async with Storage(db) as storage:
        assert await storage.schema_version() == len(MIGRATIONS)
        assert await storage.unmatched_counts() == [("2026-10", "ru", 4), ("2026-11", "uz", 2)]
        assert await storage.unmatched() == []  # texts nobody could be asked about are gone
        await storage.record_unmatched("Новый  вопрос 123456789", "ru", user_id=5)
        assert [row[:3] for row in await storage.unmatched()] == [("новый вопрос #", "ru", 1)]
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "unmatched" not in tables and {"unmatched_texts", "unmatched_counts"} <= tables


def test_retention_days_setting() -> None:
    assert Settings.from_env({}).retention_days == 180
    assert Settings.from_env({"RETENTION_DAYS": "30"}).retention_days == 30
    with pytest.raises(ConfigError):
        Settings.from_env({"RETENTION_DAYS": "-1"})
    with pytest.raises(ConfigError):
        Settings.from_env({"RETENTION_DAYS": "half a year"})


def test_tokens_are_masked_in_messages_arguments_and_tracebacks() -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    assert mask(f"https://bot-api.example/bot{token}/getMe") == "https://bot-api.example/bot<token>/getMe"
    assert mask("case 12345: 2026-11-22T10:00:00") == "case 12345: 2026-11-22T10:00:00"  # not a token
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (f"/bot{token}/x",), None)
    try:
        raise ValueError(token)
    except ValueError:
        record.exc_info = sys.exc_info()
    assert SecretFilter().filter(record)
    text = logging.Formatter().format(record)
    assert token not in text and text.count("<token>") >= 2
