"""Handlers for the operators' supergroup: commands on cases and replies relayed to migrants.

A message belongs to a case when it is written in the case's forum topic, or as a reply to the
case card or to a relayed message. Only the configured group counts (and, when OPERATOR_IDS is
set, only those people in it): operator commands anywhere else do nothing.
"""

from __future__ import annotations

import html
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.desk import Desk
from bot.storage import Case, Storage

__all__ = ["OPERATOR_COMMANDS", "DESK_KEY", "COURIER_KEY", "SETTINGS_KEY", "on_operators_message"]

log = logging.getLogger(__name__)

OPERATOR_COMMANDS = ("claim", "close", "note", "cases")
DESK_KEY = "desk"
COURIER_KEY = "courier"
SETTINGS_KEY = "settings"


def _operator_name(desk: Desk, message: Message) -> str:
    user = message.from_user
    if user is None:
        return desk.content.current.ops("operator")
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


async def _answer(storage: Storage, message: Message, text: str) -> None:
    """A short answer in the group, where the command was written (through the outbox)."""
    thread = message.message_thread_id if message.is_topic_message else None
    await storage.ops_later("group", {"text": text, "thread": thread, "reply_to": message.message_id})


async def _case_of(storage: Storage, message: Message) -> Case | None:
    if message.is_topic_message and message.message_thread_id is not None:
        case = await storage.case_by_thread(message.message_thread_id)
        if case is not None:
            return case
    reply = message.reply_to_message
    if reply is not None:
        return await storage.case_by_message(message.chat_id, reply.message_id)
    return None


def _is_operator(settings: Settings, message: Message) -> bool:
    if message.chat_id != settings.operators_chat_id or message.from_user is None:
        return False
    return not settings.operator_ids or message.from_user.id in settings.operator_ids


async def on_operators_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Act on an operator's command, or relay an operator's message to the case's user."""
    message = update.effective_message
    settings: Settings = context.application.bot_data[SETTINGS_KEY]
    if message is None or not _is_operator(settings, message):
        return
    desk: Desk = context.application.bot_data[DESK_KEY]

    async def say(text: str) -> None:
        await _answer(desk.storage, message, text)

    ops = desk.content.current.ops

    text = message.text or ""
    command = text.split()[0][1:].split("@")[0].lower() if text.startswith("/") else None
    if command == "cases":
        await say(await desk.summary())
        return
    case = await _case_of(desk.storage, message)
    if command in ("claim", "close", "note") and case is None:
        await say(ops("needs_case"))
        return
    if case is None:
        return  # general talk in the group: not ours
    name = _operator_name(desk, message)
    operator_id = message.from_user.id if message.from_user else 0
    if command == "claim":
        if await desk.claim(case, operator_id, name):
            await say(ops("claimed", case=case.case_id, name=html.escape(name)))
        elif case.status == "claimed":
            await say(ops("already_claimed", case=case.case_id, name=html.escape(case.operator_name or "")))
        else:
            await say(ops("is_closed", case=case.case_id))
    elif command == "close":
        if await desk.close_by_operator(case):
            await say(ops("closed", case=case.case_id))
        else:
            await say(ops("already_closed", case=case.case_id))
    elif command == "note":
        note = text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
        if not note:
            await say(ops("note_empty"))
            return
        await desk.note(case, operator_id, note)
        await say(ops("note_saved"))
    elif command is not None:
        return  # another command (for another bot, or a typo): never relayed to the user
    elif case.status == "closed":
        await say(ops("closed_not_sent", case=case.case_id))
        return
    else:
        if case.status == "open":  # the first answer means someone has taken the case
            await desk.claim(case, operator_id, name)
        await desk.reply(case, message.chat_id, message.message_id, message.text)
