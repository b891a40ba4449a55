"""End to end: the real PTB Application against the in-process fake Bot API.

The fake rejects what Telegram rejects (HTML, lengths, callback_data, double answers...), and
every test checks at the end that the bot made no rejected call.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import LANGS
from tests.bot_harness import running_bot
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT
from tests.fake_api import FakeTelegram

USER = 7


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    yield fake
    assert fake.errors == [] or all(code.startswith("Forbidden") for _, code in fake.errors), fake.errors
    unanswered = [q.id for q in fake.queries.values() if not q.answered]
    assert unanswered == [], "every callback query must be answered"


@pytest.fixture
def db(db_target: Path | str) -> Path | str:
    """Every test here runs on SQLite and again on PostgreSQL (issue 17)."""
    return db_target


MAIN_TEXT = {
    "ru": "Главное меню",
}


@pytest.mark.parametrize("lang", LANGS)
async def test_first_start_in_each_language(fake: FakeTelegram, db: Path, lang: str) -> None:
    telegram_code = {"ru": "ru-RU", "ky": "ky", "uz": "uz", "kk": "kk-KZ"}[lang]
    fake.user(USER, language_code=telegram_code)
    content_words = _words(lang)
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        welcome = fake.last(USER)
        assert content_words["welcome"].split("\n")[0][:20] in welcome["html"]
        labels = [t for t, _ in fake.buttons(welcome)]
        assert labels == ["Русский", "Кыргызча", "Oʻzbekcha", "Қазақша"]
        fake.tap(USER, labels[LANGS.index(lang)])
        await bot.settle()
        menu = fake.last(USER)
        assert menu["message_id"] == welcome["message_id"]  # the picker became the menu
        datas = [d for _, d in fake.buttons(menu)]
        assert any(d.endswith("|main|reg") for d in datas)
        assert _words(lang, "main")["main"]["text"].strip()[:15] in menu["html"]
    # Commands are published per language, and once without a language as the default.
    assert {key[1] for key in fake.commands} == {None, "ru", "ky", "uz", "kk"}


async def test_walk_two_levels_back_and_menu(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.tap(USER, "Демо")
        await bot.settle()
        assert "Демо-дерево" in fake.last(USER)["text"]
        fake.tap(USER, "Вариант А")
        await bot.settle()
        assert "Уровень два" in fake.last(USER)["text"]
        fake.tap(USER, "Назад")
        await bot.settle()
        assert "Демо-дерево" in fake.last(USER)["text"]
        fake.tap(USER, "Главное меню")
        await bot.settle()
        assert fake.last(USER)["text"].startswith("Меню.")
        # Navigation edits one message in place instead of flooding the chat (the first is
        # the privacy notice of a new user).
        assert len(fake.bot_messages(USER)) == 2


async def test_a_press_is_one_outbox_item_answered_then_edited(fake: FakeTelegram, db: Path) -> None:
    """The button's answer rides in the screen's item: one item written and delivered per press
    (issue 16), the answer still going out first."""
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        storage = bot.app.bot_data["intake"].storage
        queued: list[tuple[str, dict]] = []
        send_later = storage.send_later

        async def record(chat_id: int, kind: str, payload: dict) -> None:
            queued.append((kind, payload))
            await send_later(chat_id, kind, payload)

        storage.send_later = record
        calls = len(fake.calls)
        qid = fake.tap(USER, "Демо")
        await bot.settle()
        assert [kind for kind, _ in queued] == ["say"]
        assert queued[0][1]["answer"] == {"query_id": qid} and queued[0][1]["edit"]
        sent = [c for c in fake.calls[calls:] if c != "getUpdates"]
        assert sent == ["answerCallbackQuery", "editMessageText"]
        assert fake.answered(qid) and "Демо-дерево" in fake.last(USER)["text"]


async def test_deep_link_opens_the_tree(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        fake.send_text(USER, "/start registration")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        datas = [d for _, d in fake.buttons(fake.last(USER))]
        assert any("|reg|" in d for d in datas), datas


async def test_switch_language_mid_tree(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        fake.send_text(USER, "/start registration")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        ru_screen = fake.last(USER)
        reg_buttons = [d for _, d in fake.buttons(ru_screen)]
        fake.send_text(USER, "/language")
        await bot.settle()
        fake.tap(USER, "Oʻzbekcha")
        await bot.settle()
        uz_screen = fake.last(USER)
        # Same place in the tree, now in Uzbek.
        assert [d for _, d in fake.buttons(uz_screen)] == reg_buttons
        assert uz_screen["text"] != ru_screen["text"]
        assert _words("uz", "registration")["reg"]["text"].strip()[:15] in uz_screen["html"]


async def test_stale_button_from_an_old_message(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        old = fake.last(USER)
        old_demo = next(d for t, d in fake.buttons(old) if t == "Демо")
        fake.tap(USER, "Помощь")  # the old message now shows the help screen
        await bot.settle()
        fake.send_text(USER, "/menu")  # a fresh menu message
        await bot.settle()
        fake.tap(USER, "Демо")
        await bot.settle()
        before = len(fake.bot_messages(USER))
        qid = fake.press(USER, old["message_id"], old_demo.replace("main|demo", "main|help"))
        await bot.settle()
        assert "устарело" in (fake.queries[qid].text or "")
        assert len(fake.bot_messages(USER)) == before + 2  # notice + fresh current screen
        assert "Демо-дерево" in fake.last(USER)["text"]


async def test_button_from_older_content_version(fake: FakeTelegram, db: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    async with running_bot(fake, db, content) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        menu = fake.last(USER)
        words = content / "ru" / "demo.yaml"
        words.write_text(words.read_text().replace("Уровень два", "Уровень 2"), encoding="utf-8")
        assert bot.app.bot_data["dialogue"].content.reload()
        qid = fake.press(USER, menu["message_id"], fake.buttons(menu)[0][1])
        await bot.settle()
        assert "устарело" in (fake.queries[qid].text or "")
        assert fake.last(USER)["text"].startswith("Меню.")


async def test_restart_mid_tree_continues(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.tap(USER, "Демо")
        await bot.settle()
        fake.tap(USER, "Вариант А")
        await bot.settle()
    # A new Application, the same database: the user's place and back-stack survived.
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.tap(USER, "Назад")
        await bot.settle()
        assert "Демо-дерево" in fake.last(USER)["text"]
        fake.tap(USER, "Назад")
        await bot.settle()
        assert fake.last(USER)["text"].startswith("Меню.")


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "location", "text"])
async def test_non_text_and_unknown_text_get_help_and_keep_place(
    fake: FakeTelegram, db: Path, kind: str
) -> None:
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.tap(USER, "Демо")
        await bot.settle()
        if kind == "text":
            fake.send_text(USER, "работодатель не платит")
        else:
            getattr(fake, f"send_{kind}")(USER)
        await bot.settle()
        if kind == "text":  # a typed question nothing matches: said honestly, the way back offered
            notice = fake.last(USER)
            assert "не нашёл ответа" in notice["text"]
            assert [t for t, _ in fake.buttons(notice)] == ["⬅️ Назад", "🏠 Главное меню"]
            fake.tap(USER, "Назад")
            await bot.settle()
            assert "Демо-дерево" in fake.last(USER)["text"]
            return
        notice, screen = fake.bot_messages(USER)[-2:]
        assert "понимаю только кнопки" in notice["text"]
        assert "Демо-дерево" in screen["text"] and fake.buttons(screen)


async def test_commands_help_cancel_unknown(fake: FakeTelegram, db: Path) -> None:
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.send_text(USER, "/help")
        await bot.settle()
        assert "/menu" in fake.bot_messages(USER)[-2]["text"]
        fake.send_text(USER, "/cancel")
        await bot.settle()
        assert fake.last(USER)["text"].startswith("Меню.")
        fake.send_text(USER, "/whatever")
        await bot.settle()
        assert "читать вопросы текстом" in fake.bot_messages(USER)[-2]["text"]


async def test_long_text_is_split_on_paragraphs(fake: FakeTelegram, db: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paragraph = "Очень длинный абзац. " * 60  # about 1,260 characters
    long_text = "\n\n".join(f"<b>{i}.</b> {paragraph}" for i in range(1, 6))
    words = content / "ru" / "demo.yaml"
    words.write_text(
        words.read_text().replace("text: Уровень два", "text: |\n    " + long_text.replace("\n", "\n    ")),
        encoding="utf-8",
    )
    async with running_bot(fake, db, content) as bot:
        fake.send_text(USER, "/start")
        await bot.settle()
        fake.tap(USER, "Русский")
        await bot.settle()
        fake.tap(USER, "Демо")
        await bot.settle()
        fake.tap(USER, "Вариант А")
        await bot.settle()
        # The pressed message cannot hold it: the long screen arrives as several new messages.
        messages = fake.bot_messages(USER)[2:]  # after the privacy notice and the menu
        assert len(messages) >= 2
        assert all(len(m["text"]) <= 4096 for m in messages)
        assert [bool(m.get("reply_markup")) for m in messages] == [False] * (len(messages) - 1) + [True]
        assert messages[0]["text"].startswith("1.")


async def test_blocked_user_does_not_break_the_bot(fake: FakeTelegram, db: Path) -> None:
    fake.user(8, language_code="ky")
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        fake.block(USER)
        fake.send_text(USER, "/start")
        fake.send_text(8, "/start")
        await bot.settle()
        assert ("sendMessage", "Forbidden: bot was blocked by the user") in fake.errors
        assert "Саламатсызбы" in fake.last(8)["text"]  # others are still served


def _words(lang: str, tree: str = "ui") -> dict:
    import yaml

    path = REAL_CONTENT / lang / f"{tree}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
