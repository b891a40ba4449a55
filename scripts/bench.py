"""Benchmark of the whole bot, beside a bare PTB echo bot measured in the same run.

Run (from a fresh clone; installs .venv the first time, about 4 minutes on 2 cores):

    scripts/bench            # = .venv/bin/python scripts/bench.py [--seconds S] [--json PATH]

The bot runs as its own process (``python -m bot run``, or the same Application with the rate
limiter off for the capacity run), talking over loopback HTTP to the fake Bot API
(``tests/fake_server.py``) that this process serves. Simulated users walk the real trees: button
presses, back, the main menu, typed questions in their language, a language switch, the
deadlines form with typed dates, a few documents, and hand-offs to an operators' group where an
operator answers and closes each case. Everything is measured from outside the bot:

- time to first reply: from the moment a user's update is offered to the first Bot API call
  the bot makes to that chat (an answered button, a message);
- CPU per update: the bot process's CPU time (user + system, /proc) over the load window divided
  by the updates offered, not wall-clock time;
- peak RSS of the bot process (VmHWM), ready-to-poll time (spawn to the first getUpdates),
  database size.

Every scenario is then replayed, update for update and at the same moments, against a bare PTB
echo bot (one handler, as PTB's own examples: it answers a pressed button and edits that message,
and sends a private text back) on the same transport, and
every figure is printed as a ratio to the echo bot's, so the figures hold on a noisy machine.
Results: a table on stdout, JSON (``--json``, default ``bench-results.json``); the latest figures
are recorded in docs/BENCHMARKS.md. Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import copy
import datetime as dt
import importlib.util
import inspect
import itertools
import json
import logging
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parent.parent
sys.path.insert(0, str(REPO))

TOKEN = "123456:BENCH-token"
OPS = -1001
OPERATOR = 20_000_001  # apart from every simulated user
LANGS = ("ru", "ky", "uz", "kk")
#: Bot API methods that are a reply a user sees (the first of them ends "time to first reply").
REPLIES = {"sendMessage", "editMessageText", "answerCallbackQuery", "sendPhoto", "copyMessage"}
SESSION_POOL = 100  # users in a session at once (the rest of the population is stored only)
THINK = 0.05  # a user acts again at the earliest this long after the bot's last reply to them
NO_REPLY = 10.0  # an update still unanswered after this long is counted as unanswered
FLOODER = 10_000_000
WARM_UID = 50_000_000  # the users of the warm-up, apart from the measured ones


# --- the bots, as child processes ------------------------------------------------------------------


def _child(kind: str, limiter: bool) -> None:
    """Run inside the child process: the bot (like ``python -m bot run``) or the echo bot."""
    from telegram import Update

    if kind == "joldosh":
        from bot.config import Settings
        from bot.logs import setup_logging
        from handlers.app import build_application, run_bot

        settings = Settings.from_env()
        setup_logging(settings.log_level)
        if "rate_limiter" in inspect.signature(run_bot).parameters:
            run_bot(settings, rate_limiter=limiter)  # as `python -m bot run`, the limiter off or on
        else:  # an older commit, measured for comparison
            build_application(settings, rate_limiter=limiter).run_polling(allowed_updates=Update.ALL_TYPES)
        return

    from telegram import Message
    from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, TypeHandler

    # The bot's fix of a slow path of httpcore (handlers.app.mark_missing_modules): the echo bot
    # gets it too, so that the ratios measure the bot's own work.
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is not None:  # as PTB's own inline-keyboard example: answer, then edit the message
            await query.answer()
            if isinstance(query.message, Message):
                markup = query.message.reply_markup
                await query.edit_message_text(f"{query.data} #{update.update_id}", reply_markup=markup)
        elif update.effective_chat is not None and update.effective_chat.type == "private":
            message = update.effective_message
            text = (message.text if message is not None else None) or "?"
            await context.bot.send_message(update.effective_chat.id, text)

    builder = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["BOT_API_BASE_URL"])
        .base_file_url(os.environ["BOT_API_FILE_URL"])
    )
    # The bot's transport (Bot API calls as JSON bodies, handlers/transport.py) for the echo bot
    # too: the ratios measure the bot's own work, not a cheaper encoding.
    with contextlib.suppress(ImportError):  # an older commit, measured for comparison, has none
        from handlers.transport import JsonRequest

        builder = builder.request(JsonRequest())
    if limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    app.add_handler(TypeHandler(Update, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_status(pid: int, key: str) -> float:
    """A /proc/<pid>/status figure in MB (VmHWM: peak resident memory, VmRSS: now)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _db_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


# --- the fake Telegram, measuring ----------------------------------------------------------------------


