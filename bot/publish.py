"""Publishing content: reload it and tell the admins what happened, through the outbox.

After every reload, whether an admin asked for it (``/reload``) or the periodic job found edited
files, every admin (``ADMIN_IDS``) gets one message: *published* (the new version and what changed:
nodes added and removed, texts changed per language...) or *refused* (each problem's file, node
and reason; users keep the last good version). The same outcome is told once: the same broken
files found again a minute later, or no change at all, are told to nobody, except to the admin
who sent ``/reload`` (they always get an answer). Telegram-free: messages are outbox rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from bot.content.diff import published_text, refused_text, unchanged_text
from bot.content.loader import ContentStore, ReloadResult
from bot.storage import Storage

__all__ = ["Publisher", "report_text"]

log = logging.getLogger(__name__)


def report_text(content: ContentStore, result: ReloadResult) -> str:
    """The admins' message about ``result`` (in the words of the content now in use)."""
    current = content.current
    if result.status == "published" and result.diff is not None:
        text = published_text(current, result.diff)
    elif result.status == "refused":
        text = refused_text(current, result.errors, result.disk)
    else:
        text = unchanged_text(current)
    # Content without the admins' words still gets a message Telegram accepts.
    return text if text.strip() else f"content {result.status}: version {result.version}"


class Publisher:
    """Reloads the content and queues the admins' report."""

    def __init__(self, storage: Storage, content: ContentStore, admin_ids: Iterable[int]) -> None:
        self.storage = storage
        self.content = content
        self.admin_ids = frozenset(admin_ids)
        self._reloading = asyncio.Lock()

    async def reload(
        self, requested_by: int | None = None, *, tell_admins: bool = True
    ) -> tuple[ReloadResult, int]:
        """Reload now; return the outcome and how many messages were queued.

        ``tell_admins=False``: a replica that does not run the timed work (several replicas on
        PostgreSQL) reloads its own copy but leaves telling the admins to the one that does.
        """
        async with self._reloading:  # the periodic check and /reload never load at the same time
            # In a thread: loading takes about a second, and training the danger model (when its
            # examples changed: bot/typed/danger_model.py) much longer; the bot keeps answering
            # with the current content meanwhile, and the new one replaces it whole at the end.
            result = await asyncio.to_thread(self._refresh)
        return result, await self.report(result, requested_by, tell_admins=tell_admins)

    def _refresh(self) -> ReloadResult:
        """Reload (in a thread) and warm the new content's typed-question indexes there too."""
        result = self.content.refresh()
        if result.status == "published":
            self.content.current.matcher.warm()
        return result

    async def report(
        self, result: ReloadResult, requested_by: int | None = None, *, tell_admins: bool = True
    ) -> int:
        """Queue the report for every admin if the outcome is new, and for ``requested_by``."""
        news = tell_admins and result.fresh and result.status != "unchanged"
        chats = set(self.admin_ids) if news else set()
        if requested_by is not None:
            chats.add(requested_by)
        if not chats:
            return 0
        text = report_text(self.content, result)
        async with self.storage.transaction():
            for chat_id in sorted(chats):
                await self.storage.send_later(chat_id, "say", {"text": text, "buttons": []})
        log.info(
            "content %s (version %s): %d admin message(s) queued", result.status, result.version, len(chats)
        )
        return len(chats)
