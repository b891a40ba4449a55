"""Law-change alerts: telling the users who asked, once, when a topic's rules change.

Editors mark a change on a node (``changed: {on: 2027-01-01, id: mrp-2027}`` in the tree file, and
what changed in each language's words). Users press "🔔 tell me when this changes" on a topic's
screens; the engine says so (``Watch``) and the service stores the watch.

:meth:`Alerts.announce` runs on start and after every content (re)load check (each minute, so a
date that comes is noticed without a new edit). For every change whose day has come (Kazakhstan
date) and that was never announced, it writes, in ONE transaction, the change as announced and
one outbox message per watcher, in the watcher's language, with a button to the updated answer.
A change id is announced once: a reload or a restart never queues it again, and a crash before the
commit leaves nothing half done. The courier sends alerts from their own lane at a steady pace,
below Telegram's limit of 30 messages a second (see ``handlers/courier.py``). Watchers who blocked
the bot are skipped. Telegram-free, like :mod:`bot.reminders`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from bot.content.loader import ContentStore
from bot.content.model import Content, Node
from bot.engine import alert_message
from bot.hours import KZ_TZ
from bot.i18n import DEFAULT_LANG
from bot.storage import Storage

__all__ = ["Alerts", "due_changes"]

log = logging.getLogger(__name__)


def due_changes(content: Content, today: dt.date) -> list[Node]:
    """Nodes whose marked change applies on ``today`` or earlier, oldest change first."""
    nodes = [n for n in content.nodes.values() if n.changed is not None and n.changed.on <= today]
    return sorted(nodes, key=lambda n: (n.changed.on, n.changed.id))  # type: ignore[union-attr]


class Alerts:
    """Announces due changes to their watchers through the outbox; knows nothing of Telegram."""

    def __init__(self, storage: Storage, content: ContentStore, now: Callable[[], dt.datetime]) -> None:
        self.storage = storage
        self.content = content
        self.now = now

    def _today(self) -> dt.date:
        return self.now().astimezone(KZ_TZ).date()

    async def announce(self) -> int:
        """Queue every due change not announced yet, once; return how many messages were queued."""
        content = self.content.current
        today = self._today()
        due = due_changes(content, today)
        if not due:
            return 0
        done = await self.storage.announced()
        queued = 0
        for node in due:
            change = node.changed
            assert change is not None
            if change.id in done:
                continue
            messages = {lang: _payload(content, lang, node.id, today) for lang in content.languages}
            async with self.storage.transaction():
                result = await self.storage.announce(
                    change.id, node.id, node.tree, change.on.isoformat(), messages, DEFAULT_LANG
                )
            if result is None:
                continue  # announced meanwhile (another check got there first)
            log.info(
                "change %s (%s) announced: %d alert(s) queued, %d watcher(s) skipped (blocked)",
                change.id,
                node.id,
                result.queued,
                result.skipped,
            )
            queued += result.queued
        return queued


def _payload(content: Content, lang: str, node_id: str, today: dt.date) -> dict[str, Any]:
    """The outbox payload of one alert in ``lang`` (as the courier sends any screen)."""
    say = alert_message(content, lang, node_id, today)
    buttons = [[[b.label, b.data] for b in row] for row in say.buttons]
    # The tree lets the courier skip a user who stopped watching it since.
    return {"text": say.text, "buttons": buttons, "tree": content.nodes[node_id].tree}
