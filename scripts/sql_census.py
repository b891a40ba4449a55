"""Count the SQL statements a process runs, by statement: ``python scripts/sql_census.py OUT -m bot run``.

Runs the module (``-m NAME``) or script given after OUT with every SQLite connection traced
(``sqlite3.Connection.set_trace_callback``), and writes ``{statement: count}`` as JSON to OUT when
the process ends (SIGTERM included). ``scripts/bench.py --sql PATH`` uses it to report statements
per update beside the CPU figures.
"""

from __future__ import annotations

import atexit
import collections
import json
import re
import runpy
import signal
import sqlite3
import sys

_SPACES = re.compile(r"\s+")


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    counts: collections.Counter[str] = collections.Counter()
    connect = sqlite3.connect

    def traced(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(lambda sql: counts.update([_SPACES.sub(" ", sql).strip()[:160]]))
        return conn

    sqlite3.connect = traced  # type: ignore[assignment]

    def write() -> None:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(dict(counts.most_common()), fh, ensure_ascii=False, indent=1)

    atexit.register(write)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if rest[:1] == ["-m"]:
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main()
