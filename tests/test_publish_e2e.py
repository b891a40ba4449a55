"""Publishing you can trust (issue 14), end to end against the fake Bot API.

An admin's /reload publishes a valid edit and every admin gets one message listing what changed;
a broken edit is refused with its file, node and reason while users keep the old answers; a user
whose screen was removed is taken to the start of its topic with a notice; for anyone else /reload
is an unknown command; the periodic reload tells the admins once per new version or error.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from handlers.app import reload_content
from tests.bot_harness import RunningBot, running_bot
from tests.conftest import FIXTURE_CONTENT
from tests.fake_api import FakeTelegram

USER = 7
ADMIN = 501
ADMIN2 = 502
ADMINS = frozenset({ADMIN, ADMIN2})


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    for uid in (USER, ADMIN, ADMIN2):
        fake.user(uid, language_code="ru")
    yield fake
    assert fake.errors == [], fake.errors
    assert [q.id for q in fake.queries.values() if not q.answered] == []


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _save(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


async def _start(fake: FakeTelegram, bot: RunningBot, user: int = USER) -> None:
    fake.send_text(user, "/start")
    await bot.settle()
    fake.tap(user, "Русский")
    await bot.settle()


async def _tap(fake: FakeTelegram, bot: RunningBot, label: str, user: int = USER) -> None:
    fake.tap(user, label)
    await bot.settle()


def _texts(fake: FakeTelegram, user: int) -> list[str]:
    return [m["text"] for m in fake.bot_messages(user)]


async def test_valid_edit_is_published_and_every_admin_gets_the_changes(
    fake: FakeTelegram, tmp_path: Path, content: Path
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        await _start(fake, bot)
        await _start(fake, bot, ADMIN)
        old_version = bot.app.bot_data["dialogue"].content.current.version
        # The edit: a new node demo_c, demo_b removed, a Russian text and a Kyrgyz text changed.
        shape = _load(content / "trees" / "demo.yaml")
        shape["nodes"]["demo"]["options"] = [{"id": "a", "to": "demo_a"}, {"id": "c", "to": "demo_c"}]
        del shape["nodes"]["demo_b"]
        shape["nodes"]["demo_c"] = {"sources": ["law:Labour Code, Art. 1"], "verified_on": "2026-11-20"}
        shape["nodes"]["demo_c"]["action"] = "end"
        _save(content / "trees" / "demo.yaml", shape)
        ru = _load(content / "ru" / "demo.yaml")
        del ru["demo_b"]
        ru["demo"]["options"] = {"a": "Вариант А", "c": "Новое"}
        ru["demo_c"] = {"text": "Новый ответ"}
        _save(content / "ru" / "demo.yaml", ru)
        _edit(content / "ru" / "main.yaml", "Звоните сейчас.", "Звоните 112 сейчас.")
        _edit(content / "ky" / "demo.yaml", "Демо дарак", "Демо дарагы")

        fake.send_text(ADMIN, "/reload")
        await bot.settle()

        new_version = bot.app.bot_data["dialogue"].content.current.version
        assert new_version != old_version
        report = fake.last(ADMIN)["text"]
        assert f"Опубликовано: версия {new_version} (была {old_version})" in report
        assert "Новые узлы (1): demo_c" in report
        assert "Удалены узлы (1): demo_b" in report
        assert "Изменены кнопки или переходы (1): demo" in report
        assert "ru (2): demo, help112" in report  # demo's labels and help112's text, not demo_b/c
        assert "ky (1): demo" in report
        # The other admin got the same single message without asking; the user got nothing.
        assert fake.last(ADMIN2)["text"] == report
        assert len(fake.bot_messages(ADMIN2)) == 1
        assert not any("Опубликовано" in t for t in _texts(fake, USER))
        # Users see the new content at once (a button of the older version gets a fresh menu first).
        await _tap(fake, bot, "Помощь")
        assert fake.bot_messages(USER)[-2]["text"] == "Это меню устарело. Вот актуальное."
        await _tap(fake, bot, "Помощь")
        assert "Звоните 112 сейчас." in fake.last(USER)["text"]

        # Nothing changed since: only the admin who asks gets an answer, and the periodic job is quiet.
        fake.send_text(ADMIN2, "/reload")
        await bot.settle()
        assert f"Файлы не менялись: пользователи видят версию {new_version}" in fake.last(ADMIN2)["text"]
        assert fake.last(ADMIN)["text"] == report
        assert await reload_content(bot.app) == 0


async def test_broken_edit_is_refused_and_users_keep_the_old_answers(
    fake: FakeTelegram, tmp_path: Path, content: Path
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        await _start(fake, bot)
        await _tap(fake, bot, "Демо")
        version = bot.app.bot_data["dialogue"].content.current.version
        # A new text with an unclosed tag, and a link to a node that does not exist.
        _edit(content / "ru" / "demo.yaml", "text: Уровень два", "text: <b>Уровень 2")
        _edit(content / "trees" / "demo.yaml", "to: demo_deep", "to: demo_nowhere")

        fake.send_text(ADMIN, "/reload")
        await bot.settle()

        report = fake.last(ADMIN)["text"]
        assert (
            f"Не опубликовано: в файлах есть ошибки (2). Пользователи по-прежнему видят версию {version}"
            in (report)
        )
        assert "content/ru/demo.yaml, узел demo_a: text: invalid Telegram HTML" in report
        assert "content/trees/demo.yaml, узел demo_a: option 'deep' links to missing node 'demo_nowhere'" in (
            report
        )
        assert fake.last(ADMIN2)["text"] == report  # every admin is told, once
        # The user keeps getting the old answer, and its old buttons still work.
        await _tap(fake, bot, "Вариант А")
        screen = fake.last(USER)
        assert screen["text"] == "Уровень два"
        await _tap(fake, bot, "Глубже")
        assert fake.last(USER)["text"].startswith("Штраф")
        assert bot.app.bot_data["dialogue"].content.current.version == version

        # The same broken files a minute later: nobody is told again.
        assert await reload_content(bot.app) == 0
        assert len(fake.bot_messages(ADMIN2)) == 1
        # Fixed: published, and every admin hears of it once.
        _edit(content / "ru" / "demo.yaml", "text: <b>Уровень 2", "text: <b>Уровень 2</b>")
        _edit(content / "trees" / "demo.yaml", "to: demo_nowhere", "to: demo_deep")
        assert await reload_content(bot.app) == 2
        # The published content's n-gram index was built in the reload's thread, not on a question.
        assert bot.app.bot_data["dialogue"].content.current.matcher._similar_index is not None
        await bot.settle()
        fixed = fake.last(ADMIN2)["text"]
        assert "Опубликовано" in fixed and "ru (1): demo_a" in fixed
        assert fake.last(ADMIN)["text"] == fixed
        assert await reload_content(bot.app) == 0


async def test_user_on_a_removed_node_is_taken_to_the_start_of_the_topic(
    fake: FakeTelegram, tmp_path: Path, content: Path
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        await _start(fake, bot)
        await _tap(fake, bot, "Демо")
        await _tap(fake, bot, "Вариант А")
        await _tap(fake, bot, "Глубже")
        deep = fake.screen(USER)
        assert deep["text"].startswith("Штраф")
        # The editor removes demo_a and demo_deep: the user's screen and the one Back leads to.
        shape = _load(content / "trees" / "demo.yaml")
        shape["nodes"]["demo"]["options"] = [{"id": "b", "to": "demo_b"}]
        del shape["nodes"]["demo_a"], shape["nodes"]["demo_deep"]
        _save(content / "trees" / "demo.yaml", shape)
        for lang in ("ru", "ky"):
            words = _load(content / lang / "demo.yaml")
            for node in ("demo_a", "demo_deep"):
                words.pop(node, None)
            words["demo"]["options"].pop("a", None)
            _save(content / lang / "demo.yaml", words)
        fake.send_text(ADMIN, "/reload")
        await bot.settle()
        assert "Удалены узлы (2): demo_a, demo_deep" in fake.last(ADMIN)["text"]

        # The user presses Back on the removed screen: a notice, then the topic's start.
        before = len(fake.bot_messages(USER))
        qid = fake.press(USER, deep["message_id"], next(d for t, d in fake.buttons(deep) if "Назад" in t))
        await bot.settle()
        assert "больше нет" in (fake.queries[qid].text or "")
        notice, start = fake.bot_messages(USER)[before:]
        assert notice["text"].startswith("ℹ️ Этого раздела больше нет")
        assert start["text"].startswith("Демо-дерево")
        assert [t for t, _ in fake.buttons(start)] == ["Вариант Б", "⬅️ Назад", "🏠 Главное меню"]
        # From there everything works: Back goes to the main menu.
        await _tap(fake, bot, "Назад")
        assert fake.last(USER)["text"].startswith("Меню.")

    # After a restart the stored topic still leads the way: a user on demo_b, removed while the
    # bot was down, is taken to the start of "demo" when they next write.
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        await _tap(fake, bot, "Демо")
        await _tap(fake, bot, "Вариант Б")
        on_b = fake.screen(USER)
    shape = _load(content / "trees" / "demo.yaml")
    shape["nodes"]["demo"]["options"] = [{"id": "c", "to": "demo_c"}]
    del shape["nodes"]["demo_b"]
    shape["nodes"]["demo_c"] = {"nav": True, "action": "end"}
    _save(content / "trees" / "demo.yaml", shape)
    words = _load(content / "ru" / "demo.yaml")
    del words["demo_b"]
    words["demo"]["options"] = {"c": "Вариант В"}
    words["demo_c"] = {"text": "Ответ В"}
    _save(content / "ru" / "demo.yaml", words)
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        before = len(fake.bot_messages(USER))
        fake.press(USER, on_b["message_id"], fake.buttons(on_b)[0][1])
        await bot.settle()
        notice, start = fake.bot_messages(USER)[before:]
        assert "больше нет" in notice["text"]
        assert start["text"].startswith("Демо-дерево")
        assert [t for t, _ in fake.buttons(start)][0] == "Вариант В"


async def test_reload_and_preview_are_unknown_commands_for_everyone_else(
    fake: FakeTelegram, tmp_path: Path, content: Path
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=ADMINS) as bot:
        await _start(fake, bot)
        version = bot.app.bot_data["dialogue"].content.current.version
        _edit(content / "ru" / "main.yaml", "Звоните сейчас.", "Звоните 112.")
        fake.send_text(USER, "/reload")
        await bot.settle()
        unknown = fake.bot_messages(USER)[-2]["text"]
        assert "не умею читать вопросы текстом" in unknown
        fake.send_text(USER, "/whatever")
        await bot.settle()
        assert fake.bot_messages(USER)[-2]["text"] == unknown  # exactly the unknown-command answer
        fake.send_text(USER, "/preview kk")
        await bot.settle()
        assert fake.bot_messages(USER)[-2]["text"] == unknown
        # Nothing was reloaded and no admin was told anything.
        assert bot.app.bot_data["dialogue"].content.current.version == version
        assert fake.bot_messages(ADMIN) == [] and fake.bot_messages(ADMIN2) == []


async def test_periodic_reload_tells_every_admin_once(
    fake: FakeTelegram, tmp_path: Path, content: Path
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", content, admin_ids=frozenset({ADMIN})) as bot:
        assert await reload_content(bot.app) == 0  # nothing changed: silence
        _edit(content / "ru" / "main.yaml", "Звоните сейчас.", "Звоните 112.")
        assert await reload_content(bot.app) == 1
        await bot.settle()
        assert "ru (1): help112" in fake.last(ADMIN)["text"]
        assert await reload_content(bot.app) == 0
        assert len(fake.bot_messages(ADMIN)) == 1
