"""Command line: ``python -m bot [run|console|content ...|report ...]``.

With no subcommand the bot runs when BOT_TOKEN is set, otherwise the console chat starts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.content.loader import ContentStore
from bot.content.model import Content, ContentInvalid

NO_TOKEN = """\
BOT_TOKEN is not set, so the Telegram bot cannot start.
  1. In Telegram, open @BotFather, send /newbot and copy the token it gives you.
  2. Run:  BOT_TOKEN=<token> python -m bot run
To try the bot without Telegram, run the console chat:  python -m bot console
"""


def _setup_logging(level: str) -> None:
    from bot.logs import setup_logging

    setup_logging(level)


async def _console(settings: Settings, lang: str | None, files: str | None = None) -> int:
    from pathlib import Path

    from bot.console import DEFAULT_FILES, run_console
    from bot.desk import Desk
    from bot.hours import OperatorHours
    from bot.privacy import Privacy
    from bot.reminders import Reminders
    from bot.service import Dialogue
    from bot.storage import Storage

    content = ContentStore(settings.content_dir)
    async with Storage(":memory:") as storage:
        # No operators' group in the console: a hand-off is stored and the user gets the numbers.
        desk = Desk(storage, content, hours=OperatorHours(), operators=False, now=_utcnow)
        reminders = Reminders(storage, content, _utcnow)  # kept; a console cannot send them later
        privacy = Privacy(storage, content, retention_days=settings.retention_days, now=_utcnow)
        dialogue = Dialogue(storage, content, desk=desk, reminders=reminders, privacy=privacy)
        return await run_console(
            dialogue,
            sys.stdin,
            sys.stdout,
            lang=lang,
            interactive=sys.stdin.isatty(),
            files=Path(files) if files else DEFAULT_FILES,
        )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _week(text: str) -> str:
    from bot.report import parse_week, week_of

    try:
        return week_of(parse_week(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _report(db: str | Path, settings: Settings, week: str | None, out: Path) -> int:
    """Draw one week's report from the database into ``out`` and print its lines."""
    from bot.content.loader import load_content
    from bot.storage.postgres import is_postgres_url

    if not is_postgres_url(db) and not Path(db).is_file():
        sys.stderr.write(f"no database at {db} (set DATABASE_PATH or pass --db)\n")
        return 2
    return asyncio.run(_draw_report(db, load_content(settings.content_dir), week, out))


async def _draw_report(db: Path, content: Content, week: str | None, out: Path) -> int:
    from bot.report import due_week, plain_text, render_png, summary_lines, weekly_figures
    from bot.storage import Storage

    week = week or due_week(_utcnow())
    async with Storage(db) as storage:
        figs = await weekly_figures(storage, week)
    path = await asyncio.to_thread(render_png, figs, out, content)
    for line in summary_lines(figs, content):
        print(plain_text(line))
    print(f"written: {path}")
    return 0


def _run(settings: Settings) -> int:
    if not settings.bot_token:
        sys.stderr.write(NO_TOKEN)
        return 2
    from handlers.app import run_bot

    run_bot(settings)
    return 0


