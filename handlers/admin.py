"""Admins' commands in a private chat: /reload (publish the content now) and /preview LANG.

Admins are the Telegram user ids in ``ADMIN_IDS``. For anyone else these commands do not exist:
they get the same answer as any unknown command.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.engine import Preview
from bot.publish import Publisher
from handlers.dialogue import _run as run_event
from handlers.dialogue import on_command
from handlers.operators import SETTINGS_KEY

__all__ = ["ADMIN_COMMANDS", "PUBLISHER_KEY", "on_admin_command"]

#: Commands only admins have (in a private chat with the bot).
ADMIN_COMMANDS = ("reload", "preview")
#: Where the application keeps the :class:`Publisher` (in ``bot_data``).
PUBLISHER_KEY = "publisher"


def is_admin(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    settings: Settings = context.application.bot_data[SETTINGS_KEY]
    return user_id in settings.admin_ids


async def on_admin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: reload now and answer with the report. /preview LANG|off: the picker offers LANG."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or not is_admin(context, user.id):
        await on_command(update, context)  # the normal answer to an unknown command
        return
    name = (message.text or "/").split()[0][1:].split("@")[0].lower()
    if name == "reload":
        publisher: Publisher = context.application.bot_data[PUBLISHER_KEY]
        # Queued in this update's transaction: every admin if the outcome is new, and this one.
        await publisher.reload(requested_by=chat.id)
    else:
        await run_event(update, context, Preview(context.args[0] if context.args else ""))
