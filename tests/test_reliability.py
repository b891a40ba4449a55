"""Faults and floods against the real Application and the strict fake Bot API (bounded in time).

Fault injection: every send method the bot uses fails once, in each way Telegram or the network
can fail (429 with retry_after, 5xx, connection refused, timeout, and the connection dropped
*after* Telegram did the call). Nothing may be lost; a duplicate is allowed only where the outcome
was unknown (documented in docs/RELIABILITY.md).

Flood: one user sends 200 messages at once while another presses buttons; the other user's answer
time must stay low (p95 under 1 s), with and without an open case for the flooder.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.bot_harness import RunningBot, running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

USER = 7
OTHER = 8
OPS = -1001
OPERATOR = 501

SEND_METHODS = ("sendMessage", "editMessageText", "answerCallbackQuery", "copyMessage", "createForumTopic")
FAULTS = ("429", "500", "connect", "timeout", "drop_after")


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    fake.user(OTHER, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    return fake


async def drain(bot: RunningBot, timeout: float = 15.0) -> None:
    """Settle, then wait for retries scheduled in the future too (until nothing is pending)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    storage = bot.app.bot_data["intake"].storage
    while True:
        await bot.settle(timeout=max(0.5, deadline - loop.time()))
        if await storage.pending_count() == 0:
            return
        if loop.time() > deadline:
            raise TimeoutError(f"{await storage.pending_count()} outbox items still pending")
        bot.app.bot_data["courier"].kick()
        await asyncio.sleep(0.05)


def inject(fake: FakeTelegram, method: str, fault: str) -> None:
    if fault == "429":
        fake.fail_next(method, 429, "Too Many Requests: retry after 1", retry_after=1)
    elif fault == "500":
        fake.fail_next(method, 500, "Internal Server Error")
    else:
        fake.fault_next(method, fault)


async def case_round_trip(fake: FakeTelegram, bot: RunningBot) -> None:
    """Menu presses, a case with a topic and card, a photo each way, texts each way."""
    fake.send_text(USER, "/start")
    await drain(bot)
    fake.tap(USER, "Русский")
    await drain(bot)
    fake.tap(USER, "Поговорить с человеком")
    await drain(bot)
    fake.tap(USER, "Да, передать человеку")
    await drain(bot)
    fake.send_text(USER, "Работодатель не платит 2 месяца")
    await drain(bot)
    fake.send_photo(USER, caption="договор")
    await drain(bot)
    (thread,) = [t for t, _ in fake.topics(OPS).items() if fake.group_messages(OPS, t)][-1:]
    fake.group_text(OPS, OPERATOR, "Здравствуйте, где вы?", thread_id=thread)
    await drain(bot)
    fake.group_photo(OPS, OPERATOR, thread_id=thread, caption="адрес")
    await drain(bot)
    fake.send_text(USER, "Я в Алматы")
    await drain(bot)


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("method", SEND_METHODS)
async def test_every_send_survives_every_fault(
    fake: FakeTelegram, tmp_path: Path, method: str, fault: str
) -> None:
    async with running_bot(fake, tmp_path / "db.sqlite3", REAL_CONTENT, operators_chat_id=OPS) as bot:
        bot.app.bot_data["courier"].base_delay = 0.05
        inject(fake, method, fault)
        await asyncio.wait_for(case_round_trip(fake, bot), 60)
        assert method not in fake._failures or not fake._failures[method], "the fault was never hit"

        # Nothing lost: the user has the case number and both answers; the operators have it all.
        mine = texts(fake.bot_messages(USER))
        assert any("№1" in t for t in mine), mine
        assert any("Здравствуйте, где вы?" in t for t in mine)
        assert any("photo" in m for m in fake.bot_messages(USER))
        threads = [t for t in fake.topics(OPS) if fake.group_messages(OPS, t)]
        group = [m for t in threads for m in fake.group_messages(OPS, t)]
        group_texts = texts(group)
        assert any("Вопрос №1" in t for t in group_texts)
        assert any("Я в Алматы" in t for t in group_texts)
        assert any("photo" in m for m in group)
        # A button answer whose outcome is unknown is not repeated (a repeat would be refused):
        # at worst one spinner runs until Telegram stops it.
        unanswered = [q for q in fake.queries.values() if not q.answered]
        allowed = 1 if (method, fault) == ("answerCallbackQuery", "timeout") else 0
        assert len(unanswered) <= allowed

        # A duplicate only where Telegram did the call and the answer was lost.
        counts = Counter(t for t in mine + group_texts if t)
        duplicates = {t: n for t, n in counts.items() if n > 1 and "Поговорить" not in t}
        if fault == "drop_after" and method in ("sendMessage", "copyMessage"):
            assert sum(n - 1 for n in duplicates.values()) <= 1, duplicates
        else:
            assert duplicates == {}, duplicates
        extra_topics = len(fake.topics(OPS)) - 1
        assert extra_topics <= (1 if (method, fault) == ("createForumTopic", "drop_after") else 0)

        # Telegram refused nothing, except the one repeat that the lost answer made unavoidable.
        refused = [e for e in fake.errors if not e[1].startswith(("Too Many", "Internal"))]
        if fault == "drop_after" and method == "editMessageText":
            assert all("not modified" in e[1] for e in refused), refused
        else:
            assert refused == [], refused


