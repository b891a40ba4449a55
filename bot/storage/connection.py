"""The SQLite connection: aiosqlite's async interface, with every statement run in the event loop.

aiosqlite runs each statement on a thread of its own and hands the result back through a queue and
the event loop: two thread switches per call. A statement of this bot takes a few microseconds
(WAL, ``synchronous=NORMAL``: a commit does not wait for the disk), and an update makes a few dozen
of them, so those hand-overs cost more CPU than the database itself; the benchmark showed them as
the largest single cost of an update (docs/BENCHMARKS.md). :class:`Connection` keeps the same
interface (``await db.execute(...)``, ``async with db.execute(...) as cur``, ``commit``,
``rollback``, ``executemany``, ``executescript``, ``execute_fetchall``) and runs the statement at
once. The end of every transaction (bot/storage/base.py) then lets the other tasks take a turn,
so a long series of transactions (the daily retention sweep) does not keep the bot from answering.

All storage work already goes through one connection and one lock (bot/storage/base.py), so the
order of statements and transactions is exactly what it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Generator, Iterable
from pathlib import Path
from typing import Any

__all__ = ["Connection", "Cursor", "connect"]


class Cursor:
    """An executed statement: rows, ``rowcount``, ``lastrowid`` (the aiosqlite cursor's interface)."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def description(self) -> Any:
        return self._cursor.description

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def close(self) -> None:
        self._cursor.close()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._rows()

    async def _rows(self) -> AsyncIterator[Any]:
        for row in self._cursor:
            yield row

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()


class _Statement:
    """What ``execute`` returns: await it for the cursor, or use it as ``async with ... as cur``."""

    def __init__(self, run: Any) -> None:
        self._run = run
        self._cursor: Cursor | None = None

    def _execute(self) -> Cursor:
        self._cursor = Cursor(self._run())
        return self._cursor

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._done().__await__()

    async def _done(self) -> Cursor:
        return self._execute()

    async def __aenter__(self) -> Cursor:
        return self._execute()

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class Connection:
    """One sqlite3 connection used from the event loop's thread, with aiosqlite's async interface."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection | None = conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("Connection closed")
        return self._conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @property
    def total_changes(self) -> int:
        return self.conn.total_changes

    def execute(self, sql: str, parameters: Iterable[Any] = ()) -> _Statement:
        return _Statement(lambda: self.conn.execute(sql, parameters))

    def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> _Statement:
        return _Statement(lambda: self.conn.executemany(sql, parameters))

    def executescript(self, script: str) -> _Statement:
        return _Statement(lambda: self.conn.executescript(script))

    async def execute_fetchall(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, parameters).fetchall()

    async def commit(self) -> None:
        self.conn.commit()

    async def rollback(self) -> None:
        self.conn.rollback()

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()


async def connect(path: str | Path) -> Connection:
    """Open the database (like ``aiosqlite.connect``: sqlite3's defaults otherwise)."""
    return Connection(sqlite3.connect(path))
