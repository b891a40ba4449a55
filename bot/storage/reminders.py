"""Reminders of personal deadlines, to send at a given time."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.storage.base import StorageError, StoreBase


class RemindersRepo(StoreBase):
    """Reminders to send."""

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
