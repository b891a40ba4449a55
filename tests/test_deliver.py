"""handlers/deliver.py: which outbox items a press and its outputs become (issue 16: one per press)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, User

from bot.claims.render import File
from bot.engine import Button, Say, Toast
from handlers.deliver import queue_outputs

USER = User(7, "Test", False)
CHAT = Chat(7, "private")


class Recorder:
    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []

    async def send_later(self, chat_id: int, kind: str, payload: dict[str, Any]) -> None:
        assert chat_id == 7
        self.items.append((kind, payload))


def _query(text: str = "Меню", buttons: tuple[tuple[Button, ...], ...] = ()) -> CallbackQuery:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )
    message = Message(5, dt.datetime(2026, 12, 5), CHAT, text=text, reply_markup=markup)
    return CallbackQuery("q1", USER, "ci", message=message, data="x")


async def test_a_press_edits_with_its_answer_in_one_item() -> None:
    rec = Recorder()
    screen = Say("<b>Регистрация</b>", ((Button("Назад", "b"),),), replace=True)
    await queue_outputs(rec, 7, [Toast("Готово"), screen], _query())  # type: ignore[arg-type]
    assert rec.items == [
        (
            "say",
            {
                "text": "<b>Регистрация</b>",
                "buttons": [[["Назад", "b"]]],
                "edit": 5,
                "answer": {"query_id": "q1", "text": "Готово"},
            },
        )
    ]


async def test_the_answer_goes_alone_when_no_screen_comes_first() -> None:
    # The same screen again: nothing to edit, the answer alone.
    rec = Recorder()
    buttons = ((Button("Назад", "b"),),)
    await queue_outputs(rec, 7, [Say("Меню", buttons, replace=True)], _query("Меню", buttons))  # type: ignore[arg-type]
    assert rec.items == [("answer", {"query_id": "q1"})]
    # A document first: answered before it, on its own.
    rec = Recorder()
    document = File("claim.pdf", b"%PDF", "application/pdf", "Ваше заявление")
    await queue_outputs(rec, 7, [document, Say("Готово")], _query())  # type: ignore[arg-type]
    assert [kind for kind, _ in rec.items] == ["answer", "document", "say"]
    assert "answer" not in rec.items[2][1]
    # No press (a typed message): no answer anywhere.
    rec = Recorder()
    await queue_outputs(rec, 7, [Say("Ответ")], None)  # type: ignore[arg-type]
    assert rec.items == [("say", {"text": "Ответ", "buttons": []})]
