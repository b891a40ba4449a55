"""End to end: /forget deletes everything, /mydata shows it, retention, the first-start notice,
rating once, and logs without tokens or texts.

The real PTB Application runs against the fake Bot API. The database is inspected table by table
(listed from the database itself, so a table added later is covered too), on SQLite or on
PostgreSQL (``JOLDOSH_TEST_DB=postgres``; tests/db_inspect.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.engine import State
from bot.i18n import LANGS, format_date
from bot.logs import QUIET_LOGGERS, SecretFilter, setup_logging
from bot.privacy import Privacy
from bot.storage.postgres import is_postgres_url
from handlers import app as app_module
from handlers import privacy as privacy_module
from handlers.app import forget_inactive
from tests import db_inspect
from tests.bot_harness import RunningBot, loaded_content, running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

USER = 731942857  # long enough that finding its digits anywhere means it was kept
ACTIVE = 731942858
OPS = -1001
OPERATOR = 501
MONDAY_NOON = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # 12:00 in Almaty
TOKEN = "7012345678:AAFq3xYzW_kLm-9Pq2RsTuVwXyZ0aBcDeF"

TYPED = "Ксилофон абракадабра фиолетовый"  # matches nothing
DESCRIPTION = "Мне нужна консультация про общежитие на улице Жибек жолы"
FOLLOW_UP = "Ещё деталь: бригадира зовут Бахтияр Сейтказиев"
OPERATOR_ANSWER = "Обратитесь в центр Сарыарка, спросите Гульнару Ахметову"
NOTE = "проверить бригадира Сейтказиева"
SECRETS = (TYPED, DESCRIPTION, FOLLOW_UP, OPERATOR_ANSWER, NOTE)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_NOON)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    fake.user(ACTIVE, language_code="ky")
    fake.group(OPS, forum=True, members=[OPERATOR])
    yield fake
    assert [q.id for q in fake.queries.values() if not q.answered] == []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "joldosh.sqlite3"


def bot(fake: FakeTelegram, db: Path, clock: Clock, **overrides: Any):
    return running_bot(fake, db, REAL_CONTENT, now=clock, operators_chat_id=OPS, **overrides)


async def say(fake: FakeTelegram, bot: RunningBot, text: str, user: int = USER) -> None:
    fake.send_text(user, text)
    await bot.settle()


async def choose(fake: FakeTelegram, bot: RunningBot, data: str, user: int = USER) -> None:
    """Press the button whose callback data is (or ends with) ``data`` on the current screen."""
    msg = fake.screen(user)
    found = next((d for _, d in fake.buttons(msg) if d == data or d.endswith(data)), None)
    assert found is not None, (data, fake.buttons(msg))
    fake.press(user, msg["message_id"], found)
    await bot.settle()


async def tap(fake: FakeTelegram, bot: RunningBot, label: str, user: int = USER) -> None:
    fake.tap(user, label)
    await bot.settle()


async def full_history(fake: FakeTelegram, bot: RunningBot) -> int:
    """A menu, deadlines with reminders, an unmatched question, a case with messages both ways
    and an operator's note. Returns the case's forum topic."""
    await say(fake, bot, "/start")
    await tap(fake, bot, "Русский")
    await tap(fake, bot, "Регистрация")
    await say(fake, bot, "/reminders")
    await choose(fake, bot, "f|go")
    await choose(fake, bot, "f|cit|kg")
    await say(fake, bot, "5 ноября")
    await choose(fake, bot, "f|prev|no")
    await choose(fake, bot, "f|contract|no")
    await choose(fake, bot, "f|on")
    await say(fake, bot, TYPED)
    assert "не нашёл ответа" in fake.last(USER)["text"]
    await say(fake, bot, "/help_me")
    await tap(fake, bot, "Да, передать человеку")
    await say(fake, bot, DESCRIPTION)
    (thread,) = fake.topics(OPS)
    await say(fake, bot, FOLLOW_UP)
    fake.group_text(OPS, OPERATOR, OPERATOR_ANSWER, thread_id=thread)
    await bot.settle()
    fake.group_text(OPS, OPERATOR, f"/note {NOTE}", thread_id=thread)
    await bot.settle()
    assert OPERATOR_ANSWER in fake.last(USER)["text"]
    return thread


async def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (a separate connection: what is really in the database)."""
    return await db_inspect.dump(db)