def _fake_class():
    from tests.fake_api import FakeTelegram

    class BenchTelegram(FakeTelegram):
        """The tests' fake Bot API, also timing the first reply to every update a user sends."""

        def __init__(self) -> None:
            super().__init__()
            self.ready_at: float | None = None
            self.webhooks_expected = 0  # webhook mode: ready once this many replicas set the webhook
            self._webhooks_set = 0
            self.waiting: dict[int, list[tuple[int, float]]] = {}  # chat -> (update id, offered at)
            self.first_reply: dict[int, float] = {}  # update id -> seconds to the first reply
            self.replied_at: dict[int, float] = {}  # chat -> last reply
            self.unanswered = 0
            self._cursor = 0

        def _push(self, update: dict[str, Any]) -> int:
            update_id = super()._push(update)
            body = update.get("message") or update.get("callback_query") or {}
            chat = (body.get("chat") or (body.get("message") or {}).get("chat") or {}).get("id")
            if chat is not None and chat > 0:
                now = self.pushed_at[update_id]
                waiting = self.waiting.setdefault(chat, [])
                old = [w for w in waiting if now - w[1] > NO_REPLY]  # e.g. a text relayed to a case
                if old:
                    self.unanswered += len(old)
                    waiting[:] = [w for w in waiting if now - w[1] <= NO_REPLY]
                waiting.append((update_id, now))
            return update_id

        def busy(self, chat: int, now: float) -> bool:
            """Is the user still waiting for a reply (or just got one)?"""
            waiting = self.waiting.get(chat)
            if waiting and now - waiting[-1][1] <= NO_REPLY:
                return True
            return now - self.replied_at.get(chat, -1e9) < THINK

        async def _handle(self, request: Any) -> Any:
            if self.ready_at is None and request.url.path.endswith("/getUpdates"):
                self.ready_at = time.monotonic()
            if request.url.path.endswith("/setWebhook"):  # a replica's server is listening
                self._webhooks_set += 1
                if self.ready_at is None and self._webhooks_set >= self.webhooks_expected:
                    self.ready_at = time.monotonic()
            response = await super()._handle(request)
            while self._cursor < len(self.timeline):
                when, method, chat = self.timeline[self._cursor]
                self._cursor += 1
                if method in REPLIES and chat is not None:
                    self.replied_at[chat] = when
                    for update_id, offered in self.waiting.pop(chat, ()):
                        self.first_reply[update_id] = when - offered
            return response

        def push_copy(self, update: dict[str, Any]) -> int:
            """Offer a recorded update again (the echo bot's replay): same content, new update id."""
            from tests.fake_api import _Query

            update = copy.deepcopy(update)
            update.pop("update_id", None)
            query = update.get("callback_query")
            if query is not None:
                self.queries[query["id"]] = _Query(query["id"], query["from"]["id"])
                message = query["message"]  # the pressed message, so that it can be edited
                chat = self.chats[message["chat"]["id"]]
                chat.messages.setdefault(message["message_id"], copy.deepcopy(message))
            elif "message" in update and update["message"]["chat"]["id"] > 0:
                self.chats[update["message"]["chat"]["id"]].started = True  # as a user's message does
            return self._push(update)

    return BenchTelegram


# --- simulated users -------------------------------------------------------------------------------------


def _typed_questions() -> dict[str, list[str]]:
    import yaml

    texts: dict[str, list[str]] = {}
    for lang in LANGS:
        data = yaml.safe_load((REPO / "tests" / "data" / "phrasings" / f"{lang}.yaml").read_text("utf-8"))
        texts[lang] = [t for t, _ in data["topics"]] + list(data["danger"])[:5]
    return texts


@dataclass
class Walker:
    """One simulated user: reads the screen the bot showed and picks the next thing to do."""

    uid: int
    lang: str
    left: int  # actions left in this session
    plan: list[tuple[str, str]] = field(default_factory=list)  # scripted steps (form, hand-off)
    form: bool = False
    had_case: bool = False


class Users:
    """Walks the real trees through the fake: every action is one update the bot gets."""

    def __init__(self, fake: Any, rng: random.Random, population: int, first_uid: int = 1) -> None:
        self.fake = fake
        self.rng = rng
        self.population = population
        self.first_uid = first_uid
        self.texts = _typed_questions()
        self.walkers: dict[int, Walker] = {}
        self.cases_wanted = 0

    def _walker(self) -> Walker:
        while True:
            uid = self.first_uid + self.rng.randrange(self.population)
            if uid not in self.walkers:
                break
        if uid not in self.fake.chats:
            self.fake.user(uid, language_code=LANGS[uid % len(LANGS)])
        walker = Walker(uid, LANGS[uid % len(LANGS)], left=self.rng.randint(4, 14))
        walker.plan.append(("text", "/start"))
        self.walkers[uid] = walker
        return walker

    def fill(self, size: int) -> None:
        while len(self.walkers) < min(size, self.population):
            self._walker()

    def idle(self) -> list[Walker]:
        now = time.monotonic()
        return [w for w in self.walkers.values() if not self.fake.busy(w.uid, now)]

    def act(self, walker: Walker) -> None:
        """The walker's next update (and a new user takes its place when its session ends)."""
        self._step(walker)
        walker.left -= 1
        if walker.left <= 0 and not walker.plan and not walker.form:
            del self.walkers[walker.uid]
            self._walker()

    def _screen(self, uid: int) -> tuple[int, list[str]] | None:
        try:
            msg = self.fake.screen(uid)
        except AssertionError:
            return None
        return msg["message_id"], [data for _, data in self.fake.buttons(msg)]

    def _press(self, walker: Walker, prefix: str = "") -> bool:
        screen = self._screen(walker.uid)
        if screen is None:
            return False
        message_id, buttons = screen
        choice = [b for b in buttons if b.startswith(prefix)] if prefix else buttons
        if not choice:
            return False
        data = self.rng.choice(choice)
        if data.startswith("l|"):
            walker.lang = data[2:]
        self.fake.press(walker.uid, message_id, data)
        return True

    def _step(self, w: Walker) -> None:
        rng, fake = self.rng, self.fake
        while w.plan:
            kind, arg = w.plan.pop(0)
            if kind == "text":
                fake.send_text(w.uid, arg)
                return
            if self._press(w, arg):
                return
        if w.form:
            screen = self._screen(w.uid)
            buttons = screen[1] if screen else []
            form_buttons = [b for b in buttons if b.startswith("f|") and b not in ("f|show", "f|go")]
            w.form = False
            if buttons == ["m"]:  # a question answered by typing: a date (the kg/contract path)
                w.form = True
                fake.send_text(w.uid, rng.choice(["01.10.2026", "15.09.2026", "1.06.2027"]))
                return
            for wanted in ("f|cit|kg", "f|prev|no", "f|contract|yes", "f|on"):
                if wanted in form_buttons:
                    w.form = wanted != "f|on"
                    assert screen is not None
                    fake.press(w.uid, screen[0], wanted)
                    return
        r = rng.random()
        if self.cases_wanted > 0 and not w.had_case and rng.random() < 0.5:
            self.cases_wanted -= 1
            w.had_case = True
            w.plan = [
                ("press", "h|"),
                ("text", "Работодатель не платит зарплату уже два месяца, что делать?"),
            ]
            w.left = 3  # then the user waits for the operator (what they write now is relayed)
            fake.send_text(w.uid, "/help_me")
        elif r < 0.02:
            fake.send_document(w.uid, "contract.pdf")
        elif r < 0.10:
            w.form = True
            w.plan = [("press", "f|go")]
            fake.send_text(w.uid, "/reminders")
        elif r < 0.24:
            fake.send_text(w.uid, rng.choice(self.texts[w.lang]))
        elif r < 0.27:
            w.plan = [("press", "l|")]
            fake.send_text(w.uid, "/language")
        elif (r < 0.37 and self._press(w, "b|")) or (r < 0.40 and self._press(w, "m")):
            pass  # back, or the main menu
        elif not (self._press(w, "o|") or self._press(w, "g|") or self._press(w)):
            fake.send_text(w.uid, "/menu")


