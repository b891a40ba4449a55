"""The learned danger detector (bot/typed/danger_model.py) and how the matcher consults it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.typed import danger_model
from bot.typed.danger_model import OFFER, OPEN, DangerModel, Verdict, grams
from bot.typed.matcher import Matcher

EXAMPLES = {
    "sos_locked": [
        "бизди вагончикке камап коюшту эч жакка чыгарбайт",
        "нас закрыли в вагончике не выпускают",
        "qamab qo'yishdi chiqarmayapti",
        "закрыли на складе не выпускают третий день",
    ],
    "sos_violence": [
        "хозяин избил меня вчера",
        "бригадир урду башымды жарды",
        "meni urishdi boshliq",
        "нас избили на стройке",
    ],
    "everyday": [
        "вагончикте жашайбыз жатакана барбы",
        "где снять вагончик недорого",
        "как продлить патент",
        "патентти кантип узартам",
        "registratsiya qanday qilinadi",
        "регистрацию где сделать",
        "зарплату когда дают",
        "айлык качан берилет",
    ],
}


def test_grams_are_letters_of_words_padded_and_folded() -> None:
    g = grams("Ўз")  # folded: ў → о, then Cyrillic
    assert set(g) == {" о", "оз", "з ", " оз", "оз ", " оз "}
    assert grams("yo'q") == grams("йўқ")  # Latin and Cyrillic meet


def test_training_is_deterministic() -> None:
    a, b = DangerModel(EXAMPLES), DangerModel(EXAMPLES)
    assert a.vocab == b.vocab
    assert np.array_equal(a._w, b._w) and np.array_equal(a._b, b._b)
    assert a.verdict("нас закрыли не выпускают").score == b.verdict("нас закрыли не выпускают").score


def test_it_tells_danger_from_everyday_on_its_examples() -> None:
    m = DangerModel(EXAMPLES)
    locked = m.verdict("нас закрыли в вагончике и не выпускают", top=5)
    assert locked is not None and locked.node == "sos_locked" and locked.score > 0.5
    assert locked.top and all(w > 0 for _, w in locked.top)  # the n-grams that pushed towards it
    beaten = m.verdict("бригадир урду")
    assert beaten is not None and beaten.node == "sos_violence" and beaten.score > 0.5
    assert m.verdict("как продлить патент").score < 0.5
    p = m.probabilities("что-то совсем другое")
    assert p.shape == (3,) and abs(p.sum() - 1) < 1e-9


def test_without_everyday_examples_there_is_no_model() -> None:
    m = DangerModel({"sos_locked": ["нас закрыли"]})
    assert not m and m.verdict("нас закрыли") is None
    assert not DangerModel({})


def test_trained_weights_are_cached_by_a_hash_of_the_examples(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = DangerModel(EXAMPLES, tmp_path)
    files = list(tmp_path.glob("danger-model-*.npz"))
    assert len(files) == 1

    def no_training(self, examples):  # type: ignore[no-untyped-def]
        raise AssertionError("should have come from the cache")

    monkeypatch.setattr(DangerModel, "_train", no_training)
    again = DangerModel(EXAMPLES, tmp_path)
    assert again.verdict("нас избили").score == pytest.approx(first.verdict("нас избили").score)
    monkeypatch.undo()
    changed = {**EXAMPLES, "everyday": EXAMPLES["everyday"] + ["где купить сим-карту"]}
    DangerModel(changed, tmp_path)
    assert len(list(tmp_path.glob("danger-model-*.npz"))) == 2  # other examples, other weights


def test_an_unreadable_cache_is_retrained(tmp_path: Path) -> None:
    DangerModel(EXAMPLES, tmp_path)
    (path,) = tmp_path.glob("danger-model-*.npz")
    path.write_bytes(b"not an npz")
    m = DangerModel(EXAMPLES, tmp_path)
    assert m.verdict("нас избили").node == "sos_violence"


class _Fixed:
    """A stand-in model that always says the same."""

    def __init__(self, node: str, score: float) -> None:
        self.v = Verdict(node, score, [("бил", 1.0)])

    def __bool__(self) -> bool:
        return True

    def verdict(self, text: str, top: int = 0) -> Verdict:
        return self.v


def _matcher(model) -> Matcher:  # type: ignore[no-untyped-def]
    return Matcher(
        {},
        rules={"danger": {"sos_passport": ["DOCUMENT WITHHOLD"]}},
        words={"ru": {"DOCUMENT": ["паспорт"], "WITHHOLD": ["забрал"]}},
        examples=EXAMPLES,
        danger_model=model,
    )


def test_above_open_the_urgent_screen_opens() -> None:
    found = _matcher(_Fixed("sos_violence", OPEN + 0.001)).match("что угодно")
    assert found[0].node == "sos_violence" and found[0].danger and not found[0].offer
    assert "danger model" in found[0].why


def test_between_offer_and_open_it_is_offered() -> None:
    found = _matcher(_Fixed("sos_violence", (OFFER + OPEN) / 2)).match("что угодно")
    assert found[0].node == "sos_violence" and found[0].offer and not found[0].danger


def test_below_offer_nothing_and_the_neighbours_are_not_asked() -> None:
    # The message is an example itself: the neighbours would offer; the model decides.
    m = _matcher(_Fixed("sos_locked", OFFER - 0.01))
    assert all(not f.offer and not f.danger for f in m.match("нас закрыли в вагончике не выпускают"))


def test_a_rule_wins_over_the_model() -> None:
    found = _matcher(_Fixed("sos_violence", 1.0)).match("хозяин забрал паспорт")
    assert found[0].node == "sos_passport" and found[0].danger


def test_thresholds_are_ordered() -> None:
    assert 0 < danger_model.OFFER < danger_model.OPEN < 1
    assert all(danger_model.OFFER < t <= danger_model.OPEN for t in danger_model.OPEN_AT.values())


@pytest.mark.parametrize(
    ("node", "opened"),
    [("sos_locked", True), ("sos_passport", True), ("sos_suicide", False), ("sos_violence", False)],
)
def test_some_screens_open_from_a_lower_score_than_violence(node: str, opened: bool) -> None:
    # Out of fold, everyday and off-topic messages reached 0.80 on violence, suicide and medical.
    score = (danger_model.OPEN_AT["sos_locked"] + danger_model.OPEN) / 2
    found = _matcher(_Fixed(node, score)).match("что угодно")
    assert found[0].node == node and found[0].danger is opened and found[0].offer is not opened


def test_the_models_other_screen_goes_second_from_its_own_threshold() -> None:
    from bot.typed.matcher import second_urgent

    low = danger_model.OPEN_AT["sos_locked"] + 0.01
    assert second_urgent(_matcher(_Fixed("sos_locked", low)).match("хозяин забрал паспорт")) == "sos_locked"
    assert second_urgent(_matcher(_Fixed("sos_violence", low)).match("хозяин забрал паспорт")) is None
