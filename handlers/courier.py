"""Deliver the outbox: screens, case cards, relayed messages, notices, reminders and reports.

Everything the bot sends was written to the database first (in the same transaction as the
update that caused it), so a crash or restart loses nothing: the courier delivers what is left.

Each destination is a **lane** (one user's chat, or the operators' group) drained by its own task,
in order. A slow destination (the operators' group is throttled by Telegram to about 20 messages a
minute) or one waiting for a retry holds only its own lane: other users' answers go out at once.
An item is marked delivered right after Telegram accepts it. Errors are handled as Telegram means
them: a user who blocked the bot gets nothing more (and their case is marked); a deleted forum topic
is recreated and the case re-mapped; "retry after", server errors, timeouts and dropped connections
are retried with backoff. A call whose outcome is unknown (the connection dropped after Telegram
may have accepted it) is retried: a rare duplicate is accepted where the alternative is a loss
(see docs/RELIABILITY.md).

Law-change alerts (kind ``alert``) wait in one lane of their own and go out one by one, at most
:data:`ALERT_RATE` a second, so a broadcast to thousands never nears Telegram's 30 messages a second
and never holds up anyone's answers; an alert is skipped for a user who has blocked the bot, stopped
watching the topic or deleted their data since it was queued.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import html
import json
import logging
import time
from typing import Any

import httpx
from telegram import (
    Bot,
    InputFile,
    Message,
    MessageId,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.desk import Desk
from bot.html import split_html
from bot.storage import ALERT_KIND, Case, OutboxItem, Storage
from handlers.lanes import Lanes

__all__ = ["ALERT_RATE", "Courier", "MAX_ATTEMPTS", "RELAY_MERGE_LIMIT", "outcome_unknown"]

log = logging.getLogger(__name__)

#: After this many failed attempts an item is given up (and logged); about a day of backoff.
MAX_ATTEMPTS = 12
_MAX_DELAY = dt.timedelta(minutes=30)
#: Quick messages of one case waiting for the operators' group are sent as one, up to this size.
RELAY_MERGE_LIMIT = 3500
#: How many of a destination's items are read at a time.
LANE_BATCH = 20
#: How many of the bot's latest messages the courier remembers the content of.
SHOWN_LIMIT = 5000
#: Law-change alerts go out at most this many a second. Telegram lets a bot send about 30 messages
#: a second in all: the rest is left for the answers people are waiting for.
ALERT_RATE = 20.0


def outcome_unknown(exc: TelegramError) -> bool:
    """True if Telegram may have done the call although we got an error (its answer was lost).

    An error response from Telegram (429, 5xx) and a connection that never opened are known
    failures: nothing was done. A timeout or a connection dropped while waiting may hide a success.
    """
    if not isinstance(exc, NetworkError | TimedOut) or isinstance(exc, RetryAfter):
        return False
    cause = exc.__cause__
    if cause is None:
        return False  # Telegram answered with an error
    return not isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _thread_gone(exc: BadRequest) -> bool:
    return "thread not found" in exc.message.lower() or "topic_deleted" in exc.message.lower()


def _markup(rows: list[list[list[str]]] | None) -> dict[str, Any] | None:
    """An inline keyboard as the Bot API's JSON: sent as it is, no PTB objects built (issue 16)."""
    if not rows:
        return None
    return {"inline_keyboard": [[{"text": t, "callback_data": d} for t, d in row] for row in rows]}


#: Link previews off, as the Bot API spells it (PTB's ``disable_web_page_preview`` becomes this).
_NO_PREVIEW = {"is_disabled": True}


