"""The console adapter: numbered options, labels, commands, pipes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from bot.console import run_console
from bot.content.loader import ContentStore
from bot.service import Dialogue
from bot.storage import Storage
from tests.conftest import FIXTURE_CONTENT, REPO, TODAY


async def _walk(lines: str, lang: str | None = None) -> str:
    out = io.StringIO()
    async with Storage(":memory:") as storage:
        dialogue = Dialogue(storage, ContentStore(FIXTURE_CONTENT), today=lambda: TODAY)
        code = await run_console(dialogue, io.StringIO(lines), out, lang=lang)
    assert code == 0
    return out.getvalue()


async def test_numbers_labels_and_back() -> None:
    text = await _walk("1\nвариант а\n/back\n2\n", lang="ru")
    screens = text.split("─" * 40)
    assert "/mydata" in screens[1] and "/forget" in screens[1]  # a new user: the privacy notice
    del screens[1]
    assert "Меню." in screens[1] and "  1. Демо" in screens[1]
    assert "Демо-дерево" in screens[2]
    assert "Уровень два" in screens[3]  # typed label, case and emoji ignored
    assert "Демо-дерево" in screens[4]  # /back
    assert "Оператор" in screens[5] and "112" in screens[5]


async def test_without_lang_offers_picker_first() -> None:
    text = await _walk("2\n")
    assert "Тилди тандаңыз" not in text.split("> 2")[0]  # Russian default, no language code
    assert "  2. Кыргызча" in text
    assert "Демо дарак" not in text  # ky main menu falls back to Russian words
    assert "Меню." in text.split("> 2")[1]


async def test_unknown_input_is_answered_and_place_kept() -> None:
    text = await _walk("1\n42\nчто-то\n1\n", lang="ru")
    assert "Я не нашёл ответа на ваш вопрос" in text  # typed text nothing matched: said honestly
    assert text.split("не нашёл ответа")[-1].count("Демо-дерево") == 1  # "Back" returns to the screen


def test_module_runs_from_a_pipe() -> None:
    env = {**os.environ, "CONTENT_DIR": str(FIXTURE_CONTENT)}
    env.pop("BOT_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--lang", "ky"],
        input="1\n1\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Демо дарак" in proc.stdout and "  1. А варианты" in proc.stdout


def test_run_without_token_explains_what_to_do() -> None:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "@BotFather" in proc.stderr and "python -m bot console" in proc.stderr
