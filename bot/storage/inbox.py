"""The inbox: updates written down before Telegram is told they arrived."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from bot.storage.base import StorageError, StoreBase


@dataclass(frozen=True)
class InboxItem:
    """An update written down before Telegram was told it arrived."""

    update_id: int
    lane: str
    payload: str
    attempts: int


class InboxRepo(StoreBase):
    """Durable intake of updates."""

    async def inbox_add(self, update_id: int, lane: str, payload: str) -> bool:
        """Write an update down (once: Telegram may send it again). False if it was already there."""
        try:
            cur = await self._execute_committed(
                "INSERT OR IGNORE INTO inbox (update_id, lane, payload, received_at) VALUES (?, ?, ?, ?)",
                (update_id, lane, payload, self._now()),
            )
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
