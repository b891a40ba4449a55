"""Typed questions measured on messages written by native-level writers who never saw the rules.

``tests/data/typed/<lang>/`` holds four sets per language, each written independently:

- ``dev.yaml`` and ``heldout1.yaml``: the words and rules were tuned on them (heldout1 only after
  its first, untuned measurement). The issue's targets hold on them: danger ≥ 95% opens the right
  urgent screen, everyday ≥ 85% gets a right answer among its buttons, no false alarm.
- ``heldout2.yaml`` and ``heldout3.yaml``: never opened while tuning (heldout2's figures, not its
  texts, were seen once before the second pass; heldout3 was written after it). The targets are
  NOT met on them yet: the danger floors below are the figures measured on 2026-12-04, so this test
  catches a regression; raise them as the words improve (docs/TYPED_QUESTIONS.md). The everyday
  target holds on them.

``python -m bot content evaluate tests/data/typed/*/*.yaml --misses`` prints every figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.model import Content
from bot.i18n import LANGS
from bot.typed.evaluate import Score, evaluate, load_set

TYPED = Path(__file__).parent / "data" / "typed"
TUNED = ["dev", "heldout1"]
HELD_OUT = ["heldout2", "heldout3"]
DANGER_TARGET = 0.95
EVERYDAY_TARGET = 0.85
#: Danger messages that opened the right urgent screen, measured on the held-out sets on
#: 2026-12-04 (count of the set's danger messages; the target is 95%).
DANGER_FLOOR = {
    ("kk", "heldout2"): 37,  # of 47, 78.7%
    ("ky", "heldout2"): 43,  # of 46, 93.5%
    ("ru", "heldout2"): 36,  # of 45, 80.0%
    ("uz", "heldout2"): 29,  # of 45, 64.4%
    ("kk", "heldout3"): 47,  # of 48, 97.9%
    ("ky", "heldout3"): 45,  # of 49, 91.8%
    ("ru", "heldout3"): 48,  # of 52, 92.3%
    ("uz", "heldout3"): 46,  # of 51, 90.2%
}
#: False alarms measured on the held-out sets' everyday messages, 2026-12-04 (target 0).
ALARM_CEILING = {
    ("kk", "heldout2"): 0,
    ("ky", "heldout2"): 1,
    ("ru", "heldout2"): 3,
    ("uz", "heldout2"): 2,
    ("kk", "heldout3"): 0,
    ("ky", "heldout3"): 2,
    ("ru", "heldout3"): 1,
    ("uz", "heldout3"): 0,
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
def test_held_out_everyday_questions_find_their_topic(real_content: Content, lang: str, name: str) -> None:
    s = _score(real_content, lang, name)
    share, row = s.top3_right / s.everyday, s.row()
    assert share >= EVERYDAY_TARGET, row


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_danger_and_alarms_do_not_regress(real_content: Content, lang: str, name: str) -> None:
    # Figures only, never the texts: a failure here must not become a reason to read the set.
    s = _score(real_content, lang, name)
    right, alarms, row = s.danger_right, s.false_alarms, s.row()
    assert right >= DANGER_FLOOR[lang, name], row
    assert alarms <= ALARM_CEILING[lang, name], row
