"""The connection to SQLite: opening, migrations, transactions, one lock for every task."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

from bot.storage import connection, postgres
from bot.storage.schema import MIGRATIONS

log = logging.getLogger(__name__)


class StorageError(Exception):
    """The database could not do what was asked."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


_WRAPPED = ("open", "close", "transaction", "schema_version")


def _serialised(cls: type) -> type:
    """Make every public coroutine method of ``cls`` (its own and its bases') wait for the connection's lock.

    One connection (bot/storage/connection.py) is shared by every task. A transaction (one
    update's whole effect) holds the lock from BEGIN to COMMIT, so no other task's statement can
    slip into it (and be rolled back with it); calls made inside the transaction, by the task that
    holds it, pass straight through.
    """
    names = {name for klass in cls.__mro__ for name in vars(klass)}
    for name in sorted(names):
        fn = getattr(cls, name)
        if name.startswith("_") or name in _WRAPPED or not asyncio.iscoroutinefunction(fn):
            continue

        def wrap(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            @functools.wraps(fn)
            async def locked(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
                if self._holder.get():
                    return await fn(self, *args, **kwargs)
                async with self._lock:
                    token = self._holder.set(True)
                    try:
                        return await fn(self, *args, **kwargs)
                    finally:
                        self._holder.reset(token)

            return locked

        setattr(cls, name, wrap(fn))
    return cls


class StoreBase:
    """The connection, transactions and migrations; the repositories (users, cases, outbox, inbox,
    reminders, unmatched questions) are mixins over it, put together in :class:`bot.storage.Storage`."""

    def __init__(self, path: str | Path, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.path = str(path)
        self._postgres = postgres.is_postgres_url(self.path)  # asked on every update (issue 16)
        self._clock = clock
        self._db: connection.Connection | None = None
        self._lock = asyncio.Lock()
        #: True in the task (and its calls) that holds the lock.
        self._holder: contextvars.ContextVar[bool] = contextvars.ContextVar("storage_holder", default=False)
        #: True inside :meth:`transaction`: commits wait for its end.
        self._in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar("storage_tx", default=False)
        #: Outbox destinations written to since :meth:`take_queued_lanes` was last called: whoever
        #: takes them starts their delivery without looking them up (issue 16).
        self._queued_lanes: set[str] = set()

    def take_queued_lanes(self) -> set[str]:
        """The outbox destinations written to since the last call (a hint: the items may have
        been rolled back, or delivered already; the courier's periodic look finds the rest)."""
        lanes, self._queued_lanes = self._queued_lanes, set()
        return lanes

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Everything done inside is committed together, or not at all (on an exception)."""
        if self._in_tx.get():
            yield
            return
        async with self._lock:
            holder, tx = self._holder.set(True), self._in_tx.set(True)
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    await self.db.rollback()
                    raise
                await self.db.commit()
            except sqlite3.Error as exc:
                raise StorageError(f"transaction failed: {exc}") from exc
            finally:
                self._in_tx.reset(tx)
                self._holder.reset(holder)
        # Statements run in the event loop (connection.py): a turn for the other tasks between
        # transactions, so that a long series of them does not keep the bot from answering.
        await asyncio.sleep(0)

    async def _execute_committed(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        """One statement, committed at once (inside :meth:`transaction`: with the transaction).

        SQLite: the statement, then the commit. PostgreSQL: outside a transaction the statement is
        a transaction of its own, one round trip instead of three
        (:meth:`~bot.storage.postgres.PgConnection.execute_committed`).
        """
        if self._in_tx.get():
            return await self.db.execute(sql, args)
        if self.is_postgres:
            return await self.db.execute_committed(sql, args)  # type: ignore[attr-defined]
        cursor = await self.db.execute(sql, args)
        await self.db.commit()
        return cursor

    async def _commit(self) -> None:
        if not self._in_tx.get():
            await self.db.commit()

    async def _rollback(self) -> None:
        if not self._in_tx.get():
            await self.db.rollback()

    @property
    def is_postgres(self) -> bool:
        """The database is PostgreSQL (a ``postgresql://`` URL), not a SQLite file (issue 17)."""
        return self._postgres

    async def open(self) -> Self:
        if self.is_postgres:
            return await self._open_postgres()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = await connection.connect(self.path)
            await self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives a crash or kill of the process (what we guard against);
            # only a power cut may lose the last commits. FULL would fsync every update.
            await self._db.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows (processed updates, delivered messages, /forget) are overwritten.
            await self._db.execute("PRAGMA secure_delete=ON")
            await self._db.execute("PRAGMA foreign_keys=ON")
            await self._db.execute("PRAGMA busy_timeout=5000")
            await self._migrate()
        except sqlite3.Error as exc:
            await self.close()
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        return self

    async def _open_postgres(self) -> Self:
        """Connect to PostgreSQL (an aiosqlite-like connection, :mod:`bot.storage.postgres`) and migrate."""
        try:
            self._db = await postgres.PgConnection.connect(self.path)  # type: ignore[assignment]
            version = await postgres.migrate(self._db)  # type: ignore[arg-type]
            log.info("PostgreSQL schema at version %d", version)
        except sqlite3.Error as exc:
            await self.close()
            raise StorageError(f"cannot open the PostgreSQL database: {exc}") from exc
        return self

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> connection.Connection:
        if self._db is None:
            raise StorageError("storage is not open")
        return self._db

    async def schema_version(self) -> int:
        if self.is_postgres:
            return await postgres.schema_version(self.db)  # type: ignore[arg-type]
        async with self.db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        for number, sql in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            log.info("applying database migration %d", number)
            await self.db.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    async def _run(self, what: str, sql: str, args: tuple[Any, ...] = ()) -> None:
        try:
            await self._execute_committed(sql, args)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot {what}: {exc}") from exc

    async def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            async with self.db.execute(sql, args) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read: {exc}") from exc
