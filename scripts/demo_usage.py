#!/usr/bin/env python3
"""A demo database of usage counters, made by scripted walks through the REAL content.

Every walk is a made-up user going through the bot's own code path (``bot.service.Dialogue``:
engine, storage, usage counters), so the counts are what the bot itself would record; nothing is
inserted by hand. The walks favour the wages tree, with a screen where many stop (the Uzbek
citizen's screen), to show what the pictures make visible::

    .venv/bin/python scripts/demo_usage.py                      # writes build/demo-usage.sqlite3
    .venv/bin/python -m bot content graph --tree wages --usage --db build/demo-usage.sqlite3 \\
        --today 2026-12-05 --out docs/images/tree-wages-usage.svg
    .venv/bin/python -m bot content report --usage --db build/demo-usage.sqlite3

A walk is a list of steps from the screen the user starts on: an option id of the current screen,
``<back>``, ``<menu>``, ``<handoff>`` (ask for a person and describe the problem) or
``?TEXT=>NODE`` (type TEXT, then pick NODE among the answers offered).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.content.loader import ContentStore  # noqa: E402
from bot.engine import Button, Command, Press, Say, Start, Text, parse_action  # noqa: E402
from bot.service import Dialogue  # noqa: E402
from bot.storage import Storage  # noqa: E402

DEFAULT_DB = REPO / "build" / "demo-usage.sqlite3"
FIRST_DAY = dt.date(2026, 11, 1)
DAYS = 28
#: Users take turns in these languages (ru, ky, uz, kk: roughly the bot's audience).
LANG_CYCLE = ("ru", "ky", "uz", "ru", "ky", "uz", "kk", "ky", "uz", "ru")
#: A question typed in each language that the content routes to the wages tree.
TYPED_PAY = {
    "ru": "зарплату не платят",
    "ky": "айлык бербей жатат",
    "uz": "ish haqi bermayapti",
    "kk": "жалақы төлемей жатыр",
}


@dataclass(frozen=True)
class Walk:
    users: int
    steps: tuple[str, ...]
    #: "menu": /start and the main menu; otherwise a deep link (/start <tree>).
    entry: str = "menu"


def walk(users: int, path: str, entry: str = "menu") -> Walk:
    return Walk(users, tuple(path.split()), entry)


WALKS: tuple[Walk, ...] = (
    # Kyrgyz citizens who follow the steps to the end, or part of the way.
    walk(40, "pay kg steps next next next court help kg"),
    walk(25, "pay kg steps next"),
    walk(11, "pay kg season court deadl help kg"),
    walk(4, "pay kg season court deadl"),
    walk(10, "pay kg threat <back> nocontr court"),
    walk(6, "pay kg steps next next next court help person <handoff>"),
    # Uzbek citizens: many stop at their first screen (the picture outlines it).
    walk(30, "pay uz"),
    walk(12, "pay uz agency"),
    walk(6, "pay uz steps next fine next"),
    walk(4, "pay uz steps next fine"),
    walk(5, "pay uz <back> <menu> reg uz"),
    # Danger from the wages menu: the urgent tree.
    walk(5, "pay danger pass cons kg"),
    walk(3, "pay danger pass"),
    # Deep links and typed questions.
    walk(12, "", entry="wages"),
    walk(6, "kg steps", entry="wages"),
    walk(6, "?PAY=>pay kg nocontr court help kg"),
    walk(4, "?PAY=>pay kg nocontr"),
    # Elsewhere in the menu, so the other trees have counts too.
    walk(12, "reg kg count dl"),
    walk(8, "reg kg count"),
    walk(12, "reg uz over do"),
    walk(10, "urgent locked say"),
    walk(8, "med pay kg check"),
    walk(8, "job none kg do evid"),
    walk(6, "police money complain"),
    walk(6, "contacts uz alm"),
)


def scaled(users: int, scale: float) -> int:
    return max(1, round(users * scale))


class DemoUser:
    """One made-up user pressing the buttons the bot shows."""

    def __init__(self, dialogue: Dialogue, user_id: int, lang: str) -> None:
        self.dialogue = dialogue
        self.user_id = user_id
        self.lang = lang
        self.buttons: list[Button] = []
        self.node: str | None = None

    async def send(self, event) -> None:
        state, outputs = await self.dialogue.process(self.user_id, event)
        self.node = state.node
        shown = [b for out in outputs if isinstance(out, Say) for row in out.buttons for b in row]
        if shown:
            self.buttons = shown

    async def press(self, wanted, what: str) -> None:
        for button in self.buttons:
            parts = parse_action(button.data)
            if parts is not None and wanted(parts):
                await self.send(Press(button.data))
                return
        where = f"{self.node!r} ({self.lang})"
        raise SystemExit(f"demo: no button for {what!r} on {where}; did the content change?")

    async def start(self, entry: str) -> None:
        await self.send(Start(payload=None if entry == "menu" else entry))
        await self.press(lambda p: p[0] == "l" and p[1] == self.lang, f"language {self.lang}")

    async def step(self, step: str) -> None:
        if step == "<back>":
            await self.press(lambda p: p[0] == "b", "back")
        elif step == "<menu>":
            await self.send(Command("menu"))
        elif step == "<handoff>":
            await self.press(lambda p: p[0] == "h", "hand-off")
            await self.send(Text("Demo: the employer has not paid for two months."))
        elif step.startswith("?"):
            text, _, node = step[1:].partition("=>")
            await self.send(Text(TYPED_PAY[self.lang] if text == "PAY" else text))
            await self.press(lambda p: p[0] == "g" and p[2] == node, f"typed answer {node}")
        else:
            here = self.node
            await self.press(lambda p: p[0] == "o" and p[2] == here and p[3] == step, step)


async def build(
    database: Path, content_root: Path, scale: float = 1.0, walks: tuple[Walk, ...] = WALKS
) -> int:
    """Write the walks' counters into ``database`` (a new file). Returns the number of users."""
    content = ContentStore(content_root)
    day = [FIRST_DAY]
    users = 0
    async with Storage(database) as storage:
        dialogue = Dialogue(storage, content, today=lambda: day[0])
        for walk_ in walks:
            for _ in range(scaled(walk_.users, scale)):
                users += 1
                day[0] = FIRST_DAY + dt.timedelta(days=(users * 11) % DAYS)
                user = DemoUser(dialogue, 500_000 + users, LANG_CYCLE[users % len(LANG_CYCLE)])
                await user.start(walk_.entry)
                for step in walk_.steps:
                    await user.step(step)
    return users


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"the new database ({DEFAULT_DB})")
    parser.add_argument("--content", type=Path, default=REPO / "content", help="the content folder")
    parser.add_argument("--scale", type=float, default=1.0, help="users per walk times this (default 1)")
    parser.add_argument("--replace", action="store_true", help="delete the database first if it exists")
    args = parser.parse_args(argv)
    if args.db.exists():
        if not args.replace:
            print(f"{args.db} exists; pass --replace to start it afresh", file=sys.stderr)
            return 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    users = asyncio.run(build(args.db, args.content, args.scale))
    print(f"wrote {args.db}: {users} demo users walked through the content")
    print(
        "next: python -m bot content graph --tree wages --usage --db "
        f"{args.db} --out docs/images/tree-wages-usage.svg"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
