"""Telegram side of privacy: notices to the operators' group and the daily retention sweep.

Deleting is done by :class:`bot.privacy.Privacy`; this module sends its notices ("the user
deleted their data; case N closed") to the case's topic, or to the group when the topic is gone.
A notice is removed once Telegram accepts it; network errors leave it for the next try.
"""

from __future__ import annotations

import logging

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.privacy import Privacy
from handlers.operators import SETTINGS_KEY

__all__ = ["PRIVACY_KEY", "RETENTION_SECONDS", "NOTICE_SECONDS", "forget_inactive", "send_ops_notices"]

log = logging.getLogger(__name__)

PRIVACY_KEY = "privacy"
#: How often users gone quiet for RETENTION_DAYS are looked for (once a day is enough).
RETENTION_SECONDS = 24 * 3600.0
#: How often notices Telegram did not take at once are tried again.
NOTICE_SECONDS = 60.0


async def send_ops_notices(app: Application) -> int:
    """Deliver waiting notices to the operators' group; return how many were sent."""
    privacy: Privacy | None = app.bot_data.get(PRIVACY_KEY)
    settings: Settings | None = app.bot_data.get(SETTINGS_KEY)
    if privacy is None or settings is None or not privacy.notices_pending:
        return 0
    chat = settings.operators_chat_id
    if chat is None:
        return 0  # kept until a group is configured
    sent = 0
    for notice in await privacy.notices():
        where = {"message_thread_id": notice.thread_id} if notice.thread_id else {}
        try:
            try:
                await app.bot.send_message(chat, notice.text, parse_mode=ParseMode.HTML, **where)
            except BadRequest as exc:
                if not where:
                    raise
                log.info("case %s: topic gone, notice sent to the group (%s)", notice.case_id, exc.message)
                await app.bot.send_message(chat, notice.text, parse_mode=ParseMode.HTML)
        except BadRequest as exc:
            log.error("notice about case %s refused: %s", notice.case_id, exc.message)
        except Forbidden as exc:
            log.error("the bot cannot write to the operators' group: %s", exc.message)
            return sent
        except TelegramError as exc:
            log.warning("notice about case %s not sent yet: %s", notice.case_id, exc)
            return sent
        await privacy.notice_sent(notice.id)
        sent += 1
    privacy.notices_pending = False
    return sent


async def queue_ops_notices(app: Application) -> int:
    """Move waiting notices into the outbox (inside the current update's transaction)."""
    privacy: Privacy | None = app.bot_data.get(PRIVACY_KEY)
    if privacy is None or not privacy.notices_pending:
        return 0
    queued = 0
    for notice in await privacy.notices():
        await privacy.storage.ops_later("group", {"text": notice.text, "thread": notice.thread_id})
        await privacy.notice_sent(notice.id)
        queued += 1
    privacy.notices_pending = False
    return queued


async def forget_inactive(app: Application) -> int:
    """Delete the data of users silent for RETENTION_DAYS (as /forget does); tell the operators."""
    privacy: Privacy = app.bot_data[PRIVACY_KEY]
    deleted = await privacy.forget_inactive()
    await send_ops_notices(app)
    return deleted


async def _forget_inactive(context: ContextTypes.DEFAULT_TYPE) -> None:
    await forget_inactive(context.application)


async def _send_ops_notices(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_ops_notices(context.application)
