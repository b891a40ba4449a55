"""Usage counters for editors and managers: per day, screen and language; no personal data.

Nothing in ``usage_nodes`` or ``usage_edges`` names a user: they hold counts only. To know where
people stop, the day (and language) a user arrived at their current screen is kept with that
user's own state (``users.arrived_on``), so moving on takes back the "stop" counted on arrival;
/forget deletes it with the rest of the user.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

from bot.storage.base import StorageError, StoreBase

#: The counters of one screen, as stored.
FIELDS = ("visits", "stops", "backs", "handoffs", "reminders", "typed")


@dataclass(frozen=True)
class Step:
    """What one update did, for the counters."""

    day: str  # YYYY-MM-DD, Kazakhstan time
    lang: str
    old: str | None  # the screen before
    new: str | None  # the screen after
    back: bool = False  # the user pressed "back" on ``old``
    handoff: bool = False  # a case was opened
    reminders: bool = False  # the user asked for reminders
    typed: bool = False  # a typed question brought the user to ``new``


class UsageRepo(StoreBase):
    """Anonymous counters of visits, stops, back presses, hand-offs, reminders, typed questions."""

    async def _bump(self, day: str, node: str, lang: str, field: str, by: int = 1, **more: int) -> None:
        """Add ``by`` to ``field`` (and each of ``more``'s counters) of one screen: one statement."""
        counts = {field: by, **more}
        assert set(counts) <= set(FIELDS)
        names = ", ".join(counts)
        marks = ", ".join("?" * len(counts))
        sets = ", ".join(f"{f} = {f} + excluded.{f}" for f in counts)
        await self.db.execute(
            f"INSERT INTO usage_nodes (day, node, lang, {names}) VALUES (?, ?, ?, {marks})"
            f" ON CONFLICT (day, node, lang) DO UPDATE SET {sets}",
            (day, node, lang, *counts.values()),
        )

    async def count_step(self, user_id: int, step: Step) -> None:
        """Count one update. ``user_id`` is used only to read and move the user's own arrival day."""
        try:
            here = step.new or step.old
            if step.new is not None and step.new != step.old:
                # A visit, and a stop until the user moves on (taken back from where they were).
                arrival = {"stops": 1, "typed": 1} if step.typed else {"stops": 1}
                await self._bump(step.day, step.new, step.lang, "visits", **arrival)
                if step.old is not None:
                    await self.db.execute(
                        "INSERT INTO usage_edges (day, src, dst, lang, count) VALUES (?, ?, ?, ?, 1)"
                        " ON CONFLICT (day, src, dst, lang) DO UPDATE SET count = count + 1",
                        (step.day, step.old, step.new, step.lang),
                    )
                async with self.db.execute(
                    "SELECT arrived_on FROM users WHERE user_id = ?", (user_id,)
                ) as cur:
                    row = await cur.fetchone()
                arrived = (row[0] or "") if row else ""
                if step.old is not None and "/" in arrived:
                    day, lang = arrived.split("/", 1)
                    await self._bump(day, step.old, lang, "stops", -1)
                await self.db.execute(
                    "UPDATE users SET arrived_on = ? WHERE user_id = ?",
                    (f"{step.day}/{step.lang}", user_id),
                )
            if step.back and step.old is not None:
                await self._bump(step.day, step.old, step.lang, "backs")
            if step.handoff and here is not None:
                await self._bump(step.day, here, step.lang, "handoffs")
            if step.reminders and here is not None:
                await self._bump(step.day, here, step.lang, "reminders")
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot count usage: {exc}") from exc

    async def usage_nodes(
        self, since: str = "0000-00-00", until: str = "9999-99-99", lang: str | None = None
    ) -> dict[str, Counter[str]]:
        """node → its counters summed over the days ``since`` ≤ day ≤ ``until`` (and languages)."""
        sums = ", ".join(f"SUM({f})" for f in FIELDS)
        sql = f"SELECT node, {sums} FROM usage_nodes WHERE day >= ? AND day <= ?"
        args: tuple[str, ...] = (since, until)
        if lang is not None:
            sql += " AND lang = ?"
            args += (lang,)
        rows = await self._rows(sql + " GROUP BY node", args)
        return {r[0]: Counter(dict(zip(FIELDS, (int(v) for v in r[1:]), strict=True))) for r in rows}

    async def usage_edges(
        self, since: str = "0000-00-00", until: str = "9999-99-99", lang: str | None = None
    ) -> Counter[tuple[str, str]]:
        """(from, to) → how many moves went that way between ``since`` and ``until``."""
        sql = "SELECT src, dst, SUM(count) FROM usage_edges WHERE day >= ? AND day <= ?"
        args: tuple[str, ...] = (since, until)
        if lang is not None:
            sql += " AND lang = ?"
            args += (lang,)
        rows = await self._rows(sql + " GROUP BY src, dst", args)
        return Counter({(r[0], r[1]): int(r[2]) for r in rows})
