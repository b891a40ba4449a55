"""The weekly report's bookkeeping: which admin got which week's report (read from the outbox).

A report is queued in the outbox as one ``photo`` item per admin, its payload naming the week
(``"report": "2026-W49"``). When Telegram accepts it the row is kept, marked delivered, with only
its receipt (``{"report": "2026-W49"}``) in place of the picture, so a second run of the Monday job
(or a restart) finds it and never sends that week twice. A report given up (the admin never
started the bot, or blocked it) keeps its receipt too, without the picture.
"""

from __future__ import annotations

import sqlite3

from bot.storage.base import StorageError, StoreBase

#: The outbox kind of a report: a PNG with a caption.
REPORT_KIND = "photo"


class ReportsRepo(StoreBase):
    """Which weekly reports were queued for which admin."""

    async def report_queued(self, week: str, chat_id: int) -> bool:
        """True if ``week``'s report was ever queued for ``chat_id`` (waiting, sent or given up)."""
        rows = await self._rows(
            "SELECT 1 FROM outbox WHERE kind = ? AND lane = ? AND json_extract(payload, '$.report') = ?"
            " LIMIT 1",
            (REPORT_KIND, str(chat_id), week),
        )
        return bool(rows)

    async def compact_reports(self) -> int:
        """Reports given up keep only their receipt, not the picture; return how many were emptied."""
        try:
            cur = await self.db.execute(
                "UPDATE outbox SET payload = json_extract(payload, '$.receipt')"
                " WHERE kind = ? AND failed IS NOT NULL AND json_extract(payload, '$.png') IS NOT NULL"
                " AND json_extract(payload, '$.receipt') IS NOT NULL",
                (REPORT_KIND,),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot compact reports: {exc}") from exc
        return cur.rowcount
