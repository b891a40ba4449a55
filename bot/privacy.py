"""Privacy: what the bot keeps about a user, showing it (/mydata), and deleting it all (/forget, retention).

The engine decides *that* data is shown or deleted (``ShowMyData``, ``Forget``) and when the
first-start notice is due (``PrivacyNotice``); this module, Telegram-free like the desk, reads and
deletes the rows. Deletion is one transaction over every table of the database: rows of the
user's cases (found by a ``case_id`` column) and rows about the user (a ``user_id`` column, or a
``chat_id`` one: a private chat's id is the user's id). So a table added later is covered as long
as it names the user or the case; the /forget test lists every table to keep that true.
Operators only learn that a case was closed, never why in more detail or by whom.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable

from bot.content.loader import ContentStore
from bot.engine import (
    Forget,
    Output,
    PrivacyNotice,
    Say,
    ShowMyData,
    State,
    StoredCase,
    my_data_text,
    privacy_notice_text,
)
from bot.hours import KZ_TZ
from bot.storage import Storage, StorageError

__all__ = ["DEFAULT_RETENTION_DAYS", "Privacy"]

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 180
#: Notices for the operators' group (Russian, like every operators' text). No user data.
#: What the operators are told when a user's data is deleted (keys of content/ru/ops.yaml).
NOTICE_FORGET = "user_forgot"
NOTICE_RETENTION = "user_expired"
#: Tables whose rows are not about a user (anonymous counters, notices without user data).
_NOT_PERSONAL = frozenset({"unmatched_counts", "sqlite_sequence", "usage_nodes", "usage_edges"})


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Privacy:
    """Shows and deletes a user's data; deletes the data of users gone quiet for too long."""

    def __init__(
        self,
        storage: Storage,
        content: ContentStore,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.storage = storage
        self.checkpoint_due = False
        self.content = content
        self.retention_days = retention_days
        self.now = now
        #: Notices may be waiting (unknown at start): the adapter delivers them and clears this.

    def _today(self) -> dt.date:
        return self.now().astimezone(KZ_TZ).date()

    async def apply(self, state: State, outputs: list[Output]) -> list[Output]:
        """Carry out the engine's privacy outputs (after the state is saved); return the rest."""
        shown: list[Output] = []
        for out in outputs:
            if isinstance(out, PrivacyNotice):
                content, days = self.content.current, self.retention_days
                shown.append(Say(privacy_notice_text(content, state.lang, self._today(), days)))
            elif isinstance(out, ShowMyData):
                shown.append(Say(await self.my_data(state)))
            elif isinstance(out, Forget):
                await self.erase(state.user_id, NOTICE_FORGET)
                log.info("user data deleted on request (/forget)")
            else:
                shown.append(out)
        return shown

    # --- /mydata -----------------------------------------------------------------------------

    async def my_data(self, state: State) -> str:
        """Everything stored about the user, as text in their language."""
        uid = state.user_id
        reminders = [
            dt.datetime.fromisoformat(r[0]).astimezone(KZ_TZ).date()
            for r in await self._rows(
                "SELECT send_at FROM reminders WHERE user_id = ? AND sent_at IS NULL AND dropped IS NULL"
                " ORDER BY send_at",
                (uid,),
            )
        ]
        cases = [
            StoredCase(
                case_id=r[0],
                status=r[1],
                created=dt.datetime.fromisoformat(r[2]).astimezone(KZ_TZ).date(),
                closed=dt.datetime.fromisoformat(r[3]).astimezone(KZ_TZ).date() if r[3] else None,
                description=r[4],
            )
            for r in await self._rows(
                "SELECT case_id, status, created_at, closed_at, description FROM cases"
                " WHERE user_id = ? ORDER BY case_id",
                (uid,),
            )
        ]
        unmatched = [
            r[0]
            for r in await self._rows(
                "SELECT text FROM unmatched_texts WHERE user_id = ? ORDER BY id", (uid,)
            )
        ]
        return my_data_text(
            self.content.current,
            state,
            self._today(),
            retention_days=self.retention_days,
            reminders=reminders,
            cases=cases,
            unmatched=unmatched,
            watches=await self.storage.watches_of(uid),
        )

    # --- deletion ----------------------------------------------------------------------------

    async def erase(self, user_id: int, notice: str = NOTICE_FORGET) -> list[int]:
        """Delete every row about ``user_id`` in one transaction; return the cases closed by it.

        Open cases the operators have seen get a notice (the case number only; ``notice`` is its key
        in content/ru/ops.yaml).
        """
        db = self.storage.db
        try:
            async with self.storage.transaction():
                # Deleted rows are overwritten, not merely unlinked from the file.
                await db.execute("PRAGMA secure_delete = ON")
                tables = await self._tables()
                cases = await self._rows(
                    "SELECT case_id, status, thread_id, card_id FROM cases WHERE user_id = ?", (user_id,)
                )
                ids = [r[0] for r in cases]
                marks = ",".join("?" * len(ids))
                for table, columns in tables.items():
                    if table in _NOT_PERSONAL or table == "cases" or "case_id" not in columns or not ids:
                        continue
                    await db.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", ids)
                if "cases" in tables:
                    await db.execute("DELETE FROM cases WHERE user_id = ?", (user_id,))
                for table, columns in tables.items():
                    if table in _NOT_PERSONAL or table == "cases":
                        continue
                    for column in ("user_id", "chat_id"):
                        if column in columns:
                            await db.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
                    if "lane" in columns:  # the inbox and outbox name a user's chat as its lane
                        await db.execute(f"DELETE FROM {table} WHERE lane = ?", (str(user_id),))
                closed = []
                for case_id, status, thread_id, card_id in cases:
                    if status == "closed" or (thread_id is None and card_id is None):
                        continue  # closed already, or the operators never saw it
                    text = self.content.current.ops(notice, case=case_id, days=self.retention_days)
                    # Through the outbox, in this transaction: the case number only, no user data.
                    await self.storage.ops_later("group", {"text": text, "thread": thread_id})
                    closed.append(case_id)
        except (sqlite3.Error, StorageError) as exc:
            raise StorageError(f"cannot delete a user's data: {exc}") from exc
        if self.storage._in_tx.get():
            self.checkpoint_due = True  # inside an update's transaction: after its commit
        else:
            await self.checkpoint()
        return closed

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and empty it (deleted words leave it too)."""
        self.checkpoint_due = False
        try:
            await self.storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            log.debug("the write-ahead log could not be checkpointed now")

    async def forget_inactive(self) -> int:
        """Delete the data of every user silent for ``retention_days``; return how many.

        Typed questions older than that go too, whoever wrote them.
        """
        cutoff = (self.now() - dt.timedelta(days=self.retention_days)).isoformat(timespec="seconds")
        users = [r[0] for r in await self._rows("SELECT user_id FROM users WHERE last_seen < ?", (cutoff,))]
        for user_id in users:
            await self.erase(user_id, NOTICE_RETENTION)
        try:
            async with self.storage.transaction():
                await self.storage.db.execute("DELETE FROM unmatched_texts WHERE created_at < ?", (cutoff,))
        except sqlite3.Error as exc:
            raise StorageError(f"cannot delete old typed questions: {exc}") from exc
        if users:
            log.info("retention: data of %d inactive user(s) deleted", len(users))
        return len(users)

    # --- helpers -------------------------------------------------------------------------------

    async def _tables(self) -> dict[str, set[str]]:
        names = [
            r[0]
            for r in await self._rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for name in names:
            out[name] = {r[1] for r in await self._rows(f"PRAGMA table_info({name})")}
        return out

    async def _rows(self, sql: str, args: tuple | list = ()) -> list:
        try:
            async with self.storage.db.execute(sql, args) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read: {exc}") from exc
