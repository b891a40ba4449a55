"""Usage counters: a scripted walk through the real bot counts visits, stops, backs, moves and typed
questions per screen, and nothing in the usage tables can be tied to a user."""

from __future__ import annotations

from pathlib import Path

from bot.storage import Step, Storage
from tests import db_inspect
from tests.bot_harness import running_bot
from tests.conftest import FIXTURE_CONTENT
from tests.fake_api import FakeTelegram

USER = 777_001_234
OTHER = 777_009_876


async def test_scripted_walk_counts_without_user_ids(tmp_path: Path) -> None:
    fake = FakeTelegram()
    for user in (USER, OTHER):
        fake.user(user, language_code="ru")
    db = tmp_path / "joldosh.sqlite3"
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        for user in (USER, OTHER):
            fake.send_text(user, "/start")
            await bot.settle()
            fake.tap(user, "Русский")
            await bot.settle()
            fake.tap(user, "Демо")
            await bot.settle()
        fake.tap(USER, "Вариант А")
        await bot.settle()
        fake.tap(USER, "Назад")
        await bot.settle()
        fake.tap(USER, "Главное меню")
        await bot.settle()
    assert fake.errors == []

    async with Storage(db_inspect.target(db)) as store:
        nodes = await store.usage_nodes()
        edges = await store.usage_edges()
    # Both reached the demo tree from the menu; one went a level down, came back, left for the menu.
    assert edges[("main", "demo")] == 2
    assert edges[("demo", "demo_a")] == 1
    assert edges[("demo_a", "demo")] == 1
    assert edges[("demo", "main")] == 1
    assert nodes["demo"]["visits"] == 3
    assert nodes["demo_a"]["backs"] == 1
    # Where people are now: OTHER stopped at demo, USER at the main menu; nobody at demo_a.
    assert nodes["demo"]["stops"] == 1
    assert nodes["main"]["stops"] == 1
    assert nodes["demo_a"]["stops"] == 0

    # No user id anywhere in the usage tables: not as a value, not inside a text.
    for table in ("usage_nodes", "usage_edges"):
        columns = await db_inspect.columns(db, table)
        assert columns and not any("user" in c for c in columns), columns
        for row in await db_inspect.rows(db, f"SELECT * FROM {table}"):  # noqa: S608
            for value in row:
                assert str(USER) not in str(value) and str(OTHER) not in str(value), (table, row)


async def test_counters_per_day_language_and_kind(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        from bot.engine import State

        await store.save_user(State(user_id=5, lang="ky", node="main"))
        await store.count_step(5, Step(day="2026-12-01", lang="ky", old=None, new="main"))
        await store.count_step(5, Step(day="2026-12-01", lang="ky", old="main", new="wages", typed=True))
        await store.count_step(
            5, Step(day="2026-12-02", lang="ky", old="wages", new="wages", handoff=True, reminders=True)
        )
        await store.count_step(5, Step(day="2026-12-03", lang="ky", old="wages", new="main", back=True))
        day1 = await store.usage_nodes(since="2026-12-01", until="2026-12-01")
        assert day1["wages"]["visits"] == 1 and day1["wages"]["typed"] == 1
        # The stop counted on arrival (day 1) is taken back when the user moves on (day 3).
        assert day1["wages"]["stops"] == 0
        every = await store.usage_nodes()
        assert every["wages"]["handoffs"] == 1 and every["wages"]["reminders"] == 1
        assert every["wages"]["backs"] == 1
        assert every["main"]["stops"] == 1 and every["main"]["visits"] == 2
        assert (await store.usage_nodes(lang="ru")) == {}


async def test_a_typed_question_counts_where_it_ended(tmp_path: Path) -> None:
    from tests.conftest import REAL_CONTENT

    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    db = tmp_path / "joldosh.sqlite3"
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.send_text(USER, "работодатель третий месяц не платит зарплату")
        await bot.settle()
        offer = fake.last(USER)
        data = fake.buttons(offer)[0][1]
        target = data.split("|")[2]
        fake.press(USER, offer["message_id"], data)
        await bot.settle()
    async with Storage(db_inspect.target(db)) as store:
        nodes = await store.usage_nodes()
    assert nodes[target]["typed"] == 1 and nodes[target]["visits"] == 1
    assert sum(c["typed"] for c in nodes.values()) == 1
