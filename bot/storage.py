"""Storage: a small repository layer over SQLite (aiosqlite, WAL, versioned migrations).

The database is the source of truth for where each user is in a tree. Handlers talk to
:class:`Storage` only through its methods, so a PostgreSQL backend can implement the same
surface later. sqlite3 errors are converted to :class:`StorageError`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import aiosqlite

from bot.engine import State

__all__ = ["MIGRATIONS", "Storage", "StorageError"]

log = logging.getLogger(__name__)

#: Schema migrations, applied in order on start. Never edit one that has shipped: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: users and their place in the trees.
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        lang        TEXT    NOT NULL,
        lang_chosen INTEGER NOT NULL DEFAULT 0,
        node        TEXT,
        stack       TEXT    NOT NULL DEFAULT '[]',
        created_at  TEXT    NOT NULL,
        last_seen   TEXT    NOT NULL
    );
    """,
)


class StorageError(Exception):
    """The database could not do what was asked."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Storage:
    """Users' states in SQLite. Use ``async with Storage(path) as store:`` or open()/close()."""

    def __init__(self, path: str | Path, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.path = str(path)
        self._clock = clock
        self._db: aiosqlite.Connection | None = None

    async def open(self) -> Storage:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = await aiosqlite.connect(self.path)
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA foreign_keys=ON")
            await self._db.execute("PRAGMA busy_timeout=5000")
            await self._migrate()
        except sqlite3.Error as exc:
            await self.close()
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        return self

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> Storage:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("storage is not open")
        return self._db

    async def schema_version(self) -> int:
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

    async def load_user(self, user_id: int) -> State | None:
        """The stored state of a user, or None for someone we have never seen."""
        try:
            async with self.db.execute(
                "SELECT lang, lang_chosen, node, stack FROM users WHERE user_id = ?", (user_id,)
            ) as cur:
                row = await cur.fetchone()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot load user: {exc}") from exc
        if row is None:
            return None
        try:
            stack = tuple(str(n) for n in json.loads(row[3]))
        except (ValueError, TypeError):
            log.warning("user %s has a damaged back-stack; starting it afresh", user_id)
            stack = ()
        return State(user_id=user_id, lang=row[0], lang_chosen=bool(row[1]), node=row[2], stack=stack)

    async def save_user(self, state: State) -> None:
        """Insert or update a user's state and last-seen time."""
        now = self._clock().isoformat(timespec="seconds")
        try:
            await self.db.execute(
                """
                INSERT INTO users (user_id, lang, lang_chosen, node, stack, created_at, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    lang = excluded.lang, lang_chosen = excluded.lang_chosen,
                    node = excluded.node, stack = excluded.stack, last_seen = excluded.last_seen
                """,
                (
                    state.user_id,
                    state.lang,
                    int(state.lang_chosen),
                    state.node,
                    json.dumps(list(state.stack)),
                    now,
                    now,
                ),
            )
            await self.db.commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save user: {exc}") from exc

    async def user_times(self, user_id: int) -> tuple[str, str] | None:
        """(created_at, last_seen) of a user, as ISO strings."""
        async with self.db.execute(
            "SELECT created_at, last_seen FROM users WHERE user_id = ?", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1]) if row else None