def _copy_database(source: Path, target: str | None) -> int:
    """``db migrate-sqlite-to-postgres``: copy the SQLite file into an empty PostgreSQL database."""
    from bot.storage import StorageError
    from bot.storage.copy import copy_sqlite_to_postgres
    from bot.storage.postgres import is_postgres_url

    if not target or not is_postgres_url(target):
        sys.stderr.write("give the PostgreSQL database: --to postgresql://... or DATABASE_URL\n")
        return 2
    if not source.exists():
        sys.stderr.write(f"no SQLite database at {source}\n")
        return 2
    try:
        counts = asyncio.run(copy_sqlite_to_postgres(source, target))
    except StorageError as exc:
        sys.stderr.write(f"not copied: {exc}\n")
        return 1
    for table, n in counts.items():
        print(f"{table:24} {n:>8} rows")
    print(f"copied {sum(counts.values())} rows in {len(counts)} tables from {source} into PostgreSQL")
    print("now set DATABASE_URL for every replica and start them")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Joldosh migrant-help bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    p_console = sub.add_parser("console", help="chat with the bot in this terminal")
    p_console.add_argument("--lang", help="language code, e.g. ky (default: ask)")
    p_console.add_argument(
        "--files", help="folder for the documents the bot makes (default: ./joldosh-documents)"
    )
    p_content = sub.add_parser("content", help="check the content files")
    p_content.add_argument(
        "action",
        choices=["check", "report", "schema", "match", "show", "evaluate", "graph", "new-language"],
    )
    p_content.add_argument(
        "text",
        nargs="*",
        help="match: the typed question to try; show: the node id; evaluate: test-set files; "
        "new-language: the language code (e.g. tg)",
    )
    p_content.add_argument("--misses", action="store_true", help="evaluate: list every miss")
    p_content.add_argument(
        "--near",
        action="store_true",
        help="match: also the nearest examples (indexing them takes seconds; put it after the text)",
    )
    p_content.add_argument(
        "--lang", default="ru", help="show: the user's language (e.g. ky); graph: the titles' language"
    )
    p_content.add_argument(
        "--today", type=dt.date.fromisoformat, help="check/report/show: pretend today is YYYY-MM-DD"
    )
    p_content.add_argument("--html", action="store_true", help="show: print the Telegram HTML")
    p_content.add_argument(
        "--unmatched",
        action="store_true",
        help="report: the typed questions nothing matched (from the database)",
    )
    # Pictures of the trees (bot/content/graph.py) and the usage counters behind them.
    p_content.add_argument("--tree", help="graph: one tree (default: every tree)")
    p_content.add_argument(
        "--out", type=Path, help="graph: FILE.svg|.png|.dot, or a folder (one file per tree); default: DOT"
    )
    p_content.add_argument(
        "--format", choices=["svg", "png", "dot"], help="graph: the file type in a folder (default svg)"
    )
    p_content.add_argument(
        "--usage", action="store_true", help="graph: shade by visits and moves; report: paths, drop-offs"
    )
    p_content.add_argument("--since", type=dt.date.fromisoformat, help="--usage: count from YYYY-MM-DD on")
    p_content.add_argument(
        "--db", help="--usage: a SQLite file or postgresql://... (default: DATABASE_URL, else DATABASE_PATH)"
    )
    p_report = sub.add_parser("report", help="the weekly report for managers, as a PNG picture")
    p_report.add_argument(
        "--week", type=_week, help="ISO week, e.g. 2026-W49 (default: last week, Kazakhstan time)"
    )
    p_report.add_argument("--out", required=True, type=Path, help="the PNG file to write")
    p_report.add_argument(
        "--db", help="a SQLite file or postgresql://... (default: DATABASE_URL, else DATABASE_PATH)"
    )
    p_db = sub.add_parser("db", help="database tools")
    p_db.add_argument("action", choices=["migrate-sqlite-to-postgres"])
    p_db.add_argument("--from", dest="source", type=Path, help="the SQLite file (default: DATABASE_PATH)")
    p_db.add_argument("--to", dest="target", help="postgresql://... (default: DATABASE_URL)")
    args = parser.parse_args(argv)

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        return 2
    _setup_logging(settings.log_level if args.command == "run" or not args.command else "WARNING")

    try:
        if args.command == "content":
            from bot.content import check

            if args.action == "match":
                return check.try_match(settings.content_dir, " ".join(args.text), args.near)
            if args.action == "evaluate":
                return check.evaluate_sets(settings.content_dir, args.text, args.misses)
            if args.action == "report" and args.unmatched:
                return check.report_unmatched(settings.database)
            if args.action == "report" and args.usage:
                from bot.content import graph

                return graph.report_usage(
                    settings.content_dir, args.db or settings.database, args.since, args.lang
                )
            if args.action == "graph":
                from bot.content import graph

                return graph.graph_command(
                    settings.content_dir,
                    tree=args.tree,
                    lang=args.lang,
                    out=args.out,
                    fmt=args.format,
                    usage=args.usage,
                    since=args.since,
                    database=args.db or settings.database,
                    today=args.today,
                )
            if args.action == "new-language":
                if len(args.text) != 1:
                    parser.error("content new-language needs one language code, e.g. content new-language tg")
                return check.add_language(settings.content_dir, args.text[0])
            if args.action == "show":
                if len(args.text) != 1:
                    parser.error("content show needs one node id, e.g. content show reg_over --lang ky")
                return check.show(settings.content_dir, args.text[0], args.lang, args.today, html=args.html)
            return check.main(args.action, settings.content_dir, args.today)
        if args.command == "db":
            return _copy_database(args.source or settings.database_path, args.target or settings.database_url)
        if args.command == "report":
            db = args.db or settings.database
            return _report(db, settings, args.week, args.out)
        if args.command == "console" or (args.command is None and not settings.bot_token):
            return asyncio.run(_console(settings, getattr(args, "lang", None), getattr(args, "files", None)))
        return _run(settings)
    except ContentInvalid as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