class Operators:
    """The hotline: answers every new case's topic after a second, closes it two seconds later."""

    def __init__(self, fake: Any, pace: float = 1.0) -> None:
        self.fake = fake
        self.pace = pace  # seconds to the answer; the case is closed twice as long after it
        self.seen: set[int] = set()
        self.todo: list[tuple[float, int, str]] = []

    def tick(self, now: float) -> None:
        for thread in self.fake.topics(OPS):
            if thread not in self.seen:
                self.seen.add(thread)
                self.todo += [
                    (now + self.pace, thread, "Здравствуйте! Где вы работаете?"),
                    (now + 3 * self.pace, thread, "/close"),
                ]
        due = [t for t in self.todo if t[0] <= now]
        self.todo = [t for t in self.todo if t[0] > now]
        for _, thread, text in due:
            if thread in self.fake.topics(OPS):
                self.fake.group_text(OPS, OPERATOR, text, thread_id=thread)


# --- one run of one bot --------------------------------------------------------------------------------


@dataclass
class Load:
    """What to offer: updates per second for a time (open loop), or as fast as answered (closed)."""

    users: int
    seconds: float
    rate: float = 25.0
    closed: int = 0  # > 0: this many users, each acting again as soon as its reply came
    flood_at: float | None = None  # one user sends FLOOD messages at once, this many seconds in
    flood: int = 200
    cases_every: float = 8.0  # a hand-off to the operators about this often
    operator_pace: float = 1.0  # an operator answers a new case this long after it came
    warmup: float = 2.0  # seconds of the same kind of load first, not measured (a fresh process)
    limiter: bool = True
    #: The bot on PostgreSQL (a fresh schema on JOLDOSH_BENCH_PG_URL) instead of SQLite, and how many
    #: replicas: more than one run in webhook mode behind a round-robin proxy (tests/proxy.py), the
    #: fake Telegram posting each update to the proxy (tests/fake_server.WebhookPusher).
    postgres: bool = False
    replicas: int = 1


@dataclass
class Result:
    bot: str
    updates: int = 0
    answered: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, users' private updates
    window: list[float] = field(default_factory=list)  # others' latencies during a flood
    cpu: float = 0.0  # bot process CPU seconds over the load
    wall: float = 0.0
    ready: float = 0.0  # spawn to first getUpdates
    rss_peak: float = 0.0
    db_bytes: int = 0
    errors: int = 0
    unanswered: int = 0
    calls: dict[str, int] = field(default_factory=dict)  # Bot API calls by method (getUpdates too)
    cases: int = 0  # operators' topics opened
    slowest: list[tuple[float, float, str]] = field(default_factory=list)  # (ms, offered at s, kind)
    stream: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    warm: Result | None = None  # the warm-up's own stream (replayed to the echo bot too)
    repeats: int = 1
    all_updates: int = 0
    rejected: list[str] = field(default_factory=list)  # the first calls the fake Telegram refused
    cpu_all_ms: list[float] = field(default_factory=list)  # CPU per update of each repetition
    closed_order: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def pct(self, q: float, which: str = "latencies") -> float:
        values = sorted(getattr(self, which))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000

    @property
    def cpu_ms(self) -> float:
        return self.cpu / max(1, self.updates) * 1000

    @property
    def rate(self) -> float:
        return self.answered / self.wall if self.wall else 0.0

    @staticmethod
    def merge(runs: list[Result]) -> Result:
        """Repeated runs as one: all latencies; the least CPU per update (noise only adds to it)."""
        best = min(runs, key=lambda r: r.cpu_ms)
        merged = replace(best, repeats=len(runs))
        merged.latencies = [x for r in runs for x in r.latencies]
        merged.window = [x for r in runs for x in r.window]
        merged.answered = sum(r.answered for r in runs)
        merged.wall = sum(r.wall for r in runs)
        merged.rss_peak = max(r.rss_peak for r in runs)
        merged.ready = min(r.ready for r in runs)
        merged.unanswered = sum(r.unanswered for r in runs)
        merged.errors = sum(r.errors for r in runs)
        merged.rejected = [x for r in runs for x in r.rejected][:5]
        merged.cpu_all_ms = [round(r.cpu_ms, 3) for r in runs]
        return merged


