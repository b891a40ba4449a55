"""Law-change alerts: who watches which topic, which changes were announced, to whom.

A watch is (user, tree): "tell me when this topic changes". A change of the content (``changed:``
on a node, with an editor-given id) is announced once: the ``alerts`` row, one ``alert_sends`` row
per watcher and one outbox row per watcher are written in the caller's transaction, so either all
of them exist or none do. The alerts go out in their own outbox lane (:data:`ALERT_LANE`), which
the courier drains at a steady pace; the users' own lanes (their answers) are never held up.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from bot.storage.base import StorageError, StoreBase

__all__ = ["ALERT_KIND", "ALERT_LANE", "AlertsRepo", "Announced"]

#: The outbox lane every alert is queued in (one lane: the courier sends them one by one, paced).
ALERT_LANE = "alerts"
#: The outbox kind of an alert (sent like a screen, but paced and skipped for blocked users).
ALERT_KIND = "alert"


@dataclass(frozen=True)
class Announced:
    """What announcing one change did: messages queued, watchers skipped (they blocked the bot)."""

    queued: int
    skipped: int


class AlertsRepo(StoreBase):
    """Watches, announced changes and the alerts queued for them."""

    async def set_watch(self, user_id: int, tree: str, on: bool) -> None:
        """Start (``on``) or stop telling ``user_id`` about changes in ``tree``."""
        if on:
            sql = "INSERT OR IGNORE INTO watches (user_id, tree, created_at) VALUES (?, ?, ?)"
            args: tuple[Any, ...] = (user_id, tree, self._now())
        else:
            sql, args = "DELETE FROM watches WHERE user_id = ? AND tree = ?", (user_id, tree)
        await self._run("change a watch", sql, args)

    async def watches_of(self, user_id: int) -> frozenset[str]:
        """The trees ``user_id`` asked to be told about."""
        rows = await self._rows("SELECT tree FROM watches WHERE user_id = ?", (user_id,))
        return frozenset(r[0] for r in rows)

    async def announced(self) -> set[str]:
        """Ids of every change announced so far."""
        return {r[0] for r in await self._rows("SELECT alert_id FROM alerts")}

    async def announce(
        self,
        alert_id: str,
        node: str,
        tree: str,
        on_date: str,
        messages: dict[str, dict[str, Any]],
        fallback: str,
    ) -> Announced | None:
        """Record change ``alert_id`` and queue its message for every watcher of ``tree``.

        ``messages`` holds the payload per language; a user whose language has none gets
        ``fallback``'s. Watchers who blocked the bot are skipped. Must run inside
        :meth:`transaction`. Returns None if the change was announced already (nothing is queued).
        """
        if not self._in_tx.get():
            raise StorageError("announcing a change needs a transaction")
        now = self._now()
        try:
            cur = await self.db.execute(
                "INSERT OR IGNORE INTO alerts (alert_id, node, tree, on_date, announced_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (alert_id, node, tree, on_date, now),
            )
            if cur.rowcount != 1:
                return None
            async with self.db.execute(
                "SELECT w.user_id, u.lang, u.blocked FROM watches w JOIN users u ON u.user_id = w.user_id"
                " WHERE w.tree = ? ORDER BY w.user_id",
                (tree,),
            ) as rows:
                watchers = list(await rows.fetchall())
            to = [(uid, lang) for uid, lang, blocked in watchers if not blocked]
            # The primary key (alert, user) refuses a second row: nobody is queued twice.
            await self.db.executemany(
                "INSERT INTO alert_sends (alert_id, user_id, queued_at) VALUES (?, ?, ?)",
                [(alert_id, uid, now) for uid, _ in to],
            )
            payloads = {lang: json.dumps(p, ensure_ascii=False) for lang, p in messages.items()}
            await self.db.executemany(
                "INSERT INTO outbox (case_id, target, chat_id, lane, kind, payload, created_at, next_try_at)"
                " VALUES (NULL, 'user', ?, ?, ?, ?, ?, ?)",
                [
                    (uid, ALERT_LANE, ALERT_KIND, payloads.get(lang, payloads[fallback]), now, now)
                    for uid, lang in to
                ],
            )
            result = Announced(queued=len(to), skipped=len(watchers) - len(to))
            await self.db.execute(
                "UPDATE alerts SET queued = ?, skipped = ? WHERE alert_id = ?",
                (result.queued, result.skipped, alert_id),
            )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot announce change {alert_id}: {exc}") from exc
        return result

    async def alert_wanted(self, user_id: int, payload: dict[str, Any]) -> bool:
        """Whether a queued alert should still go: the user has not blocked the bot, still watches
        its topic (``payload["tree"]``) and has not deleted their data."""
        rows = await self._rows(
            "SELECT 1 FROM users u JOIN watches w ON w.user_id = u.user_id"
            " WHERE u.user_id = ? AND w.tree = ? AND u.blocked = 0",
            (user_id, payload.get("tree")),
        )
        return bool(rows)

    async def alert_counts(self) -> list[tuple[str, str, str, int, int]]:
        """(alert id, node, announced at, queued, skipped) of every announced change, newest first."""
        return await self._rows(
            "SELECT alert_id, node, announced_at, queued, skipped FROM alerts ORDER BY announced_at DESC"
        )
