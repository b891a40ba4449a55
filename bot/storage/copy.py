"""Copy a SQLite database into PostgreSQL: ``python -m bot db migrate-sqlite-to-postgres``.

For moving an existing deployment (one process on SQLite) to several replicas on PostgreSQL.
Both databases are first brought to the latest schema (the same migrations), then every table is
copied in one PostgreSQL transaction, parents before children (foreign keys), with values
converted to the PostgreSQL column's type; the serial keys' sequences are moved past the copied
ids, and the row counts are compared before committing. The target must be empty (nothing is
overwritten or merged); stop the bot before copying, so nothing is written meanwhile.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.storage.base import StorageError

__all__ = ["copy_sqlite_to_postgres"]

_INTEGERS = {"bigint", "integer", "smallint"}
_FLOATS = {"double precision", "real", "numeric"}


def _convert(value: Any, pg_type: str) -> Any:
    """A SQLite value (any type in any column) as the PostgreSQL column expects it."""
    if value is None:
        return None
    if pg_type in _INTEGERS:
        return int(value)
    if pg_type in _FLOATS:
        return float(value)
    if pg_type == "bytea":
        return bytes(value) if not isinstance(value, str) else value.encode()
    if pg_type == "boolean":
        return bool(value)
    return value if isinstance(value, str) else str(value)


def _order(tables: list[str], parents: dict[str, set[str]]) -> list[str]:
    """Tables with every table they refer to before them."""
    done: list[str] = []
    placed: set[str] = set()

    def visit(table: str, path: tuple[str, ...] = ()) -> None:
        if table in placed or table in path:
            return
        for parent in sorted(parents.get(table, ())):
            if parent in tables:
                visit(parent, (*path, table))
        placed.add(table)
        done.append(table)

    for table in tables:
        visit(table)
    return done


async def copy_sqlite_to_postgres(sqlite_path: str | Path, pg_url: str) -> dict[str, int]:
    """Copy every row of the SQLite database into the (empty) PostgreSQL one; rows per table."""
    from bot.storage import Storage

    async with Storage(sqlite_path) as source, Storage(pg_url) as target:
        src = source.db
        async with src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ) as cur:
            tables = [r[0] for r in await cur.fetchall()]
        parents: dict[str, set[str]] = {}
        for table in tables:
            async with src.execute(f"PRAGMA foreign_key_list({table})") as cur:
                parents[table] = {r[2] for r in await cur.fetchall()}
        raw = target.db.raw  # type: ignore[attr-defined]
        schema = await raw.fetchval("SELECT current_schema()")
        counts: dict[str, int] = {}
        try:
            async with raw.transaction():
                for table in _order(tables, parents):
                    if await raw.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                        raise StorageError(
                            f"PostgreSQL table {table} is not empty: copy only into a new database"
                        )
                for table in _order(tables, parents):
                    types = {
                        r[0]: r[1]
                        for r in await raw.fetch(
                            "SELECT column_name::text, data_type::text FROM information_schema.columns"
                            " WHERE table_schema = $1 AND table_name = $2",
                            schema,
                            table,
                        )
                    }
                    async with src.execute(f"PRAGMA table_info({table})") as cur:
                        columns = [r[1] for r in await cur.fetchall()]
                    missing = [c for c in columns if c not in types]
                    if missing:
                        raise StorageError(f"{table}: columns {missing} are not in PostgreSQL's schema")
                    async with src.execute(f"SELECT {', '.join(columns)} FROM {table}") as cur:
                        rows = await cur.fetchall()
                    records = [
                        tuple(_convert(v, types[c]) for v, c in zip(row, columns, strict=True))
                        for row in rows
                    ]
                    if records:
                        await raw.copy_records_to_table(
                            table, records=records, columns=columns, schema_name=schema
                        )
                    copied = await raw.fetchval(f"SELECT COUNT(*) FROM {table}")
                    if copied != len(rows):
                        raise StorageError(f"{table}: {len(rows)} rows read, {copied} written")
                    counts[table] = len(rows)
                    for (key,) in await raw.fetch(  # new rows must get ids after the copied ones
                        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = $1"
                        " AND table_name = $2 AND column_default LIKE 'nextval(%'",
                        schema,
                        table,
                    ):
                        await raw.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'),"
                            f" COALESCE((SELECT MAX({key}) FROM {table}), 0) + 1, false)"
                        )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read the SQLite database: {exc}") from exc
        except StorageError:
            raise
        except Exception as exc:  # asyncpg's errors: nothing was written (one transaction)
            raise StorageError(f"copy failed, nothing written: {exc}") from exc
    return counts