async def _spawn(bot: str, limiter: bool, env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    python = [sys.executable]
    if bot == "joldosh" and env.get("BENCH_PROFILE"):  # --profile: cProfile of the bot process
        python += ["-m", "cProfile", "-o", f"{env['BENCH_PROFILE']}.{'on' if limiter else 'off'}.prof"]
    if bot == "joldosh" and env.get("BENCH_SQL"):  # --sql: count the bot's SQL statements
        census = f"{env['BENCH_SQL']}.{'on' if limiter else 'off'}.json"
        python += [str(REPO / "scripts" / "sql_census.py"), census]
    if bot == "joldosh" and limiter:
        cmd = [*python, "-m", "bot", "run"]  # exactly what production runs
    else:
        cmd = [*python, str(SCRIPT), "--child", bot]
        if not limiter:
            cmd.append("--no-limiter")
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(*cmd, cwd=REPO, env=env, stdout=out, stderr=out)


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def run_one(
    bot: str,
    load: Load,
    db: Path | str,
    rng_seed: int,
    replay: Result | None = None,
    seed_users: int = 0,
    log: Path | None = None,
) -> Result:
    """Start ``bot``, offer the load (or replay ``replay``'s stream), measure, stop.

    ``db`` is a SQLite file, or a ``postgresql://`` URL (the bot's replicas share it).
    """
    from tests import proxy
    from tests.fake_server import WebhookPusher, serve

    fake = _fake_class()()
    fake.group(OPS, forum=True, members=[OPERATOR])
    rng = random.Random(rng_seed)
    result = Result(bot)
    users = Users(fake, rng, max(load.users, 1))
    operators = Operators(fake, load.operator_pace)
    flooder = FLOODER
    if replay is not None:  # the same chats as in the recorded run
        recorded = replay.stream + (replay.warm.stream if replay.warm is not None else [])
        for uid in sorted({u for _, u in _stream_users(recorded)}):
            if uid not in fake.chats:
                fake.user(uid, language_code=LANGS[uid % len(LANGS)])
    else:
        fake.user(flooder, language_code="ru")
    log = log or Path(db).with_suffix(".log")
    replicas = load.replicas if bot == "joldosh" else 1
    pg = bot == "joldosh" and str(db).startswith("postgresql://")
    async with contextlib.AsyncExitStack() as stack:
        base_url = await stack.enter_async_context(serve(fake))
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": base_url,
            "BOT_API_FILE_URL": base_url.replace("/bot", "/file/bot"),
            "DATABASE_PATH": str(db) if not pg else "",
            "DATABASE_URL": str(db) if pg else "",
            "CONTENT_DIR": str(REPO / "content"),
            "OPERATORS_CHAT_ID": str(OPS),
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.pop("WEBHOOK_URL", None)
        envs = [env]
        pusher = None
        if replicas > 1:  # webhook mode behind a proxy; the fake Telegram posts the updates
            ports = [_free_port() for _ in range(replicas)]
            lb, _ = await stack.enter_async_context(proxy.serve([f"http://127.0.0.1:{p}" for p in ports]))
            hook = {"WEBHOOK_URL": f"{lb}/telegram", "WEBHOOK_SECRET": "bench-secret"}
            envs = [{**env, **hook, "PORT": str(port)} for port in ports]
            fake.webhooks_expected = replicas
            pusher = WebhookPusher(fake)
        started = time.monotonic()
        procs = [await _spawn(bot, load.limiter, e, log) for e in envs]
        proc = procs[0]
        pushing = asyncio.create_task(pusher.run()) if pusher is not None else None
        try:
            while fake.ready_at is None:
                if any(p.returncode is not None for p in procs) or time.monotonic() - started > 60:
                    raise RuntimeError(f"{bot} did not start; see {log}:\n{_tail(log)}")
                await asyncio.sleep(0.005)
            result.ready = fake.ready_at - started
            await asyncio.sleep(0.5)  # let start-up work (commands, first sweeps) finish
            if load.warmup and not load.closed:  # first use of each code path, caches: not measured
                warm = Load(SESSION_POOL, load.warmup, load.rate, cases_every=1e9, limiter=load.limiter)
                result.warm = Result("warm-up")
                warm_users = Users(fake, random.Random(rng_seed + 1), SESSION_POOL, first_uid=WARM_UID)
                warm_replay = replay.warm if replay is not None else None
                tw = time.monotonic()
                await _open_loop(
                    fake, warm_users, Operators(fake), warm, result.warm, warm_replay, tw, flooder
                )
                await _settle(fake, timeout=30)
            first, calls0 = len(fake.updates), len(fake.calls)
            cpu0 = sum(_proc_cpu(p.pid) for p in procs)
            t0 = time.monotonic()
            spy = None
            if env.get("BENCH_PYSPY"):  # --py-spy: sample the bot (and the echo bot) under load
                which = "" if bot == "joldosh" else f".{bot}"
                out = f"{env['BENCH_PYSPY']}{which}.{'on' if load.limiter else 'off'}.txt"
                spy = await asyncio.create_subprocess_exec(
                    "py-spy", "record", "--gil", "-r", env.get("BENCH_PYSPY_RATE", "200"),
                    "-f", "raw", "-o", out,
                    "-d", str(int(load.seconds) + 1), "-p", str(proc.pid),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            if load.closed:
                await _closed_loop(fake, users, load, result, replay, t0)
            else:
                await _open_loop(fake, users, operators, load, result, replay, t0, flooder)
            await _settle(fake, timeout=30)
            result.wall = time.monotonic() - t0 if not load.closed else result.wall
            result.cpu = sum(_proc_cpu(p.pid) for p in procs) - cpu0  # every replica's
            result.rss_peak = max(_proc_status(p.pid, "VmHWM") for p in procs)  # the largest replica
            if spy is not None:
                await asyncio.wait_for(spy.wait(), 60)
        finally:
            for p in procs:
                await _stop(p)
            if pushing is not None and pusher is not None:
                pushing.cancel()
                await asyncio.gather(pushing, return_exceptions=True)
                await pusher.close()
    measured = fake.updates[first:]
    result.updates = len(measured)
    result.all_updates = len(fake.updates)  # with the warm-up
    private = [u for u in measured if _chat_of(u) not in (None, OPS, flooder) and _chat_of(u) > 0]
    result.latencies = [
        fake.first_reply[u["update_id"]] for u in private if u["update_id"] in fake.first_reply
    ]
    timed = [(fake.first_reply[u["update_id"]], u) for u in private if u["update_id"] in fake.first_reply]
    result.slowest = [
        (round(lat * 1000, 1), round(fake.pushed_at[u["update_id"]] - t0, 2), _kind(u))
        for lat, u in sorted(timed, key=lambda p: -p[0])[:8]
    ]
    if load.flood_at is not None:
        start = t0 + load.flood_at
        result.window = [
            fake.first_reply[u["update_id"]]
            for u in private
            if u["update_id"] in fake.first_reply and start <= fake.pushed_at[u["update_id"]] <= start + 10
        ]
    if not load.closed:
        result.answered = len(result.latencies)
    result.errors = len(fake.errors)
    result.rejected = [f"{m}: {d[:80]}" for m, d in fake.errors[:5]]
    result.calls = dict(collections.Counter(fake.calls[calls0:]))
    result.cases = len(operators.seen) if replay is None else 0
    result.unanswered = fake.unanswered + sum(
        1 for chat, waiting in fake.waiting.items() if chat != flooder for _ in waiting
    )
    result.db_bytes = await _pg_size(str(db)) if pg else _db_size(Path(db))
    return result


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: The PostgreSQL server of the replica scenarios (a schema of its own per run, dropped after).
PG_URL = os.environ.get("JOLDOSH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.asynccontextmanager
async def _pg_schema() -> Any:
    import asyncpg

    schema = f"bench_{random.getrandbits(40):010x}"
    conn = await asyncpg.connect(PG_URL, timeout=5)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}search_path={schema}"
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


async def _pg_size(url: str) -> int:
    """Bytes of the schema's tables and indexes (the PostgreSQL counterpart of the file size)."""
    import asyncpg

    schema = url.rsplit("search_path=", 1)[-1]
    conn = await asyncpg.connect(PG_URL, timeout=5)
    try:
        size = await conn.fetchval(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
            schema,
        )
    finally:
        await conn.close()
    return int(size)


def _kind(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return "button"
    text = update.get("message", {}).get("text")
    return "document" if text is None else "command" if text.startswith("/") else "text"


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-20:]) if log.exists() else ""


def _chat_of(update: dict[str, Any]) -> int | None:
    body = update.get("message") or update.get("callback_query") or {}
    chat = body.get("chat") or (body.get("message") or {}).get("chat") or {}
    return chat.get("id")


def _stream_users(stream: list[tuple[float, dict[str, Any]]]) -> list[tuple[float, int]]:
    out = []
    for when, update in stream:
        chat = _chat_of(update)
        if chat is not None and chat > 0:
            out.append((when, chat))
    return out


async def _open_loop(
    fake: Any,
    users: Users,
    operators: Operators,
    load: Load,
    result: Result,
    replay: Result | None,
    t0: float,
    flooder: int,
) -> None:
    """Offer ``load.rate`` updates a second for ``load.seconds``, on a fixed schedule."""
    if replay is not None:
        for when, update in replay.stream:
            delay = t0 + when - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            fake.push_copy(update)
        return
    users.fill(SESSION_POOL)
    total = int(load.seconds * load.rate)
    next_case = load.cases_every / 2
    flooded = load.flood_at is None
    recorded = len(fake.updates)  # what came before (the warm-up) is not this stream
    for i in range(total):
        at = i / load.rate
        delay = t0 + at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic() - t0
        if at >= next_case:
            users.cases_wanted += 1
            next_case += load.cases_every
        operators.tick(time.monotonic())
        if not flooded and now >= load.flood_at:
            flooded = True
            for n in range(load.flood):
                fake.send_text(flooder, f"помогите {n}")
        idle = users.idle()
        if idle:
            users.act(users.rng.choice(idle))
        for update in fake.updates[recorded:]:
            result.stream.append((fake.pushed_at[update["update_id"]] - t0, update))
        recorded = len(fake.updates)
    # The operators finish their cases (their updates are part of the stream too).
    deadline = time.monotonic() + 5
    await asyncio.sleep(0.2)
    operators.tick(time.monotonic())
    while operators.todo and time.monotonic() < deadline:
        operators.tick(time.monotonic())
        await asyncio.sleep(0.05)
    for update in fake.updates[recorded:]:
        result.stream.append((fake.pushed_at[update["update_id"]] - t0, update))


async def _closed_loop(
    fake: Any, users: Users, load: Load, result: Result, replay: Result | None, t0: float
) -> None:
    """``load.closed`` users, each acting again right after its reply: the most the bot can do.

    The rate is counted over the second half of the run (after the pipeline filled).
    """
    if replay is None:
        users.fill(load.closed)
        sequences = None
    else:
        sequences = {uid: itertools.cycle(updates) for uid, updates in replay.closed_order.items()}
        for uid in sequences:
            if uid not in fake.chats:
                fake.user(uid, language_code=LANGS[uid % len(LANGS)])
    end = t0 + load.seconds
    half = t0 + load.seconds / 2
    count_from = len(fake.first_reply)
    answered_at_half = None
    while time.monotonic() < end:
        if answered_at_half is None and time.monotonic() >= half:
            answered_at_half = len(fake.first_reply)
            half = time.monotonic()
        if sequences is None:
            for walker in users.idle():
                before = len(fake.updates)
                users.act(walker)
                for update in fake.updates[before:]:
                    result.closed_order.setdefault(walker.uid, []).append(update)
        else:
            now = time.monotonic()
            for uid, updates in sequences.items():
                if not fake.busy(uid, now):
                    fake.push_copy(next(updates))
        await asyncio.sleep(0.002)
    done = len(fake.first_reply) - (answered_at_half if answered_at_half is not None else count_from)
    result.wall = time.monotonic() - half
    result.answered = done
    if replay is None:
        result.stream = [(0.0, u) for u in fake.updates]


async def _settle(fake: Any, timeout: float) -> None:
    """Wait until every user's update got its reply and the bot has been quiet for a moment."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        quiet = time.monotonic() - max(fake.replied_at.values(), default=0.0)
        now = time.monotonic()
        waiting = [c for c, w in fake.waiting.items() if c != FLOODER and w and now - w[-1][1] <= NO_REPLY]
        if not waiting and quiet > 0.3:
            return
        await asyncio.sleep(0.02)


# --- stored users --------------------------------------------------------------------------------------


async def seed_users(db: Path, count: int, rng_seed: int = 7) -> float:
    """Store ``count`` users with realistic states (random walks of the engine); returns seconds."""
    from bot.config import REPO_ROOT
    from bot.content.loader import load_content
    from bot.engine import Press, Start, State, handle, screen
    from bot.storage import Storage

    if count <= 0:
        return 0.0
    t0 = time.perf_counter()
    content = load_content(REPO_ROOT / "content")
    rng = random.Random(rng_seed)
    today = dt.date(2026, 11, 22)
    samples: list[State] = []
    for i in range(300):
        state = State(user_id=1, lang=LANGS[i % 4], lang_chosen=True)
        state, _ = handle(content, state, Start(language_code=LANGS[i % 4]), today)
        for _ in range(rng.randint(1, 8)):
            say, _ = screen(content, state.lang, state.node or "main", today)
            buttons = [b.data for row in say.buttons for b in row if b.data.startswith(("o|", "b|", "m"))]
            if not buttons:
                break
            state, _ = handle(content, state, Press(rng.choice(buttons)), today)
        samples.append(state)
    async with Storage(db) as storage:
        for start in range(1, count + 1, 2000):
            async with storage.transaction():
                for uid in range(start, min(count, start + 1999) + 1):
                    await storage.save_user(replace(samples[uid % len(samples)], user_id=uid))
    return time.perf_counter() - t0


# --- scenarios -----------------------------------------------------------------------------------------


@dataclass
class Pair:
    name: str
    load: Load
    bot: Result
    echo: Result
    stored: int = 0
    empty_db: int = 0
    seeded_db: int = 0  # the database before the bot started (the stored users)


async def scenario(name: str, load: Load, tmp: Path, stored: int = 0, seed: int = 1, repeat: int = 1) -> Pair:
    if load.postgres:
        return await _pg_scenario(name, load, tmp, stored, seed)
    db = tmp / f"{name}.sqlite3"
    empty = tmp / f"{name}-empty.sqlite3"
    from bot.storage import Storage

    async with Storage(empty):
        pass
    empty_size = _db_size(empty)
    await seed_users(db, stored)
    seeded = _db_size(db)
    # Each run its own copy of the stored users: a new fake Telegram numbers its updates from 1
    # again, and the bot would take them for updates it has already done.
    dbs = [db]
    for n in range(1, repeat):
        dbs.append(tmp / f"{name}-{n}.sqlite3")
        shutil.copyfile(db, dbs[-1])
    bots, echoes = [], []
    for n, run_db in enumerate(dbs):  # bot, echo, bot, echo: a slow spell of the machine hits both
        bots.append(await run_one("joldosh", load, run_db, seed + n))
        echoes.append(await run_one("echo", load, tmp / f"{name}-echo{n}.sqlite3", seed + n, replay=bots[-1]))
    return Pair(name, load, Result.merge(bots), Result.merge(echoes), stored, empty_size, seeded)


async def _pg_scenario(name: str, load: Load, tmp: Path, stored: int, seed: int) -> Pair:
    """The bot (its replicas) on a fresh PostgreSQL schema with ``stored`` users; the echo as always."""
    async with _pg_schema() as url:
        from bot.storage import Storage

        async with Storage(url):
            pass
        empty_size = await _pg_size(url)
        await seed_users(url, stored)  # type: ignore[arg-type]
        seeded = await _pg_size(url)
        bot = await run_one("joldosh", load, url, seed, log=tmp / f"{name}.log")
    echo = await run_one("echo", load, tmp / f"{name}-echo.sqlite3", seed, replay=bot)
    return Pair(name, load, Result.merge([bot]), Result.merge([echo]), stored, empty_size, seeded)


def content_times() -> dict[str, float]:
    """Load-and-check of the content in a fresh interpreter (as `python -m bot content check`)."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from bot.content.loader import load_content; from bot.content.check import check_content\n"
        "from bot.config import REPO_ROOT; import handlers.operators  # the check reads its commands\n"
        "t1 = time.perf_counter(); c = load_content(REPO_ROOT / 'content'); t2 = time.perf_counter()\n"
        "errors = check_content(c); t3 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t1, t3 - t2, len(errors))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"],
        cwd=REPO,
        capture_output=True,
        check=True,
        timeout=120,
    )
    command = time.perf_counter() - t0
    return {
        "imports_s": float(out[0]),
        "load_s": float(out[1]),
        "check_s": float(out[2]),
        "command_s": command,
    }


