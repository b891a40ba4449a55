"""The repository layer: migrations, WAL, saving and loading users' places — on SQLite and on
PostgreSQL (``db_target``: a file, then a schema of its own; PostgreSQL is skipped without a server)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import asyncpg
import pytest

from bot.content.loader import ContentStore
from bot.content.model import Content
from bot.engine import State
from bot.privacy import Privacy
from bot.storage import MIGRATIONS, Storage, StorageError
from bot.storage.postgres import PgConnection, PgError, pg_migrations, translate
from tests.conftest import pg_schema_url


async def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    async with Storage(tmp_path / "sub" / "db.sqlite3") as store:
        assert await store.schema_version() == len(MIGRATIONS)
        async with store.db.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"


async def test_new_database_is_migrated(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        assert await store.schema_version() == len(MIGRATIONS)
    async with Storage(db_target) as store:  # a restart migrates nothing again
        assert await store.schema_version() == len(MIGRATIONS)


async def test_state_round_trip_survives_reopen(db_target: str | Path) -> None:
    state = State(user_id=42, lang="uz", lang_chosen=True, node="reg_uz", stack=("main", "reg"))
    async with Storage(db_target) as store:
        assert await store.load_user(42) is None
        await store.save_user(state)
    async with Storage(db_target) as store:  # a restart
        assert await store.load_user(42) == state
        assert await store.schema_version() == len(MIGRATIONS)


async def test_telegram_ids_beyond_32_bits(db_target: str | Path) -> None:
    big = 7_900_000_000  # user ids pass 2**31 (and chats' -100… ids are longer)
    async with Storage(db_target) as store:
        await store.save_user(State(user_id=big, node="main"))
        await store.send_later(big, "say", {"text": "x"})
        assert (await store.load_user(big)).node == "main"
        assert [i.chat_id for i in await store.due()] == [big]


async def test_last_seen_moves_created_at_stays(db_target: str | Path) -> None:
    times = iter([dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 2, tzinfo=dt.UTC)])
    async with Storage(db_target, clock=lambda: next(times)) as store:
        await store.save_user(State(user_id=1))
        await store.save_user(State(user_id=1, node="main"))
        created, seen = await store.user_times(1)
    assert created.startswith("2026-11-01") and seen.startswith("2026-11-02")


async def test_damaged_stack_is_reset_not_fatal(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        await store.save_user(State(user_id=1, node="main"))
        await store.db.execute("UPDATE users SET stack = 'not json' WHERE user_id = 1")
        await store.db.commit()
        state = await store.load_user(1)
    assert state is not None and state.stack == () and state.node == "main"


async def _failed_update(store: Storage) -> None:
    async with store.transaction():
        await store.save_user(State(user_id=3, node="main"))
        await store.send_later(3, "say", {"text": "lost"})
        raise RuntimeError("the update failed")


async def test_transaction_is_all_or_nothing(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        with pytest.raises(RuntimeError):
            await _failed_update(store)
        assert await store.load_user(3) is None and await store.pending_count() == 0
        async with store.transaction():
            await store.save_user(State(user_id=3, node="main"))
            await store.send_later(3, "say", {"text": "kept"})
        assert await store.pending_count() == 1


async def test_cases_outbox_inbox_reminders(db_target: str | Path) -> None:
    """The repositories' SQLite-only SQL (lastrowid, INSERT OR IGNORE/REPLACE, upserts, rowcount)."""
    async with Storage(db_target) as store:
        await store.save_user(State(user_id=9, lang="ky"))
        case_id = await store.create_case(
            user_id=9,
            lang="ky",
            citizenship="kg",
            topic="wages",
            path=("main", "wages"),
            urgent=True,
            description="не платят",
            kind="form",
            outbox=[("ops", "card", {"n": 1}), ("user", "say", {"n": 2})],
        )
        second = await store.create_case(
            user_id=9,
            lang="ky",
            citizenship=None,
            topic="reg",
            path=("main",),
            urgent=False,
            description=None,
            kind="button",
            outbox=[],
        )
        assert case_id >= 1 and second == case_id + 1
        assert [(i.target, i.chat_id, i.lane) for i in await store.due()] == [
            ("ops", None, "ops"),
            ("user", 9, "9"),
        ]
        await store.map_message(-100_123_456_789, 5, case_id)
        await store.map_message(-100_123_456_789, 5, second)  # replaced, not refused
        assert (await store.case_by_message(-100_123_456_789, 5)).case_id == second
        assert await store.claim(case_id, 77, "Айгуль") and not await store.claim(case_id, 78, "Бек")
        await store.add_note(case_id, 77, "позвонить")
        assert await store.notes(case_id) == ["позвонить"]
        assert await store.close_case(case_id, "operator") and not await store.close_case(case_id, "x")
        assert await store.rate(case_id, 9, 5) and not await store.rate(case_id, 9, 4)
        assert await store.inbox_add(1001, "9", "{}") and not await store.inbox_add(1001, "9", "{}")
        assert [i.update_id for i in await store.inbox_pending()] == [1001]
        await store.inbox_done(1001)
        assert await store.inbox_count() == 0
        await store.replace_reminders(9, [("reg", "2026-12-10", 3, "2026-12-07T04:00:00+00:00")])
        (rid, kind, *_rest) = (await store.reminders_of(9))[0]
        assert kind == "reg" and await store.reminder_sent(rid) and not await store.reminder_sent(rid)
        await store.record_unmatched("где паспорт", "ky", user_id=9)
        await store.record_unmatched("где паспорт", "ky", user_id=9)
        assert [(t, n) for t, _lang, n, _last in await store.unmatched()] == [("где паспорт", 2)]
        assert [c for _m, _l, c in await store.unmatched_counts()] == [2]
        await store.set_watch(9, "wages", True)
        await store.set_watch(9, "wages", True)  # once
        assert await store.watches_of(9) == frozenset({"wages"})
        assert await store.drop_lane("9", "blocked") == 1


