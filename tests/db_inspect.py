"""Look at what a bot really stored, on either backend (issue 17).

The end-to-end tests check the database itself (a separate connection, not the bot's): every table,
every row, every text. ``JOLDOSH_TEST_DB=postgres`` runs the bots they start on the test's own
PostgreSQL schema instead of the SQLite file they name (tests/bot_harness.py ``PG_OVERRIDE``);
these helpers follow it, so a test says ``await dump(db)`` and reads whichever database its bot used.

The SQL is SQLite's, as the repositories write it (``?`` placeholders, ``json_extract``, ``PRAGMA
table_info``, the ``sqlite_master`` table list); on PostgreSQL it is translated the same way
(:func:`bot.storage.postgres.translate`). Tables are listed from the database itself, so a table
added later is covered too (SQLite's ``sqlite_sequence`` included; PostgreSQL's ``schema_version``,
the migrations' number, is not listed).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.storage.postgres import PgConnection, is_postgres_url
from tests import bot_harness

__all__ = ["columns", "count", "database_text", "dump", "rows", "tables", "target"]

Row = tuple[Any, ...]


def target(db: Path | str) -> Path | str:
    """The database a bot started with ``db`` really uses (this test's PostgreSQL schema, when set)."""
    if bot_harness.PG_OVERRIDE and not is_postgres_url(db):
        return bot_harness.PG_OVERRIDE
    return db


async def rows(db: Path | str, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
    """The rows of one statement (SQLite's SQL), as tuples, read through a connection of its own."""
    where = target(db)
    if is_postgres_url(where):
        conn = await PgConnection.connect(str(where))
        try:
            async with conn.execute(sql, args) as cur:
                return await cur.fetchall()
        finally:
            await conn.close()
    with sqlite3.connect(where) as conn:
        return conn.execute(sql, args).fetchall()


async def tables(db: Path | str) -> list[str]:
    """Every table in the database."""
    return [r[0] for r in await rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")]


async def columns(db: Path | str, table: str) -> list[str]:
    return [r[1] for r in await rows(db, f"PRAGMA table_info({table})")]


async def dump(db: Path | str) -> dict[str, list[Row]]:
    """Every row of every table."""
    return {t: await rows(db, f"SELECT * FROM {t}") for t in await tables(db)}  # noqa: S608


async def database_text(db: Path | str) -> str:
    """Every value of every row of every table, as one text."""
    return "\n".join(str(v) for table in (await dump(db)).values() for row in table for v in row)


async def count(db: Path | str, table: str) -> int:
    return int((await rows(db, f"SELECT COUNT(*) FROM {table}"))[0][0])  # noqa: S608