# --- report -----------------------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> str:
    return f"x{a / b:.2f}" if b and a == a and b == b else "-"


def _row(what: str, bot: float, echo: float | None, unit: str, fmt: str = "{:.1f}") -> list[str]:
    b = fmt.format(bot) if bot == bot else "-"
    e = fmt.format(echo) if echo is not None and echo == echo else "-"
    return [what, f"{b} {unit}".strip(), f"{e} {unit}".strip() if echo is not None else "-",
            _ratio(bot, echo) if echo is not None else "-"]  # fmt: skip


def rows(pairs: list[Pair], content: dict[str, float] | None) -> list[list[str]]:
    out: list[list[str]] = []
    for p in pairs:
        b, e = p.bot, p.echo
        tag = p.name
        if p.load.closed:
            out.append(_row(f"{tag}: sustained updates/s", b.rate, e.rate, "/s", "{:.0f}"))
            out.append(_row(f"{tag}: CPU per update", b.cpu_ms, e.cpu_ms, "ms", "{:.2f}"))
            out.append(_row(f"{tag}: peak RSS", b.rss_peak, e.rss_peak, "MB", "{:.0f}"))
            continue
        for q in (50, 95, 99):
            out.append(_row(f"{tag}: first reply p{q}", b.pct(q), e.pct(q), "ms"))
        if p.load.flood_at is not None:
            out.append(
                _row(f"{tag}: others' p95 in the flood", b.pct(95, "window"), e.pct(95, "window"), "ms")
            )
            out.append(
                _row(f"{tag}: others' max in the flood", b.pct(100, "window"), e.pct(100, "window"), "ms")
            )
        least = f" (least of {b.repeats} runs)" if b.repeats > 1 else ""
        out.append(_row(f"{tag}: CPU per update{least}", b.cpu_ms, e.cpu_ms, "ms", "{:.2f}"))
        out.append(_row(f"{tag}: peak RSS", b.rss_peak, e.rss_peak, "MB", "{:.0f}"))
        out.append(_row(f"{tag}: ready to poll", b.ready, e.ready, "s", "{:.2f}"))
        out.append(_row(f"{tag}: database file", b.db_bytes / 1e6, None, "MB", "{:.1f}"))
        if b.repeats == 1 and b.all_updates:
            growth = (b.db_bytes - p.seeded_db) / b.all_updates
            out.append(_row(f"{tag}: database growth per update", growth, None, "bytes", "{:.0f}"))
        if p.stored >= 10_000:
            per_1000 = (b.db_bytes - p.empty_db) / p.stored * 1000 / 1e6
            out.append(_row(f"{tag}: database per 1,000 users", per_1000, None, "MB", "{:.2f}"))
    if content:
        out.append(_row("content: load", content["load_s"] * 1000, None, "ms", "{:.0f}"))
        out.append(_row("content: load + check", (content["load_s"] + content["check_s"]) * 1000, None, "ms",
                        "{:.0f}"))  # fmt: skip
        out.append(_row("content: `python -m bot content check`", content["command_s"], None, "s", "{:.2f}"))
    return out


