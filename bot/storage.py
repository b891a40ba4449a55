"""Storage: a small repository layer over SQLite (aiosqlite, WAL, versioned migrations).

The database is the source of truth for where each user is in a tree. Handlers talk to
:class:`Storage` only through its methods, so a PostgreSQL backend can implement the same
surface later. sqlite3 errors are converted to :class:`StorageError`.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.engine import State

__all__ = ["MIGRATIONS", "Case", "OutboxItem", "Storage", "StorageError"]

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
    # 2: hand-off to operators: cases, the outbox of messages to deliver, message mapping, notes.
    """
    ALTER TABLE users ADD COLUMN handoff TEXT;
    CREATE TABLE cases (
        case_id       INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id       INTEGER NOT NULL,
        status        TEXT    NOT NULL DEFAULT 'open',   -- open | claimed | closed
        lang          TEXT    NOT NULL,
        citizenship   TEXT,
        topic         TEXT    NOT NULL,
        path          TEXT    NOT NULL,                  -- JSON list of node ids
        urgent        INTEGER NOT NULL DEFAULT 0,
        description   TEXT,
        kind          TEXT    NOT NULL,
        thread_id     INTEGER,                           -- forum topic in the operators' group
        card_id       INTEGER,                           -- the case card's message id there
        operator_id   INTEGER,
        operator_name TEXT,
        rating        INTEGER,
        user_blocked  INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT    NOT NULL,
        claimed_at    TEXT,
        closed_at     TEXT,
        closed_by     TEXT,
        pinged_at     TEXT
    );
    CREATE INDEX cases_user ON cases (user_id, status);
    CREATE INDEX cases_thread ON cases (thread_id);
    CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id      INTEGER NOT NULL REFERENCES cases (case_id),
        target       TEXT    NOT NULL,                   -- ops | user
        kind         TEXT    NOT NULL,                   -- card | copy | text
        payload      TEXT    NOT NULL,                   -- JSON
        created_at   TEXT    NOT NULL,
        next_try_at  TEXT    NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        delivered_at TEXT,
        failed       TEXT
    );
    CREATE INDEX outbox_due ON outbox (delivered_at, failed, next_try_at);
    CREATE TABLE case_messages (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id    INTEGER NOT NULL REFERENCES cases (case_id),
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE TABLE case_notes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id     INTEGER NOT NULL REFERENCES cases (case_id),
        operator_id INTEGER NOT NULL,
        text        TEXT    NOT NULL,
        created_at  TEXT    NOT NULL
    );
    """,
    # 3: personal deadlines (the form and answers, JSON), blocked users, reminders to send.
    """
    ALTER TABLE users ADD COLUMN deadlines TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE users ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE reminders (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id   INTEGER NOT NULL,
        kind      TEXT    NOT NULL,                 -- reg | stay | permit | contract
        due       TEXT    NOT NULL,                 -- the deadline (ISO date)
        days_before INTEGER NOT NULL,               -- days before the deadline
        send_at   TEXT    NOT NULL,                 -- UTC, ISO
        sent_at   TEXT,
        dropped   TEXT                              -- why it will never be sent
    );
    CREATE INDEX reminders_due ON reminders (sent_at, dropped, send_at);
    CREATE INDEX reminders_user ON reminders (user_id);
    """,
    # 4: typed questions nothing matched, for editors. No user ids: only the words and a count.
    """
    CREATE TABLE unmatched (
        text       TEXT    NOT NULL,
        lang       TEXT    NOT NULL,
        count      INTEGER NOT NULL DEFAULT 1,
        first_seen TEXT    NOT NULL,
        last_seen  TEXT    NOT NULL,
        PRIMARY KEY (text, lang)
    );
    """,
    # 5: durable intake and one outbox for everything the bot sends.
    # inbox: every update is written here before Telegram is told it arrived (polling offset or the
    # webhook's HTTP answer), and marked done (its payload emptied) in the same transaction as its
    # effects. Done rows are kept a while, so an update Telegram sends again is not processed twice.
    # outbox: case messages as before, plus replies to a chat (case_id NULL, chat_id set), reminders
    # and notices; ``lane`` is the destination chat ("ops" for the operators' group).
    """
    CREATE TABLE inbox (
        update_id   INTEGER PRIMARY KEY,
        lane        TEXT    NOT NULL,          -- whose updates must stay in order (a user, a group)
        payload     TEXT    NOT NULL,          -- the update as Telegram sent it (JSON)
        received_at TEXT    NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        done        INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX inbox_lane ON inbox (done, lane, update_id);
    CREATE TABLE outbox_v5 (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id      INTEGER REFERENCES cases (case_id),
        target       TEXT    NOT NULL,         -- ops | user
        chat_id      INTEGER,                  -- the user's chat (target user); NULL for ops
        lane         TEXT    NOT NULL,         -- "ops" or the user's chat id
        kind         TEXT    NOT NULL,         -- card | copy | text | relay | say | answer
        payload      TEXT    NOT NULL,         -- JSON
        created_at   TEXT    NOT NULL,
        next_try_at  TEXT    NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        delivered_at TEXT,
        failed       TEXT
    );
    INSERT INTO outbox_v5 (id, case_id, target, chat_id, lane, kind, payload, created_at, next_try_at,
                           attempts, delivered_at, failed)
        SELECT o.id, o.case_id, o.target,
               CASE WHEN o.target = 'user' THEN c.user_id END,
               CASE WHEN o.target = 'user' THEN CAST(c.user_id AS TEXT) ELSE 'ops' END,
               o.kind, o.payload, o.created_at, o.next_try_at, o.attempts, o.delivered_at, o.failed
        FROM outbox o JOIN cases c ON c.case_id = o.case_id;
    DROP TABLE outbox;
    ALTER TABLE outbox_v5 RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (delivered_at, failed, next_try_at);
    CREATE INDEX outbox_lane ON outbox (lane, id);
    """,
    # 6: privacy. Typed questions nothing matched are kept with the user's id, so /forget and
    # retention can delete them; editors still see them grouped by text. Anonymous counters (no
    # text, no user id) outlive the texts. The old table could not be tied to anyone: its counts
    # move to the counters and its texts are dropped.
    """
    CREATE TABLE unmatched_texts (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL,
        text       TEXT    NOT NULL,
        lang       TEXT    NOT NULL,
        created_at TEXT    NOT NULL
    );
    CREATE INDEX unmatched_texts_user ON unmatched_texts (user_id);
    CREATE INDEX unmatched_texts_created ON unmatched_texts (created_at);
    CREATE TABLE unmatched_counts (
        month TEXT    NOT NULL,                    -- YYYY-MM
        lang  TEXT    NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (month, lang)
    );
    INSERT INTO unmatched_counts (month, lang, count)
        SELECT substr(last_seen, 1, 7), lang, SUM(count) FROM unmatched GROUP BY 1, 2;
    DROP TABLE unmatched;
    """,
)


class StorageError(Exception):
    """The database could not do what was asked."""


@dataclass(frozen=True)
class Case:
    """A migrant's question handed to the operators."""

    case_id: int
    user_id: int
    status: str
    lang: str
    citizenship: str | None
    topic: str
    path: tuple[str, ...]
    urgent: bool
    description: str | None
    kind: str
    thread_id: int | None
    card_id: int | None
    operator_id: int | None
    operator_name: str | None
    rating: int | None
    user_blocked: bool
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    closed_at: dt.datetime | None
    pinged_at: dt.datetime | None


@dataclass(frozen=True)
class OutboxItem:
    """One call to Telegram waiting to be made: to the operators, to a user, for a case or not."""

    id: int
    case_id: int | None
    target: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    chat_id: int | None = None
    lane: str = "ops"


@dataclass(frozen=True)
class InboxItem:
    """An update written down before Telegram was told it arrived."""

    update_id: int
    lane: str
    payload: str
    attempts: int


_OUTBOX_COLUMNS = "id, case_id, target, kind, payload, attempts, chat_id, lane"


def _outbox_item(r: Any) -> OutboxItem:
    return OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7])


