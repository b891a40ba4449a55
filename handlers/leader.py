"""Which replica runs the timed work (issue 17): reminder sweeps, unclaimed-case pings, retention,
inbox pruning, law-change announcements, the weekly report and the admins' publishing reports.

With SQLite there is one process: it is always the leader. With PostgreSQL every replica tries the
leader's advisory lock every :data:`ELECTION_SECONDS` (:meth:`bot.storage.Storage.leader_try`);
the one that holds it runs the work. A replica that dies lets go of the lock with its connection,
and another takes it at its next try, then runs the due work at once (:func:`on_elected`), so a
reminder due while the old leader died goes out within seconds. The work itself is safe to run
twice (each reminder is marked sent in the transaction that queues it; each week's report, law
change and publishing outcome is recorded once), so a moment with two leaders (a network split
the database has not noticed yet) doubles nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import ContextTypes

from bot.storage import Storage

__all__ = ["ELECTION_SECONDS", "LEADER_KEY", "Leader", "leader_only"]

log = logging.getLogger(__name__)

#: How often a replica that is not the leader tries to become it (a dead leader's work waits at
#: most this long, plus the time PostgreSQL takes to notice a dropped connection).
ELECTION_SECONDS = 2.0
LEADER_KEY = "leader"


class Leader:
    """This replica's role: does it run the timed work?"""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.held = not storage.is_postgres
        self.elections = 0

    async def check(self) -> bool:
        """Take the role if it is free; True if this replica has it now."""
        try:
            now = await self.storage.leader_try()
        except Exception:  # noqa: BLE001 - the database is unreachable: do nothing timed for now
            log.exception("could not check the leader's lock")
            now = False
        if now and not self.held:
            self.elections += 1
            log.warning("this replica now runs the timed work")
        elif self.held and not now:
            log.warning("this replica no longer runs the timed work")
        self.held = now
        return now


Job = Callable[[ContextTypes.DEFAULT_TYPE], Awaitable[Any]]


def leader_only(job: Job) -> Job:
    """A timed job that runs only on the leader (checked just before it runs)."""

    @functools.wraps(job)
    async def run(context: ContextTypes.DEFAULT_TYPE) -> Any:
        leader: Leader | None = context.application.bot_data.get(LEADER_KEY)
        if leader is not None and not await leader.check():
            return None
        return await job(context)

    return run
