"""The typed-question figures kept in the test and the README after a tuning pass (figures only).

    .venv/bin/python scripts/typed_figures.py floors   # FLOOR, OFFTOPIC_FLOOR: tests/test_typed_heldout.py
    .venv/bin/python scripts/typed_figures.py floors --write   # rewrites them there, prints what moved
    .venv/bin/python scripts/typed_figures.py probes --write   # PROBE_ALARMS: numbers only, comments kept
    .venv/bin/python scripts/typed_figures.py readme   # the README's table, the newest set first
    .venv/bin/python scripts/typed_figures.py readme ALL.json   # the same from `typed_round.py all`'s file

``--write`` prints each floor that was LOWERED (a figure got worse: say why in the docs and the
commit), raised or NEW; a probe set's ceiling that was RAISED needs a comment on its line (which
message, the danger model alone or a rule).

They read the sets the test names (``TUNED``, ``HELD_OUT``, the probes); none prints a message's text,
so they may run on a held-out set.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.typed.evaluate import evaluate, load_set  # noqa: E402
from tests.test_typed_heldout import (  # noqa: E402
    FLOOR,
    HELD_OUT,
    OFFTOPIC_FLOOR,
    OFFTOPIC_HELD_OUT,
    PROBE_ALARMS,
    TUNED,
    TYPED,
)

LANGS = ("kk", "ky", "ru", "uz")


TEST = ROOT / "tests" / "test_typed_heldout.py"


Key = tuple[str, str]


def measure_floors() -> tuple[dict[Key, tuple[tuple[int, ...], str]], dict[Key, tuple[int, ...]]]:
    """FLOOR's figures (with the set's sizes for the comment) and OFFTOPIC_FLOOR's, as measured now."""
    content = load_content(ROOT / "content")
    floor, offtopic = {}, {}
    for name in HELD_OUT:
        for lang in LANGS:
            s = evaluate(content, TYPED / lang / f"{name}.yaml")
            d = load_set(TYPED / lang / f"{name}.yaml")
            sizes = f"of {len(d['danger'])} danger, {len(d['everyday'])} everyday"
            floor[lang, name] = (s.danger_right, s.danger_offered, s.false_alarms, s.top3_right), sizes
    for name in OFFTOPIC_HELD_OUT:
        for lang in LANGS:
            s = evaluate(content, TYPED / lang / f"{name}.yaml")
            offtopic[lang, name] = (s.offtopic_quiet, s.false_alarms, s.offers)
    return floor, offtopic


def _line(key: Key, figures: tuple[int, ...], comment: str = "") -> str:
    line = f'    ("{key[0]}", "{key[1]}"): ({", ".join(map(str, figures))}),'
    return f"{line}  # {comment}" if comment else line


def _moved(key: Key, old: tuple[int, ...] | None, new: tuple[int, ...], worse_if_up: set[int]) -> str:
    if old is None:
        return f"NEW      {key} {new}"
    if old == new:
        return ""
    pairs = enumerate(zip(old, new, strict=True))
    worse = any((n > o) if i in worse_if_up else (n < o) for i, (o, n) in pairs)
    return f"{'LOWERED' if worse else 'raised '}  {key} {old} -> {new}"


def _replace_block(text: str, name: str, lines: list[str]) -> str:
    start = text.index(f"\n{name} = {{\n") + len(f"\n{name} = {{\n")
    end = text.index("\n}\n", start)
    return text[:start] + "\n".join(lines) + text[end:]


def floors(write: bool = False) -> None:
    floor, offtopic = measure_floors()
    floor_lines = [_line(key, figures, sizes) for key, (figures, sizes) in floor.items()]
    offtopic_lines = [_line(key, figures) for key, figures in offtopic.items()]
    if not write:
        print("\n".join(floor_lines))
        print("OFFTOPIC_FLOOR = {")
        print("\n".join(offtopic_lines))
        print("}")
        return
    for key, (figures, _) in floor.items():
        if report := _moved(key, FLOOR.get(key), figures, worse_if_up={2}):
            print(report)
    for key, figures in offtopic.items():
        if report := _moved(key, OFFTOPIC_FLOOR.get(key), figures, worse_if_up={1, 2}):
            print(report)
    text = TEST.read_text(encoding="utf-8")
    text = _replace_block(text, "FLOOR", floor_lines)
    text = _replace_block(text, "OFFTOPIC_FLOOR", offtopic_lines)
    TEST.write_text(text, encoding="utf-8")
    print(f"rewrote FLOOR and OFFTOPIC_FLOOR in {TEST.relative_to(ROOT)}")


def probes(write: bool = False) -> None:
    content = load_content(ROOT / "content")
    text = TEST.read_text(encoding="utf-8")
    names = sorted({p.stem for p in TYPED.glob("*/probe*.yaml")}, key=lambda n: int(n[5:]))
    added = []
    for name in names:
        for lang in LANGS:
            alarms = evaluate(content, TYPED / lang / f"{name}.yaml").false_alarms
            old = PROBE_ALARMS.get((lang, name))
            if old is None:
                print(f"NEW      ({lang}, {name}) {alarms}")
                added.append(f'    ("{lang}", "{name}"): {alarms},')
                continue
            if alarms != old:
                print(f"{'RAISED ' if alarms > old else 'lowered'}  ({lang}, {name}) {old} -> {alarms}")
            pattern = rf'(\n    \("{lang}", "{name}"\): )\d+,'
            text = re.sub(pattern, rf"\g<1>{alarms},", text)
    if added:
        start = text.index("\nPROBE_ALARMS = {\n")
        end = text.index("\n}\n", start)
        text = text[:end] + "\n" + "\n".join(added) + text[end:]
    if write:
        TEST.write_text(text, encoding="utf-8")
        print(f"rewrote PROBE_ALARMS in {TEST.relative_to(ROOT)}")


def readme(measured: Path | None = None) -> None:
    """The README's rows, from ``measured`` (a ``scripts/typed_round.py all`` file: nothing matched
    again) or by evaluating every set."""
    if measured is not None:
        figures = json.loads(measured.read_text(encoding="utf-8"))
        score = lambda lang, name: SimpleNamespace(**figures[f"{lang}/{name}"])  # noqa: E731
    else:
        content = load_content(ROOT / "content")
        score = lambda lang, name: evaluate(content, TYPED / lang / f"{name}.yaml")  # noqa: E731

    def pct(a: int, b: int) -> str:
        return f"{round(100 * a / b)}%"

    for name in [*reversed(HELD_OUT), *reversed(TUNED)]:
        for lang in ("ru", "ky", "kk", "uz"):
            s = score(lang, name)
            print(
                f"| {name} | {lang} | {pct(s.danger_right, s.danger)} of {s.danger} |"
                f" {pct(s.danger_offered, s.danger)} | {pct(s.danger_any, s.danger)} |"
                f" {pct(s.top3_right, s.everyday)} ({pct(s.first_right, s.everyday)}) of {s.everyday} |"
                f" {s.false_alarms} |"
            )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "floors"
    if command == "readme":
        readme(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    else:
        {"floors": floors, "probes": probes}[command](write="--write" in sys.argv[2:])
