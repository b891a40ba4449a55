"""Typed questions measured on messages written by native-level writers who never saw the rules.

``tests/data/typed/<lang>/`` holds seven sets per language, each written independently:

- ``dev.yaml``, ``heldout1.yaml``, ``heldout2.yaml`` and ``heldout3.yaml``: the words and rules
  were tuned on them (each held-out set only after its first, untuned measurement), and the
  danger examples (``content/<lang>/examples.yaml``) come from them. The issue's targets hold on
  them: danger ≥ 95% opens the right urgent screen, everyday ≥ 85% gets a right answer among its
  buttons, no false alarm.
- ``heldout4.yaml`` and ``train.yaml`` (120 danger and 120 everyday messages): tuned on in the
  fourth pass (2026-12-05) and used as examples, but the targets are not all met on them (a
  false alarm or two, kk danger 94%): their figures are floors.
- ``heldout5.yaml``: written fresh before the fourth pass, never opened; measured before it and
  after it. The targets are NOT met on it: the floors below are today's figures, so this test
  catches a regression; raise them as the words improve (docs/TYPED_QUESTIONS.md), never by
  reading the set.

``python -m bot content evaluate tests/data/typed/*/*.yaml --misses`` prints every figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.model import Content
from bot.i18n import LANGS
from bot.typed.evaluate import Score, evaluate, load_set

TYPED = Path(__file__).parent / "data" / "typed"
TUNED = ["dev", "heldout1", "heldout2", "heldout3"]
HELD_OUT = ["heldout4", "train", "heldout5"]
DANGER_TARGET = 0.95
EVERYDAY_TARGET = 0.85
#: Measured on 2026-12-05 after the fourth pass and the danger model, as counts: danger messages
#: that opened the right urgent screen, those whose right screen opened or was offered as the first
#: button, false alarms, everyday messages with a right answer among their buttons. Comments: the
#: set's sizes.
#: Raised on heldout4/train after the danger model (issue 13): in-sample gains (the model is trained
#: on the examples, which include these sets), kept as regression floors.
FLOOR = {
    ("kk", "heldout4"): (47, 48, 0, 59),  # of 48 danger, 60 everyday
    ("ky", "heldout4"): (46, 46, 1, 58),  # of 48 danger, 60 everyday
    ("ru", "heldout4"): (48, 48, 0, 59),  # of 48 danger, 60 everyday
    ("uz", "heldout4"): (48, 48, 0, 60),  # of 48 danger, 60 everyday
    ("kk", "train"): (117, 118, 1, 116),  # of 120 danger, 120 everyday
    ("ky", "train"): (119, 120, 1, 112),  # of 120 danger, 120 everyday
    ("ru", "train"): (120, 120, 2, 116),  # of 120 danger, 120 everyday
    ("uz", "train"): (119, 119, 1, 120),  # of 120 danger, 123 everyday
    ("kk", "heldout5"): (38, 43, 3, 55),  # of 48 danger, 60 everyday
    ("ky", "heldout5"): (37, 43, 4, 54),  # of 48 danger, 60 everyday
    ("ru", "heldout5"): (40, 45, 1, 57),  # of 48 danger, 60 everyday
    ("uz", "heldout5"): (44, 47, 1, 57),  # of 48 danger, 60 everyday
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