def table(lines: list[list[str]]) -> str:
    head = ["figure", "bot", "echo bot", "bot/echo"]
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(4)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*head), *(fmt.format(*r) for r in lines)])


def _machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_before": list(os.getloadavg()),
    }


def _summary(p: Pair) -> dict[str, Any]:
    def one(r: Result) -> dict[str, Any]:
        return {
            "updates": r.updates, "answered": r.answered, "p50_ms": r.pct(50), "p95_ms": r.pct(95),
            "p99_ms": r.pct(99), "max_ms": r.pct(100), "flood_window_p95_ms": r.pct(95, "window"),
            "cpu_ms_per_update": r.cpu_ms, "cpu_s": r.cpu, "rate_per_s": r.rate, "rss_peak_mb": r.rss_peak,
            "ready_s": r.ready, "db_bytes": r.db_bytes, "rejected_calls": r.errors,
            "unanswered": r.unanswered, "cases": r.cases, "api_calls": r.calls, "slowest": r.slowest,
            "repeats": r.repeats, "cpu_ms_per_update_each": r.cpu_all_ms, "all_updates": r.all_updates,
            "rejected": r.rejected,
        }  # fmt: skip

    return {
        "name": p.name, "users": p.load.users, "stored_users": p.stored, "rate": p.load.rate,
        "seconds": p.load.seconds, "closed_loop_users": p.load.closed, "rate_limiter": p.load.limiter,
        "flood_at": p.load.flood_at, "empty_db_bytes": p.empty_db, "seeded_db_bytes": p.seeded_db,
        "bot": one(p.bot), "echo": one(p.echo),
    }  # fmt: skip


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


