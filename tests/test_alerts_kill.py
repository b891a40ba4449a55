"""A law-change alert survives a kill half-way through sending: a real ``python -m bot run`` process.

Watchers ask through the real bot (deep link, language, "🔔"). Then the bot is stopped, an editor
marks a change whose day has come, and the bot is started again: it announces the change on start
and sends the alerts, paced. The fake Bot API (served over loopback HTTP, as in tests/test_kill.py)
holds one alert call in the middle unanswered, and the process is SIGKILLed right then. After a
restart the rest go out: every watcher gets exactly one alert, in their language, whose button opens
the updated answer; the one who did not ask gets none; another restart sends nothing again.

The held call is one Telegram never carried out, so nobody may get the alert twice. (A kill just
after Telegram carried a call out, before the bot wrote that down, would repeat that one alert: the
outbox delivers at least once, see docs/RELIABILITY.md.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.content.loader import load_content
from bot.engine import screen
from bot.hours import KZ_TZ
from bot.html import to_plain
from tests.alert_content import WHAT, copy_content, mark_change
from tests.fake_api import ApiError, FakeTelegram
from tests.fake_server import serve
from tests.test_kill import Bot, until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

RU, KY, UZ = 11, 12, 13
LANGS = ("ru", "ky", "uz", "kk")
LANGUAGE_LABEL = {"ru": "Русский", "ky": "Кыргызча", "uz": "Oʻzbekcha", "kk": "Қазақша"}
#: Everyone who asks: the Russian and Kyrgyz users, and 22 more in the four languages.
WATCHERS = {RU: "ru", KY: "ky", **{200 + i: LANGS[i % 4] for i in range(22)}}
HOLD_AT = 12  # the alert call held unanswered when the process is killed: half-way


class HeldTelegram(FakeTelegram):
    """The fake Bot API, able to hold the Nth alert call unanswered (and not carried out)."""

    def __init__(self) -> None:
        super().__init__()
        self.hold_at: int | None = None
        self.alert_calls = 0
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # type: ignore[override]
        if self.hold_at is not None and str(params.get("text", "")).startswith("🔔"):
            self.alert_calls += 1
            if self.alert_calls == self.hold_at:
                self.holding.set()
                await self.release.wait()
                raise ApiError(502, "Bad Gateway")  # the caller is dead by now: nobody reads this
        return super()._api_sendMessage(params)


def alerts(fake: FakeTelegram, user: int) -> list[dict[str, Any]]:
    return [m for m in fake.sent if m["chat_id"] == user and m.get("text", "").startswith("🔔")]


def buttons_of(fake: FakeTelegram, user: int) -> list[tuple[str, str]]:
    try:
        return fake.buttons(fake.screen(user))
    except AssertionError:
        return []


def pending(db: Path) -> int:
    """Outbox items not delivered yet (read from the bot's database by a second connection)."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed IS NULL"
        ).fetchone()[0]


async def test_an_alert_survives_a_kill_half_way_and_nobody_gets_it_twice(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    db = tmp_path / "db.sqlite3"
    fake = HeldTelegram()
    users = {**WATCHERS, UZ: "uz"}
    for user, lang in users.items():
        fake.user(user, language_code=lang)
    async with serve(fake) as base_url:
        bot = Bot(base_url, db, tmp_path / "bot.log")
        bot.env["CONTENT_DIR"] = str(content)
        bot.env.pop("OPERATORS_CHAT_ID")
        await bot.start()
        try:
            # Everyone opens registration by its deep link and picks a language; the watchers ask.
            for user in users:
                fake.send_text(user, "/start registration")
            for user, lang in users.items():
                await until(
                    lambda u=user, la=lang: LANGUAGE_LABEL[la] in str(buttons_of(fake, u)), 60, "picker"
                )
                fake.tap(user, LANGUAGE_LABEL[lang])
            for user in WATCHERS:
                await until(lambda u=user: "w|reg|on" in str(buttons_of(fake, u)), 30, "the bell")
                msg = fake.screen(user)
                fake.press(user, msg["message_id"], "w|reg|on")
            for user in WATCHERS:
                await until(lambda u=user: "w|reg|off" in str(buttons_of(fake, u)), 30, "the watch")
            await until(lambda: "w|reg|on" in str(buttons_of(fake, UZ)), 30, "the Uzbek screen")
            await bot.stop()

            # An editor marks a change whose day has come; the bot announces it when it starts.
            mark_change(content, "registration", "reg_kg", "reg-online", dt.date(2020, 1, 1))
            fake.hold_at = HOLD_AT
            await bot.start()
            await asyncio.wait_for(fake.holding.wait(), 60)
            await bot.kill()  # half-way: one alert call in flight, the rest still queued
            fake.release.set()
            sent_before = sum(len(alerts(fake, u)) for u in WATCHERS)
            assert sent_before == HOLD_AT - 1

            fake.hold_at = None
            await bot.start()
            await until(lambda: all(alerts(fake, u) for u in WATCHERS), 60, "every alert")
            await until(lambda: pending(db) == 0, 30, "an empty outbox")

            # The button of the Kyrgyz user's alert opens the updated answer.
            (alert,) = alerts(fake, KY)
            ((_, data),) = fake.buttons(alert)
            fake.press(KY, alert["message_id"], data)
            ky_answer = to_plain(
                screen(load_content(content), "ky", "reg_kg", dt.datetime.now(KZ_TZ).date())[0].text
            )
            shown = fake.chats[KY].messages
            await until(lambda: shown[alert["message_id"]]["text"] == ky_answer, 30, "the updated answer")

            # One more restart sends nothing again.
            await bot.stop()
            await bot.start()
            before = len(fake.bot_messages(UZ))
            fake.send_text(UZ, "/menu")  # the restarted bot is up and working
            await until(lambda: len(fake.bot_messages(UZ)) > before, 30, "the menu")
            await until(lambda: pending(db) == 0, 30, "an empty outbox")
        finally:
            await bot.stop()

    received = {u: len(alerts(fake, u)) for u in WATCHERS}
    assert received == dict.fromkeys(WATCHERS, 1), received  # nobody twice, nobody missed
    assert alerts(fake, UZ) == []
    for user, lang in WATCHERS.items():
        assert WHAT[lang] in alerts(fake, user)[0]["text"], (user, lang)
    refused = [e for e in fake.errors if e != ("sendMessage", "Bad Gateway")]
    assert refused == [], refused
