"""Shared fixtures: content sets and a fixed clock."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import Content

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "data" / "content"
REAL_CONTENT = REPO / "content"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def demo_content() -> Content:
    """A small, stable content set for engine tests (ky is deliberately incomplete)."""
    return load_content(FIXTURE_CONTENT)


@pytest.fixture(scope="session")
def real_content() -> Content:
    """The content the bot ships with."""
    return load_content(REAL_CONTENT)


# --- both storage backends (issue 17): SQLite files and PostgreSQL schemas -----------------------

#: The PostgreSQL server the tests use; each test gets its own schema there, dropped afterwards.
PG_URL = os.environ.get("JOLDOSH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
_pg_reason: list[str | None] = []


async def _pg_unreachable() -> str | None:
    """Why PostgreSQL tests cannot run here (None: they can); asked once per session."""
    if not _pg_reason:
        try:
            import asyncpg

            conn = await asyncpg.connect(PG_URL, timeout=3)
            await conn.close()
            _pg_reason.append(None)
        except Exception as exc:  # noqa: BLE001 - any failure means: skip, saying why
            _pg_reason.append(f"no PostgreSQL at {PG_URL} (set JOLDOSH_TEST_PG_URL): {exc}")
    return _pg_reason[0]


@contextlib.asynccontextmanager
async def pg_schema_url() -> AsyncIterator[str]:
    """A fresh schema on the test server, as a ``DATABASE_URL``; dropped with everything in it."""
    import asyncpg

    reason = await _pg_unreachable()
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_URL, timeout=5)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}search_path={schema}"
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str | Path]:
    """Where a test's Storage lives: a SQLite file, then a PostgreSQL schema (skipped, saying why,
    when no server answers)."""
    if request.param == "sqlite":
        yield tmp_path / "db.sqlite3"
        return
    async with pg_schema_url() as url:
        yield url


#: ``JOLDOSH_TEST_DB=postgres`` runs every bot the tests start on PostgreSQL (tests/bot_harness.py).
TEST_DB = os.environ.get("JOLDOSH_TEST_DB", "sqlite")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_bots: under JOLDOSH_TEST_DB=postgres this test's bots stay on the SQLite files it"
        " names (the test is about SQLite itself, e.g. moving a SQLite deployment to PostgreSQL)",
    )


if TEST_DB == "postgres":

    @pytest.fixture(autouse=True)
    async def _bots_on_postgres(request: pytest.FixtureRequest) -> AsyncIterator[None]:
        from tests import bot_harness

        if request.node.get_closest_marker("sqlite_bots"):
            yield  # a test about SQLite itself (e.g. moving a SQLite deployment to PostgreSQL)
            return
        async with pg_schema_url() as url:
            bot_harness.PG_OVERRIDE = url
            try:
                yield
            finally:
                bot_harness.PG_OVERRIDE = None
