"""``python -m bot db migrate-sqlite-to-postgres``: a running deployment moves from SQLite to PostgreSQL.

The bot runs on SQLite (a migrant opens a case, writes, has a reminder due; typed questions nothing
matched are kept), stops; the command copies the file into an empty PostgreSQL schema; the bot runs
again on PostgreSQL and carries on where it was: the same case, the same topic, the next case number
after the copied ones. Copying into a database that already has data is refused.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.storage import Storage
from bot.storage.base import StorageError
from bot.storage.copy import copy_sqlite_to_postgres
from tests.bot_harness import running_bot
from tests.conftest import REAL_CONTENT, pg_schema_url
from tests.fake_api import FakeTelegram
from tests.test_operators_e2e import open_case

USER, OTHER = 7, 8
OPS = -1001
OPERATOR = 501


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in tables
            if not t.startswith("sqlite_")
        }


@pytest.mark.sqlite_bots  # its first bot runs on SQLite, its second on PostgreSQL in any case
async def test_a_sqlite_deployment_carries_on_in_postgres(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    fake.user(OTHER, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    sqlite_path = tmp_path / "db.sqlite3"
    async with running_bot(fake, sqlite_path, REAL_CONTENT, operators_chat_id=OPS) as bot:
        await open_case(fake, bot, "Работодатель не платит 2 месяца", user=USER)
        fake.send_text(USER, "первое сообщение")
        await bot.settle()
        (thread,) = fake.topics(OPS)
    before = _counts(sqlite_path)
    assert before["cases"] == 1 and before["users"] == 1

    async with pg_schema_url() as url:
        assert (
            await asyncio.to_thread(
                main, ["db", "migrate-sqlite-to-postgres", "--from", str(sqlite_path), "--to", url]
            )
            == 0
        )
        out = capsys.readouterr().out
        assert "copied" in out and "cases" in out
        async with Storage(url) as store:
            for table, n in before.items():
                rows = await store._rows(f"SELECT COUNT(*) FROM {table}")
                assert rows[0][0] == n, f"{table}: {n} rows in SQLite, {rows[0][0]} in PostgreSQL"
            state = await store.load_user(USER)
            assert state is not None and state.handoff == "case" and state.lang == "ru"

        # The same deployment, now on PostgreSQL: the case goes on in its topic; a new case is №2.
        async with running_bot(fake, url, REAL_CONTENT, operators_chat_id=OPS) as bot:
            fake.send_text(USER, "второе сообщение после переезда")
            await bot.settle()
            relayed = [m.get("text") or "" for m in fake.group_messages(OPS, thread)]
            assert any("второе сообщение после переезда" in t for t in relayed), relayed
            await open_case(fake, bot, "Паспорт забрали", user=OTHER)
            assert "№2" in (fake.last(OTHER).get("text") or "")
            assert len(fake.topics(OPS)) == 2

        # The command-line reports read PostgreSQL too (--db, or DATABASE_URL).
        png = tmp_path / "week.png"
        week = ["report", "--week", "2026-W49", "--out", str(png), "--db", url]
        assert await asyncio.to_thread(main, week) == 0 and png.stat().st_size > 1000
        assert await asyncio.to_thread(main, ["content", "report", "--usage", "--db", url]) == 0
        monkeypatch.setenv("DATABASE_URL", url)
        assert await asyncio.to_thread(main, ["content", "report", "--unmatched"]) == 0
        capsys.readouterr()

        # Copying again into a database that has data is refused, and writes nothing.
        with pytest.raises(StorageError, match="not empty"):
            await copy_sqlite_to_postgres(sqlite_path, url)
        assert (
            await asyncio.to_thread(
                main, ["db", "migrate-sqlite-to-postgres", "--from", str(sqlite_path), "--to", url]
            )
            == 1
        )


def test_the_command_says_what_it_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["db", "migrate-sqlite-to-postgres", "--from", str(tmp_path / "none.sqlite3"), "--to", "x"]) == 2
    )
    assert "postgresql://" in capsys.readouterr().err
    missing = str(tmp_path / "none.sqlite3")
    assert main(["db", "migrate-sqlite-to-postgres", "--from", missing, "--to", "postgresql://h/db"]) == 2
    assert "no SQLite database" in capsys.readouterr().err
