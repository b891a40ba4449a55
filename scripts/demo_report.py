"""A demo database for the weekly report, and the report drawn from it by the command line.

Run: .venv/bin/python scripts/demo_report.py [--db PATH] [--out PATH] [--week 2026-W49]

Everything is invented: no real people, no real questions. A fixed random seed makes the same
database every time: about forty cases in week 2026-W49 (opened, taken, answered, closed and rated
at plausible hours, Kazakhstan time, a few left over from the week before), walks through the real
screens for the usage counters, and typed questions the bot did not understand. Then it runs
``python -m bot report --week ... --db ... --out ...``; the README's picture
(docs/images/weekly-report.png) is made this way.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import REPO_ROOT  # noqa: E402
from bot.engine import State  # noqa: E402
from bot.hours import KZ_TZ  # noqa: E402
from bot.report import parse_week  # noqa: E402
from bot.storage import Step, Storage  # noqa: E402

SEED = 49
FIRST_USER = 900_000_001  # invented ids, far from real ones
#: Cases per day of the week (Monday first): busier on working days.
PER_DAY = (8, 7, 6, 7, 6, 3, 2)
TOPICS = (("wages", 9), ("registration", 6), ("work", 4), ("urgent", 3), ("contract", 3),
          ("police", 3), ("health", 2), ("main", 2))  # fmt: skip
#: When people write (Kazakhstan time): mostly in the day, some in the evening.
HOURS = tuple((h, 1 if h < 9 or h >= 19 else 4) for h in range(7, 23))
LANGS = (("ky", 45), ("uz", 35), ("ru", 15), ("kk", 5))
CITIZENSHIP = {"ky": "kg", "uz": "uz", "ru": None, "kk": None}
STARS = ((5, 50), (4, 25), (3, 12), (2, 8), (1, 5))
#: Walks through the real screens (node ids of content/trees), with how often each is taken.
WALKS = (
    (("main", "pay", "pay_kg", "pay_evid", "pay_claim"), 34),
    (("main", "pay", "pay_uz", "pay_season"), 22),
    (("main", "pay", "pay_kg", "pay_nocontr"), 12),
    (("main", "reg", "reg_kg", "reg_count"), 30),
    (("main", "reg", "reg_uz", "reg_over", "reg_over_do"), 18),
    (("main", "reg", "reg_self"), 9),
    (("main", "work", "work_uz", "work_uz_apply", "work_uz_tax"), 20),
    (("main", "work", "work_kg", "work_kg_contract"), 11),
    (("main", "sos", "sos_passport"), 8),
    (("main", "sos", "sos_wage"), 5),
    (("main", "pol", "pol_check", "pol_docs"), 14),
    (("main", "pol", "pol_money"), 6),
    (("main", "med", "med_emerg"), 7),
    (("main", "job", "job_what", "job_kg"), 10),
    (("main", "con", "con_kg"), 12),
    (("main", "dl"), 16),
    (("main", "person"), 9),
)
#: Typed questions nothing matched (invented), how often, and in which language.
UNMATCHED = (
    ("можно ли работать в такси по патенту", "ru", 6),
    ("сколько стоит патент на 3 месяца в 2026", "ru", 4),
    ("как открыть карту в банке без ИИН", "ru", 3),
    ("позвоните мне 87011234567", "ru", 1),
    ("банк карта ачса болобу", "ky", 5),
    ("балама бала бакча табууга жардам бергиле", "ky", 3),
    ("үй ээси 2 айдын акчасын алдын ала сурап жатат", "ky", 2),
    ("bank kartasini qanday ochaman", "uz", 4),
    ("bolamni bogʻchaga berish mumkinmi", "uz", 3),
    ("uy ijarasi shartnomasi kerakmi", "uz", 2),
    ("банк картасын қалай ашамын", "kk", 2),
)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, when: dt.datetime) -> None:
        self.now = when.astimezone(dt.UTC)


def pick(rng: random.Random, weighted: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


async def seed(db: Path, week: str) -> None:
    rng = random.Random(SEED)
    clock = Clock()
    monday = parse_week(week)
    users = iter(range(FIRST_USER, FIRST_USER + 100_000))
    events: list[tuple[dt.datetime, str, int, int | None]] = []  # (when, what, case, stars)
    async with Storage(db, clock=clock) as store:
        # Cases: opened at plausible hours; the last ones of the week before spill into this one.
        for offset in range(-2, 7):
            day = monday + dt.timedelta(days=offset)
            count = 3 if offset < 0 else PER_DAY[offset]
            for _ in range(count):
                hour = int(pick(rng, HOURS))
                opened = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=KZ_TZ)
                lang = str(pick(rng, LANGS))
                user = next(users)
                clock.at(opened)
                case = await store.create_case(
                    user_id=user,
                    lang=lang,
                    citizenship=CITIZENSHIP[lang],
                    topic=str(pick(rng, TOPICS)),
                    path=("main", "person"),
                    urgent=rng.random() < 0.1,
                    description="(демо)",
                    kind="text",
                    outbox=[],
                )
                # Working hours are quick; evenings wait for the morning.
                if 9 <= hour < 18:
                    wait = dt.timedelta(minutes=rng.randint(3, 55))
                else:
                    next_morning = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9), tzinfo=KZ_TZ)
                    wait = next_morning - opened + dt.timedelta(minutes=rng.randint(0, 40))
                if rng.random() < 0.08:
                    continue  # nobody has answered yet
                answered = opened + wait
                if rng.random() < 0.5:  # /claim first, or the first answer claims the case
                    events.append((answered - dt.timedelta(minutes=rng.randint(1, 5)), "claim", case, user))
                else:
                    events.append((answered, "claim", case, user))
                events.append((answered, "reply", case, user))
                if rng.random() < 0.85:
                    closed = answered + dt.timedelta(hours=rng.randint(1, 30))
                    events.append((closed, "close", case, user))
                    if rng.random() < 0.65:
                        events.append((closed + dt.timedelta(minutes=5), "rate", case, user))
        for when, what, case, user in sorted(events):
            clock.at(when)
            if what == "claim":
                await store.claim(case, 700_000_001, "Оператор (демо)")
            elif what == "reply":
                await store.mark_first_reply(case)
            elif what == "close":
                await store.close_case(case, "operator")
            elif what == "rate" and user is not None:
                await store.rate(case, user, int(pick(rng, STARS)))

        # Usage: walks through the real screens, spread over the week and the languages.
        for walk, times in WALKS:
            for _ in range(times):
                day = monday + dt.timedelta(days=rng.choices(range(7), PER_DAY)[0])
                lang = str(pick(rng, LANGS))
                user = next(users)
                await store.save_user(State(user_id=user, lang=lang))
                old = None
                for node in walk[: rng.randint(2, len(walk))]:
                    await store.count_step(user, Step(day=day.isoformat(), lang=lang, old=old, new=node))
                    old = node

        # Typed questions nothing matched.
        for text, lang, times in UNMATCHED:
            for _ in range(times):
                day = monday + dt.timedelta(days=rng.randrange(7))
                clock.at(dt.datetime.combine(day, dt.time(rng.randint(8, 22)), tzinfo=KZ_TZ))
                await store.record_unmatched(text, lang, user_id=next(users))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, default=REPO_ROOT / "data" / "demo-report.sqlite3")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "images" / "weekly-report.png")
    parser.add_argument("--week", default="2026-W49")
    args = parser.parse_args()
    for path in (args.db, args.db.with_name(args.db.name + "-wal"), args.db.with_name(args.db.name + "-shm")):
        path.unlink(missing_ok=True)
    asyncio.run(seed(args.db, args.week))
    command = [sys.executable, "-m", "bot", "report", "--week", args.week, "--db", str(args.db)]
    command += ["--out", str(args.out)]
    print("$ python", " ".join(command[1:]))
    return subprocess.run(command, cwd=REPO_ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
