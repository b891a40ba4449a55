"""The intake writes down Telegram's own JSON of an update (handlers/intake.py, RawUpdates)."""

from __future__ import annotations

import json
from pathlib import Path

from telegram import Update
from telegram.request import HTTPXRequest

from handlers.intake import RawUpdates
from tests.bot_harness import running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram


def test_payload_is_telegrams_json_or_the_parsed_update() -> None:
    raw = RawUpdates()
    request = HTTPXRequest()
    raw.watch(request)
    sent = {
        "update_id": 5,
        "message": {
            "message_id": 1, "date": 1_700_000_000, "text": "салам", "unknown_field": [1],
            "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": False, "first_name": "A"},
        },
    }  # fmt: skip
    answer = json.dumps({"ok": True, "result": [sent]}).encode()
    data = request.parse_json_payload(answer)  # what PTB does with getUpdates' answer
    assert data["result"] == [sent]
    update = Update.de_json(data["result"][0], None)
    assert json.loads(raw.payload(update)) == sent  # exactly Telegram's, unknown fields too
    # Not seen in getUpdates (a webhook update, or a second time): serialised from the object.
    again = json.loads(raw.payload(update))
    assert again == update.to_dict() and Update.de_json(again, None) == update
    assert raw.by_id == {}


async def test_the_bot_stores_what_telegram_sent(tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.user(7, language_code="ky")
    async with running_bot(fake, tmp_path / "db.sqlite3", REAL_CONTENT) as bot:
        raw = bot.app.bot_data["intake"].raw
        stored: list[str] = []
        payload = raw.payload
        raw.payload = lambda update: stored.append(payload(update)) or stored[-1]  # type: ignore[method-assign]
        fake.send_text(7, "/start")
        await bot.settle()
        assert json.loads(stored[0]) == fake.updates[0]  # the fake's JSON, as Telegram sent it
        assert fake.screen(7)["reply_markup"]  # and the bot answered from it
        assert raw.by_id == {}
