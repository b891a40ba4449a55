"""Micro-benchmark: the engine, typed-question matching and engine + SQLite per update, in-process.

Run: .venv/bin/python scripts/bench_micro.py [--updates N]
Targets are measured here, never in timed tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import REPO_ROOT  # noqa: E402
from bot.content.loader import ContentStore, load_content  # noqa: E402
from bot.engine import Press, Start, State, Text, handle, screen  # noqa: E402
from bot.service import Dialogue  # noqa: E402
from bot.storage import Storage  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def _random_press(content, state: State, rng: random.Random) -> Press:
    say, _ = screen(content, state.lang, state.node or "main", TODAY)
    buttons = [b for row in say.buttons for b in row if b.data.startswith(("o|", "b|", "m"))]
    return Press(rng.choice(buttons).data)


def bench_engine(n: int) -> list[float]:
    content = load_content(REPO_ROOT / "content")
    rng = random.Random(1)
    state = State(user_id=1, lang_chosen=True, node="main")
    times = []
    for i in range(n):
        state = State(
            user_id=1,
            lang=content.languages[i % len(content.languages)],
            lang_chosen=True,
            node=state.node,
            stack=state.stack,
        )
        event = _random_press(content, state, rng)
        t0 = time.perf_counter()
        state, _ = handle(content, state, event, TODAY)
        times.append(time.perf_counter() - t0)
    return times


def bench_typed(n: int) -> list[float]:
    """Typed questions (the hand-written test phrasings, all languages): matching + engine."""
    import yaml

    content = load_content(REPO_ROOT / "content")
    texts = []
    for path in sorted((REPO_ROOT / "tests" / "data" / "phrasings").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [t for t, _ in data["topics"]] + list(data["danger"])
    state = State(user_id=1, lang_chosen=True, node="main")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        handle(content, state, Text(texts[i % len(texts)]), TODAY)
        times.append(time.perf_counter() - t0)
    return times


def bench_matching(rounds: int) -> tuple[list[float], list[float], int]:
    """Typed-question matching alone, on every test message (tests/data/typed, phrasings).

    "cold": the per-word cache is emptied before each message, as if every word were new;
    "warm": the cache kept, as in a running bot where common words repeat.
    """
    import yaml

    content = load_content(REPO_ROOT / "content")
    texts: list[str] = []
    for path in sorted((REPO_ROOT / "tests" / "data" / "typed").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [d["text"] for d in data.get("danger", [])] + [d["text"] for d in data.get("everyday", [])]
    for path in sorted((REPO_ROOT / "tests" / "data" / "phrasings").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [t for t, _ in data["topics"]] + list(data["danger"])
    matcher = content.matcher
    cold, warm = [], []
    for _ in range(rounds):
        for text in texts:
            matcher._index._cache.clear()
            t0 = time.perf_counter()
            matcher.match(text)
            cold.append(time.perf_counter() - t0)
        for text in texts:
            t0 = time.perf_counter()
            matcher.match(text)
            warm.append(time.perf_counter() - t0)
    return cold, warm, len(texts)


async def bench_dialogue(n: int, users: int) -> list[float]:
    content = ContentStore(REPO_ROOT / "content")
    rng = random.Random(2)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        async with Storage(Path(tmp) / "bench.sqlite3") as storage:
            dialogue = Dialogue(storage, content, today=lambda: TODAY)
            for uid in range(1, users + 1):
                await dialogue.process(uid, Start(language_code="ky"))
            for _ in range(n):
                uid = rng.randint(1, users)
                state = await dialogue.state_of(uid)
                event = _random_press(content.current, state, rng)
                t0 = time.perf_counter()
                await dialogue.process(uid, event)
                times.append(time.perf_counter() - t0)
    return times


def _summary(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"{name}: n={len(ms)} median={statistics.median(ms):.3f} ms p95={p95:.3f} ms max={ms[-1]:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the typed test messages")
    args = parser.parse_args()
    # Timings first, without tracemalloc (it slows Python several times over); memory after.
    print(_summary("engine.handle", bench_engine(args.updates)))
    print(_summary("typed question (match+engine)", bench_typed(args.updates)))
    cold, warm, count = bench_matching(args.rounds)
    print(f"typed-question matching over {count} test messages x {args.rounds} (target: p95 <= 5 ms):")
    print("  " + _summary("matching, cold word cache", cold))
    print("  " + _summary("matching, warm word cache", warm))
    t0 = time.perf_counter()
    load_content(REPO_ROOT / "content")
    print(f"content load and index: {(time.perf_counter() - t0) * 1000:.0f} ms")
    print(_summary("load+engine+save (SQLite)", asyncio.run(bench_dialogue(args.updates, args.users))))
    tracemalloc.start()
    bench_typed(args.updates // 4)
    asyncio.run(bench_dialogue(args.updates // 4, args.users))
    _, peak = tracemalloc.get_traced_memory()
    print(f"peak traced memory: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
