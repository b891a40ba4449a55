"""The weekly report for managers: exact figures from a seeded database, a valid PNG, the caption,
the command line, and the Monday job sending one photo to each admin through the fake Bot API, once,
also across a crash between queueing and sending."""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.request import HTTPXRequest

from bot.__main__ import main as cli
from bot.config import Settings
from bot.content.loader import ContentStore
from bot.content.model import Content
from bot.hours import KZ_TZ
from bot.report import (
    CAPTION_LIMIT,
    WeekFigures,
    caption_text,
    due_week,
    parse_week,
    png_bytes,
    queue_weekly_report,
    render_png,
    summary_lines,
    visible_length,
    weekly_figures,
)
from bot.storage import Step, Storage
from handlers.app import build_application
from handlers.report import MONDAY, send_weekly_report
from tests import db_inspect
from tests.bot_harness import TOKEN, RunningBot, loaded_content, running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

WEEK = "2026-W49"  # Monday 30 November - Sunday 6 December 2026


def kz(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    """A moment in Kazakhstan time (UTC+5), 2026."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=KZ_TZ)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, when: dt.datetime) -> None:
        self.now = when.astimezone(dt.UTC)

    def advance(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def content() -> Content:
    return loaded_content(REAL_CONTENT)


# --- weeks ---------------------------------------------------------------------------------------


def test_weeks_are_read_strictly() -> None:
    assert parse_week("2026-W49") == dt.date(2026, 11, 30)
    assert parse_week("2021-W01") == dt.date(2021, 1, 4)
    assert parse_week("2020-W53") == dt.date(2020, 12, 28)
    for bad in ("2026-W54", "2025-W53", "2026-49", "2026-W9", "W49", "", "2026-W00"):
        with pytest.raises(ValueError, match="2026-W49|has no week"):
            parse_week(bad)


def test_the_report_due_is_last_weeks_from_monday_nine_in_almaty() -> None:
    # Monday 7 December 2026: W49's report is due at 09:00 Almaty (04:00 UTC), not a minute before.
    assert due_week(kz(7, 8, 59)) == "2026-W48"
    assert due_week(kz(7, 9, 0)) == "2026-W49"
    assert due_week(dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)) == "2026-W49"
    assert due_week(kz(13, 23, 59)) == "2026-W49"  # all that week, up to next Monday 09:00
    assert due_week(kz(4, 9, 0, month=1).replace(year=2027)) == "2026-W53"


# --- figures from a seeded database --------------------------------------------------------------


async def seed(store: Storage, clock: Clock) -> None:
    """Cases, usage and unmatched questions at known times around week 2026-W49."""

    async def case(at: dt.datetime, topic: str, lang: str, user: int) -> int:
        clock.at(at)
        return await store.create_case(
            user_id=user, lang=lang, citizenship=None, topic=topic, path=("main", "person"),
            urgent=False, description="…", kind="text", outbox=[],
        )  # fmt: skip

    async def claim(case_id: int, at: dt.datetime) -> None:
        clock.at(at)
        assert await store.claim(case_id, 501, "Оператор")

    async def reply(case_id: int, at: dt.datetime) -> None:
        clock.at(at)
        assert await store.mark_first_reply(case_id)

    async def close(case_id: int, at: dt.datetime, by: str = "operator") -> None:
        clock.at(at)
        assert await store.close_case(case_id, by)

    # A: opened the Sunday before the week, answered and closed on its Monday, rated 5.
    a = await case(kz(29, 23, 30, month=11), "wages", "ru", 1)
    await claim(a, kz(30, 0, 10, month=11))
    await reply(a, kz(30, 0, 20, month=11))  # 50 minutes
    await close(a, kz(30, 10, month=11))
    assert await store.rate(a, 1, 5)
    # B: Monday, answered in 15 minutes, closed on Tuesday, rated 4.
    b = await case(kz(30, 10, month=11), "wages", "ky", 2)
    await claim(b, kz(30, 10, 5, month=11))
    await reply(b, kz(30, 10, 15, month=11))
    await close(b, kz(1, 12))
    assert await store.rate(b, 2, 4)
    # C: Wednesday 02:00 in Almaty is still Tuesday in UTC; the first answer claims it (30 min).
    c = await case(kz(2, 2), "registration", "uz", 3)
    await claim(c, kz(2, 2, 30))
    await reply(c, kz(2, 2, 30))
    # G: Thursday, 12 minutes, closed, rated 5; a second answer changes nothing.
    g = await case(kz(3, 11), "wages", "ky", 4)
    await claim(g, kz(3, 11, 2))
    await reply(g, kz(3, 11, 12))
    clock.at(kz(3, 11, 40))
    assert not await store.mark_first_reply(g)
    await close(g, kz(3, 15))
    assert await store.rate(g, 4, 5)
    # E: Saturday, closed by the user before any answer, not rated.
    e = await case(kz(5, 12), "urgent", "ky", 5)
    await close(e, kz(5, 12, 30), by="user")
    # D: Sunday late, answered only next Monday: unanswered by the week's end.
    d = await case(kz(6, 23), "wages", "ru", 6)
    await claim(d, kz(7, 9, 10))
    await reply(d, kz(7, 9, 10))
    # F: next week: not in this report at all.
    await case(kz(7, 8), "police", "kk", 7)

    # Usage: inside the week, and on the days just before and after it.
    async def visits(day: str, node: str, times: int, lang: str = "ru") -> None:
        for _ in range(times):
            await store.count_step(99, Step(day=day, lang=lang, old=None, new=node))

    await visits("2026-11-30", "main", 3)
    await visits("2026-12-02", "main", 2, "ky")
    await visits("2026-11-29", "main", 50)
    await visits("2026-12-01", "pay", 7)
    await visits("2026-12-06", "reg", 3)
    await visits("2026-12-07", "sos", 100)
    for i in range(1, 10):
        await visits("2026-12-04", f"a{i}", 1)

    # Typed questions nothing matched: digits are masked, so these three are one question.
    for text, at in (
        ("Патент на 3 месяца", kz(1, 9)),
        ("патент на 12 месяца", kz(2, 9)),
        ("патент на 6 месяца", kz(6, 23, 59)),
        ("позвоните 87011234567", kz(3, 9)),
        ("старый вопрос", kz(29, 23, month=11)),
        ("старый вопрос", kz(29, 23, month=11)),
        ("новый вопрос", kz(7, 0)),
    ):
        clock.at(at)
        await store.record_unmatched(text, "ru", user_id=42)
    clock.at(kz(4, 10))
    await store.record_unmatched("банк карта ачса болобу", "ky", user_id=43)


@pytest.fixture
async def seeded() -> Any:
    clock = Clock(kz(1, 0, month=11))
    async with Storage(":memory:", clock=clock) as store:
        await seed(store, clock)
        yield store


async def test_figures_from_a_seeded_database_are_exact(seeded: Storage) -> None:
    figs = await weekly_figures(seeded, WEEK)
    assert figs.week == WEEK
    assert figs.days[0] == dt.date(2026, 11, 30) and figs.days[-1] == dt.date(2026, 12, 6)
    assert figs.opened == (1, 0, 1, 1, 0, 1, 1)  # B Mon, C Wed (Almaty), G Thu, E Sat, D Sun
    assert figs.claimed == (2, 0, 1, 1, 0, 0, 0)  # A and B Mon, C Wed, G Thu
    assert figs.closed == (1, 1, 0, 1, 0, 1, 0)  # A Mon, B Tue, G Thu, E Sat
    assert figs.first_replies == 4  # A 50, B 15, C 30, G 12 minutes
    assert figs.median_first_reply == 22.5
    assert figs.unanswered == 2  # E (closed unanswered) and D (answered next week)
    assert figs.ratings == (0, 0, 0, 1, 2)
    assert figs.rating_count == 3 and figs.rating_average == pytest.approx(14 / 3)
    assert figs.topics == (("wages", 3), ("registration", 1), ("urgent", 1))
    assert figs.langs == (("ky", 3), ("ru", 1), ("uz", 1))
    assert figs.screens == (
        ("pay", 7), ("main", 5), ("reg", 3),
        ("a1", 1), ("a2", 1), ("a3", 1), ("a4", 1), ("a5", 1), ("a6", 1), ("a7", 1),
    )  # fmt: skip
    assert figs.unmatched == (
        ("патент на # месяца", "ru", 3),
        ("банк карта ачса болобу", "ky", 1),
        ("позвоните #", "ru", 1),
    )
    assert figs.unmatched_total == 5


async def test_an_empty_week_has_zeros(seeded: Storage, content: Content) -> None:
    figs = await weekly_figures(seeded, "2026-W40")
    assert figs.opened == figs.claimed == figs.closed == (0,) * 7
    assert figs.median_first_reply is None and figs.rating_average is None
    assert figs.topics == figs.langs == figs.screens == figs.unmatched == ()
    lines = summary_lines(figs, content)
    assert "Первых ответов операторов за неделю не было." in lines
    assert "Оценок за неделю нет." in lines
    assert_png(png_bytes(figs, content))


# --- the picture and the lines -------------------------------------------------------------------


def assert_png(data: bytes) -> tuple[int, int]:
    """A whole, valid PNG (signature, every chunk's CRC, IHDR first, IEND last); its size."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        crc = int.from_bytes(data[pos + 8 + length : pos + 12 + length], "big")
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        pos += 12 + length
    assert pos == len(data)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    width, height = int.from_bytes(chunks[0][1][:4], "big"), int.from_bytes(chunks[0][1][4:8], "big")
    assert len(pixels) > width * height  # every row is there
    return width, height


async def test_the_png_is_valid_and_of_sane_size(seeded: Storage, content: Content, tmp_path: Path) -> None:
    figs = await weekly_figures(seeded, WEEK)
    path = render_png(figs, tmp_path / "out" / "report.png", content)
    data = path.read_bytes()
    assert assert_png(data) == (1400, 1500)
    assert 30_000 < len(data) < 600_000
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


async def test_the_lines_say_it_in_russian_without_user_ids(seeded: Storage, content: Content) -> None:
    figs = await weekly_figures(seeded, WEEK)
    lines = summary_lines(figs, content)
    assert lines[:6] == [
        "📊 <b>Отчёт за неделю 2026-W49</b> (30.11 – 06.12.2026)",
        "Вопросы операторам: открыто 5, взято 4, закрыто 4.",
        "Первый ответ оператора: медиана 22,5 мин (ответов: 4).",
        "Без ответа оператора к концу недели: 2.",
        "Оценки: в среднем 4,7 из 5 (оценок: 3).",
        "Темы: Не платят зарплату 3, Регистрация и сроки 1, Срочная помощь и номера 1.",
    ]
    assert lines[6] == "Языки: киргизский 3, русский 1, узбекский 1."
    assert lines[7].startswith("Чаще всего открывали: Не платят зарплату (pay) 7, Главное меню (main) 5,")
    assert lines[8] == (
        "Бот не понял вопросов: 5. Чаще всего: «патент на # месяца» 3, «банк карта ачса болобу» 1,"
        " «позвоните #» 1."
    )
    caption = caption_text(lines)
    assert caption == "\n".join(lines) and visible_length(caption) <= CAPTION_LIMIT
    assert not any(str(user) in caption for user in (42, 43, 501))


def test_a_long_caption_is_cut_at_a_line_and_stays_valid_html(content: Content) -> None:
    long = "<b>x</b> " + "слово " * 150
    lines = ["<b>Заголовок</b> &amp; тест", long, long, "last"]
    caption = caption_text(lines)
    assert caption == f"{lines[0]}\n{lines[1]}" and visible_length(caption) <= CAPTION_LIMIT
    assert visible_length(caption_text(["<b>" + "я" * 2000 + "</b>"])) == CAPTION_LIMIT


async def test_odd_typed_questions_are_drawn_and_said_safely(content: Content) -> None:
    """Emoji, dollar signs (matplotlib's maths), HTML and a glyph the font lacks."""
    async with Storage(":memory:", clock=lambda: kz(2, 10)) as store:
        for text in ("$5 и $10 <b>жалоба</b> 🙏", "工资 не платят", "a & b < c"):
            await store.record_unmatched(text, "ru", user_id=1)
        figs = await weekly_figures(store, WEEK)
    assert {t for t, _, _ in figs.unmatched} == {"$# и $# <b>жалоба</b> 🙏", "工资 не платят", "a & b < c"}
    caption = caption_text(summary_lines(figs, content))
    assert "&lt;b&gt;жалоба&lt;/b&gt;" in caption and "a &amp; b &lt; c" in caption
    assert_png(png_bytes(figs, content))  # warnings are errors here: no missing glyph, no maths


# --- the command line ----------------------------------------------------------------------------


async def seeded_file(path: Path) -> None:
    clock = Clock(kz(1, 0, month=11))
    async with Storage(path, clock=clock) as store:
        await seed(store, clock)


def test_cli_draws_the_week(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    db = tmp_path / "joldosh.sqlite3"
    asyncio.run(seeded_file(db))
    out = tmp_path / "report.png"
    assert cli(["report", "--week", WEEK, "--out", str(out), "--db", str(db)]) == 0
    assert assert_png(out.read_bytes()) == (1400, 1500)
    printed = capsys.readouterr().out
    assert "Отчёт за неделю 2026-W49" in printed and "<b>" not in printed
    assert "Первый ответ оператора: медиана 22,5 мин" in printed and f"written: {out}" in printed


def test_cli_refuses_a_bad_week_and_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli(["report", "--week", "2026-49", "--out", str(tmp_path / "r.png")])
    assert exc.value.code == 2
    assert "2026-W49" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli(["report", "--week", "2026-W60", "--out", str(tmp_path / "r.png")])
    assert exc.value.code == 2 and "has no week 60" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "nowhere.sqlite3"))
    assert cli(["report", "--week", WEEK, "--out", str(tmp_path / "r.png")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "nowhere.sqlite3").exists() and not (tmp_path / "r.png").exists()


# --- Telegram: the Monday job --------------------------------------------------------------------

USER = 700_123_456
OPS = -1001
OPERATOR = 600_222_333
ADMINS = (9001, 9002)
MONDAY_NOON_W48 = kz(23, 12, month=11)  # a Monday of week 2026-W48
REPORT_W48 = kz(30, 9, month=11)  # the Monday after it, 09:00 Almaty


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    for admin in ADMINS:
        fake.user(admin, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    yield fake
    assert [q.id for q in fake.queries.values() if not q.answered] == []


def report_bot(fake: FakeTelegram, db: Path, clock: Clock, admins: tuple[int, ...] = ADMINS):
    today = clock().astimezone(KZ_TZ).date()
    return running_bot(
        fake, db, REAL_CONTENT, today, now=clock, operators_chat_id=OPS, admin_ids=frozenset(admins)
    )


def photos(fake: FakeTelegram, chat_id: int | None = None) -> list[dict[str, Any]]:
    return [m for m in fake.sent if m["method"] == "sendPhoto" and chat_id in (None, m["chat_id"])]


async def hand_off_and_answer(fake: FakeTelegram, bot: RunningBot, clock: Clock) -> None:
    """A migrant's case, answered by an operator 7 minutes later, then again; then closed."""
    for step in ("/start", "Русский", "Поговорить с человеком", "Да, передать человеку"):
        if step.startswith("/"):
            fake.send_text(USER, step)
        else:
            fake.tap(USER, step)
        await bot.settle()
    fake.send_text(USER, "Работодатель не платит 2 месяца")
    await bot.settle()
    ((thread, _),) = fake.topics(OPS).items()
    clock.advance(7)
    fake.group_text(OPS, OPERATOR, "Здравствуйте! Где вы работаете?", thread_id=thread)
    await bot.settle()
    clock.advance(20)
    fake.group_text(OPS, OPERATOR, "Напишите название фирмы.", thread_id=thread)
    await bot.settle()
    clock.advance(30)
    fake.group_text(OPS, OPERATOR, "/close", thread_id=thread)
    await bot.settle()


async def test_monday_job_sends_one_photo_to_each_admin_once(fake: FakeTelegram, tmp_path: Path) -> None:
    db = tmp_path / "joldosh.sqlite3"
    clock = Clock(MONDAY_NOON_W48)
    async with report_bot(fake, db, clock) as bot:
        await hand_off_and_answer(fake, bot, clock)
        storage: Storage = bot.app.bot_data["intake"].storage
        (times,) = await storage.case_times(MONDAY_NOON_W48 - dt.timedelta(days=1))
        assert times.first_reply_at == times.created_at + dt.timedelta(minutes=7)  # the first answer's

        clock.at(REPORT_W48)
        assert await send_weekly_report(bot.app) == 2
        await bot.settle()
        assert await send_weekly_report(bot.app) == 0  # run again: nothing more
        clock.advance(60 * 24)
        assert await send_weekly_report(bot.app) == 0  # and not the next day either
        await bot.settle()

    assert [e for e in fake.errors if e[0] == "sendPhoto"] == []
    for admin in ADMINS:
        (photo,) = photos(fake, admin)
        assert assert_png(photo["upload"]["data"]) == (1400, 1500)
        assert photo["upload"]["filename"] == "joldosh-2026-W48.png"
        caption = photo["caption"]
        assert caption.startswith("📊 Отчёт за неделю 2026-W48 (23.11 – 29.11.2026)")
        assert "открыто 1, взято 1, закрыто 1" in caption
        assert "медиана 7 мин (ответов: 1)" in caption
        screens = "Чаще всего открывали: Главное меню (main) 1, Вы хотите поговорить с человеком (person) 1."
        assert screens in caption
        assert str(USER) not in caption and str(OPERATOR) not in caption
    assert photos(fake, USER) == [] and all(m["chat_id"] != OPS for m in photos(fake))
    # What stays in the outbox is a receipt per admin, not the picture.
    rows = await db_inspect.rows(db, "SELECT lane, payload, delivered_at FROM outbox WHERE kind = 'photo'")
    assert sorted((lane, json.loads(p)) for lane, p, _ in rows) == [
        (str(a), {"report": "2026-W48"}) for a in ADMINS
    ]
    assert all(delivered for _, _, delivered in rows)


async def test_no_admins_no_report(fake: FakeTelegram, tmp_path: Path) -> None:
    clock = Clock(REPORT_W48)
    async with report_bot(fake, tmp_path / "db.sqlite3", clock, admins=()) as bot:
        assert await send_weekly_report(bot.app) == 0
    assert photos(fake) == []


async def test_a_crash_between_queueing_and_sending_loses_nothing_and_sends_once(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "joldosh.sqlite3"
    clock = Clock(MONDAY_NOON_W48)
    async with report_bot(fake, db, clock) as bot:
        await hand_off_and_answer(fake, bot, clock)
        clock.at(REPORT_W48)
        # The job's first half: queued (committed), and the process dies before the courier runs.
        storage: Storage = bot.app.bot_data["intake"].storage
        content = bot.app.bot_data["dialogue"].content.current
        assert await queue_weekly_report(storage, content, ADMINS, clock()) == list(ADMINS)
    assert photos(fake) == []

    clock.advance(5)
    async with report_bot(fake, db, clock) as bot:
        await bot.settle()  # the courier delivers what the crash left
        assert [m["chat_id"] for m in photos(fake)] == list(ADMINS)
        assert await send_weekly_report(bot.app) == 0  # the restarted job finds them sent
        await bot.settle()
    assert [m["chat_id"] for m in photos(fake)] == list(ADMINS)


async def test_queueing_is_all_or_nothing(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(REPORT_W48)
    async with Storage(":memory:", clock=clock) as store:
        real = store.send_later
        calls = 0

        async def dies_on_the_second(chat_id: int, kind: str, payload: dict[str, Any]) -> None:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("the process dies here")
            await real(chat_id, kind, payload)

        monkeypatch.setattr(store, "send_later", dies_on_the_second)
        with pytest.raises(RuntimeError):
            await queue_weekly_report(store, content, ADMINS, clock())
        assert await store.pending_count() == 0  # rolled back: nobody has it, nobody is skipped
        monkeypatch.setattr(store, "send_later", real)
        assert await queue_weekly_report(store, content, ADMINS, clock()) == list(ADMINS)
        assert await queue_weekly_report(store, content, ADMINS, clock()) == []
        items = [i for lane in map(str, ADMINS) for i in await store.lane_head(lane)]
        assert [i.kind for i in items] == ["photo", "photo"]
        # A sane payload: the picture once per admin, well under a megabyte.
        assert all(len(json.dumps(i.payload)) < 800_000 for i in items)
        assert base64.b64decode(items[0].payload["png"]).startswith(b"\x89PNG")


async def test_an_admin_who_never_started_the_bot_is_not_retried(fake: FakeTelegram, tmp_path: Path) -> None:
    fake.user(9003, started=False)
    clock = Clock(REPORT_W48)
    db = tmp_path / "joldosh.sqlite3"
    async with report_bot(fake, db, clock, admins=(9001, 9003)) as bot:
        assert await send_weekly_report(bot.app) == 2
        await bot.settle()
        assert [m["chat_id"] for m in photos(fake)] == [9001]
        assert ("sendPhoto", "Forbidden: bot can't initiate conversation with a user") in fake.errors
        attempts = len(fake.errors)
        assert await send_weekly_report(bot.app) == 0
        await bot.settle()
        assert len(fake.errors) == attempts
        # The next week's run drops the refused picture from the database, keeping its receipt.
        clock.advance(7 * 24 * 60)
        assert await send_weekly_report(bot.app) == 2
        await bot.settle()
        assert [m["chat_id"] for m in photos(fake)] == [9001, 9001]
    ((payload,),) = await db_inspect.rows(
        db,
        "SELECT payload FROM outbox WHERE lane = '9003' AND json_extract(payload, '$.report') = ?",
        ("2026-W48",),
    )
    assert json.loads(payload) == {"report": "2026-W48"}


async def test_production_schedules_the_report_on_mondays_at_nine_in_almaty(tmp_path: Path) -> None:
    fake = FakeTelegram()
    settings = Settings(bot_token=TOKEN, database_path=tmp_path / "db.sqlite3", content_dir=REAL_CONTENT)
    app = build_application(
        settings,
        content=ContentStore(REAL_CONTENT, loaded_content(REAL_CONTENT)),
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        rate_limiter=False,
    )
    await app.initialize()
    try:
        assert app.post_init is not None
        await app.post_init(app)
        assert app.job_queue is not None
        (weekly,) = [j for j in app.job_queue.jobs() if j.callback.__name__ == "_weekly_report"]
        trigger = weekly.job.trigger
        after = kz(2, 15)  # a Wednesday
        fire = trigger.get_next_fire_time(None, after)
        assert fire.astimezone(KZ_TZ).replace(tzinfo=None) == dt.datetime(2026, 12, 7, 9, 0)
        assert fire.astimezone(KZ_TZ).weekday() == 0 and MONDAY == 1  # PTB counts from Sunday
        assert fire.astimezone(dt.UTC).hour == 4
        catch_up = [j for j in app.job_queue.jobs() if j.callback.__name__ == "_weekly_report_catch_up"]
        assert len(catch_up) == 1
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


# --- the fake Bot API's sendPhoto ----------------------------------------------------------------


def _figs() -> WeekFigures:
    return WeekFigures(
        week=WEEK, days=tuple(parse_week(WEEK) + dt.timedelta(days=i) for i in range(7)),
        opened=(1,) * 7, claimed=(1,) * 7, closed=(1,) * 7, first_replies=1, median_first_reply=3.0,
        unanswered=0, ratings=(0, 0, 0, 0, 1), topics=(), langs=(), screens=(), unmatched=(),
        unmatched_total=0,
    )  # fmt: skip


async def test_fake_send_photo_is_strict(content: Content) -> None:
    fake = FakeTelegram()
    fake.user(9001)
    png = png_bytes(_figs(), content)
    async with httpx.AsyncClient(transport=fake.transport, base_url="http://fake-bot-api.invalid") as client:

        async def send(files: dict[str, Any] | None, **data: Any) -> dict[str, Any]:
            response = await client.post("/bot1:T/sendPhoto", data={"chat_id": 9001, **data}, files=files)
            return response.json()

        ok = await send({"photo": ("r.png", png, "image/png")}, caption="<b>Отчёт</b>", parse_mode="HTML")
        assert ok["ok"], ok
        sizes = ok["result"]["photo"]
        assert (sizes[-1]["width"], sizes[-1]["height"]) == (1195, 1280)  # compressed to 1280
        assert fake.sent[-1]["upload"]["data"] == png and fake.sent[-1]["caption"] == "Отчёт"
        again = await send(None, photo=sizes[-1]["file_id"])  # a known file id is sent again
        assert again["ok"], again

        refused = [
            await send(None),
            await send(None, photo="no-such-file"),
            await send({"photo": ("r.png", b"not an image", "image/png")}),
            await send({"photo": ("r.png", png[:-12], "image/png")}),  # cut short
            await send({"photo": ("r.png", png)}, caption="я" * 1025),
            await send({"photo": ("r.png", png)}, caption="<b>x", parse_mode="HTML"),
        ]
        assert [r["description"] for r in refused] == [
            "Bad Request: there is no photo in the request",
            "Bad Request: wrong file identifier/HTTP URL specified",
            "Bad Request: IMAGE_PROCESS_FAILED",
            "Bad Request: IMAGE_PROCESS_FAILED",
            "Bad Request: message caption is too long",
            "Bad Request: can't parse entities: can't find end tag \"b\"",
        ]
        # 1024 characters after entity parsing are fine, however long the HTML is.
        fits = await send({"photo": ("r.png", png)}, caption="<b>" + "я" * 1024 + "</b>", parse_mode="HTML")
        assert fits["ok"], fits
        # Width + height over 10000, or sides over 1:20.
        long_png = _png_header(png, 9000, 1200)
        thin_png = _png_header(png, 2100, 100)
        for bad in (long_png, thin_png):
            body = await send({"photo": ("r.png", bad)})
            assert body["description"] == "Bad Request: PHOTO_INVALID_DIMENSIONS"


def _png_header(png: bytes, width: int, height: int) -> bytes:
    """The same PNG claiming other dimensions (only the header is read by the fake)."""
    ihdr = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + png[24:29]
    return png[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + png[33:]
