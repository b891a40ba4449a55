"""The typed-question figures that are copied by hand after a tuning pass (figures only).

    .venv/bin/python scripts/typed_figures.py floors   # FLOOR, OFFTOPIC_FLOOR: tests/test_typed_heldout.py
    .venv/bin/python scripts/typed_figures.py readme   # the README's table, the newest set first

Both read the sets the test names (``TUNED`` and ``HELD_OUT``); neither prints a message's text,
so they may run on a held-out set.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.typed.evaluate import evaluate, load_set  # noqa: E402
from tests.test_typed_heldout import HELD_OUT, OFFTOPIC_HELD_OUT, TUNED, TYPED  # noqa: E402

LANGS = ("kk", "ky", "ru", "uz")


def floors() -> None:
    content = load_content(ROOT / "content")
    for name in HELD_OUT:
        for lang in LANGS:
            s = evaluate(content, TYPED / lang / f"{name}.yaml")
            d = load_set(TYPED / lang / f"{name}.yaml")
            print(
                f'    ("{lang}", "{name}"): ({s.danger_right}, {s.danger_offered}, {s.false_alarms},'
                f' {s.top3_right}),  # of {len(d["danger"])} danger, {len(d["everyday"])} everyday'
            )
    print("OFFTOPIC_FLOOR = {")
    for name in OFFTOPIC_HELD_OUT:
        for lang in LANGS:
            s = evaluate(content, TYPED / lang / f"{name}.yaml")
            print(f'    ("{lang}", "{name}"): ({s.offtopic_quiet}, {s.false_alarms}, {s.offers}),')
    print("}")


def readme() -> None:
    content = load_content(ROOT / "content")

    def pct(a: int, b: int) -> str:
        return f"{round(100 * a / b)}%"

    for name in [*reversed(HELD_OUT), *reversed(TUNED)]:
        for lang in ("ru", "ky", "kk", "uz"):
            s = evaluate(content, TYPED / lang / f"{name}.yaml")
            print(
                f"| {name} | {lang} | {pct(s.danger_right, s.danger)} of {s.danger} |"
                f" {pct(s.danger_offered, s.danger)} | {pct(s.danger_any, s.danger)} |"
                f" {pct(s.top3_right, s.everyday)} ({pct(s.first_right, s.everyday)}) of {s.everyday} |"
                f" {s.false_alarms} |"
            )


if __name__ == "__main__":
    {"floors": floors, "readme": readme}[sys.argv[1] if len(sys.argv) > 1 else "floors"]()
