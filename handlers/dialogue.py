"""Handlers for a migrant's private chat: commands, buttons, text and everything else."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.engine import Command, Event, Media, Press, Start, Text
from bot.service import Dialogue
from handlers.deliver import queue_outputs

__all__ = [
    "DIALOGUE_KEY",
    "COMMANDS",
    "on_start",
    "on_command",
    "on_button",
    "on_text",
    "on_media",
]

log = logging.getLogger(__name__)

#: Where the application keeps the shared :class:`Dialogue` (in ``bot_data``).
DIALOGUE_KEY = "dialogue"
#: Commands a migrant can use, besides /start.
COMMANDS = ("menu", "language", "help", "cancel", "help_me", "end", "reminders", "forget", "mydata")


def _dialogue(context: ContextTypes.DEFAULT_TYPE) -> Dialogue:
    return context.application.bot_data[DIALOGUE_KEY]


async def _run(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    dialogue = _dialogue(context)
    _, outputs = await dialogue.process(user.id, event)
    # Written in the update's transaction; the courier sends them once it is committed.
    await queue_outputs(dialogue.storage, chat.id, outputs, update.callback_query)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user, or open the tree named by a deep link (/start registration)."""
    payload = context.args[0] if context.args else None
    code = update.effective_user.language_code if update.effective_user else None
    await _run(update, context, Start(payload=payload, language_code=code))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle /menu, /language, /help, /cancel, /help_me and /end."""
    text = update.effective_message.text if update.effective_message else ""
    name = (text or "/").split()[0][1:].split("@")[0].lower()
    await _run(update, context, Command(name))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle a press on an inline button."""
    await _run(update, context, Press(update.callback_query.data or ""))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle text that is not a command."""
    message = update.effective_message
    await _run(update, context, Text(message.text or "", ref=message.message_id))


def _media_kind(update: Update) -> str:
    msg = update.effective_message
    for kind in (
        "photo",
        "sticker",
        "voice",
        "video",
        "video_note",
        "audio",
        "document",
        "location",
        "contact",
        "animation",
        "venue",
        "poll",
        "dice",
    ):
        if msg is not None and getattr(msg, kind, None):
            return kind
    return "other"


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer photos, stickers, voice, locations and the like politely."""
    ref = update.effective_message.message_id if update.effective_message else None
    await _run(update, context, Media(_media_kind(update), ref=ref))