class Courier:
    """Delivers due outbox items, one task per destination."""

    def __init__(
        self,
        bot: Bot,
        storage: Storage,
        desk: Desk,
        operators_chat_id: int | None,
    ) -> None:
        self.bot = bot
        self.storage = storage
        self.desk = desk
        self.ops_chat = operators_chat_id
        self._lanes = Lanes("courier", self._due_lanes, self._drain)
        self._is_forum: bool | None = None
        self._topic_lock = asyncio.Lock()
        #: (chat, message) -> (text, buttons) it shows now, for messages the bot sent or edited.
        self._shown: dict[tuple[int, int], tuple[str, str]] = {}
        #: Buttons answered from screen items lately (a retried item does not answer again).
        self._answered: dict[str, None] = {}
        self.sent = 0
        #: The first retry waits this long, each next one twice as long (up to 30 minutes).
        self.base_delay = 2.0
        #: Alerts a second at most (their lane sends one at a time), and when the last one went.
        self.alert_rate = ALERT_RATE
        self._last_alert = -1e9

    # --- scheduling ------------------------------------------------------------------------------

    def kick(self) -> None:
        """Start delivering whatever is due, without waiting for it (safe to call often)."""
        self._lanes.kick()

    def start(self, lanes: set[str]) -> None:
        """Start delivering to these destinations (the caller just queued items for them), without
        the look-up ``kick`` makes."""
        for lane in lanes:
            if lane != "ops" or self.ops_chat is not None:
                self._lanes.start(lane)

    async def _due_lanes(self) -> list[str]:
        lanes = await self.storage.due_lanes()
        # Items for the operators are kept until an operators' group is configured.
        return [lane for lane in lanes if lane != "ops" or self.ops_chat is not None]

    async def flush(self) -> int:
        """Deliver everything due now and wait until it is done; return how many items went out."""
        before = self.sent
        for _ in range(20):  # delivering may add items ("the user blocked the bot")
            self.kick()
            await self.idle()
            if not await self._due_lanes():
                break
        return self.sent - before

    async def idle(self) -> None:
        """Wait until no lane is delivering."""
        await self._lanes.idle()

    async def close(self) -> None:
        await self._lanes.close()

    async def _drain(self, lane: str) -> int:
        """Deliver a destination's due items in order, while this replica holds the destination.

        With several replicas (PostgreSQL) another replica may be draining it: then this one leaves
        it. The holder looks once more after letting go, so an item queued by another replica while
        it held the destination is never left waiting for the periodic kick.
        """
        done = 0
        while await self.storage.lane_lock(lane):
            try:
                done += await self._drain_held(lane)
            finally:
                await self.storage.lane_unlock(lane)
            if not self.storage.is_postgres or not await self.storage.lane_head(lane, 1):
                break
        return done

    async def _drain_held(self, lane: str) -> int:
        done = 0
        while True:
            items = await self.storage.lane_head(lane, LANE_BATCH)
            if not items:
                return done
            i = 0
            while i < len(items):
                item = items[i]
                batch = self._merge(items, i) if item.kind == "relay" else [item]
                ok = await self._deliver(batch)
                if not ok:
                    return done  # this lane waits for its retry; others go on
                done += len(batch)
                i += len(batch)
            if len(items) < LANE_BATCH:
                return done  # all there was; what came meanwhile was kicked again (Lanes)

    @staticmethod
    def _merge(items: list[OutboxItem], start: int) -> list[OutboxItem]:
        """Consecutive relayed texts of one case, up to one message's worth."""
        first = items[start]
        batch = [first]
        size = len(first.payload.get("text", ""))
        for item in items[start + 1 :]:
            text = item.payload.get("text", "")
            if item.kind != "relay" or item.case_id != first.case_id or size + len(text) > RELAY_MERGE_LIMIT:
                break
            batch.append(item)
            size += len(text) + 1
        return batch

    # --- one delivery ----------------------------------------------------------------------------

    async def _deliver(self, batch: list[OutboxItem]) -> bool:
        """Deliver ``batch`` (one item, or merged relays). False if the lane must wait."""
        item = batch[0]
        if item.kind == ALERT_KIND:
            if item.chat_id is None or not await self.storage.alert_wanted(item.chat_id, item.payload):
                # Blocked the bot, stopped watching or deleted their data since it was queued.
                await self.storage.give_up(item.id, "not wanted any more")
                return True
            await self._pace_alert()
        case = await self.storage.get_case(item.case_id) if item.case_id is not None else None
        if item.case_id is not None and case is None:
            await self.storage.give_up(item.id, "case not found")
            return True
        try:
            if item.target == "user":
                await self._to_user(case, item)
            elif case is None:
                await self._to_group(item)
            else:
                await self._to_ops(case, batch)
        except Forbidden as exc:
            if item.target == "user":
                await self._blocked(case, item, exc)
                return True
            log.error("the bot cannot write to the operators' group: %s", exc.message)
            await self._later(item, None)
            return False
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)
            await self._later(item, dt.timedelta(seconds=seconds))
            return False
        except BadRequest as exc:
            if item.kind == "answer":  # a button pressed too long ago: nothing to answer any more
                log.info("callback query not answered: %s", exc.message)
            else:
                log.error("item %s (%s) refused by Telegram: %s", item.id, item.kind, exc.message)
            for each in batch:
                await self.storage.give_up(each.id, exc.message)
            return True  # a malformed item must not block the ones after it
        except TelegramError as exc:  # network errors, timeouts, server errors: try again later
            if item.kind == "answer" and outcome_unknown(exc):
                # Telegram may have taken it; a second answer would be refused, and a missed one
                # only leaves a spinner that Telegram stops by itself.
                await self.storage.give_up(item.id, "outcome unknown")
                return True
            log.warning("item %s (%s) not delivered yet: %s", item.id, item.kind, exc)
            await self._later(item, None)
            return False
        for each in batch:
            await self.storage.delivered(each.id, keep=each.payload.get("receipt"))
        self.sent += len(batch)
        return True

    async def _blocked(self, case: Case | None, item: OutboxItem, exc: Forbidden) -> None:
        user_id = case.user_id if case is not None else item.chat_id
        log.info("user %s blocked the bot: nothing more is sent to them", user_id)
        assert user_id is not None
        async with self.storage.transaction():
            await self.storage.drop_lane(str(user_id), f"blocked: {exc.message}")
            if item.lane != str(user_id):  # an alert waits in the alerts' lane
                await self.storage.give_up(item.id, f"blocked: {exc.message}")
            await self.storage.set_blocked(user_id)
            open_case = case if case is not None and case.status != "closed" else None
            open_case = open_case or await self.storage.open_case_of(user_id)
            if open_case is not None and not open_case.user_blocked:
                await self.storage.mark_blocked(open_case.case_id)
                note = self.desk.content.current.ops("user_blocked", case=open_case.case_id)
                await self.storage.enqueue(open_case.case_id, "ops", "text", {"text": note})

    async def _later(self, item: OutboxItem, delay: dt.timedelta | None) -> None:
        if item.attempts + 1 >= MAX_ATTEMPTS:
            log.error("giving up outbox item %s after %s attempts", item.id, item.attempts + 1)
            await self.storage.give_up(item.id, "too many attempts")
            return
        backoff = delay or min(dt.timedelta(seconds=self.base_delay * 2**item.attempts), _MAX_DELAY)
        await self.storage.retry_later(item.id, backoff)
        loop = asyncio.get_running_loop()
        loop.call_later(backoff.total_seconds() + 0.05, self._kick_if_running)

    async def _pace_alert(self) -> None:
        """Wait until the next alert may go: never more than ``alert_rate`` a second."""
        wait = self._last_alert + 1.0 / self.alert_rate - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_alert = time.monotonic()

    def _kick_if_running(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closing
            self.kick()

    # --- to a user -------------------------------------------------------------------------------

    async def _to_user(self, case: Case | None, item: OutboxItem) -> None:
        payload = item.payload
        chat_id = case.user_id if case is not None else item.chat_id
        assert chat_id is not None
        if item.kind == "answer":
            await self.bot.answer_callback_query(payload["query_id"], text=payload.get("text"))
            return
        if item.kind == "copy":
            await self.bot.copy_message(chat_id, payload["from_chat"], payload["message_id"])
            return
        if item.kind == "photo":  # a picture made by the bot (the weekly report), uploaded
            picture = InputFile(base64.b64decode(payload["png"]), filename=payload.get("filename"))
            await self.bot.send_photo(
                chat_id, picture, caption=payload.get("caption") or None, parse_mode=ParseMode.HTML
            )
            return
        if item.kind == "document":  # a file the bot made (wage claims), uploaded
            upload = InputFile(base64.b64decode(payload["file"]), filename=payload["name"])
            await self.bot.send_document(
                chat_id, upload, caption=payload.get("caption") or None, parse_mode=ParseMode.HTML
            )
            return
        if payload.get("answer"):
            await self._answer(payload["answer"])
        markup = _markup(payload.get("buttons"))
        shown = (payload["text"], json.dumps(payload.get("buttons") or []))
        if item.kind == "say" and payload.get("edit") is not None:
            where = (chat_id, payload["edit"])
            if self._shown.get(where) == shown:
                return  # a quicker press already put exactly this there: editing would be refused
            try:
                await self.bot.do_api_request(
                    "editMessageText",
                    api_kwargs={
                        "chat_id": chat_id,
                        "message_id": payload["edit"],
                        "text": payload["text"],
                        "parse_mode": ParseMode.HTML,
                        "reply_markup": markup,
                        "link_preview_options": _NO_PREVIEW,
                    },
                )
                self._remember(where, shown)
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return  # the screen already shows exactly this (after a restart we cannot know)
                log.info("cannot edit message, sending a new one: %s", exc.message)
        parts = split_html(payload["text"])  # an operator may write more than one message holds
        for i, part in enumerate(parts):
            # The raw API call: the Message Telegram sends back is not parsed into PTB objects,
            # and no keyboard objects are built (both showed in the profile, docs/BENCHMARKS.md).
            sent = await self.bot.do_api_request(
                "sendMessage",
                api_kwargs={
                    "chat_id": chat_id,
                    "text": part,
                    "parse_mode": ParseMode.HTML,
                    "reply_markup": markup if i == len(parts) - 1 else None,
                    "link_preview_options": _NO_PREVIEW,
                },
            )
        if len(parts) == 1:
            self._remember((chat_id, sent["message_id"]), shown)

    async def _answer(self, answer: dict[str, Any]) -> None:
        """Answer the pressed button a screen item carries, before the screen (handlers/deliver.py).

        When the screen failed after the answer went out, the item's retry does not answer again
        (remembered here; after a restart Telegram refuses the repeat, which is ignored). Telegram
        refusing it (pressed too long ago) or an answer whose outcome is unknown leaves the screen
        to go out; a failure that says nothing was done (retry after, server errors) makes the
        whole item wait for its retry.
        """
        query_id = str(answer["query_id"])
        if query_id in self._answered:
            return
        try:
            await self.bot.answer_callback_query(query_id, text=answer.get("text"))
        except BadRequest as exc:
            log.info("callback query not answered: %s", exc.message)
        except TelegramError as exc:
            if not outcome_unknown(exc):
                raise
        self._answered[query_id] = None
        if len(self._answered) > SHOWN_LIMIT:
            del self._answered[next(iter(self._answered))]

    def _remember(self, where: tuple[int, int], shown: tuple[str, str]) -> None:
        """What a message of ours shows now (the last few hundred), so no edit repeats it."""
        self._shown.pop(where, None)
        self._shown[where] = shown
        if len(self._shown) > SHOWN_LIMIT:
            del self._shown[next(iter(self._shown))]

    # --- to the operators ------------------------------------------------------------------------

    async def _to_group(self, item: OutboxItem) -> None:
        """A message to the operators' group that belongs to no case: an answer to a command."""
        assert self.ops_chat is not None
        payload = item.payload
        where: dict[str, object] = {}
        if payload.get("thread"):
            where["message_thread_id"] = payload["thread"]
        if payload.get("reply_to"):
            where["reply_parameters"] = ReplyParameters(payload["reply_to"], allow_sending_without_reply=True)
        for part in split_html(payload["text"]):
            try:
                await self.bot.send_message(self.ops_chat, part, parse_mode=ParseMode.HTML, **where)
            except BadRequest as exc:
                if "message_thread_id" not in where or not _thread_gone(exc):
                    raise
                where.pop("message_thread_id")  # the topic is gone: say it in the group
                await self.bot.send_message(self.ops_chat, part, parse_mode=ParseMode.HTML, **where)

    async def _forum(self) -> bool:
        if self._is_forum is None:
            assert self.ops_chat is not None
            chat = await self.bot.get_chat(self.ops_chat)
            self._is_forum = bool(chat.is_forum)
        return self._is_forum

    async def _new_topic(self, case: Case) -> Case:
        """Open a forum topic for the case and post its card there."""
        assert self.ops_chat is not None
        topic = await self.bot.create_forum_topic(self.ops_chat, self.desk.topic_name(case))
        await self.storage.set_thread(case.case_id, topic.message_thread_id)
        refreshed = await self.storage.get_case(case.case_id)
        assert refreshed is not None
        await self._send_card(refreshed, {"message_thread_id": topic.message_thread_id})
        refreshed = await self.storage.get_case(case.case_id)
        assert refreshed is not None
        return refreshed

    async def _send_card(self, case: Case, where: dict[str, object]) -> None:
        assert self.ops_chat is not None
        parts = split_html(self.desk.card(case))
        for i, part in enumerate(parts):
            sent = await self.bot.send_message(self.ops_chat, part, parse_mode=ParseMode.HTML, **where)
            await self._mapped(case, sent)
            if i == 0:
                await self.storage.set_card(case.case_id, sent.message_id)

    async def _mapped(self, case: Case, message: Message | MessageId) -> None:
        assert self.ops_chat is not None
        await self.storage.map_message(self.ops_chat, message.message_id, case.case_id)

    async def _to_ops(self, case: Case, batch: list[OutboxItem]) -> None:
        assert self.ops_chat is not None
        item = batch[0]
        forum = await self._forum()
        if item.kind == "card":
            if forum:
                async with self._topic_lock:
                    fresh = await self.storage.get_case(case.case_id)
                    if fresh is not None and fresh.thread_id is None:
                        await self._new_topic(fresh)
                    elif fresh is not None and fresh.card_id is None:
                        await self._send_card(fresh, {"message_thread_id": fresh.thread_id})
                return  # a topic always starts with the card
            await self._send_card(case, {})
            return
        for attempt in (1, 2):
            try:
                sent = await self._send_ops(case, batch, forum)
            except BadRequest as exc:
                if forum and attempt == 1 and _thread_gone(exc):
                    log.info("case %s: its topic was deleted; opening a new one", case.case_id)
                    async with self._topic_lock:
                        case = await self._new_topic(case)
                    continue
                raise
            await self._mapped(case, sent)
            return

    async def _send_ops(self, case: Case, batch: list[OutboxItem], forum: bool) -> Message | MessageId:
        assert self.ops_chat is not None
        if forum and case.thread_id is None:
            async with self._topic_lock:
                case = await self._new_topic(case)
        item = batch[0]
        where: dict[str, object] = {}
        if forum:
            where["message_thread_id"] = case.thread_id
        elif case.card_id is not None:
            where["reply_parameters"] = ReplyParameters(case.card_id, allow_sending_without_reply=True)
        if item.kind == "copy":
            payload = item.payload
            return await self.bot.copy_message(
                self.ops_chat, payload["from_chat"], payload["message_id"], **where
            )
        if item.kind == "relay":
            label = self.desk.content.current.ops("user_says", case=case.case_id)
            text = label + "\n" + "\n".join(html.escape(i.payload.get("text", "")) for i in batch)
        else:
            text = item.payload["text"]
        parts = split_html(text)
        for part in parts[:-1]:
            sent = await self.bot.send_message(self.ops_chat, part, parse_mode=ParseMode.HTML, **where)
            await self._mapped(case, sent)
        return await self.bot.send_message(self.ops_chat, parts[-1], parse_mode=ParseMode.HTML, **where)
