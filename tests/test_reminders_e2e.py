"""End to end: "my deadlines" in every language, and reminders sent at the right time, once.

The bot runs against the fake Bot API with a controllable clock; reminders are sent by the same
function the JobQueue job calls (``send_reminders``), so each sweep is explicit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import LANGS, format_date
from handlers.app import send_reminders
from tests.bot_harness import RunningBot, running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

USER = 7
TODAY = dt.date(2026, 11, 22)
NOON = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)  # 12:00 in Almaty
ENTRY = {"ru": "5 ноября", "ky": "5-ноябрь", "uz": "5-noyabr", "kk": "5 қараша"}
LANGUAGE_LABEL = {"ru": "Русский", "ky": "Кыргызча", "uz": "Oʻzbekcha", "kk": "Қазақша"}


class Clock:
    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, day: dt.date, hour_utc: int) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour_utc), tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    yield fake
    assert [q.id for q in fake.queries.values() if not q.answered] == []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "joldosh.sqlite3"


def bot_with(fake: FakeTelegram, db: Path, clock: Clock):
    return running_bot(fake, db, REAL_CONTENT, today=TODAY, now=clock)


async def choose(fake: FakeTelegram, bot: RunningBot, data: str) -> None:
    """Press the button whose callback data is (or ends with) ``data`` on the current screen."""
    msg = fake.screen(USER)
    found = next((d for _, d in fake.buttons(msg) if d == data or d.endswith(data)), None)
    assert found is not None, (data, fake.buttons(msg))
    fake.press(USER, msg["message_id"], found)
    await bot.settle()


async def answer(fake: FakeTelegram, bot: RunningBot, text: str) -> None:
    fake.send_text(USER, text)
    await bot.settle()


async def fill_in(fake: FakeTelegram, bot: RunningBot, lang: str = "ru") -> None:
    """A Kyrgyz worker without a contract, entered on 5 November, no earlier stays."""
    await answer(fake, bot, "/start")
    fake.tap(USER, LANGUAGE_LABEL[lang])
    await bot.settle()
    await choose(fake, bot, "|main|dl")
    await choose(fake, bot, "f|go")
    await choose(fake, bot, "f|cit|kg")
    await answer(fake, bot, ENTRY[lang])
    await choose(fake, bot, "f|prev|no")
    await choose(fake, bot, "f|contract|no")


def reminders_received(fake: FakeTelegram) -> list[str]:
    return [m["text"] for m in fake.bot_messages(USER) if m.get("text", "").startswith("⏰")]


@pytest.mark.parametrize("lang", LANGS)
async def test_dates_typed_in_each_language_give_the_deadlines(
    fake: FakeTelegram, db: Path, clock: Clock, lang: str
) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot, lang)
        results = fake.last(USER)["text"]
        # Registration by day 30 (4 December); 90 in 180 up to 2 February 2027.
        assert format_date(dt.date(2026, 12, 4), lang) in results
        assert format_date(dt.date(2027, 2, 2), lang) in results
        assert "egov.kz" in results and "1414" in results
    assert fake.errors == []


async def test_unreadable_and_future_dates_are_asked_again(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with bot_with(fake, db, clock) as bot:
        await answer(fake, bot, "/start")
        fake.tap(USER, "Русский")
        await bot.settle()
        await answer(fake, bot, "/reminders")
        await choose(fake, bot, "f|go")
        await choose(fake, bot, "f|cit|uz")
        await answer(fake, bot, "когда-то весной")
        assert "Не понял дату" in fake.last(USER)["text"]
        await answer(fake, bot, "01.01.2027")
        assert "ещё не наступила" in fake.last(USER)["text"]
        await answer(fake, bot, "05.11.2026")
        assert "180" in fake.last(USER)["text"]  # the next question
    assert fake.errors == []


async def test_reminder_arrives_at_the_right_time_and_only_once(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
        assert "Напоминания включены" in fake.last(USER)["text"]
        assert await send_reminders(bot.app) == 0
        clock.at(dt.date(2026, 11, 27), 4)  # 09:00 in Almaty, 7 days before 4 December
        assert await send_reminders(bot.app) == 0
        clock.at(dt.date(2026, 11, 27), 5)  # 10:00 in Almaty
        assert await send_reminders(bot.app) == 1
        assert await send_reminders(bot.app) == 0  # never twice
        (text,) = reminders_received(fake)
        assert format_date(dt.date(2026, 12, 4), "ru") in text and "8 дней" in text
        # The reminder's button opens "my deadlines".
        await choose(fake, bot, "f|show")
        assert "Ваши сроки" in fake.last(USER)["text"]
    assert fake.errors == []


async def test_cancelled_reminders_are_not_sent(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
        await answer(fake, bot, "/reminders")
        await choose(fake, bot, "f|off")
        assert "выключены" in fake.last(USER)["text"]
        clock.at(dt.date(2026, 11, 27), 5)
        assert await send_reminders(bot.app) == 0
        assert reminders_received(fake) == []


async def test_restart_between_scheduling_and_delivery(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
    clock.at(dt.date(2026, 11, 27), 5)
    async with bot_with(fake, db, clock) as bot:
        assert await send_reminders(bot.app) == 1
        assert await send_reminders(bot.app) == 0
    assert len(reminders_received(fake)) == 1


async def test_late_reminders_after_downtime(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
        # The bot was down from 26 November to 3 December: the 7-, 3- and 1-day reminders of
        # 4 December are all due; only the most recent one is still worth sending.
        clock.at(dt.date(2026, 12, 3), 6)
        assert await send_reminders(bot.app) == 1
        (text,) = reminders_received(fake)
        assert "2 дня" in text
        # Down again until after the deadline: that reminder is dropped, not sent late.
        clock.at(dt.date(2026, 12, 5), 6)
        assert await send_reminders(bot.app) == 0
        assert len(reminders_received(fake)) == 1


async def test_blocked_user_gets_nothing_and_nothing_breaks(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
        fake.block(USER)
        clock.at(dt.date(2026, 11, 27), 5)
        assert await send_reminders(bot.app) == 1  # queued; delivery finds the user gone
        assert reminders_received(fake) == []
        storage = bot.app.bot_data["reminders"].storage
        assert await storage.is_blocked(USER)
        attempts = len(fake.errors)
        clock.at(dt.date(2026, 12, 3), 6)
        assert await send_reminders(bot.app) == 0
        assert len(fake.errors) == attempts  # no more tries at a user who blocked the bot
        rows = await storage.reminders_of(USER)
        assert rows and all(r[5] is not None or r[6] is not None for r in rows if r[2] <= "2026-12-04")


async def test_forget_deletes_answers_and_reminders(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot)
        await choose(fake, bot, "f|on")
        await answer(fake, bot, "/forget")
        await choose(fake, bot, "x|yes")
        assert any("удалены" in m.get("text", "") for m in fake.bot_messages(USER))
        storage = bot.app.bot_data["reminders"].storage
        assert await storage.reminders_of(USER) == []
        clock.at(dt.date(2026, 11, 27), 5)
        assert await send_reminders(bot.app) == 0
    assert fake.errors == []
