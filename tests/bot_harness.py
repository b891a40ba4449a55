"""Run the real PTB Application against the fake Bot API, and wait for it deterministically."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.content.loader import ContentStore, load_content
from bot.content.model import Content
from bot.storage.postgres import is_postgres_url
from handlers.app import build_application
from handlers.transport import JsonRequest
from tests.fake_api import FakeTelegram

TOKEN = "123456:TEST-token"

#: ``JOLDOSH_TEST_DB=postgres``: every bot a test starts runs on this test's own PostgreSQL schema
#: instead of the SQLite file it names (set per test by tests/conftest.py; ``scripts/test`` runs
#: the bot's tests once more that way).
PG_OVERRIDE: str | None = None


#: Content already loaded, by folder and the bytes of its files, newest last (at most 4 kept).
_LOADED: dict[tuple[Path, str], Content] = {}


def loaded_content(root: Path) -> Content:
    """``load_content(root)``, loaded once while the files under ``root`` stay the same.

    Every bot a test starts loaded its content anew: 1.2 s of CPU for the real content (most of it
    building the matcher), over a hundred times in the suite (it took 2 min 45 s of CPU fewer without)
    and again in the PostgreSQL pass (session 29).
    Content is not changed in place by the bot (a reload makes a new one), so bots may share it; the
    key is the folder and a hash of every file in it, so a test that edits its copy gets a fresh load.
    """
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(root)}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    key = (root, digest.hexdigest())
    if key not in _LOADED:
        _LOADED[key] = load_content(root)
        while len(_LOADED) > 4:
            del _LOADED[next(iter(_LOADED))]
    else:
        _LOADED[key] = _LOADED.pop(key)  # newest last
    return _LOADED[key]


class RunningBot:
    """A started Application plus a counter of fully processed updates."""

    def __init__(self, app: Application, fake: FakeTelegram) -> None:
        self.app = app
        self.fake = fake
        self.processed = fake.fetched  # updates before this start were handled by earlier runs

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every update sent so far is written down, processed, and its replies sent."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await self.fake.wait_confirmed(timeout)
        intake = self.app.bot_data["intake"]
        courier = self.app.bot_data["courier"]
        storage = intake.storage
        while True:
            await asyncio.wait_for(intake.idle(), max(0.1, deadline - loop.time()))
            lanes = [lane for lane in await storage.due_lanes() if lane != "ops" or courier.ops_chat]
            if await storage.inbox_count() == 0 and not lanes:
                return
            if loop.time() > deadline:
                raise TimeoutError(f"{await storage.inbox_count()} updates waiting, lanes {lanes}")
            intake.kick()
            courier.kick()
            await asyncio.sleep(0.005)


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram,
    database: Path | str,
    content_dir: Path,
    today: dt.date = dt.date(2026, 11, 22),
    *,
    now: Callable[[], dt.datetime] | None = None,
    rate_limiter: bool = False,
    token: str = TOKEN,
    **settings_overrides: Any,
) -> AsyncIterator[RunningBot]:
    """Start the bot like ``run_polling`` does, but inside the test's event loop.

    ``settings_overrides`` set any :class:`Settings` field (e.g. ``operators_chat_id``);
    ``now`` is the clock of cases and the outbox; ``token`` the bot's token.
    """
    # A ``postgresql://`` URL (tests.conftest.db_target) runs the bot on PostgreSQL (issue 17).
    if PG_OVERRIDE and not is_postgres_url(database):
        database = PG_OVERRIDE
    where = {"database_url": database} if is_postgres_url(database) else {"database_path": database}
    settings = Settings(bot_token=token, content_dir=content_dir, **where, **settings_overrides)
    extra = {"now": now} if now is not None else {}
    app = build_application(
        settings,
        content=ContentStore(content_dir, loaded_content(content_dir)),
        request=JsonRequest(httpx_kwargs={"transport": fake.transport}),  # as production sends
        updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        today=lambda: today,
        rate_limiter=rate_limiter,
        background_jobs=False,  # each test runs sweeps itself, with its own clock
        **extra,
    )
    running = RunningBot(app, fake)

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        running.processed += 1

    # Group 99 runs after the dialogue handlers (group 0) have finished with the update.
    app.add_handler(TypeHandler(Update, count), group=99)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await app.start()
    try:
        yield running
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
