"""The outbox: every call to Telegram the bot will make, written before it is tried, in lanes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from bot.storage.base import StorageError, StoreBase


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


_OUTBOX_COLUMNS = "id, case_id, target, kind, payload, attempts, chat_id, lane"
#: A document given up is not kept: its file (a user's wage claim) is personal data.
_DROP_FILES = "payload = CASE WHEN kind = 'document' THEN '{}' ELSE payload END"


def _outbox_item(r: Any) -> OutboxItem:
    return OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7])


class OutboxRepo(StoreBase):
    """Messages to deliver, per lane, with retries."""

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
        self._queued_lanes.add(lane)
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
                f"UPDATE outbox SET failed = ?, {_DROP_FILES} WHERE lane = ? AND delivered_at IS NULL"
                " AND failed IS NULL",
                (reason[:200], lane),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot drop items: {exc}") from exc
        return cur.rowcount

    async def pending_count(self) -> int:
        rows = await self._rows("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed IS NULL")
        return int(rows[0][0])

    async def delivered(self, item_id: int, keep: dict[str, Any] | None = None) -> None:
        """Telegram accepted the item: it is deleted (its words are not kept once delivered).

        With ``keep`` (an item's ``receipt``, e.g. which week's report went out) the row stays,
        marked delivered, with only that receipt as its payload, so it is never queued again.
        """
        if keep is None:
            await self._run("mark delivered", "DELETE FROM outbox WHERE id = ?", (item_id,))
            return
        await self._run(
            "mark delivered",
            "UPDATE outbox SET delivered_at = ?, payload = ? WHERE id = ?",
            (self._now(), json.dumps(keep, ensure_ascii=False), item_id),
        )

    async def retry_later(self, item_id: int, delay: dt.timedelta) -> None:
        when = (self._clock() + delay).isoformat(timespec="seconds")
        await self._run(
            "reschedule",
            "UPDATE outbox SET attempts = attempts + 1, next_try_at = ? WHERE id = ?",
            (when, item_id),
        )

    async def give_up(self, item_id: int, reason: str) -> None:
        await self._run(
            "give up", f"UPDATE outbox SET failed = ?, {_DROP_FILES} WHERE id = ?", (reason[:200], item_id)
        )
