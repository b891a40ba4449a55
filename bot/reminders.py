"""Reminders of personal deadlines: scheduled in the database, sent by a regular sweep.

The engine says *which* deadlines to remind of (``SetReminders``) or that reminders stop
(``CancelReminders``). This module turns that into rows, one per deadline and offset ("7, 3 and
1 days before, and on the day", from ``content/facts.yaml``), at the configured hour in
Kazakhstan time. The database is the source of truth: a sweep (PTB's JobQueue, every minute)
picks due rows, so reminders survive restarts. A row is marked sent *before* it is sent, so it
is never sent twice. After downtime a late reminder is still sent if its deadline has not
passed (only the most recent one of a deadline); otherwise it is dropped. Telegram-free: the
adapter sends and reports back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.content.loader import ContentStore
from bot.deadlines import send_day
from bot.engine import CancelReminders, Output, SetReminders, State, reminder_text
from bot.hours import KZ_TZ
from bot.storage import Storage

__all__ = ["Reminders", "DueReminder"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueReminder:
    id: int
    user_id: int
    text: str
    button: str  # "my deadlines", in the user's language


class Reminders:
    """Schedules, lists and hands out reminders; knows nothing of Telegram."""

    def __init__(self, storage: Storage, content: ContentStore, now: Callable[[], dt.datetime]) -> None:
        self.storage = storage
        self.content = content
        self.now = now

    def _today(self) -> dt.date:
        return self.now().astimezone(KZ_TZ).date()

    async def apply(self, state: State, outputs: list[Output]) -> list[Output]:
        """Carry out the engine's reminder outputs; return the rest."""
        rest: list[Output] = []
        for out in outputs:
            if isinstance(out, SetReminders):
                await self.schedule(state.user_id, out.deadlines)
            elif isinstance(out, CancelReminders):
                await self.storage.cancel_reminders(state.user_id)
            else:
                rest.append(out)
        return rest

    async def schedule(self, user_id: int, deadlines: tuple[tuple[str, dt.date], ...]) -> int:
        """Replace the user's future reminders; return how many are scheduled."""
        rules = self.content.current.rules
        now = self.now()
        today = self._today()
        rows = []
        for kind, due in deadlines:
            for days_before in rules.offsets:
                day = send_day(due, days_before)
                if day < today:
                    continue
                at = dt.datetime.combine(day, dt.time(rules.hour), tzinfo=KZ_TZ).astimezone(dt.UTC)
                at = max(at, now)  # today's hour already passed: at the next sweep
                rows.append((kind, due.isoformat(), days_before, at.isoformat(timespec="seconds")))
        await self.storage.replace_reminders(user_id, rows)
        log.info("user %s: %d reminder(s) scheduled", user_id, len(rows))
        return len(rows)

    async def due(self) -> list[DueReminder]:
        """Reminders to send now, with their text in the user's language.

        Late ones whose deadline has passed are dropped; of several due for one deadline (after
        downtime) only the one closest to the deadline is kept.
        """
        today = self._today()
        rows = await self.storage.due_reminders(self.now())
        newest: dict[tuple[int, str, str], tuple[int, int]] = {}
        for rid, user_id, kind, due, days_before in rows:
            key = (user_id, kind, due)
            if dt.date.fromisoformat(due) < today:
                await self.storage.drop_reminder(rid, "late: the deadline has passed")
                continue
            best = newest.get(key)
            if best is None or days_before < best[1]:
                if best is not None:
                    await self.storage.drop_reminder(best[0], "superseded by a later reminder")
                newest[key] = (rid, days_before)
            else:
                await self.storage.drop_reminder(rid, "superseded by a later reminder")
        out = []
        content = self.content.current
        for (user_id, kind, due), (rid, _) in newest.items():
            state = await self.storage.load_user(user_id)
            if state is None or not state.reminders or await self.storage.is_blocked(user_id):
                await self.storage.drop_reminder(rid, "reminders off or user unreachable")
                continue
            text = reminder_text(content, state.lang, kind, dt.date.fromisoformat(due), today)
            found = content.word(state.lang, "ui.dl_show_button")
            out.append(DueReminder(rid, user_id, text, found.text if found else "📋"))
        return out
