"""Tools for a typed-question round (docs/typed_briefs/): every set's figures, and what moved.

    .venv/bin/python scripts/typed_round.py all OUT.json [--lang LANG] [--root ROOT] [--jobs N]
        every set of tests/data/typed/ (or one language's) measured with ROOT's content (default:
        this checkout) into OUT.json: its figures and its misses, except a held-out set's
    .venv/bin/python scripts/typed_round.py cmp BEFORE.json AFTER.json [--misses] [--held]
        the sets whose figures moved between two such files; --misses adds the messages that
        moved (+ a new miss, - a miss fixed); held-out sets are left out unless --held is given,
        and never show messages
    .venv/bin/python scripts/typed_round.py look OUT.json SET...
        the misses of sets (``ru/train33`` or ``train33`` for every language) in such a file
    .venv/bin/python scripts/typed_round.py allowed LANG [--root ROOT]
        the figures of every set of LANG present under ROOT (a helper's worktree has no held-out
        set: what it sees is what it may read)

Every language's words meet every message, so ``all`` measures all four languages' sets unless
told otherwise. A held-out set (``bot.typed.evaluate.HELD_OUT_SETS``) keeps its figures only: its
misses are emptied before they are written, so no round reads its messages by accident.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.i18n import LANGS  # noqa: E402
from bot.typed.evaluate import HELD_OUT_SETS, Score, evaluate  # noqa: E402

FIGURES = (
    "danger",
    "danger_right",
    "danger_any",
    "danger_offered",
    "everyday",
    "first_right",
    "top3_right",
    "false_alarms",
    "offers",
    "offtopic",
    "offtopic_quiet",
)
_content = None


def set_paths(root: Path, langs: tuple[str, ...]) -> list[Path]:
    typed = root / "tests" / "data" / "typed"
    return sorted(p for lang in langs for p in (typed / lang).glob("*.yaml"))


def is_held(key: str) -> bool:
    return key.split("/")[-1] in HELD_OUT_SETS


def _measure(path: str) -> tuple[str, dict]:
    p = Path(path)
    key = f"{p.parent.name}/{p.stem}"
    score: Score = evaluate(_content, p, key)
    row = {k: v for k, v in asdict(score).items() if k in FIGURES}
    row["misses"] = [] if is_held(key) else score.misses
    return key, row


def measure_all(root: Path, langs: tuple[str, ...], jobs: int) -> dict[str, dict]:
    """Every set's figures with ``root``'s content; the content (and its models) is loaded once and
    shared with the ``jobs`` worker processes by fork."""
    global _content
    _content = load_content(root / "content")
    paths = [str(p) for p in set_paths(root, langs)]
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            rows = pool.map(_measure, paths, chunksize=1)
    else:
        rows = [_measure(p) for p in paths]
    return dict(sorted(rows))


def short(key: str, row: dict) -> str:
    if row["offtopic"] and not (row["danger"] or row["everyday"]):
        return (
            f"{key:22} quiet {row['offtopic_quiet']}/{row['offtopic']}"
            f"  alarms {row['false_alarms']}  offers {row['offers']}"
        )
    return (
        f"{key:22} danger {row['danger_right']}/{row['danger']} (offered {row['danger_offered']},"
        f" any {row['danger_any']})  everyday in3 {row['top3_right']}/{row['everyday']}"
        f" first {row['first_right']}  alarms {row['false_alarms']}  offers {row['offers']}"
    )


def compare(before: dict, after: dict, misses: bool, held: bool) -> list[str]:
    lines = []
    totals = {k: [0, 0] for k in ("danger_right", "false_alarms", "top3_right", "offtopic_quiet")}
    for key in sorted(set(before) | set(after)):
        if is_held(key) and not held:
            continue
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            lines.append(f"{key:22} only in {'AFTER' if a is None else 'BEFORE'}")
            continue
        for k in totals:
            totals[k][0] += a[k]
            totals[k][1] += b[k]
        moved = [f"{k} {a[k]}->{b[k]}" for k in FIGURES if a[k] != b[k]]
        if moved:
            lines.append(f"{key:22} " + ", ".join(moved))
        if misses and not is_held(key):
            gone, new = set(a["misses"]) - set(b["misses"]), set(b["misses"]) - set(a["misses"])
            lines += [f"    - {m}" for m in sorted(gone)] + [f"    + {m}" for m in sorted(new)]
    lines.append("totals: " + ", ".join(f"{k} {x}->{y}" for k, (x, y) in totals.items()))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_all = sub.add_parser("all")
    p_all.add_argument("out", type=Path)
    p_all.add_argument("--lang", choices=LANGS)
    p_all.add_argument("--root", type=Path, default=ROOT)
    p_all.add_argument("--jobs", type=int, default=2)
    p_cmp = sub.add_parser("cmp")
    p_cmp.add_argument("before", type=Path)
    p_cmp.add_argument("after", type=Path)
    p_cmp.add_argument("--misses", action="store_true")
    p_cmp.add_argument("--held", action="store_true")
    p_look = sub.add_parser("look")
    p_look.add_argument("file", type=Path)
    p_look.add_argument("sets", nargs="+")
    p_allowed = sub.add_parser("allowed")
    p_allowed.add_argument("lang", choices=LANGS)
    p_allowed.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)

    if args.command == "all":
        langs = (args.lang,) if args.lang else LANGS
        rows = measure_all(args.root.resolve(), langs, args.jobs)
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(rows)} sets -> {args.out}")
    elif args.command == "cmp":
        before = json.loads(args.before.read_text(encoding="utf-8"))
        after = json.loads(args.after.read_text(encoding="utf-8"))
        print("\n".join(compare(before, after, args.misses, args.held)))
    elif args.command == "look":
        rows = json.loads(args.file.read_text(encoding="utf-8"))
        for key, row in rows.items():
            if key in args.sets or key.split("/")[-1] in args.sets:
                print(short(key, row))
                for miss in row["misses"]:
                    print(f"    {miss}")
    else:
        rows = measure_all(args.root.resolve(), (args.lang,), 1)
        for key, row in rows.items():
            print(short(key, row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
