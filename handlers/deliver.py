"""Turn the engine's outputs into outbox items for a Telegram chat (sent by the courier).

Nothing here talks to Telegram: the items are written in the same transaction as the update's
other effects, so an answer that was decided is never lost, and sending never holds up processing.
Each item is one Bot API call (edit the pressed message, send one message part), so a retry after a
crash repeats at most the one call that was in flight. The answer to a pressed button rides in the
first screen's item (``answer`` in its payload): the courier answers, then edits or sends, and marks
the one item delivered. A press costs one item instead of two (issue 16). A retried item does not
answer again (the courier remembers; after a restart Telegram refuses the repeat, which is
ignored); with no screen to show, or a document first, the answer is an item of its own.
"""

from __future__ import annotations

import base64

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.claims.render import File
from bot.engine import Button, Output, Say, Toast
from bot.html import split_html, to_plain
from bot.storage import Storage

__all__ = ["keyboard", "queue_outputs", "rows_of"]

#: Telegram's limit for the text of a callback answer (a "toast").
TOAST_LIMIT = 200


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Inline keyboard whose callback_data are the engine's short action strings."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def rows_of(buttons: tuple[tuple[Button, ...], ...]) -> list[list[list[str]]]:
    """Buttons as JSON-friendly [[label, data], ...] rows."""
    return [[[b.label, b.data] for b in row] for row in buttons]


def _same_screen(query: CallbackQuery, say: Say) -> bool:
    """True if the pressed message already shows ``say``: editing it would be refused."""
    message = query.message
    if message is None or not hasattr(message, "text"):
        return False
    markup = getattr(message, "reply_markup", None)
    shown = [[[b.text, b.callback_data] for b in row] for row in markup.inline_keyboard] if markup else []
    return (message.text or "") == to_plain(say.text) and shown == rows_of(say.buttons)


async def queue_outputs(
    storage: Storage,
    chat_id: int,
    outputs: list[Output | File],
    query: CallbackQuery | None = None,
) -> None:
    """Queue ``outputs`` for ``chat_id``; answer ``query`` exactly once if there is one."""
    items: list[tuple[str, dict[str, object]]] = []
    may_edit = query is not None and query.message is not None and hasattr(query.message, "text")
    for out in outputs:
        if isinstance(out, File):  # a document the bot made (wage claims): uploaded by the courier
            may_edit = False
            payload = {"file": base64.b64encode(out.data).decode("ascii"), "name": out.name, "mime": out.mime}
            items.append(("document", {**payload, "caption": out.caption}))
            continue
        if not isinstance(out, Say):
            continue
        parts = split_html(out.text)
        if out.replace and may_edit and len(parts) == 1:
            assert query is not None and query.message is not None
            may_edit = False
            if _same_screen(query, out):
                continue  # "message is not modified" is avoided, not caught
            edit = {"text": out.text, "buttons": rows_of(out.buttons), "edit": query.message.message_id}
            items.append(("say", edit))
            continue
        may_edit = False
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            items.append(("say", {"text": part, "buttons": rows_of(out.buttons) if last else []}))
    if query is not None:
        answer: dict[str, object] = {"query_id": query.id}
        toast = next((o.text for o in outputs if isinstance(o, Toast)), None)
        if toast:
            answer["text"] = toast[:TOAST_LIMIT]
        if items and items[0][0] == "say":
            items[0][1]["answer"] = answer  # answered first, with the screen (one item, not two)
        else:
            items.insert(0, ("answer", answer))
    for kind, payload in items:
        await storage.send_later(chat_id, kind, payload)
