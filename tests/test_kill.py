"""Kill test: a real ``python -m bot run`` process is SIGKILLed again and again under load.

A migrant with an open case sends 40 numbered messages and an operator answers 20 times, while
the bot process is killed (SIGKILL, no clean-up at all) at random moments, 6 times per seed, and
restarted on the same database. The fake Bot API is served over loopback HTTP, confirming updates
exactly as Telegram does (by the next getUpdates offset). At the end every message must have
reached the other side, and the only duplicates allowed are the calls that were in flight when a
kill came (at most one per kill). Seeds: KILL_SEEDS (default 3); each prints what it survived.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.bot_harness import TOKEN
from tests.conftest import REAL_CONTENT, REPO
from tests.fake_api import FakeTelegram
from tests.fake_server import serve

USER = 7
OPS = -1001
OPERATOR = 501
KILLS = 6
USER_MESSAGES = 40
OPERATOR_REPLIES = 20
SEEDS = range(int(os.environ.get("KILL_SEEDS", "3")))

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


class Bot:
    """The bot as a separate process, started and killed like a real deployment would be."""

    def __init__(self, base_url: str, db: Path, log: Path) -> None:
        self.env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": base_url,
            "BOT_API_FILE_URL": base_url.replace("/bot", "/file/bot"),
            "DATABASE_PATH": str(db),
            "CONTENT_DIR": str(REAL_CONTENT),
            "OPERATORS_CHAT_ID": str(OPS),
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("WEBHOOK_URL", None)
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=REPO, env=self.env, stdout=out, stderr=out
            )
        self.starts += 1

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


def has_button(fake: FakeTelegram, label: str) -> bool:
    try:
        return any(label in text for text, _ in fake.buttons(fake.screen(USER)))
    except AssertionError:
        return False


def duplicated_calls(messages: list[str], tokens: list[str]) -> int:
    """Messages that repeat a token an earlier message already carried (a call sent twice)."""
    seen: set[str] = set()
    repeats = 0
    for text in messages:
        found = {t for t in tokens if t in text.split()}
        if found & seen:
            repeats += 1
        seen |= found
    return repeats


@pytest.mark.parametrize("seed", SEEDS)
async def test_nothing_is_lost_when_the_process_is_killed(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with serve(fake) as base_url:
        bot = Bot(base_url, tmp_path / "db.sqlite3", tmp_path / "bot.log")
        await bot.start()
        try:
            # The migrant opens a case.
            fake.send_text(USER, "/start")
            await until(lambda: has_button(fake, "Русский"), 30, "the language picker")
            fake.tap(USER, "Русский")
            await until(lambda: has_button(fake, "Поговорить с человеком"), 15, "the main menu")
            fake.tap(USER, "Поговорить с человеком")
            await until(lambda: has_button(fake, "Да, передать"), 15, "the hand-off offer")
            fake.tap(USER, "Да, передать человеку")
            await until(lambda: "что случилось" in (fake.last(USER).get("text") or ""), 15, "the question")
            fake.send_text(USER, "Работодатель не платит")
            await until(lambda: bool(fake.topics(OPS)), 15, "the case topic")
            (thread,) = fake.topics(OPS)

            # Load, with kills at random moments.
            actions = [("user", f"m{i:02d}") for i in range(USER_MESSAGES)]
            actions += [("operator", f"o{i:02d}") for i in range(OPERATOR_REPLIES)]
            rng.shuffle(actions)
            kill_at = set(rng.sample(range(5, len(actions)), KILLS))
            for i, (who, token) in enumerate(actions):
                if who == "user":
                    fake.send_text(USER, token)
                else:
                    fake.group_text(OPS, OPERATOR, token, thread_id=thread)
                await asyncio.sleep(rng.uniform(0.01, 0.15))
                if i in kill_at:
                    await asyncio.sleep(rng.uniform(0.0, 0.4))  # land anywhere in the work
                    await bot.kill()
                    await bot.start()

            user_tokens = [t for w, t in actions if w == "user"]
            operator_tokens = [t for w, t in actions if w == "operator"]

            def relayed() -> str:
                return "\n".join(texts(fake.group_messages(OPS, thread)))

            def answered() -> str:
                return "\n".join(texts(fake.bot_messages(USER)))

            def done() -> bool:
                ops, mine = relayed().split(), answered().split()
                return all(t in ops for t in user_tokens) and all(t in mine for t in operator_tokens)

            try:
                await until(done, 90, "every message to arrive")
            except AssertionError:
                ops, mine = relayed().split(), answered().split()
                lost = [t for t in user_tokens if t not in ops]
                lost += [t for t in operator_tokens if t not in mine]
                log = bot.log.read_text()[-3000:]
                raise AssertionError(f"seed {seed}: lost {lost}; log:\n{log}") from None
        finally:
            await bot.stop()

    group_texts = texts(fake.group_messages(OPS, thread))
    user_texts = texts(fake.bot_messages(USER))
    duplicates = duplicated_calls(group_texts, user_tokens) + duplicated_calls(user_texts, operator_tokens)
    print(f"seed {seed}: survived {KILLS} kills, {bot.starts} starts, {duplicates} duplicated call(s)")
    assert duplicates <= KILLS