_WRAPPED = ("open", "close", "transaction", "schema_version")


def _serialised(cls: type) -> type:
    """Make every public coroutine method of ``cls`` wait for the connection's lock.

    One aiosqlite connection is shared by every task. A transaction (one update's whole effect) holds
    the lock from BEGIN to COMMIT, so no other task's statement can slip into it (and be rolled
    back with it); calls made inside the transaction, by the task that holds it, pass straight through.
    """
    for name, fn in list(vars(cls).items()):
        if name.startswith("_") or name in _WRAPPED or not asyncio.iscoroutinefunction(fn):
            continue

        def wrap(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            @functools.wraps(fn)
            async def locked(self: Storage, *args: Any, **kwargs: Any) -> Any:
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


_CASE_COLUMNS = (
    "case_id, user_id, status, lang, citizenship, topic, path, urgent, description, kind, thread_id,"
    " card_id, operator_id, operator_name, rating, user_blocked, created_at, claimed_at, closed_at,"
    " pinged_at"
)


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _case(row: Any) -> Case:
    return Case(
        case_id=row[0],
        user_id=row[1],
        status=row[2],
        lang=row[3],
        citizenship=row[4],
        topic=row[5],
        path=tuple(json.loads(row[6])),
        urgent=bool(row[7]),
        description=row[8],
        kind=row[9],
        thread_id=row[10],
        card_id=row[11],
        operator_id=row[12],
        operator_name=row[13],
        rating=row[14],
        user_blocked=bool(row[15]),
        created_at=dt.datetime.fromisoformat(row[16]),
        claimed_at=_time(row[17]),
        closed_at=_time(row[18]),
        pinged_at=_time(row[19]),
    )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@_serialised
class Storage:
    """Users' states in SQLite. Use ``async with Storage(path) as store:`` or open()/close()."""

    def __init__(self, path: str | Path, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.path = str(path)
        self._clock = clock
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        #: True in the task (and its calls) that holds the lock.
        self._holder: contextvars.ContextVar[bool] = contextvars.ContextVar("storage_holder", default=False)
        #: True inside :meth:`transaction`: commits wait for its end.
        self._in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar("storage_tx", default=False)

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

    async def _commit(self) -> None:
        if not self._in_tx.get():
            await self.db.commit()

    async def _rollback(self) -> None:
        if not self._in_tx.get():
            await self.db.rollback()

    async def open(self) -> Storage:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = await aiosqlite.connect(self.path)
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
                "SELECT lang, lang_chosen, node, stack, handoff, deadlines FROM users WHERE user_id = ?",
                (user_id,),
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
        try:
            dl = json.loads(row[5] or "{}")
            form = dl.get("form")
            draft = tuple((str(k), str(v)) for k, v in dl.get("draft", []))
            answers = tuple((str(k), str(v)) for k, v in dl.get("answers", []))
            reminders = bool(dl.get("reminders", False))
        except (ValueError, TypeError, AttributeError):
            log.warning("user %s has damaged deadline answers; starting them afresh", user_id)
            form, draft, answers, reminders = None, (), (), False
        return State(
            user_id=user_id,
            lang=row[0],
            lang_chosen=bool(row[1]),
            node=row[2],
            stack=stack,
            handoff=row[4],
            form=form,
            draft=draft,
            answers=answers,
            reminders=reminders,
        )

    async def save_user(self, state: State) -> None:
        """Insert or update a user's state and last-seen time."""
        now = self._clock().isoformat(timespec="seconds")
        try:
            await self.db.execute(
                """
                INSERT INTO users (user_id, lang, lang_chosen, node, stack, handoff, deadlines,
                                   created_at, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    lang = excluded.lang, lang_chosen = excluded.lang_chosen, node = excluded.node,
                    stack = excluded.stack, handoff = excluded.handoff, deadlines = excluded.deadlines,
                    last_seen = excluded.last_seen, blocked = 0
                """,
                (
                    state.user_id,
                    state.lang,
                    int(state.lang_chosen),
                    state.node,
                    json.dumps(list(state.stack)),
                    state.handoff,
                    json.dumps(
                        {
                            "form": state.form,
                            "draft": [list(p) for p in state.draft],
                            "answers": [list(p) for p in state.answers],
                            "reminders": state.reminders,
                        },
                        ensure_ascii=False,
                    ),
                    now,
                    now,
                ),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save user: {exc}") from exc

    async def user_times(self, user_id: int) -> tuple[str, str] | None:
        """(created_at, last_seen) of a user, as ISO strings."""
        async with self.db.execute(
            "SELECT created_at, last_seen FROM users WHERE user_id = ?", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1]) if row else None

    # --- cases ---------------------------------------------------------------------------------

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    async def _run(self, what: str, sql: str, args: tuple[Any, ...] = ()) -> None:
        try:
            await self.db.execute(sql, args)
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot {what}: {exc}") from exc

    async def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            async with self.db.execute(sql, args) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read: {exc}") from exc

    async def create_case(
        self,
        *,
        user_id: int,
        lang: str,
        citizenship: str | None,
        topic: str,
        path: tuple[str, ...],
        urgent: bool,
        description: str | None,
        kind: str,
        outbox: list[tuple[str, str, dict[str, Any]]],
    ) -> int:
        """Store a new case and its first outbox items in one transaction; return its number."""
        now = self._now()
        try:
            cur = await self.db.execute(
                "INSERT INTO cases (user_id, lang, citizenship, topic, path, urgent, description, kind,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    lang,
                    citizenship,
                    topic,
                    json.dumps(list(path)),
                    int(urgent),
                    description,
                    kind,
                    now,
                ),
            )
            case_id = int(cur.lastrowid or 0)
            for target, kind_, payload in outbox:
                await self._enqueue(case_id, target, kind_, payload, now)
            await self._commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise StorageError(f"cannot create case: {exc}") from exc
        return case_id

    async def _enqueue(self, case_id: int, target: str, kind: str, payload: dict[str, Any], now: str) -> None:
        chat_id = None
        if target == "user":
            async with self.db.execute("SELECT user_id FROM cases WHERE case_id = ?", (case_id,)) as cur:
                row = await cur.fetchone()
            chat_id = int(row[0]) if row else None
        await self._insert_outbox(case_id, target, chat_id, kind, payload, now)

    async def _insert_outbox(
        self,
        case_id: int | None,
        target: str,
        chat_id: int | None,
        kind: str,
        payload: dict[str, Any],
        now: str,
    ) -> None:
        lane = "ops" if chat_id is None else str(chat_id)
        await self.db.execute(
            "INSERT INTO outbox (case_id, target, chat_id, lane, kind, payload, created_at, next_try_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, target, chat_id, lane, kind, json.dumps(payload, ensure_ascii=False), now, now),
        )

    async def ops_later(self, kind: str, payload: dict[str, Any]) -> None:
        """Queue a message to the operators' group that belongs to no case (answers to commands)."""
        try:
            await self._insert_outbox(None, "ops", None, kind, payload, self._now())
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot queue a message: {exc}") from exc

    async def send_later(self, chat_id: int, kind: str, payload: dict[str, Any]) -> None:
        """Queue a call to a user's chat that belongs to no case (a screen, a notice, a reminder)."""
        try:
            await self._insert_outbox(None, "user", chat_id, kind, payload, self._now())
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot queue a reply: {exc}") from exc

    async def enqueue(self, case_id: int, target: str, kind: str, payload: dict[str, Any]) -> None:
        """Add one message to deliver (written before any attempt to send it)."""
        try:
            await self._enqueue(case_id, target, kind, payload, self._now())
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot enqueue: {exc}") from exc

    async def get_case(self, case_id: int) -> Case | None:
        rows = await self._rows(f"SELECT {_CASE_COLUMNS} FROM cases WHERE case_id = ?", (case_id,))
        return _case(rows[0]) if rows else None

    async def open_case_of(self, user_id: int) -> Case | None:
        """The user's case that is not closed yet, if any."""
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE user_id = ? AND status != 'closed'"
            " ORDER BY case_id DESC LIMIT 1",
            (user_id,),
        )
        return _case(rows[0]) if rows else None

    async def case_by_thread(self, thread_id: int) -> Case | None:
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE thread_id = ? ORDER BY case_id DESC LIMIT 1",
            (thread_id,),
        )
        return _case(rows[0]) if rows else None

    async def case_by_message(self, chat_id: int, message_id: int) -> Case | None:
        """The case a message in the operators' group (card or relayed message) belongs to."""
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE case_id ="
            " (SELECT case_id FROM case_messages WHERE chat_id = ? AND message_id = ?)",
            (chat_id, message_id),
        )
        return _case(rows[0]) if rows else None

    async def map_message(self, chat_id: int, message_id: int, case_id: int) -> None:
        await self._run(
            "map a message",
            "INSERT OR REPLACE INTO case_messages (chat_id, message_id, case_id) VALUES (?, ?, ?)",
            (chat_id, message_id, case_id),
        )

    async def open_cases(self) -> list[Case]:
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE status != 'closed' ORDER BY case_id"
        )
        return [_case(r) for r in rows]

    async def set_thread(self, case_id: int, thread_id: int | None) -> None:
        await self._run(
            "set the topic", "UPDATE cases SET thread_id = ? WHERE case_id = ?", (thread_id, case_id)
        )

    async def set_card(self, case_id: int, message_id: int) -> None:
        await self._run(
            "set the card", "UPDATE cases SET card_id = ? WHERE case_id = ?", (message_id, case_id)
        )

    async def claim(self, case_id: int, operator_id: int, operator_name: str) -> bool:
        """Give an open, unclaimed case to an operator. False if it was not open and unclaimed."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET status = 'claimed', operator_id = ?, operator_name = ?, claimed_at = ?"
                " WHERE case_id = ? AND status = 'open'",
                (operator_id, operator_name, self._now(), case_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot claim: {exc}") from exc
        return cur.rowcount == 1

    async def close_case(self, case_id: int, closed_by: str) -> bool:
        """Close a case. False if it was already closed."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET status = 'closed', closed_at = ?, closed_by = ?"
                " WHERE case_id = ? AND status != 'closed'",
                (self._now(), closed_by, case_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot close: {exc}") from exc
        return cur.rowcount == 1

    async def rate(self, case_id: int, user_id: int, stars: int) -> bool:
        """Store the user's rating of their own closed case, once. False for anyone else's case
        and for a case rated already."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET rating = ? WHERE case_id = ? AND user_id = ? AND status = 'closed'"
                " AND rating IS NULL",
                (stars, case_id, user_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot rate: {exc}") from exc
        return cur.rowcount == 1

    async def add_note(self, case_id: int, operator_id: int, text: str) -> None:
        await self._run(
            "add a note",
            "INSERT INTO case_notes (case_id, operator_id, text, created_at) VALUES (?, ?, ?, ?)",
            (case_id, operator_id, text, self._now()),
        )

    async def notes(self, case_id: int) -> list[str]:
        rows = await self._rows("SELECT text FROM case_notes WHERE case_id = ? ORDER BY id", (case_id,))
        return [r[0] for r in rows]

    async def mark_blocked(self, case_id: int) -> None:
        await self._run("mark blocked", "UPDATE cases SET user_blocked = 1 WHERE case_id = ?", (case_id,))

    async def mark_pinged(self, case_id: int) -> None:
        await self._run(
            "mark pinged", "UPDATE cases SET pinged_at = ? WHERE case_id = ?", (self._now(), case_id)
        )

    # --- outbox --------------------------------------------------------------------------------

    async def due(self, limit: int = 50) -> list[OutboxItem]:
        """Undelivered items whose next attempt is due, oldest first."""
        rows = await self._rows(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
            " WHERE delivered_at IS NULL AND failed IS NULL AND next_try_at <= ? ORDER BY id LIMIT ?",
            (self._now(), limit),
        )
        return [_outbox_item(r) for r in rows]

    async def due_lanes(self) -> list[str]:
        """Destinations that have an item whose time has come."""
        rows = await self._rows(
            "SELECT DISTINCT lane FROM outbox WHERE delivered_at IS NULL AND failed IS NULL"
            " AND next_try_at <= ?",
            (self._now(),),
        )
        return [r[0] for r in rows]

    async def lane_head(self, lane: str, limit: int = 20) -> list[OutboxItem]:
        """The oldest undelivered items of one destination, if the first of them is due.

        Items of a destination go out in order: a later one never overtakes one that waits for a retry.
        """
        rows = await self._rows(
            f"SELECT {_OUTBOX_COLUMNS}, next_try_at FROM outbox"
            " WHERE lane = ? AND delivered_at IS NULL AND failed IS NULL ORDER BY id LIMIT ?",
            (lane, limit),
        )
        if not rows or rows[0][8] > self._now():
            return []
        return [_outbox_item(r) for r in rows]

    async def drop_lane(self, lane: str, reason: str) -> int:
        """Give up every undelivered item for a destination (a user who blocked the bot)."""
        try:
            cur = await self.db.execute(
                "UPDATE outbox SET failed = ? WHERE lane = ? AND delivered_at IS NULL AND failed IS NULL",
                (reason[:200], lane),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot drop items: {exc}") from exc
        return cur.rowcount

    async def pending_count(self) -> int:
        rows = await self._rows("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed IS NULL")
        return int(rows[0][0])

    async def delivered(self, item_id: int) -> None:
        """Telegram accepted the item: it is deleted (its words are not kept once delivered)."""
        await self._run("mark delivered", "DELETE FROM outbox WHERE id = ?", (item_id,))

    # --- inbox ---------------------------------------------------------------------------------

    async def inbox_add(self, update_id: int, lane: str, payload: str) -> bool:
        """Write an update down (once: Telegram may send it again). False if it was already there."""
        try:
            cur = await self.db.execute(
                "INSERT OR IGNORE INTO inbox (update_id, lane, payload, received_at) VALUES (?, ?, ?, ?)",
                (update_id, lane, payload, self._now()),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot write an update down: {exc}") from exc
        return cur.rowcount == 1

    async def inbox_pending(self, limit: int = 1000) -> list[InboxItem]:
        """Updates not yet processed, oldest first."""
        rows = await self._rows(
            "SELECT update_id, lane, payload, attempts FROM inbox WHERE done = 0 ORDER BY update_id LIMIT ?",
            (limit,),
        )
        return [InboxItem(*r) for r in rows]

    async def inbox_lane(self, lane: str, limit: int = 50) -> list[InboxItem]:
        """One lane's waiting updates, oldest first."""
        rows = await self._rows(
            "SELECT update_id, lane, payload, attempts FROM inbox WHERE done = 0 AND lane = ?"
            " ORDER BY update_id LIMIT ?",
            (lane, limit),
        )
        return [InboxItem(*r) for r in rows]

    async def inbox_lanes(self) -> list[str]:
        """Lanes with waiting updates, the one waiting longest first."""
        rows = await self._rows("SELECT lane FROM inbox WHERE done = 0 GROUP BY lane ORDER BY MIN(update_id)")
        return [r[0] for r in rows]

    async def inbox_done(self, update_id: int) -> None:
        """The update's effects are written: forget the update (inside the same transaction)."""
        await self._run(
            "finish an update", "UPDATE inbox SET done = 1, payload = '' WHERE update_id = ?", (update_id,)
        )

    async def inbox_prune(self, older_than: dt.timedelta) -> int:
        """Forget finished updates received before ``older_than`` ago (Telegram will not resend them)."""
        cutoff = (self._clock() - older_than).isoformat(timespec="seconds")
        try:
            cur = await self.db.execute("DELETE FROM inbox WHERE done = 1 AND received_at < ?", (cutoff,))
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot prune the inbox: {exc}") from exc
        return cur.rowcount

    async def inbox_attempt(self, update_id: int) -> None:
        await self._run(
            "count an attempt", "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", (update_id,)
        )

    async def inbox_count(self) -> int:
        rows = await self._rows("SELECT COUNT(*) FROM inbox WHERE done = 0")
        return int(rows[0][0])

    async def retry_later(self, item_id: int, delay: dt.timedelta) -> None:
        when = (self._clock() + delay).isoformat(timespec="seconds")
        await self._run(
            "reschedule",
            "UPDATE outbox SET attempts = attempts + 1, next_try_at = ? WHERE id = ?",
            (when, item_id),
        )

    async def give_up(self, item_id: int, reason: str) -> None:
        await self._run("give up", "UPDATE outbox SET failed = ? WHERE id = ?", (reason[:200], item_id))

    # --- reminders -----------------------------------------------------------------------------

    async def replace_reminders(self, user_id: int, rows: list[tuple[str, str, int, str]]) -> None:
        """Replace the user's unsent reminders by ``rows`` of (kind, due, days_before, send_at)."""
        try:
            await self.db.execute(
                "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL AND dropped IS NULL", (user_id,)
            )
            await self.db.executemany(
                "INSERT INTO reminders (user_id, kind, due, days_before, send_at) VALUES (?, ?, ?, ?, ?)",
                [(user_id, *row) for row in rows],
            )
            await self._commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise StorageError(f"cannot schedule reminders: {exc}") from exc

    async def cancel_reminders(self, user_id: int) -> None:
        await self._run(
            "cancel reminders",
            "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL AND dropped IS NULL",
            (user_id,),
        )

    async def reminders_of(
        self, user_id: int
    ) -> list[tuple[int, str, str, int, str, str | None, str | None]]:
        """(id, kind, due, days_before, send_at, sent_at, dropped) of a user's reminders."""
        return await self._rows(
            "SELECT id, kind, due, days_before, send_at, sent_at, dropped FROM reminders"
            " WHERE user_id = ? ORDER BY send_at, id",
            (user_id,),
        )

    async def due_reminders(self, now: dt.datetime) -> list[tuple[int, int, str, str, int]]:
        """(id, user_id, kind, due, days_before) of reminders whose time has come, oldest first."""
        return await self._rows(
            "SELECT id, user_id, kind, due, days_before FROM reminders"
            " WHERE sent_at IS NULL AND dropped IS NULL AND send_at <= ? ORDER BY send_at, id",
            (now.isoformat(timespec="seconds"),),
        )

    async def reminder_sent(self, reminder_id: int) -> bool:
        """Mark a reminder sent before sending it (so it is never sent twice). False if it was."""
        try:
            cur = await self.db.execute(
                "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND dropped IS NULL",
                (self._now(), reminder_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot mark a reminder: {exc}") from exc
        return cur.rowcount == 1

    async def reminder_unsent(self, reminder_id: int) -> None:
        """Sending failed for a reason that may pass: try again at the next sweep."""
        await self._run(
            "unmark a reminder", "UPDATE reminders SET sent_at = NULL WHERE id = ?", (reminder_id,)
        )

    async def drop_reminder(self, reminder_id: int, reason: str) -> None:
        await self._run(
            "drop a reminder", "UPDATE reminders SET dropped = ? WHERE id = ?", (reason, reminder_id)
        )

    async def set_blocked(self, user_id: int) -> None:
        """The user blocked the bot: drop their reminders; nothing more is sent until they write."""
        try:
            await self.db.execute("UPDATE users SET blocked = 1 WHERE user_id = ?", (user_id,))
            await self.db.execute(
                "UPDATE reminders SET dropped = 'blocked'"
                " WHERE user_id = ? AND sent_at IS NULL AND dropped IS NULL",
                (user_id,),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot mark a user blocked: {exc}") from exc

    async def is_blocked(self, user_id: int) -> bool:
        rows = await self._rows("SELECT blocked FROM users WHERE user_id = ?", (user_id,))
        return bool(rows and rows[0][0])

    # --- unmatched typed questions -----------------------------------------------------------

    async def record_unmatched(self, text: str, lang: str, *, user_id: int) -> None:
        """Keep a typed question nothing matched, with its author (so /forget can delete it), and
        count it anonymously. Long digit runs (phone numbers) are masked."""
        clean = re.sub(r"\d{5,}", "#", " ".join(text.lower().split()))[:200]
        if not clean:
            return
        now = self._now()
        try:
            await self.db.execute(
                "INSERT INTO unmatched_texts (user_id, text, lang, created_at) VALUES (?, ?, ?, ?)",
                (user_id, clean, lang, now),
            )
            await self.db.execute(
                "INSERT INTO unmatched_counts (month, lang, count) VALUES (?, ?, 1)"
                " ON CONFLICT (month, lang) DO UPDATE SET count = count + 1",
                (now[:7], lang),
            )
            await self.db.commit()
        except sqlite3.Error as exc:
            await self.db.rollback()
            raise StorageError(f"cannot count an unmatched question: {exc}") from exc

    async def unmatched(self, limit: int = 50) -> list[tuple[str, str, int, str]]:
        """(text, lang, count, last_seen) of the kept texts, most frequent first."""
        return await self._rows(
            "SELECT text, lang, COUNT(*) AS n, MAX(created_at) AS last FROM unmatched_texts"
            " GROUP BY text, lang ORDER BY n DESC, last DESC LIMIT ?",
            (limit,),
        )

    async def unmatched_counts(self) -> list[tuple[str, str, int]]:
        """(month, lang, count): every unmatched question ever, also those deleted since."""
        return await self._rows("SELECT month, lang, count FROM unmatched_counts ORDER BY month, lang")
