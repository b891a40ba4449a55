"""Typed questions measured on messages written by native-level writers who never saw the rules.

``tests/data/typed/<lang>/`` holds six sets per language, each written independently:

- ``dev.yaml``, ``heldout1.yaml`` and ``heldout2.yaml``: the words and rules were tuned on them
  (each held-out set only after its first, untuned measurement), and the danger examples
  (``content/<lang>/examples.yaml``) come from them and from ``train.yaml``. The issue's targets
  hold on them: danger ≥ 95% opens the right urgent screen, everyday ≥ 85% gets a right answer
  among its buttons, no false alarm.
- ``train.yaml``: 120 danger and 120 everyday messages (40 near misses), written as examples for
  the danger safety net (``content/<lang>/examples.yaml``); the words were not tuned on it.
- ``heldout3.yaml`` and ``heldout4.yaml``: never opened (heldout4 was written after the second
  pass, and measured once before and once after the third). The targets are NOT met on them: the
  floors below are the figures of 2026-12-05, so this test catches a regression; raise them as the
  words improve (docs/TYPED_QUESTIONS.md), never by reading the sets.

``python -m bot content evaluate tests/data/typed/*/*.yaml --misses`` prints every figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.model import Content
from bot.i18n import LANGS
from bot.typed.evaluate import Score, evaluate, load_set

TYPED = Path(__file__).parent / "data" / "typed"
TUNED = ["dev", "heldout1", "heldout2"]
HELD_OUT = ["heldout3", "heldout4"]
DANGER_TARGET = 0.95
EVERYDAY_TARGET = 0.85
#: Measured on the held-out sets on 2026-12-05, as counts: danger messages that opened the right
#: urgent screen, those whose right screen opened or was offered as the first button, false
#: alarms, everyday messages with a right answer among their buttons. Comments: the set's sizes.
FLOOR = {
    ("kk", "heldout3"): (47, 48, 0, 65),  # of 48 danger, 69 everyday
    ("ky", "heldout3"): (45, 47, 0, 60),  # of 49 danger, 63 everyday
    ("ru", "heldout3"): (47, 51, 0, 59),  # of 52 danger, 62 everyday
    ("uz", "heldout3"): (47, 48, 0, 65),  # of 51 danger, 66 everyday
    ("kk", "heldout4"): (40, 44, 2, 50),  # of 48 danger, 60 everyday
    ("ky", "heldout4"): (40, 44, 2, 54),  # of 48 danger, 60 everyday
    ("ru", "heldout4"): (43, 46, 0, 57),  # of 48 danger, 60 everyday
    ("uz", "heldout4"): (40, 45, 0, 55),  # of 48 danger, 60 everyday
}
_scores: dict[tuple[str, str], Score] = {}


def _score(content: Content, lang: str, name: str) -> Score:
    key = (lang, name)
    if key not in _scores:
        _scores[key] = evaluate(content, TYPED / lang / f"{name}.yaml")
    return _scores[key]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TUNED + HELD_OUT)
def test_sets_are_written_for_every_language(lang: str, name: str) -> None:
    data = load_set(TYPED / lang / f"{name}.yaml")
    assert len(data["danger"]) >= 40 and len(data["everyday"]) >= 40
    kinds = {d["kind"] for d in data["danger"]}
    assert {"passport", "locked", "violence", "debt", "sexual", "suicide", "medical"} <= kinds


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TUNED)
def test_tuned_sets_meet_the_targets(real_content: Content, lang: str, name: str) -> None:
    s = _score(real_content, lang, name)
    misses = "\n".join(s.misses)
    assert s.danger_right / s.danger >= DANGER_TARGET, f"{s.row()}\n{misses}"
    assert s.top3_right / s.everyday >= EVERYDAY_TARGET, f"{s.row()}\n{misses}"
    assert s.false_alarms == 0, f"{s.row()}\n{misses}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_figures_do_not_regress(real_content: Content, lang: str, name: str) -> None:
    # Figures only, never the texts: a failure here must not become a reason to read the set.
    s = _score(real_content, lang, name)
    right, offered, alarms, everyday = FLOOR[lang, name]
    row = s.row()
    assert s.danger_right >= right, row
    assert s.danger_offered >= offered, row
    assert s.false_alarms <= alarms, row
    assert s.top3_right >= everyday, row
