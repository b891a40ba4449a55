"""Carry out the engine's outputs in a Telegram chat."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.engine import Button, Output, Say, Toast
from bot.html import split_html

__all__ = ["deliver", "keyboard"]

log = logging.getLogger(__name__)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Inline keyboard whose callback_data are the engine's short action strings."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


async def _edit(query: CallbackQuery, say: Say) -> bool:
    """Replace the pressed message with ``say``. False if it must be sent anew instead."""
    try:
        await query.edit_message_text(
            say.text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(say.buttons),
            disable_web_page_preview=True,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True
        log.info("cannot edit message, sending a new one: %s", exc.message)
        return False
    return True


async def deliver(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    outputs: list[Output],
    query: CallbackQuery | None = None,
) -> None:
    """Send ``outputs`` to ``chat_id``; answer ``query`` exactly once if there is one."""
    toast = next((o.text for o in outputs if isinstance(o, Toast)), None)
    if query is not None:
        try:
            await query.answer(toast[:200] if toast else None)
        except BadRequest as exc:  # the query is too old: nothing to answer any more
            log.info("callback query not answered: %s", exc.message)
    may_edit = query is not None and query.message is not None
    try:
        for out in outputs:
            if not isinstance(out, Say):
                continue
            parts = split_html(out.text)
            if out.replace and may_edit and len(parts) == 1 and await _edit(query, out):  # type: ignore[arg-type]
                may_edit = False
                continue
            may_edit = False
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                await context.bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(out.buttons) if last else None,
                    disable_web_page_preview=True,
                )
    except Forbidden as exc:
        log.info("chat %s cannot be reached (%s); dropping the reply", chat_id, exc.message)
