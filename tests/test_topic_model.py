"""The learned topic model (bot/typed/topic_model.py) and how the matcher merges its topics in."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.typed.danger_model import Verdict
from bot.typed.matcher import TOPIC_ADD, TOPIC_ALONE, Matcher
from bot.typed.topic_model import OFFTOPIC, TopicModel

EXAMPLES = {
    "pay": [
        "зарплату не платят третий месяц",
        "айлык бербей жатат",
        "oylik bermayapti ikki oy",
        "жалақымды бермейді",
        "хозяин не отдает деньги за работу",
    ],
    "reg": [
        "как сделать регистрацию",
        "каттоо кантип жасайт",
        "registratsiya qanday qilinadi",
        "тіркеуге қалай тұрамын",
        "прописка где сделать",
    ],
    "med": [
        "где найти врача бесплатно",
        "доктурга кантип барам",
        "shifokorga qayerga boraman",
        "емханаға тегін бола ма",
        "больница для мигрантов",
    ],
}


def test_it_ranks_topics_from_its_examples() -> None:
    m = TopicModel(EXAMPLES)
    assert m and m.classes == ["med", "pay", "reg"]
    ranking = m.ranking("мне не платят зарплату")
    assert ranking[0][0] == "pay" and ranking[0][1] > 0.4
    assert [n for n, _ in ranking] != [] and abs(sum(p for _, p in m.ranking("x", 3)) - 1) < 1e-9
    assert m.ranking("registratsiya qilish kerak")[0][0] == "reg"


def test_training_is_deterministic_and_cached(tmp_path: Path) -> None:
    a, b = TopicModel(EXAMPLES, tmp_path), TopicModel(EXAMPLES, tmp_path)
    assert np.array_equal(a._w, b._w)
    assert len(list(tmp_path.glob("topic-model-*.npz"))) == 1  # not the danger model's files


def test_one_topic_is_no_model() -> None:
    assert not TopicModel({"pay": ["зарплата"]}) and TopicModel({"pay": ["зарплата"]}).ranking("x") == []


class _Fixed:
    def __init__(self, *ranking: tuple[str, float]) -> None:
        self.r = list(ranking)

    def __bool__(self) -> bool:
        return True

    def ranking(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        return self.r[: limit or None]


def _matcher(model) -> Matcher:  # type: ignore[no-untyped-def]
    return Matcher(
        {},
        rules={
            "danger": {"sos_passport": ["DOCUMENT WITHHOLD"]},
            "topics": {"pay_late": ["WAGE"], "reg_how": ["REGISTRATION"]},
        },
        words={
            "ru": {
                "DOCUMENT": ["паспорт"],
                "WITHHOLD": ["забрал"],
                "WAGE": ["зарплат"],
                "REGISTRATION": ["регистрац"],
            }
        },
        documents={"pay": "зарплата деньги", "reg": "регистрация", "med": "врач больница"},
        topic_model=model,
        topic_of={
            "pay": "wages",
            "pay_late": "wages",
            "reg": "registration",
            "reg_how": "registration",
            "med": "health",
        },
    )


def test_the_models_topic_goes_first_when_the_rules_missed_it() -> None:
    found = _matcher(_Fixed(("med", TOPIC_ADD + 0.01), ("pay", 0.1))).match("зарплата и регистрация")
    assert [m.node for m in found] == ["med", "pay_late", "reg_how"]
    assert "topic model" in found[0].why


def test_the_rules_answers_are_ordered_by_the_models_topics() -> None:
    def nodes(*ranking: tuple[str, float]) -> list[str]:
        return [m.node for m in _matcher(_Fixed(*ranking)).match("зарплата и регистрация")]

    assert nodes(("pay", 0.4), ("reg", 0.3)) == ["pay_late", "reg_how"]
    assert nodes(("reg", 0.4), ("pay", 0.3)) == ["reg_how", "pay_late"]


def test_a_topic_the_rules_already_gave_is_not_repeated() -> None:
    found = _matcher(_Fixed(("pay", 0.99))).match("зарплата")
    assert [m.node for m in found] == ["pay_late"]


def test_an_unsure_model_adds_nothing() -> None:
    found = _matcher(_Fixed(("med", TOPIC_ADD - 0.01))).match("зарплата")
    assert [m.node for m in found] == ["pay_late"]


def test_where_no_rule_fired_the_models_topics_are_the_buttons() -> None:
    found = _matcher(_Fixed(("med", 0.6), ("reg", TOPIC_ALONE + 0.01), ("pay", TOPIC_ALONE - 0.01))).match(
        "голова болит"
    )
    assert [m.node for m in found] == ["med", "reg"]


def test_where_the_model_is_unsure_the_ngrams_still_answer() -> None:
    found = _matcher(_Fixed(("med", TOPIC_ALONE - 0.01))).match("врач больница")
    assert found and found[0].node == "med" and found[0].why == "similar words"


def test_danger_stays_first() -> None:
    found = _matcher(_Fixed(("med", 0.99))).match("хозяин забрал паспорт")
    assert found[0].node == "sos_passport" and found[0].danger


def test_an_off_topic_message_gets_no_guess() -> None:
    # Like the off-topic examples (a greeting, gibberish): no topic, no n-gram guess.
    found = _matcher(_Fixed((OFFTOPIC, 0.4), ("med", 0.35), ("reg", 0.25))).match("врач больница")
    assert found == []
    # The same words, the model not taking them for off-topic: the guesses are back.
    assert _matcher(_Fixed(("med", 0.4), (OFFTOPIC, 0.35))).match("врач больница")[0].node == "med"


def test_off_topic_never_silences_a_rule() -> None:
    everyday = _matcher(_Fixed((OFFTOPIC, 0.9))).match("зарплата")
    assert [m.node for m in everyday] == ["pay_late"]
    danger = _matcher(_Fixed((OFFTOPIC, 0.9))).match("хозяин забрал паспорт")
    assert danger[0].node == "sos_passport" and danger[0].danger


class _Danger:
    """A danger model that always gives the same verdict."""

    def __init__(self, node: str, score: float) -> None:
        self.v = Verdict(node, score, [])

    def __bool__(self) -> bool:
        return True

    def verdict(self, text: str, top: int = 0) -> Verdict:
        return self.v


def test_off_topic_keeps_the_danger_models_offer_and_opening() -> None:
    # Danger first: a farewell can look like a text meant for someone else.
    m = _matcher(_Fixed((OFFTOPIC, 0.9)))
    m.danger_model = _Danger("sos_suicide", 0.8)  # fairly sure: offered
    found = m.match("простите меня мама")
    assert [f.node for f in found] == ["sos_suicide"] and found[0].offer
    m.danger_model = _Danger("sos_suicide", 0.97)  # very sure: opens
    found = m.match("простите меня мама")
    assert found[0].node == "sos_suicide" and found[0].danger
    m.danger_model = _Danger("sos_suicide", 0.3)  # unsure: nothing at all
    assert m.match("простите меня мама") == []


def test_off_topic_examples_are_a_class_of_the_model() -> None:
    examples = {**EXAMPLES, OFFTOPIC: ["привет", "спасибо", "ok", "как дела", "salom", "рахмет", "?"]}
    m = TopicModel(examples)
    assert OFFTOPIC in m.classes
    assert m.ranking("привет как дела")[0][0] == OFFTOPIC
    assert m.ranking("зарплату не платят")[0][0] == "pay"
