"""The SQLite connection run in the event loop (bot/storage/connection.py): aiosqlite's interface."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage import Storage
from bot.storage.connection import connect


async def test_statements_cursors_and_transactions(tmp_path: Path) -> None:
    db = await connect(tmp_path / "x.sqlite3")
    await db.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
    cur = await db.execute("INSERT INTO t (b) VALUES (?)", ("one",))
    assert cur.lastrowid == 1 and cur.rowcount == 1
    await db.executemany("INSERT INTO t (b) VALUES (?)", [("two",), ("three",)])
    await db.commit()
    async with db.execute("SELECT b FROM t ORDER BY a") as cur:
        assert await cur.fetchone() == ("one",)
        assert await cur.fetchmany(1) == [("two",)]
        assert await cur.fetchall() == [("three",)]
    assert [row async for row in await db.execute("SELECT a FROM t ORDER BY a")] == [(1,), (2,), (3,)]
    assert await db.execute_fetchall("SELECT COUNT(*) FROM t") == [(3,)]
    # A transaction rolled back leaves nothing; one committed is there after reopening.
    await db.execute("BEGIN IMMEDIATE")
    await db.execute("DELETE FROM t")
    assert db.in_transaction
    await db.rollback()
    assert (await db.execute_fetchall("SELECT COUNT(*) FROM t")) == [(3,)]
    await db.executescript("BEGIN; UPDATE t SET b = 'x'; COMMIT;")
    await db.close()
    await db.close()  # closing twice is harmless
    with pytest.raises(ValueError, match="closed"):
        await db.execute("SELECT 1")
    again = await connect(tmp_path / "x.sqlite3")
    assert await again.execute_fetchall("SELECT DISTINCT b FROM t") == [("x",)]
    await again.close()


async def test_errors_are_sqlite_errors(tmp_path: Path) -> None:
    db = await connect(tmp_path / "x.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        await db.execute("SELECT * FROM missing")
    with pytest.raises(sqlite3.OperationalError):
        async with db.execute("SELECT * FROM missing"):
            pass
    await db.close()


async def test_other_tasks_get_a_turn_between_transactions(tmp_path: Path) -> None:
    """Statements run at once, but every commit lets the other tasks run (a long sweep of many
    transactions does not keep the bot from answering)."""
    ticks: list[int] = []

    async def other() -> None:
        for i in range(100):
            ticks.append(i)
            await asyncio.sleep(0)

    async with Storage(tmp_path / "db.sqlite3") as store:
        task = asyncio.create_task(other())
        await asyncio.sleep(0)
        seen = []
        for n in range(5):
            async with store.transaction():
                await store.inbox_add(n, "7", "{}")
            seen.append(len(ticks))
        task.cancel()
    assert seen == sorted(seen) and seen[-1] > seen[0], seen
