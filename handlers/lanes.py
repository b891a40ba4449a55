"""One task per lane: the scheduling shared by the intake (users' updates) and the courier (sends).

``kick()`` asks which lanes have work (``find``) and makes sure each has a task running ``work``.
A lane whose task is still running when it is found again is marked, and its task runs ``work``
once more before it ends, so nothing written in the meantime waits for the next kick.

Lane tasks start in a fresh context: a kick made inside a database transaction must not hand the
transaction's context (storage.base: "this task holds the connection") to the workers it starts.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable

__all__ = ["Lanes"]

log = logging.getLogger(__name__)


class Lanes:
    """Runs ``work(lane)`` for every lane ``find()`` returns, one task per lane at a time."""

    def __init__(
        self,
        name: str,
        find: Callable[[], Awaitable[list[str]]],
        work: Callable[[str], Awaitable[object]],
    ) -> None:
        self.name = name
        self._find = find
        self._work = work
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()
        self._scan: asyncio.Task[None] | None = None
        self._rescan = False
        self._closing = False

    def kick(self) -> None:
        """Start work on every lane that has some, without waiting (safe to call often)."""
        if self._closing:
            return
        if self._scan is not None and not self._scan.done():
            self._rescan = True
            return
        self._scan = asyncio.get_running_loop().create_task(
            self._scan_lanes(), name=f"{self.name}:scan", context=contextvars.Context()
        )

    def start(self, lane: str) -> None:
        """Make sure ``lane`` has a worker (the caller knows it has work: no need to look)."""
        if self._closing:
            return
        task = self._tasks.get(lane)
        if task is None or task.done():
            self._tasks[lane] = asyncio.get_running_loop().create_task(
                self._run(lane), name=f"{self.name}:{lane}", context=contextvars.Context()
            )
        else:
            self._again.add(lane)

    async def _scan_lanes(self) -> None:
        while True:
            self._rescan = False
            try:
                lanes = await self._find()
            except Exception:  # noqa: BLE001 - the database may be closing; the next kick retries
                log.exception("%s: could not look for work", self.name)
                return
            for lane in lanes:
                self.start(lane)
            if not self._rescan:
                return

    async def _run(self, lane: str) -> None:
        while True:
            self._again.discard(lane)
            await self._work(lane)
            if lane not in self._again or self._closing:
                return

    async def idle(self) -> None:
        """Wait until no lane is working."""
        while True:
            tasks = [t for t in (self._scan, *self._tasks.values()) if t is not None and not t.done()]
            if not tasks:
                return
            await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        self._closing = True
        tasks = [t for t in (self._scan, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
