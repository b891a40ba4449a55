"""Typed questions: hand-written phrasings in four languages route to the right topic.

``tests/data/phrasings/<lang>.yaml`` were written by native speakers without looking at the
keywords (typos, mixed scripts, Russian words inside other languages). Every danger phrasing must
reach urgent help; at least 90% of the others must suggest the right topic first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content.model import Content
from bot.engine import Say, State, Text, Unmatched, handle
from bot.i18n import LANGS
from bot.typed.matcher import Matcher
from bot.typed.text import normalize, tokens
from tests.conftest import TODAY

PHRASINGS = Path(__file__).parent / "data" / "phrasings"
DANGER_TREES = {"urgent", "health"}  # urgent help, or the medical emergency line (103/112)


def _load(lang: str) -> dict:
    return yaml.safe_load((PHRASINGS / f"{lang}.yaml").read_text(encoding="utf-8"))


def _topic(content: Content, node: str) -> str:
    if node == "dl":
        return "deadlines"
    if node == "person":
        return "person"
    return content.nodes[node].tree


def route(content: Content, text: str) -> tuple[str, str | None]:
    """('danger', node) or ('topic', tree of the first suggestion) or ('none', None), via the engine."""
    state = State(user_id=7, lang_chosen=True, node="main")
    new, outs = handle(content, state, Text(text), TODAY)
    if new.node != "main":
        return "danger", new.node
    if any(isinstance(o, Unmatched) for o in outs):
        return "none", None
    say = [o for o in outs if isinstance(o, Say)][-1]
    first = say.buttons[0][0].data
    return "topic", _topic(content, first.split("|")[2]) if first.startswith("g|") else None


@pytest.mark.parametrize("lang", LANGS)
def test_at_least_40_phrasings_per_language_route_right(real_content: Content, lang: str) -> None:
    data = _load(lang)
    assert len(data["topics"]) >= 40 and len(data["danger"]) >= 10
    misses = []
    for text, expected in data["topics"]:
        kind, where = route(real_content, text)
        if (kind, where) != ("topic", expected):
            misses.append(f"{text!r}: expected {expected}, got {kind} {where}")
    share = 1 - len(misses) / len(data["topics"])
    assert share >= 0.9, f"{lang}: {share:.0%} right; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize("lang", LANGS)
def test_every_danger_phrasing_reaches_urgent_help(real_content: Content, lang: str) -> None:
    misses = []
    for text in _load(lang)["danger"]:
        kind, where = route(real_content, text)
        if kind != "danger" or real_content.nodes[where].tree not in DANGER_TREES:
            misses.append(f"{text!r}: got {kind} {where}")
    assert misses == [], "\n".join(misses)


def test_normalisation_folds_letters_apostrophes_and_scripts() -> None:
    assert normalize("Oʻzbekiston O'ZBEKISTON o‘zbekiston Ўзбекистон") == " ".join(["озбекистон"] * 4)
    assert normalize("Қазақ тілі, Өмір, ҮЙ, ЁЛКА") == "казак тили омир уй елка"
    assert tokens("pasport") == ["паспорт"]  # Latin typing reaches Cyrillic keywords
    # Kazakh's Latin of 2018 (acute accents) meets its Cyrillic: ń ә ө ү ғ у (session 11).
    latin, cyrillic = "Qoş bolyńdar, ýaqyt ótti, ǵana, ári, úrdi", "қош болыңдар, уақыт өтті, ғана, әрі, үрді"
    assert tokens(latin) == tokens(cyrillic)
    # ... and of 2021: ı is і, ū is ұ, y is ы.
    assert tokens("jūmys bızdı şyğardy") == tokens("жұмыс бізді шығарды")


def test_typos_and_inflections() -> None:
    matcher = Matcher({"ru": {"danger": {}, "topics": {"pay": ["зарплат не плат"], "reg": ["регистрац"]}}})
    assert [m.node for m in matcher.match("мне зарплату не платят")] == ["pay"]
    assert [m.node for m in matcher.match("зорплату не платят")] == ["pay"]  # a typo in a long stem
    assert [m.node for m in matcher.match("зарплтау не платят")] == ["pay"]  # two letters swapped
    assert matcher.match("зарплату не плотят") == []  # short stems must match exactly
    debt = Matcher({"ru": {"danger": {"sos_debt": ["долг"]}, "topics": {}}})
    assert debt.danger("какой договор нужен") is None  # "долг" is not one letter from "дог-овор"
    assert [m.node for m in matcher.match("как сделать регистрацыю")] == ["reg"]
    assert matcher.match("просто привет") == []


def test_danger_comes_before_topics() -> None:
    matcher = Matcher(
        {"ru": {"danger": {"sos_passport": ["паспорт забрал"]}, "topics": {"pay": ["не плат"]}}}
    )
    found = matcher.match("хозяин забрал паспорт и не платит")
    assert found[0].node == "sos_passport" and found[0].danger
    assert matcher.danger("хозяин не платит") is None


def test_offer_rules_put_the_urgent_screen_first_and_never_open_it() -> None:
    # rules.offer in content/concepts.yaml: danger too vague to open an urgent screen at once.
    matcher = Matcher(
        {},
        rules={
            "danger": {},
            "topics": {"pol": ["POLICE"]},
            "offer": {"sos_violence": ["THREAT POLICE -WAGE"]},
        },
        words={"ru": {"POLICE": ["полиц"], "THREAT": ["угрожа"], "WAGE": ["зарплат"]}},
    )
    found = matcher.match("полицейский угрожает")
    assert [m.node for m in found] == ["sos_violence", "pol"]
    assert found[0].offer and not found[0].danger and matcher.danger("полицейский угрожает") is None
    assert [m.node for m in matcher.match("угрожает полицией если спрошу зарплату")] == ["pol"]
    assert [m.node for m in matcher.match("полиция проверила документы")] == ["pol"]
