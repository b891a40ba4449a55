"""The repository layer: migrations, WAL, saving and loading users' places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.engine import State
from bot.storage import MIGRATIONS, Storage


async def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    async with Storage(tmp_path / "sub" / "db.sqlite3") as store:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"


async def test_state_round_trip_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    state = State(user_id=42, lang="uz", lang_chosen=True, node="reg_uz", stack=("main", "reg"))
    async with Storage(path) as store:
        assert await store.load_user(42) is None
        await store.save_user(state)
    async with Storage(path) as store:  # a restart
        assert await store.load_user(42) == state
        assert await store.schema_version() == len(MIGRATIONS)


async def test_last_seen_moves_created_at_stays(tmp_path: Path) -> None:
    times = iter([dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 2, tzinfo=dt.UTC)])
    async with Storage(tmp_path / "db.sqlite3", clock=lambda: next(times)) as store:
        await store.save_user(State(user_id=1))
        await store.save_user(State(user_id=1, node="main"))
        created, seen = await store.user_times(1)
    assert created.startswith("2026-11-01") and seen.startswith("2026-11-02")


async def test_damaged_stack_is_reset_not_fatal(tmp_path: Path) -> None:
    async with Storage(tmp_path / "db.sqlite3") as store:
        await store.save_user(State(user_id=1, node="main"))
        await store.db.execute("UPDATE users SET stack = 'not json' WHERE user_id = 1")
        await store.db.commit()
        state = await store.load_user(1)
    assert state is not None and state.stack == () and state.node == "main"
