"""Typed questions nothing matched: texts with their author (for /forget) and anonymous counts."""

from __future__ import annotations

import re
import sqlite3

from bot.storage.base import StorageError, StoreBase


class UnmatchedRepo(StoreBase):
    """Unmatched typed questions."""

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

    async def unmatched(
        self, limit: int = 50, *, since: str | None = None, until: str | None = None
    ) -> list[tuple[str, str, int, str]]:
        """(text, lang, count, last_seen) of the kept texts, most frequent first.

        ``since`` ≤ created_at < ``until`` (UTC ISO strings) narrows them to a period.
        """
        return await self._rows(
            "SELECT text, lang, COUNT(*) AS n, MAX(created_at) AS last FROM unmatched_texts"
            " WHERE created_at >= ? AND created_at < ?"
            " GROUP BY text, lang ORDER BY n DESC, last DESC LIMIT ?",
            (since or "", until or "9999", limit),
        )

    async def unmatched_counts(self) -> list[tuple[str, str, int]]:
        """(month, lang, count): every unmatched question ever, also those deleted since."""
        return await self._rows("SELECT month, lang, count FROM unmatched_counts ORDER BY month, lang")