async def press_latencies(fake: FakeTelegram, bot: RunningBot, presses: int) -> list[float]:
    """OTHER presses menu buttons again and again; the time until each press is answered and shown."""
    latencies = []
    loop = asyncio.get_running_loop()
    for i in range(presses):
        label = "Регистрация" if i % 2 == 0 else "Главное меню"
        before = fake.screen(OTHER)["text"]
        qid = fake.tap(OTHER, label)
        sent = fake.pushed_at[fake.updates[-1]["update_id"]]
        deadline = loop.time() + 15
        while not (fake.answered(qid) and fake.screen(OTHER)["text"] != before):
            assert loop.time() < deadline, f"press {i} got no answer within 15 s"
            await asyncio.sleep(0.002)
        latencies.append(time.monotonic() - sent)
        await asyncio.sleep(0.15)  # a quick human, under the flood limit
    return latencies


#: Seconds: a p95 above this means the others wait behind the flood (it was 5.6 s before lanes).
FROZEN = 2.5


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


@pytest.mark.timed  # scripts/test runs it alone, after the rest: it times answers
@pytest.mark.parametrize("open_case", [False, True], ids=["no_case", "open_case"])
async def test_one_flooding_user_does_not_slow_the_others(
    fake: FakeTelegram, tmp_path: Path, open_case: bool
) -> None:
    async with running_bot(
        fake, tmp_path / "db.sqlite3", REAL_CONTENT, operators_chat_id=OPS, rate_limiter=True
    ) as bot:
        for user in (USER, OTHER):
            fake.send_text(user, "/start")
            await bot.settle()
            fake.tap(user, "Русский")
            await bot.settle()
        if open_case:
            fake.tap(USER, "Поговорить с человеком")
            await bot.settle()
            fake.tap(USER, "Да, передать человеку")
            await bot.settle()
            fake.send_text(USER, "Мне не платят")
            await bot.settle(timeout=20)
        for i in range(200):
            fake.send_text(USER, f"сообщение {i}")
        latencies = await press_latencies(fake, bot, 20)
        # A guard against the freeze, not a speed target (that is the benchmark's flood scenario:
        # others' p95 about 0.1 s). Before lanes, others waited behind the flood: p95 5.6 s. The
        # bound leaves room for a loaded 2-core machine (a first press took 1.6 s under 4 helpers).
        assert p95(latencies) < FROZEN, [round(x, 3) for x in latencies]

        intake = bot.app.bot_data["intake"]
        if open_case:
            # Every word reaches the operators (merged into few messages: the group is throttled).
            await asyncio.wait_for(bot.settle(timeout=60), 90)
            relayed = "\n".join(texts(fake.group_messages(OPS)))
            missing = [i for i in range(200) if f"сообщение {i}\n" not in relayed + "\n"]
            assert missing == []
            assert len(fake.group_messages(OPS)) < 30
        else:
            await bot.settle(timeout=30)
            assert intake.dropped > 100
            notices = [t for t in texts(fake.bot_messages(USER)) if "слишком быстро" in t]
            assert 1 <= len(notices) <= 3  # one per flood window
