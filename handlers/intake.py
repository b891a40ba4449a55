"""Durable intake: every update is written down before Telegram is told it arrived.

PTB hands each update it fetches (long polling) or receives (webhook) to its ``update_queue``.
:class:`InboxQueue` replaces that queue: its ``put`` writes the update to the ``inbox`` table and
returns only then. Long polling confirms an update to Telegram with the *next* getUpdates call,
which PTB makes only after ``put`` returned; the webhook answers HTTP 200 only after ``put``
returned. So an update Telegram considers delivered is always in the database.

:class:`Intake` processes the inbox: one worker per lane (a user's chat, or the operators' group),
so one user's updates stay in order while different users are served in turn. Each update is
processed in one database transaction that also marks it done: its effects (state, cases, outbox
items) are written together with "done", exactly once, also across a crash. With several replicas
on PostgreSQL the transaction first takes the lane's lock and re-reads "done"
(:meth:`~bot.storage.coordination.CoordinationRepo.inbox_claim`), so an update that reached two
replicas, or one that another replica wrote down, is processed once, in order per user. Sending
happens afterwards, from the outbox (handlers/courier.py), so a slow destination never holds
processing up.

A user who sends more than :data:`FLOOD_LIMIT` updates in :data:`FLOOD_WINDOW` seconds gets one
polite notice in their language; the excess is dropped, except messages for an open case, which
are kept and merged into fewer messages for the operators.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot.storage import InboxItem, LaneBusy, Storage
from handlers.lanes import Lanes

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.content.loader import ContentStore
    from handlers.courier import Courier

__all__ = ["FLOOD_LIMIT", "FLOOD_WINDOW", "CURRENT", "InboxQueue", "Intake", "Outcome", "RawUpdates"]

log = logging.getLogger(__name__)

#: More than this many updates from one user within FLOOD_WINDOW seconds is a flood.
FLOOD_LIMIT = 30
FLOOD_WINDOW = 10.0
#: How many of a lane's updates are read at a time.
LANE_BATCH = 50
#: An update that fails this many times (the database itself failing) is set aside, logged.
MAX_ATTEMPTS = 5
#: With several replicas (PostgreSQL): while another replica processes a user's earlier update,
#: try again this often, this many times, then leave the lane to it (and the periodic kick).
CLAIM_WAIT = 0.02
CLAIM_TRIES = 500
#: Parsed updates kept for processing; more than this means other replicas processed some of
#: them (they are only a shortcut: the inbox has the payload).
PARSED_LIMIT = 2000
#: Processing waits at most this long (seconds) for updates being written down to be written.
WRITES_FIRST = 1.0


@dataclass
class Outcome:
    """What happened while PTB ran the handlers of one update (set by the error handler)."""

    error: BaseException | None = None


#: The outcome box of the update the current task is processing.
CURRENT: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar("intake_outcome", default=None)


def lane_of(update: Update) -> str:
    """Whose updates must stay in order: the chat (a user's private chat, or a group)."""
    if update.effective_chat is not None:
        return str(update.effective_chat.id)
    if update.effective_user is not None:
        return str(update.effective_user.id)
    return "other"


class RawUpdates:
    """The updates exactly as ``getUpdates`` brought them (JSON), until they are written down.

    Writing an update down then stores Telegram's own JSON instead of serialising the parsed
    object again (``Update.to_dict``, about a tenth of the bot's own work per update). PTB never
    alters the data it parses. Webhook updates, or any missing here, are serialised as before.
    """

    LIMIT = 1000  # more waiting than this means something went wrong: start afresh

    def __init__(self) -> None:
        self.by_id: dict[int, dict[str, Any]] = {}

    def watch(self, request: Any) -> None:
        """Keep what ``request`` (the bot's getUpdates request) parses from Telegram's answers."""
        parse = request.parse_json_payload

        def keep(payload: bytes) -> Any:
            data = parse(payload)
            result = data.get("result") if isinstance(data, dict) else None
            if isinstance(result, list):
                if len(self.by_id) > self.LIMIT:
                    self.by_id.clear()
                for item in result:
                    if isinstance(item, dict) and isinstance(item.get("update_id"), int):
                        self.by_id[item["update_id"]] = item
            return data

        request.parse_json_payload = keep

    def payload(self, update: Update) -> str:
        raw = self.by_id.pop(update.update_id, None)
        return json.dumps(raw if raw is not None else update.to_dict(), ensure_ascii=False)


class InboxQueue(asyncio.Queue):  # type: ignore[type-arg]
    """PTB's update queue, made durable: ``put`` returns once the update is in the database."""

    def __init__(self) -> None:
        super().__init__()
        self.intake: Intake | None = None

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self.intake is not None:
            await self.intake.receive(item)
            return
        await super().put(item)  # PTB's stop signal (and updates before start-up, in tests)


@dataclass
class _Flood:
    times: deque[float] = field(default_factory=deque)
    warned_at: float = -1e9


class Intake:
    """Processes the inbox: in order per lane, lanes in turn, each update exactly once."""

    def __init__(
        self,
        app: Application,
        storage: Storage,
        courier: Courier,
        content: ContentStore,
        *,
        clock: Any = time.monotonic,
        raw: RawUpdates | None = None,
    ) -> None:
        self.app = app
        self.storage = storage
        self.courier = courier
        self.content = content
        self.clock = clock
        self.raw = raw or RawUpdates()
        self._lanes = Lanes("intake", storage.inbox_lanes, self._work)
        self._floods: dict[str, _Flood] = {}
        self._closing = False
        self.processed = 0
        self.dropped = 0
        #: Writing updates down goes first: while PTB hands a batch over, processing waits, so an
        #: update behind a flood is written at once and gets its turn next to the flood.
        self._receiving = 0
        self._received = asyncio.Event()
        self._received.set()
        #: Updates written down by this process, as PTB parsed them: processing them needs no second
        #: parse of the payload (which is there for a restart). Emptied as they are processed.
        self._parsed: dict[int, Update] = {}

    # --- receiving -------------------------------------------------------------------------------

    async def receive(self, update: Update) -> None:
        """Write ``update`` down (the caller confirms it to Telegram after this returns)."""
        payload = self.raw.payload(update)
        self._receiving += 1
        self._received.clear()
        lane = lane_of(update)
        try:
            if await self.storage.inbox_add(update.update_id, lane, payload):
                if len(self._parsed) > PARSED_LIMIT:  # another replica processed those: drop
                    self._parsed.clear()
                self._parsed[update.update_id] = update
        finally:
            self._receiving -= 1
            if not self._receiving:
                self._received.set()
        if not self._closing:
            self._lanes.start(lane)  # its lane has work now (kick() would look it up first)

    # --- scheduling ------------------------------------------------------------------------------

    def kick(self) -> None:
        """Make sure every lane with waiting updates has a worker."""
        if not self._closing:
            self._lanes.kick()

    async def idle(self) -> None:
        """Wait until nothing is being processed or delivered."""
        await self._lanes.idle()
        await self.courier.idle()

    async def close(self) -> None:
        self._closing = True
        await self._lanes.close()

    # --- processing ------------------------------------------------------------------------------

    async def _work(self, lane: str) -> None:
        seen: set[int] = set()
        while not self._closing:
            batch = await self.storage.inbox_lane(lane, LANE_BATCH)
            items = [i for i in batch if i.update_id not in seen]
            if not items:
                return
            for item in items:
                seen.add(item.update_id)
                if not await self._one(item):
                    return  # the database is failing: the periodic kick tries again later
                await asyncio.sleep(0)  # let other lanes take their turn
            if len(batch) < LANE_BATCH:
                return  # all there was; what came meanwhile started this lane again (Lanes.start)

    async def _writes_first(self) -> None:
        """Wait while updates are being written down: the whole batch PTB hands over, not only the
        update being written when this task looked (PTB hands a batch over one update at a time,
        and the next is being written by the time a waiting task runs). Otherwise processing and
        writing take turns, and an update behind a flood waits for the flood's processing too:
        on PostgreSQL, where a statement is a round trip to the server, 0.3-0.5 s instead of
        0.1 s (issue 17). Bounded, so that a stream of writes never stops processing."""
        if not self._receiving:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(WRITES_FIRST):
                while self._receiving:
                    await self._received.wait()

    async def _one(self, item: InboxItem) -> bool:
        await self._writes_first()
        parsed = self._parsed.pop(item.update_id, None)
        try:
            update = parsed if parsed is not None else Update.de_json(json.loads(item.payload), self.app.bot)
        except Exception:  # noqa: BLE001 - an update we cannot even read: set it aside
            log.error("update %s could not be read; dropped", item.update_id)
            await self.storage.inbox_done(item.update_id)
            return True
        if update is None:
            await self.storage.inbox_done(item.update_id)
            return True
        for _ in range(CLAIM_TRIES):
            try:
                return await self._process(item, update)
            except LaneBusy:  # another replica is processing this user's earlier update
                await asyncio.sleep(CLAIM_WAIT)
        log.info("lane %s stayed busy on another replica; update %s left to it", item.lane, item.update_id)
        return False

    async def _process(self, item: InboxItem, update: Update) -> bool:
        """Process one update in one transaction, if nobody has (this replica or another)."""
        try:
            outcome = Outcome()
            token = CURRENT.set(outcome)
            try:
                async with self.storage.transaction():
                    if not await self.storage.inbox_claim(item.update_id, item.lane):
                        return True  # already done: a duplicate, or processed by another replica
                    if await self._flooding(item.lane, update):
                        return True
                    await self.app.process_update(update)
                    if outcome.error is not None:
                        raise outcome.error
                    await self.storage.inbox_done(item.update_id)
            finally:
                CURRENT.reset(token)
            self.processed += 1
            privacy = self.app.bot_data.get("privacy")
            if privacy is not None and privacy.checkpoint_due:
                await privacy.checkpoint()  # /forget: its words leave the write-ahead log too
        except LaneBusy:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever failed, the user gets an answer
            log.error(
                "update %s failed (%s); its changes were rolled back",
                item.update_id,
                type(exc).__name__,
                exc_info=exc,
            )
            try:
                async with self.storage.transaction():
                    if await self.storage.inbox_claim(item.update_id, item.lane):
                        await self._apologise(update)
                        await self.storage.inbox_done(item.update_id)
            except LaneBusy:
                raise
            except Exception:  # noqa: BLE001 - the database itself fails: keep the update
                log.exception("update %s kept for a later attempt", item.update_id)
                await self._attempt_failed(item)
                return False
        # Deliver what this update queued: its destinations are known, no need to look them up.
        self.courier.start(self.storage.take_queued_lanes())
        return True

    async def _attempt_failed(self, item: InboxItem) -> None:
        try:
            if item.attempts + 1 >= MAX_ATTEMPTS:
                log.error("update %s failed %s times; set aside", item.update_id, MAX_ATTEMPTS)
                await self.storage.inbox_done(item.update_id)
            else:
                await self.storage.inbox_attempt(item.update_id)
        except Exception:  # noqa: BLE001
            log.exception("the inbox cannot be updated")

    def _ui(self, lang: str, key: str) -> str:
        found = self.content.current.word(lang, f"ui.{key}")
        return found.text if found else key

    async def _lang(self, user_id: int) -> str:
        state = await self.storage.load_user(user_id)
        return state.lang if state is not None else "ru"

    async def _apologise(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None or chat.type != "private" or update.effective_user is None:
            return
        lang = await self._lang(update.effective_user.id)
        if update.callback_query is not None:
            await self.storage.send_later(chat.id, "answer", {"query_id": update.callback_query.id})
        await self.storage.send_later(chat.id, "say", {"text": self._ui(lang, "error"), "buttons": []})

    async def _flooding(self, lane: str, update: Update) -> bool:
        """True if the update was dropped as part of a flood (after one notice to the user)."""
        chat = update.effective_chat
        if chat is None or chat.type != "private" or update.effective_user is None:
            return False
        now = self.clock()
        flood = self._floods.setdefault(lane, _Flood())
        while flood.times and now - flood.times[0] > FLOOD_WINDOW:
            flood.times.popleft()
        flood.times.append(now)
        if len(self._floods) > 10_000:  # forget quiet users
            quiet = [k for k, f in self._floods.items() if not f.times or now - f.times[-1] > FLOOD_WINDOW]
            for key in quiet:
                del self._floods[key]
        if len(flood.times) <= FLOOD_LIMIT:
            return False
        user_id = update.effective_user.id
        state = await self.storage.load_user(user_id)
        if state is not None and state.handoff == "case" and update.message is not None:
            return False  # words for the operators are never dropped: they are merged instead
        async with self.storage.transaction():
            if update.callback_query is not None:
                await self.storage.send_later(chat.id, "answer", {"query_id": update.callback_query.id})
            if now - flood.warned_at > FLOOD_WINDOW:
                flood.warned_at = now
                lang = state.lang if state is not None else "ru"
                notice = {"text": self._ui(lang, "slow_down"), "buttons": []}
                await self.storage.send_later(chat.id, "say", notice)
            await self.storage.inbox_done(update.update_id)
        self.dropped += 1
        log.info("user %s floods: update %s dropped", user_id, update.update_id)
        self.courier.kick()
        return True
