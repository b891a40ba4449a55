"""scripts/typed_round.py: a round's figures keep held-out sets' messages out of sight."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from bot.typed.evaluate import HELD_OUT_SETS, TUNING_SETS

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("typed_round", ROOT / "scripts" / "typed_round.py")
typed_round = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(typed_round)  # type: ignore[union-attr]


def row(right: int, misses: list[str]) -> dict:
    figures = dict.fromkeys(typed_round.FIGURES, 0)
    figures.update(danger=2, danger_right=right, everyday=1, top3_right=1)
    return {**figures, "misses": misses}


def test_no_held_out_set_is_tuned_on() -> None:
    assert HELD_OUT_SETS and not set(HELD_OUT_SETS) & set(TUNING_SETS)


def test_compare_hides_held_out_sets_and_never_shows_their_messages() -> None:
    held = f"ky/{HELD_OUT_SETS[0]}"
    before = {"ky/train1": row(1, ["DANGER a"]), held: row(1, ["DANGER secret"])}
    after = {"ky/train1": row(2, []), held: row(2, ["DANGER other"])}
    lines = typed_round.compare(before, after, misses=True, held=False)
    assert lines[0] == "ky/train1              danger_right 1->2"
    assert lines[1] == "    - DANGER a"
    assert not any(held in line for line in lines)
    lines = typed_round.compare(before, after, misses=True, held=True)
    assert f"{held:22} danger_right 1->2" in lines
    assert not any("secret" in line or "other" in line for line in lines)


def test_all_writes_figures_and_empties_a_held_out_sets_misses(tmp_path: Path) -> None:
    """``all`` on a copy of the content with two tiny sets: a held-out one keeps figures only (the
    models come from the cache beside this checkout: the examples are the same)."""
    import shutil

    shutil.copytree(ROOT / "content", tmp_path / "content")
    typed = tmp_path / "tests" / "data" / "typed" / "ru"
    typed.mkdir(parents=True)
    text = 'danger:\n  - {text: "добрый день", kind: passport}\neveryday: []\n'
    (typed / "train1.yaml").write_text(text, encoding="utf-8")
    (typed / f"{HELD_OUT_SETS[0]}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    assert typed_round.main(["all", str(out), "--lang", "ru", "--root", str(tmp_path), "--jobs", "1"]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows["ru/train1"]["danger"] == rows[f"ru/{HELD_OUT_SETS[0]}"]["danger"] == 1
    assert rows["ru/train1"]["danger_right"] == 0 and rows["ru/train1"]["misses"]
    assert rows[f"ru/{HELD_OUT_SETS[0]}"]["misses"] == []
