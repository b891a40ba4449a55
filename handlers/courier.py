"""Deliver the outbox: case cards, relayed messages and notices, to operators and to users.

Every item was written to the database before this runs, so a crash or restart loses nothing:
the next flush (at start-up, after each update, and every few seconds) delivers what is left.
An item is marked delivered right after Telegram accepts it. Errors are handled as Telegram
means them: a user who blocked the bot marks the case; a deleted forum topic is recreated and
the case re-mapped; "retry after" and network errors are retried later with backoff.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageId, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.desk import Desk
from bot.html import split_html
from bot.storage import Case, OutboxItem, Storage

__all__ = ["Courier", "MAX_ATTEMPTS"]

log = logging.getLogger(__name__)

#: After this many failed attempts an item is given up (and logged); about a day of backoff.
MAX_ATTEMPTS = 12
_MAX_DELAY = dt.timedelta(minutes=30)


def _thread_gone(exc: BadRequest) -> bool:
    return "thread not found" in exc.message.lower() or "topic_deleted" in exc.message.lower()


class Courier:
    """Delivers due outbox items in order, one flush at a time."""

    def __init__(self, bot: Bot, storage: Storage, desk: Desk, operators_chat_id: int | None) -> None:
        self.bot = bot
        self.storage = storage
        self.desk = desk
        self.ops_chat = operators_chat_id
        self._lock = asyncio.Lock()
        self._is_forum: bool | None = None

    async def flush(self) -> int:
        """Deliver every due item (and those that delivering adds); return how many were sent."""
        async with self._lock:
            done = 0
            seen: set[int] = set()
            held: set[tuple[int, str]] = set()  # (case, target) with an earlier item still waiting
            for _ in range(5):  # delivering may add items (e.g. "the user blocked the bot")
                fresh = [i for i in await self.storage.due(limit=200) if i.id not in seen]
                if not fresh:
                    break
                for item in fresh:
                    seen.add(item.id)
                    key = (item.case_id, item.target)
                    if key in held:
                        continue  # keep the order of messages within a case
                    if item.target == "ops" and self.ops_chat is None:
                        held.add(key)
                        continue  # kept until an operators' group is configured
                    if await self._deliver(item):
                        done += 1
                    else:
                        held.add(key)
            return done

    async def _deliver(self, item: OutboxItem) -> bool:
        case = await self.storage.get_case(item.case_id)
        if case is None:
            await self.storage.give_up(item.id, "case not found")
            return False
        try:
            if item.target == "user":
                await self._to_user(case, item)
            else:
                await self._to_ops(case, item)
        except Forbidden as exc:
            if item.target == "user":
                log.info("case %s: user %s blocked the bot", case.case_id, case.user_id)
                await self.storage.give_up(item.id, f"blocked: {exc.message}")
                if not case.user_blocked:
                    await self.storage.mark_blocked(case.case_id)
                    note = f"⛔ Пользователь заблокировал бота: вопрос №{case.case_id} не получит ответ."
                    await self.storage.enqueue(case.case_id, "ops", "text", {"text": note})
                return True  # nothing more can be done: do not hold later items
            log.error("the bot cannot write to the operators' group: %s", exc.message)
            await self._later(item, None)
            return False
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)
            await self._later(item, dt.timedelta(seconds=seconds))
            return False
        except BadRequest as exc:
            log.error("case %s: Telegram refused item %s: %s", case.case_id, item.id, exc.message)
            await self.storage.give_up(item.id, exc.message)
            return True  # a malformed item must not block the ones after it
        except TelegramError as exc:  # network errors, timeouts, server errors: try again later
            log.warning("case %s: item %s not delivered yet: %s", case.case_id, item.id, exc)
            await self._later(item, None)
            return False
        await self.storage.delivered(item.id)
        return True

    async def _later(self, item: OutboxItem, delay: dt.timedelta | None) -> None:
        if item.attempts + 1 >= MAX_ATTEMPTS:
            log.error("giving up outbox item %s of case %s", item.id, item.case_id)
            await self.storage.give_up(item.id, "too many attempts")
            return
        backoff = delay or min(dt.timedelta(seconds=5 * 2**item.attempts), _MAX_DELAY)
        await self.storage.retry_later(item.id, backoff)

    # --- to the user ---------------------------------------------------------------------------

    async def _to_user(self, case: Case, item: OutboxItem) -> None:
        payload = item.payload
        if item.kind == "copy":
            await self.bot.copy_message(case.user_id, payload["from_chat"], payload["message_id"])
            return
        rows = payload.get("buttons") or []
        markup = (
            InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows])
            if rows
            else None
        )
        parts = split_html(payload["text"])  # an operator may write more than one message holds
        for i, part in enumerate(parts):
            await self.bot.send_message(
                case.user_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if i == len(parts) - 1 else None,
                disable_web_page_preview=True,
            )

    # --- to the operators ----------------------------------------------------------------------

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
        card = await self.bot.send_message(
            self.ops_chat,
            self.desk.card(case),
            parse_mode=ParseMode.HTML,
            message_thread_id=topic.message_thread_id,
        )
        await self._mapped(case, card)
        await self.storage.set_card(case.case_id, card.message_id)
        refreshed = await self.storage.get_case(case.case_id)
        assert refreshed is not None
        return refreshed

    async def _mapped(self, case: Case, message: Message | MessageId) -> None:
        assert self.ops_chat is not None
        await self.storage.map_message(self.ops_chat, message.message_id, case.case_id)

    async def _to_ops(self, case: Case, item: OutboxItem) -> None:
        assert self.ops_chat is not None
        forum = await self._forum()
        if item.kind == "card":
            if forum:
                if case.thread_id is None:
                    await self._new_topic(case)
                return  # a topic always starts with the card
            card = await self.bot.send_message(self.ops_chat, self.desk.card(case), parse_mode=ParseMode.HTML)
            await self._mapped(case, card)
            await self.storage.set_card(case.case_id, card.message_id)
            return
        for attempt in (1, 2):
            try:
                sent = await self._send_ops(case, item, forum)
            except BadRequest as exc:
                if forum and attempt == 1 and _thread_gone(exc):
                    log.info("case %s: its topic was deleted; opening a new one", case.case_id)
                    case = await self._new_topic(case)
                    continue
                raise
            await self._mapped(case, sent)
            return

    async def _send_ops(self, case: Case, item: OutboxItem, forum: bool) -> Message | MessageId:
        assert self.ops_chat is not None
        if forum and case.thread_id is None:
            case = await self._new_topic(case)
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
        parts = split_html(item.payload["text"])
        for part in parts[:-1]:
            await self.bot.send_message(self.ops_chat, part, parse_mode=ParseMode.HTML, **where)
        return await self.bot.send_message(self.ops_chat, parts[-1], parse_mode=ParseMode.HTML, **where)
