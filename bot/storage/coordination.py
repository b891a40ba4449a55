"""Several replicas on one PostgreSQL database: who processes, who sends, who runs the timed work.

With SQLite there is one process and nothing to coordinate: every method here says "yes" at once
(one lane, one worker: handlers/lanes.py).
With PostgreSQL several identical replicas share the database (issue 17), and three things must
hold across them; each is a PostgreSQL advisory lock (a lock on a number, held by a connection, let
go when its transaction or connection ends, so a replica that dies lets go of everything):

* **an update is processed once, one user's updates in order** (:meth:`inbox_claim`): inside the
  update's transaction, a transaction lock on its lane (the user's chat); whoever holds it
  processes that lane's updates one by one, and re-reads whether the update is done first, so a
  duplicate delivered to another replica, or an update already processed there, is skipped;
* **the outbox is drained once** (:meth:`lane_lock`): a session lock per destination while a
  replica delivers its items in order; another replica skips that destination meanwhile;
* **one replica runs the timed work** (:meth:`leader_try`): a session lock on the deployment;
  every replica tries it every few seconds, the holder runs the reminder sweeps, unclaimed-case
  pings, retention and reports; if it dies its connection closes and another takes over.

Lock numbers are (kind, hash of schema and name), so deployments in other schemas of the same
database (the tests, several bots) never share a lock.
"""

from __future__ import annotations

import sqlite3

from bot.storage.base import StorageError, StoreBase

__all__ = ["CoordinationRepo", "LaneBusy"]

_INBOX, _OUTBOX, _LEADER = 741, 742, 743


class LaneBusy(StorageError):
    """Another replica is processing this lane's updates right now (PostgreSQL only)."""


class CoordinationRepo(StoreBase):
    """Advisory locks that let several replicas share one PostgreSQL database."""

    async def inbox_claim(self, update_id: int, lane: str) -> bool:
        """Inside an update's transaction: may this replica process it? False if it is done.

        Raises :class:`LaneBusy` (PostgreSQL) when another replica holds the lane: the caller rolls
        back and tries again shortly, so the lane's updates stay in order.
        """
        if not self.is_postgres:
            # One process: a lane has one worker (handlers/lanes.py), which skips what it has done.
            return True
        try:
            got = await self._scalar(
                "SELECT pg_try_advisory_xact_lock(?, hashtext(current_schema() || ':' || ?))",
                (_INBOX, lane),
            )
            if not got:
                raise LaneBusy(f"lane {lane} is being processed by another replica")
            # A statement of its own: its snapshot is taken with the lock held, so it sees "done"
            # of whoever held the lane before (one statement would read with an older snapshot).
            rows = await self._rows("SELECT done FROM inbox WHERE update_id = ?", (update_id,))
        except sqlite3.Error as exc:
            raise StorageError(f"cannot claim an update: {exc}") from exc
        return bool(rows) and not rows[0][0]

    async def lane_lock(self, lane: str) -> bool:
        """Take an outbox destination for this replica (always yes with SQLite)."""
        if not self.is_postgres:
            return True
        return bool(await self._scalar(
            "SELECT pg_try_advisory_lock(?, hashtext(current_schema() || ':' || ?))", (_OUTBOX, lane)
        ))  # fmt: skip

    async def lane_unlock(self, lane: str) -> None:
        if self.is_postgres:
            await self._scalar(
                "SELECT pg_advisory_unlock(?, hashtext(current_schema() || ':' || ?))", (_OUTBOX, lane)
            )

    async def leader_try(self) -> bool:
        """Is this replica the one that runs the timed work? Takes the role if nobody has it."""
        if not self.is_postgres:
            return True
        held = await self._scalar(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            " AND classid = ? AND objid = (hashtext(current_schema() || ':leader'))::oid"
            " AND objsubid = 2",
            (_LEADER,),
        )
        if held:
            return True
        return bool(await self._scalar(
            "SELECT pg_try_advisory_lock(?, hashtext(current_schema() || ':leader'))", (_LEADER,)
        ))  # fmt: skip

    async def leader_release(self) -> None:
        if self.is_postgres:
            await self._scalar(
                "SELECT pg_advisory_unlock(?, hashtext(current_schema() || ':leader'))", (_LEADER,)
            )

    async def _scalar(self, sql: str, args: tuple[object, ...] = ()) -> object:
        rows = await self._rows(sql, args)
        return rows[0][0] if rows else None
