"""Telegram side of privacy: the daily retention sweep.

Deleting is done by :class:`bot.privacy.Privacy`, which also queues its notices for the operators
("the user deleted their data; case N closed") in the outbox, in the same transaction; the courier
delivers them like every other message.
"""

from __future__ import annotations

from telegram.ext import Application, ContextTypes

from bot.privacy import Privacy

__all__ = ["PRIVACY_KEY", "RETENTION_SECONDS", "forget_inactive"]

PRIVACY_KEY = "privacy"
#: How often users gone quiet for RETENTION_DAYS are looked for (once a day is enough).
RETENTION_SECONDS = 24 * 3600.0


async def forget_inactive(app: Application) -> int:
    """Delete the data of users silent for RETENTION_DAYS (as /forget does); tell the operators."""
    privacy: Privacy = app.bot_data[PRIVACY_KEY]
    deleted = await privacy.forget_inactive()
    await app.bot_data["courier"].flush()
    return deleted


async def _forget_inactive(context: ContextTypes.DEFAULT_TYPE) -> None:
    await forget_inactive(context.application)
