"""PostgreSQL behind the storage layer (issue 17, first slice): an aiosqlite-like connection.

The repositories speak SQLite's SQL to ``self.db`` (``execute(sql, args)``, ``executemany``,
``commit``, ``rollback``, ``executescript``, cursors with ``fetchone``/``fetchall``/``lastrowid``/
``rowcount``). :class:`PgConnection` offers the same surface over one asyncpg connection and
translates the few SQLite-only pieces the repositories use (:func:`translate`):

* ``?`` placeholders → ``$1, $2, …`` (not inside string literals);
* ``INSERT OR IGNORE`` → ``INSERT … ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` → an upsert on
  the table's primary key (:data:`PRIMARY_KEYS`);
* ``ON CONFLICT … DO UPDATE SET n = n + …`` → the old value named by its table (PostgreSQL finds a
  bare ``n`` ambiguous there);
* ``json_extract(col, '$.key')`` → ``(col::jsonb ->> 'key')``;
* ``cur.lastrowid`` of an INSERT into a table with a serial key (:data:`SERIAL_KEYS`) → ``RETURNING``;
* ``BEGIN IMMEDIATE`` → ``BEGIN``; ``PRAGMA table_info(t)`` and the ``sqlite_master`` table list →
  ``information_schema``; other ``PRAGMA``\\ s do nothing.

Like Python's sqlite3 module, a data-changing statement outside a transaction opens one, which
``commit()`` ends (or ``rollback()``). Database errors are raised as :class:`PgError`, a subclass
of ``sqlite3.Error``, so the repositories' ``except sqlite3.Error`` handles both backends.

Known difference: after an error inside a transaction PostgreSQL refuses every statement until the
rollback (SQLite lets the transaction go on); an implicit transaction is rolled back at once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable, Generator, Iterable, Sequence
from typing import Any, Self

import asyncpg

from bot.storage.schema import MIGRATIONS

__all__ = ["PgConnection", "PgError", "is_postgres_url", "pg_migrations", "translate"]

log = logging.getLogger(__name__)

#: The table that keeps the schema's version (SQLite keeps it in ``PRAGMA user_version``).
VERSION_TABLE = "schema_version"

#: Tables whose key is made by the database: an INSERT into them returns it (``cur.lastrowid``).
SERIAL_KEYS = {
    "cases": "case_id",
    "outbox": "id",
    "case_notes": "id",
    "reminders": "id",
    "unmatched_texts": "id",
}

#: Primary keys of the tables written with ``INSERT OR REPLACE``.
PRIMARY_KEYS = {"case_messages": ("chat_id", "message_id")}

#: Any of these schemes in ``DATABASE_URL`` (or the path given to ``Storage``) means PostgreSQL.
_SCHEMES = ("postgresql://", "postgres://")


class PgError(sqlite3.Error):
    """A PostgreSQL error, raised as a ``sqlite3.Error`` so the repositories handle both backends."""


def is_postgres_url(target: object) -> bool:
    return str(target).startswith(_SCHEMES)


# --- translation ---------------------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\?")
_INSERT = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I | re.S)
_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.I)
_UPSERT_SET = re.compile(r"DO\s+UPDATE\s+SET\s+(.*)$", re.I | re.S)
_JSON = re.compile(r"json_extract\((\w+),\s*'\$\.(\w+)'\)", re.I)
_TABLE_INFO = re.compile(r"^\s*PRAGMA\s+table_info\((\w+)\)\s*;?\s*$", re.I)
_SQLITE_MASTER = re.compile(r"\bFROM\s+sqlite_master\b", re.I)


def _placeholders(sql: str) -> str:
    n = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        if m.group(0) != "?":
            return m.group(0)
        n += 1
        return f"${n}"

    return _TOKENS.sub(repl, sql)


def translate(sql: str) -> str:
    """SQLite's SQL as the repositories write it → PostgreSQL's."""
    stripped = sql.strip()
    if re.fullmatch(r"BEGIN(\s+(IMMEDIATE|DEFERRED|EXCLUSIVE))?;?", stripped, re.I):
        return "BEGIN"
    if m := _TABLE_INFO.match(sql):
        return (
            "SELECT ordinal_position - 1, column_name::text FROM information_schema.columns"
            f" WHERE table_schema = current_schema() AND table_name = '{m.group(1)}'"
            " ORDER BY ordinal_position"
        )
    if _SQLITE_MASTER.search(sql):
        return (
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
            f" AND table_type = 'BASE TABLE' AND table_name <> '{VERSION_TABLE}' ORDER BY table_name"
        )
    if m := _INSERT.match(sql):
        how, table, columns = m.group(1).upper(), m.group(2), [c.strip() for c in m.group(3).split(",")]
        sql = _INSERT.sub(lambda m: f"INSERT INTO {table} ({m.group(3)})", sql, count=1).rstrip().rstrip(";")
        if how == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            key = PRIMARY_KEYS[table]
            rest = [c for c in columns if c not in key]
            sets = ", ".join(f"{c} = excluded.{c}" for c in rest)
            sql += f" ON CONFLICT ({', '.join(key)}) DO " + (f"UPDATE SET {sets}" if rest else "NOTHING")
    elif (into := _INTO.match(sql)) and (upsert := _UPSERT_SET.search(sql)):
        table = into.group(1)
        sets = re.sub(r"\b(\w+)\s*=\s*\1\b", rf"\1 = {table}.\1", upsert.group(1))
        sql = sql[: upsert.start(1)] + sets
    sql = _JSON.sub(r"(\1::jsonb ->> '\2')", sql)
    return _placeholders(sql)


def _returning(sql: str) -> str | None:
    """The serial key to return for an INSERT into a table that has one (for ``lastrowid``)."""
    m = _INTO.match(sql)
    if m is None or re.search(r"\bRETURNING\b", sql, re.I):
        return None
    return SERIAL_KEYS.get(m.group(1))


def pg_schema(sql: str) -> str:
    """One of SQLite's migrations in PostgreSQL's words: serial keys, 64-bit integers (Telegram ids)."""
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", "BIGSERIAL PRIMARY KEY", sql, flags=re.I)
    return re.sub(r"\bINTEGER\b", "BIGINT", sql)


#: Migrations whose PostgreSQL text is not the translation of SQLite's (none so far; number → SQL).
PG_OVERRIDES: dict[int, str] = {}


def pg_migrations() -> tuple[str, ...]:
    """The migrations for PostgreSQL, numbered as SQLite's (:data:`bot.storage.schema.MIGRATIONS`)."""
    return tuple(PG_OVERRIDES.get(n, pg_schema(sql)) for n, sql in enumerate(MIGRATIONS, start=1))