async def traces(db: Path, user: int) -> list[str]:
    """Cells anywhere in the database that hold the user's id or one of the texts."""
    found = []
    for table, rows in (await dump(db)).items():
        for row in rows:
            for cell in row:
                value = str(cell).casefold()
                if str(user) in value or any(t.casefold() in value for t in SECRETS):
                    found.append(f"{table}: {cell!r}")
    return found


def file_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


async def test_forget_deletes_every_row_and_text_of_the_user(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with bot(fake, db, clock) as running:
        thread = await full_history(fake, running)
        before = await traces(db, USER)
        tables = {t.split(":")[0] for t in before}
        # (delivered outbox items are deleted at once, so the outbox holds nothing of them here)
        assert {"users", "reminders", "cases", "case_notes", "unmatched_texts"} <= tables
        await say(fake, running, "/forget")
        assert "Отменить это нельзя" in fake.last(USER)["text"]
        # Asking deletes nothing (it only adds: the question's own update is remembered).
        assert not Counter(before) - Counter(await traces(db, USER))
        await choose(fake, running, "x|yes")
        assert "все ваши данные удалены" in fake.last(USER)["text"]
        assert await traces(db, USER) == []
        # Nothing of theirs survives in the file either: deleted rows are overwritten (SQLite's
        # secure_delete). PostgreSQL has no such setting: a deleted row stays in its files until
        # VACUUM reuses the space, which this test cannot see from here.
        if not is_postgres_url(db_inspect.target(db)):
            raw = file_bytes(db)
            assert not [t for t in SECRETS if t.encode() in raw or t.lower().encode() in raw]
        # Only anonymous counters remain of the typed question.
        counts = (await dump(db))["unmatched_counts"]
        assert counts == [("2026-11", "ru", 1)]
        # The operators learn the case is closed, and nothing else.
        notice = texts(fake.group_messages(OPS, thread))[-1]
        assert notice == "🗑 Пользователь удалил свои данные: вопрос №1 закрыт."
        # A late answer in the old topic reaches nobody and breaks nothing.
        received = len(fake.bot_messages(USER))
        fake.group_text(OPS, OPERATOR, "Вы здесь?", thread_id=thread)
        await running.settle()
        assert len(fake.bot_messages(USER)) == received
        # No reminder is ever sent.
        clock.now = dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.UTC)
        assert await app_module.send_reminders(running.app) == 0
        # The next message starts afresh: a new user, with the privacy notice and the picker.
        await say(fake, running, "/start")
        notice, welcome = fake.bot_messages(USER)[-2:]
        assert "/mydata" in notice["text"] and "Выберите язык" in welcome["text"]
        state = await running.app.bot_data["dialogue"].state_of(USER)
        assert state.answers == () and state.handoff is None and not state.reminders
    assert [e for e in fake.errors if not e[1].startswith("Forbidden")] == []