async def main_async(args: argparse.Namespace) -> int:
    quick = args.quick
    secs = args.seconds or (2.5 if quick else 15.0)
    plan: list[tuple[str, Load, int, int]] = (  # name, load, stored users, repetitions
        # One small scenario with every kind of traffic: a smoke test of the benchmark itself.
        [
            (
                "smoke",
                Load(
                    users=5,
                    seconds=secs,
                    rate=10,
                    flood_at=0.3,
                    flood=40,
                    cases_every=0.5,
                    operator_pace=0.3,
                    warmup=0.5,
                ),
                5,
                1,
            )
        ]
        if quick
        else [
            ("users_100", Load(users=100, seconds=secs), 100, 1),
            ("users_1000", Load(users=1000, seconds=secs), 1000, 2),  # the targets' scenario: twice
            ("users_10000", Load(users=10_000, seconds=secs), 10_000, 1),
            ("capacity", Load(users=1000, seconds=10, closed=60, limiter=False), 1000, 1),
            ("flood", Load(users=1000, seconds=secs, flood_at=3.0), 1000, 1),
            ("stored_100000", Load(users=100_000, seconds=8), 100_000, 1),
        ]
    )
    if args.replicas:  # issue 17: the same load on SQLite, and on PostgreSQL with 1 and 2 replicas
        plan = [
            ("sqlite_1", Load(users=1000, seconds=secs), 1000, 1),
            ("pg_1", Load(users=1000, seconds=secs, postgres=True), 1000, 1),
            ("pg_2", Load(users=1000, seconds=secs, postgres=True, replicas=2), 1000, 1),
            ("sqlite_1_capacity", Load(users=1000, seconds=10, closed=60, limiter=False), 1000, 1),
            ("pg_1_capacity", Load(users=1000, seconds=10, closed=60, limiter=False, postgres=True), 1000, 1),
            (
                "pg_2_capacity",
                Load(users=1000, seconds=10, closed=60, limiter=False, postgres=True, replicas=2),
                1000,
                1,
            ),
        ]
    if args.only:
        plan = [p for p in plan if p[0] in args.only]
    machine = _machine()
    before = " ".join(f"{x:.2f}" for x in machine["load_before"])
    print(f"machine: {machine['cpu']}, {machine['cores']} cores, Python {machine['python']}; "
          f"load average before: {before}", flush=True)  # fmt: skip
    t_start = time.monotonic()
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory(prefix="joldosh-bench-") as tmp:
        for name, load, stored, repeat in plan:
            t = time.monotonic()
            pair = await scenario(name, load, Path(tmp), stored=stored, repeat=repeat)
            pairs.append(pair)
            print(
                f"  {name}: {time.monotonic() - t:.0f} s; load average {os.getloadavg()[0]:.2f}", flush=True
            )
            for line in rows([pair], None):
                print("    " + "  ".join(line), flush=True)
    content = None if quick or (args.only and "content" not in args.only) else content_times()
    lines = rows(pairs, content)
    print()
    print(table(lines))
    total = time.monotonic() - t_start
    machine["load_after"] = list(os.getloadavg())
    print(
        f"\n{total:.0f} s in all; load average after: {' '.join(f'{x:.2f}' for x in machine['load_after'])}"
    )
    payload = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "seconds": total,
        "scenarios": [_summary(p) for p in pairs],
        "content": content,
        "table": lines,
    }
    _write_json(Path(args.json), payload)
    print(f"written: {args.json}")
    failed = [p.name for p in pairs if not p.bot.answered or not p.echo.answered]
    if failed:
        print(f"no replies in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, help="length of each 25 updates/s scenario (default 15)")
    parser.add_argument("--json", default="bench-results.json", help="where to write the figures")
    parser.add_argument("--only", nargs="*", help="scenario names (users_100, capacity, flood, content...)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test of the benchmark")
    parser.add_argument(
        "--replicas",
        action="store_true",
        help="SQLite beside PostgreSQL with 1 and 2 replicas (latency at 25/s and capacity)",
    )
    parser.add_argument(
        "--profile", metavar="PATH", help="cProfile the bot process into PATH.on.prof/.off.prof"
    )
    parser.add_argument(
        "--py-spy",
        metavar="PATH",
        help="sample the bot with py-spy into PATH.on.txt/.off.txt, the echo bot into PATH.echo.on/off.txt"
        " (BENCH_PYSPY_RATE: samples a second, 200)",
    )
    parser.add_argument(
        "--sql", metavar="PATH", help="count the bot's SQL statements into PATH.on.json/.off.json"
    )
    parser.add_argument("--child", choices=["joldosh", "echo"], help=argparse.SUPPRESS)
    parser.add_argument("--no-limiter", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, limiter=not args.no_limiter)
        return 0
    # A long poll cut short when a bot stops is answered 500 by tornado: not worth a line.
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    if args.profile:
        os.environ["BENCH_PROFILE"] = str(Path(args.profile).resolve())
    if args.sql:
        os.environ["BENCH_SQL"] = str(Path(args.sql).resolve())
    if args.py_spy:
        os.environ["BENCH_PYSPY"] = str(Path(args.py_spy).resolve())
    if not Path("/proc/self/stat").exists():
        print("the benchmark reads /proc: run it on Linux", file=sys.stderr)
        return 2
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