async def test_reports_read_json_payloads(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        await store.send_later(
            5, "photo", {"report": "2026-W49", "png": "AAAA", "receipt": {"report": "2026-W49"}}
        )
        assert await store.report_queued("2026-W49", 5) and not await store.report_queued("2026-W50", 5)
        (item,) = await store.due()
        await store.give_up(item.id, "chat not found")
        assert await store.compact_reports() == 1
        assert await store.report_queued("2026-W49", 5)


async def test_postgres_tables_match_sqlite(tmp_path: Path) -> None:
    """The translated migrations make the same tables and columns on PostgreSQL as on SQLite."""
    async with pg_schema_url() as url, Storage(url) as pg, Storage(tmp_path / "db.sqlite3") as lite:
        shapes = []
        for store in (pg, lite):
            tables = [
                r[0]
                for r in await store._rows(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            shapes.append(
                {t: sorted(r[1] for r in await store._rows(f"PRAGMA table_info({t})")) for t in tables}
            )
    assert shapes[0] == shapes[1]
    assert len(pg_migrations()) == len(MIGRATIONS)


async def test_unreachable_postgres_is_a_storage_error() -> None:
    with pytest.raises(StorageError):
        await Storage("postgresql://nobody@127.0.0.1:1/none").open()


def test_translation_of_sqlite_sql() -> None:
    assert translate("SELECT a FROM t WHERE b = ? AND c = '?' LIMIT ?") == (
        "SELECT a FROM t WHERE b = $1 AND c = '?' LIMIT $2"
    )
    assert translate("INSERT OR IGNORE INTO inbox (a, b) VALUES (?, ?)") == (
        "INSERT INTO inbox (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    )
    assert translate(
        "INSERT INTO c (k, count) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET count = count + 1"
    ).endswith("DO UPDATE SET count = c.count + 1")
    assert translate("BEGIN IMMEDIATE") == "BEGIN"
    assert "(payload::jsonb ->> 'report')" in translate(
        "SELECT json_extract(payload, '$.report') FROM outbox"
    )


async def test_erase_deletes_every_row_of_a_user(db_target: str | Path, demo_content: Content) -> None:
    """/forget's deletion (bot.privacy) finds the tables and their columns on either backend."""
    async with Storage(db_target) as store:
        for uid in (9, 10):
            await store.save_user(State(user_id=uid, lang="ru", node="main"))
            await store.send_later(uid, "say", {"text": "x"})
            await store.record_unmatched("где паспорт", "ru", user_id=uid)
            await store.set_watch(uid, "wages", True)
            await store.create_case(
                user_id=uid,
                lang="ru",
                citizenship=None,
                topic="wages",
                path=("main",),
                urgent=False,
                description=None,
                kind="button",
                outbox=[("ops", "card", {})],
            )
        privacy = Privacy(store, ContentStore(Path("unused"), demo_content))
        await privacy.erase(9)
        assert await store.load_user(9) is None and await store.open_case_of(9) is None
        assert await store.watches_of(9) == frozenset() and await store.watches_of(10) == {"wages"}
        assert [n for _t, _l, n, _s in await store.unmatched()] == [1]
        assert {i.chat_id for i in await store.due()} == {None, 10}
        assert await store.load_user(10) is not None


class _LostConnection:
    """An asyncpg connection whose session the server has ended without the client reading it
    yet: open until a statement is sent, then lost."""

    def __init__(self) -> None:
        self.closed = False

    def is_closed(self) -> bool:
        return self.closed

    async def _lost(self, *_: object) -> None:
        self.closed = True
        raise asyncpg.exceptions.ConnectionDoesNotExistError(
            "connection was closed in the middle of operation"
        )

    execute = fetch = _lost


class _Connection:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def is_closed(self) -> bool:
        return False

    async def execute(self, sql: str, *_: object) -> str:
        self.sent.append(sql)
        return "INSERT 0 1"

    async def fetch(self, sql: str, *_: object) -> list:
        self.sent.append(sql)
        return []


@pytest.fixture
def new_connection(monkeypatch: pytest.MonkeyPatch) -> _Connection:
    """asyncpg.connect, as PgConnection calls it to connect again, gives this connection."""
    new = _Connection()

    async def connect(url: str, timeout: float) -> _Connection:
        return new

    monkeypatch.setattr("bot.storage.postgres.asyncpg.connect", connect)
    return new


async def test_a_lost_connection_not_yet_noticed_is_replaced_before_a_transaction_begins(
    new_connection: _Connection,
) -> None:
    """The server ended the session and the client had not noticed (a restart under load): the
    BEGIN that opens a write's transaction, and a read outside a transaction, are sent again on a
    new connection, so the write is not lost (session 26: the replicas' test failed so once)."""
    pg = PgConnection(_LostConnection(), "postgresql://x/test")  # type: ignore[arg-type]
    await pg.execute("UPDATE outbox SET sent = 1 WHERE id = ?", (1,))
    await pg.commit()
    assert new_connection.sent == ["BEGIN", "UPDATE outbox SET sent = 1 WHERE id = $1", "COMMIT"]
    assert pg.reconnects == 1
    pg = PgConnection(_LostConnection(), "postgresql://x/test")  # type: ignore[arg-type]
    assert await (await pg.execute("SELECT 1")).fetchall() == []
    assert pg.reconnects == 1 and new_connection.sent[-1] == "SELECT 1"


async def test_a_write_on_a_lost_connection_is_never_sent_twice(new_connection: _Connection) -> None:
    """A write sent on its own (autocommit) or inside a transaction may have been done before the
    connection went: it fails with the error and is not sent again."""
    pg = PgConnection(_LostConnection(), "postgresql://x/test")  # type: ignore[arg-type]
    with pytest.raises(PgError):
        await pg.execute_committed("INSERT INTO inbox (update_id) VALUES (?)", (7,))
    assert new_connection.sent == [] and pg.reconnects == 0
    lost = _LostConnection()
    pg = PgConnection(lost, "postgresql://x/test")  # type: ignore[arg-type]
    pg.in_transaction = True  # a transaction that had begun before the session was ended
    with pytest.raises(PgError):
        await pg.execute("UPDATE outbox SET sent = 1 WHERE id = ?", (3,))
    assert new_connection.sent == [] and pg.reconnects == 0