async def test_forget_answered_no_deletes_nothing(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot(fake, db, clock) as running:
        await full_history(fake, running)

        async def snapshot() -> dict[str, list[tuple[Any, ...]]]:
            tables = await dump(db)
            tables.pop("sqlite_sequence", None)  # the outbox counts the messages just sent
            tables.pop("inbox", None)  # and the inbox remembers the two updates just processed
            # everything about the user but the last-seen time
            cols = [c for c in await db_inspect.columns(db, "users") if c != "last_seen"]
            tables["users"] = await db_inspect.rows(db, f"SELECT {', '.join(cols)} FROM users")  # noqa: S608
            return tables

        before = await snapshot()
        await say(fake, running, "/forget")
        await choose(fake, running, "x|no")
        assert "ничего не удаляю" in texts(fake.bot_messages(USER))[-2]
        assert await snapshot() == before
        assert not any("🗑" in t for t in texts(fake.group_messages(OPS)))


async def test_retention_deletes_an_inactive_user_and_keeps_an_active_one(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with bot(fake, db, clock, retention_days=180) as running:
        thread = await full_history(fake, running)
        await say(fake, running, "/start", user=ACTIVE)
        await tap(fake, running, "Кыргызча", user=ACTIVE)
        clock.advance(days=100)
        await say(fake, running, "Ксилофон жана барабан", user=ACTIVE)  # still around
        clock.advance(days=79)
        assert await forget_inactive(running.app) == 0  # 179 days: not yet
        clock.advance(days=2)
        assert await forget_inactive(running.app) == 1
        assert await traces(db, USER) == []
        assert [r[0] for r in (await dump(db))["users"]] == [ACTIVE]
        assert texts(fake.group_messages(OPS, thread))[-1].startswith("🗑 Пользователь не писал 180 дн.")
        assert "вопрос №1 закрыт" in texts(fake.group_messages(OPS, thread))[-1]
        # Typed questions older than the retention period go, whoever wrote them.
        clock.advance(days=120)
        assert await forget_inactive(running.app) == 1  # now the other user too
        assert (await dump(db))["unmatched_texts"] == [] and (await dump(db))["users"] == []


async def test_mydata_shows_what_is_stored(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot(fake, db, clock) as running:
        await full_history(fake, running)
        await say(fake, running, "/mydata")
        shown = fake.last(USER)["text"]
        for part in (
            "Что я храню о вас",
            f"Telegram ID: {USER}",
            "Язык: Русский",
            f"въезд {format_date(dt.date(2026, 11, 5), 'ru')}",
            "🇰🇬 Кыргызстан",
            format_date(dt.date(2026, 11, 27), "ru"),  # the first reminder: 7 days before 4 December
            "№1 — у оператора",
            DESCRIPTION,
            TYPED.lower(),
            "180 дней",
            "/forget",
        ):
            assert part in shown, part
        # /mydata is in the command list, in every language.
        for lang in (None, *LANGS):
            (mydata,) = [c for c in fake.commands[("default", lang)] if c["command"] == "mydata"]
            assert mydata["description"]
        assert fake.commands[("default", "uz")] != fake.commands[("default", "ru")]


async def test_mydata_of_a_new_user_and_in_every_language(db: Path) -> None:
    from bot.content.loader import ContentStore
    from bot.storage import Storage

    content = ContentStore(REAL_CONTENT, loaded_content(REAL_CONTENT))
    async with Storage(db) as storage:
        privacy = Privacy(storage, content, retention_days=30)
        for lang in LANGS:
            text = await privacy.my_data(State(user_id=5, lang=lang, lang_chosen=True, node="main"))
            assert "/forget" in text and "{" not in text and "ui." not in text, text


def test_privacy_notice_is_short_and_native_in_every_language() -> None:
    from bot.engine import privacy_notice_text

    content = loaded_content(REAL_CONTENT)
    seen = set()
    for lang in LANGS:
        assert content.word(lang, "ui.privacy_notice").lang == lang
        text = privacy_notice_text(content, lang, dt.date(2026, 11, 22), 180)
        assert len(text) < 400 and "/mydata" in text and "/forget" in text and "180" in text, (lang, text)
        seen.add(text)
    assert len(seen) == len(LANGS)


async def test_privacy_notice_only_at_the_first_start(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot(fake, db, clock) as running:
        await say(fake, running, "/start", user=ACTIVE)
        first = texts(fake.bot_messages(ACTIVE))
        assert len(first) == 2 and "/mydata" in first[0] and "/forget" in first[0]
        assert "Тилди тандаңыз" in first[1]  # the notice in the user's language, then the picker
        await tap(fake, running, "Кыргызча", user=ACTIVE)
        await say(fake, running, "/start", user=ACTIVE)
        assert sum("/mydata" in t for t in texts(fake.bot_messages(ACTIVE))) == 1


async def test_a_closed_case_is_rated_once(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    async with bot(fake, db, clock) as running:
        await say(fake, running, "/start")
        await tap(fake, running, "Русский")
        await say(fake, running, "/help_me")
        await tap(fake, running, "Да, передать человеку")
        await say(fake, running, DESCRIPTION)
        (thread,) = fake.topics(OPS)
        fake.group_text(OPS, OPERATOR, "/close", thread_id=thread)
        await running.settle()
        stars = fake.screen(USER)
        fake.press(USER, stars["message_id"], "r|1|5")
        await running.settle()
        fake.press(USER, stars["message_id"], "r|1|2")  # the same buttons again
        await running.settle()
        ratings = [t for t in texts(fake.group_messages(OPS, thread)) if "Оценка вопроса" in t]
        assert ratings == ["⭐⭐⭐⭐⭐ Оценка вопроса №1."]
        case = await running.app.bot_data["desk"].storage.get_case(1)
        assert case is not None and case.rating == 5


# --- logs ----------------------------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Collect]:
    """LOG_LEVEL=DEBUG as the bot sets it up, with a handler on the root logger."""
    root = logging.getLogger()
    saved = (root.level, {name: logging.getLogger(name).level for name in QUIET_LOGGERS})
    handler = Collect()
    root.addHandler(handler)
    setup_logging(Settings.from_env({"LOG_LEVEL": "DEBUG", "BOT_TOKEN": TOKEN}).log_level)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for h in root.handlers:
            for f in [f for f in h.filters if isinstance(f, SecretFilter)]:
                h.removeFilter(f)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


async def test_logs_carry_neither_the_token_nor_any_text(
    fake: FakeTelegram, db: Path, clock: Clock, logs: Collect
) -> None:
    secret = TOKEN.split(":")[1]
    async with bot(fake, db, clock, token=TOKEN) as running:
        await full_history(fake, running)
        await say(fake, running, "/mydata")
        await say(fake, running, "/forget")
        await choose(fake, running, "x|yes")
        # Anything that slips through with a token is masked, exceptions included.
        logging.getLogger("httpx").warning("HTTP Request: POST https://bot-api.example/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"https://bot-api.example/bot{TOKEN}/sendMessage failed")
        except RuntimeError:
            logging.getLogger("telegram.ext.Updater").exception("polling failed")
        assert any("<token>" in line for line in logs.lines)
        everything = "\n".join(logs.lines)
        assert logs.records, "the conversation logged nothing at all"
        assert secret not in everything
        leaked = [t for t in (*SECRETS, TYPED.lower()) if t in everything]
        assert leaked == []
        # An idle minute of every production job (compressed): no INFO line, no scheduler chatter.
        logs.records.clear()
        logs.lines.clear()
        jobs = [
            app_module._reload_content,
            app_module._deliver_outbox,
            app_module._sweep_cases,
            app_module._prune_inbox,
            app_module._send_reminders,
            privacy_module._forget_inactive,
        ]
        queue = running.app.job_queue
        assert queue is not None
        scheduled = [queue.run_repeating(job, interval=0.02, first=0) for job in jobs]
        await asyncio.sleep(0.4)
        for job in scheduled:
            job.schedule_removal()
        await asyncio.sleep(0.05)
        assert [line for line in logs.lines if line.startswith("INFO")] == []
        scheduler = [r for r in logs.records if r.name.startswith("apscheduler")]
        assert [r for r in scheduler if r.levelno < logging.WARNING] == []