# --- the connection ------------------------------------------------------------------------------


class PgCursor:
    """What a statement gave: its rows (as tuples), rows changed, the key of an inserted row."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        self._rows = []


class _Pending:
    """``await db.execute(...)`` and ``async with db.execute(...) as cur`` both work (as in aiosqlite)."""

    def __init__(self, conn: PgConnection, sql: str, args: Sequence[Any]) -> None:
        self._run = conn._execute(sql, args)
        self._cursor: PgCursor | None = None

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._run.__await__()

    async def __aenter__(self) -> PgCursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


def _count(status: str | None) -> int:
    """Rows changed, from a status such as ``INSERT 0 1`` or ``UPDATE 3``."""
    parts = (status or "").split()
    return int(parts[-1]) if parts and parts[-1].isdigit() else -1


_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


class PgConnection:
    """One asyncpg connection that looks like an aiosqlite one to the repositories."""

    def __init__(self, conn: asyncpg.Connection, url: str | None = None) -> None:
        self._conn = conn
        self._url = url
        self._lock = asyncio.Lock()  # one statement at a time on the connection
        self.in_transaction = False
        self.reconnects = 0

    @classmethod
    async def connect(cls, url: str) -> Self:
        """Connect to ``url`` (``postgresql://user@host:port/db``; other query parameters, e.g.
        ``?search_path=x``, are the session's settings)."""
        try:
            conn = await asyncpg.connect(url, timeout=10)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            raise PgError(f"cannot connect: {exc}") from exc
        return cls(conn, url)

    async def _ready(self) -> None:
        """Before a statement outside a transaction: if the connection was lost (the server
        restarted, a network cut, an administrator ended the session), connect again. Inside a
        transaction it is not done: the transaction is gone with the connection, and its caller
        rolls back. Session locks (the leader's, an outbox destination's) are gone too, and are
        taken again by whoever needs them next (handlers/leader.py checks every few seconds)."""
        if not self._conn.is_closed() or self.in_transaction or self._url is None:
            return
        try:
            self._conn = await asyncpg.connect(self._url, timeout=10)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            raise PgError(f"cannot connect again: {exc}") from exc
        self.reconnects += 1
        log.warning("connected to PostgreSQL again (connection %d)", self.reconnects + 1)

    async def _resendable(self, make: Callable[[], Awaitable[Any]]) -> Any:
        """Send a statement that changes nothing if it is sent twice (BEGIN, a read outside a
        transaction). When the connection turns out lost as it is sent (the server ended the session
        and the client had not read that yet, so ``_ready`` saw it open), connect again and send it
        once more; a write is never resent this way (it may have been done)."""
        try:
            return await self._call(make())
        except PgError:
            if not self._conn.is_closed() or self.in_transaction or self._url is None:
                raise
            await self._ready()
            return await self._call(make())

    def execute(self, sql: str, args: Sequence[Any] = ()) -> _Pending:
        return _Pending(self, sql, args)

    async def execute_committed(self, sql: str, args: Sequence[Any] = ()) -> PgCursor:
        """One statement, committed at once. Outside a transaction it runs as a transaction of its
        own (PostgreSQL's autocommit): one round trip to the server instead of three (BEGIN, the
        statement, COMMIT), as durable. An update written down in the inbox goes this way."""
        if self.in_transaction:
            cursor = await self._execute(sql, args)
            await self.commit()
            return cursor
        return await self._execute(sql, args, autocommit=True)

    async def _execute(self, sql: str, args: Sequence[Any], *, autocommit: bool = False) -> PgCursor:
        if re.match(r"^\s*PRAGMA\b", sql, re.I) and not _TABLE_INFO.match(sql):
            return PgCursor([], -1, None)
        text = translate(sql)
        if text == "BEGIN":
            async with self._lock:
                await self._ready()
                await self._resendable(lambda: self._conn.execute("BEGIN"))
                self.in_transaction = True
            return PgCursor([], -1, None)
        key = _returning(sql)
        if key:
            text += f" RETURNING {key}"
        async with self._lock:
            await self._ready()
            implicit = False
            if _WRITES.match(sql) and not self.in_transaction and not autocommit:
                await self._resendable(lambda: self._conn.execute("BEGIN"))
                self.in_transaction = implicit = True
            try:
                if key or re.match(r"^\s*(SELECT|WITH|VALUES)\b", text, re.I):
                    # a read outside a transaction may be sent again (not WITH: it may hold a write)
                    read = not key and not self.in_transaction and not re.match(r"^\s*WITH\b", text, re.I)
                    fetch = lambda: self._conn.fetch(text, *args)  # noqa: E731
                    records, status = await (self._resendable(fetch) if read else self._call(fetch())), None
                else:
                    records, status = [], await self._call(self._conn.execute(text, *args))
            except PgError:
                if implicit:
                    await self._end("ROLLBACK")
                raise
        rows = [tuple(r) for r in records]
        if key:
            return PgCursor([], len(rows), int(rows[0][0]) if rows else None)
        return PgCursor(rows, _count(status), None)

    async def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        args = [tuple(a) for a in seq]
        if not args:
            return
        async with self._lock:
            await self._ready()
            if _WRITES.match(sql) and not self.in_transaction:
                await self._resendable(lambda: self._conn.execute("BEGIN"))
                self.in_transaction = True
            await self._call(self._conn.executemany(translate(sql), args))

    async def executescript(self, script: str) -> None:
        """Run several statements (no parameters) as they are, in PostgreSQL's SQL."""
        async with self._lock:
            await self._ready()
            await self._call(self._conn.execute(script))

    async def commit(self) -> None:
        async with self._lock:
            if self.in_transaction:
                await self._end("COMMIT")

    async def rollback(self) -> None:
        async with self._lock:
            if self.in_transaction:
                await self._end("ROLLBACK")

    async def _end(self, how: str) -> None:
        self.in_transaction = False
        if how == "ROLLBACK" and self._conn.is_closed():
            return  # the transaction ended with the connection
        await self._call(self._conn.execute(how))

    async def close(self) -> None:
        await self._conn.close(timeout=5)

    @property
    def raw(self) -> asyncpg.Connection:
        """The asyncpg connection itself (migrations, tests)."""
        return self._conn

    async def _call(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise PgError(str(exc) or type(exc).__name__) from exc


async def migrate(conn: PgConnection) -> int:
    """Apply the PostgreSQL migrations not applied yet, each in its own transaction with the new
    version; an advisory lock keeps two processes from migrating at once. Returns the version."""
    raw = conn.raw
    migrations = pg_migrations()
    try:
        await raw.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT NOT NULL)")
        async with raw.transaction():
            await raw.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.joldosh'))")
            if await raw.fetchval(f"SELECT COUNT(*) FROM {VERSION_TABLE}") == 0:
                await raw.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (0)")
            current = int(await raw.fetchval(f"SELECT version FROM {VERSION_TABLE}"))
            for number, sql in enumerate(migrations, start=1):
                if number <= current:
                    continue
                async with raw.transaction():  # a savepoint: each migration whole or not at all
                    await raw.execute(sql)
                    await raw.execute(f"UPDATE {VERSION_TABLE} SET version = $1", number)
                current = number
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise PgError(f"migration failed: {exc}") from exc
    return current


async def schema_version(conn: PgConnection) -> int:
    try:
        value = await conn.raw.fetchval(f"SELECT version FROM {VERSION_TABLE}")
    except asyncpg.UndefinedTableError:
        return 0
    return int(value or 0)
