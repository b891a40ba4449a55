"""Every urgent screen starts with the numbers to call now.

The first line of each urgent screen is its bold line, and it carries the number for the
situation: 103 where a doctor is the first call (a medical emergency, thoughts of suicide),
102 or 112 everywhere else. Screens are rendered with the engine, as the user sees them, in every
language; the three newer screens are reached from the `sos` menu by pressing their buttons.
"""

from __future__ import annotations

import re

import pytest

from bot.content.model import Content
from bot.engine import screen
from bot.html import to_plain
from bot.i18n import LANGS
from tests.conftest import TODAY
from tests.test_real_content import walk

URGENT_SCREENS = (
    "sos",
    "sos_passport",
    "sos_locked",
    "sos_violence",
    "sos_debt",
    "sos_escaped",
    "sos_other",
    "sos_harass",
    "sos_sexual",
    "sos_suicide",
    "sos_medical",
    "sos_fire",
)
DOCTOR_FIRST = {"sos_medical", "sos_suicide"}  # 103 is the number to call now
FIRE_FIRST = {"sos_fire"}  # 101 (the fire service) and 112
NEW_SCREENS = {"sexual": "sos_sexual", "suicide": "sos_suicide", "medical": "sos_medical", "fire": "sos_fire"}


def _first_line(content: Content, lang: str, node_id: str) -> str:
    say, _ = screen(content, lang, node_id, TODAY)
    return say.text.split("\n", 1)[0]


def _numbers(line: str) -> set[str]:
    return set(re.findall(r"\d+", to_plain(line)))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node_id", URGENT_SCREENS)
def test_first_line_has_the_numbers_to_call_now(real_content: Content, lang: str, node_id: str) -> None:
    line = _first_line(real_content, lang, node_id)
    assert line.startswith("<b>") and line.endswith("</b>"), (lang, node_id, line)  # the bold line
    numbers = _numbers(line)
    if node_id in DOCTOR_FIRST:
        assert "103" in numbers, (lang, node_id, line)
    elif node_id in FIRE_FIRST:
        assert {"101", "112"} <= numbers, (lang, node_id, line)
    else:
        assert numbers & {"102", "112"}, (lang, node_id, line)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node_id", URGENT_SCREENS)
def test_first_line_fits_a_phone(real_content: Content, lang: str, node_id: str) -> None:
    """Short enough to read at a glance (Kyrgyz, Kazakh and Uzbek run longer than Russian)."""
    assert len(to_plain(_first_line(real_content, lang, node_id))) <= 64


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("option", sorted(NEW_SCREENS))
def test_new_urgent_screens_are_reachable_from_sos_in_every_language(
    real_content: Content, lang: str, option: str
) -> None:
    node_id = NEW_SCREENS[option]
    assert node_id in real_content.nodes and real_content.nodes[node_id].tree == "urgent"
    words = real_content.words[lang]
    assert f"node.{node_id}.text" in words
    for opt in real_content.nodes[node_id].options:
        assert f"node.{node_id}.opt.{opt.id}" in words, (lang, node_id, opt.id)
    assert f"node.sos.opt.{option}" in words

    # Main menu -> urgent help (sos) -> the button: walk() fails on any missing word.
    text, _ = walk(real_content, lang, ["urgent", option])
    say, _ = screen(real_content, lang, node_id, TODAY)
    assert text.splitlines()[0] == re.sub(r"[\u00a0\u202f]", " ", to_plain(say.text)).splitlines()[0]
    if lang != "ru":  # written in the language, not the Russian fallback
        assert words[f"node.{node_id}.text"] != real_content.words["ru"][f"node.{node_id}.text"]


@pytest.mark.parametrize("lang", LANGS)
def test_sexual_violence_screen_says_what_helps(real_content: Content, lang: str) -> None:
    """The numbers a victim needs (102/112 now, 103 if injured, 111) and the four ways on."""
    text, _ = walk(real_content, lang, ["urgent", "sexual"])
    assert {"102", "112", "103", "111"} <= set(re.findall(r"\d+", text))
    assert [o.id for o in real_content.nodes["sos_sexual"].options] == ["say", "afraid", "person", "rights"]
    assert [o.to for o in real_content.nodes["sos_sexual"].options] == [
        "sos_script",
        "sos_afraid",
        "sos_person",
        "sos_rights",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_suicide_screen_offers_111_and_a_person(real_content: Content, lang: str) -> None:
    text, _ = walk(real_content, lang, ["urgent", "suicide"])
    assert "111" in text
    assert [o.to for o in real_content.nodes["sos_suicide"].options] == ["sos_person"]


@pytest.mark.parametrize("lang", LANGS)
def test_medical_emergency_screen_leads_to_the_health_screens(real_content: Content, lang: str) -> None:
    text, _ = walk(real_content, lang, ["urgent", "medical"])
    assert "103" in text and "112" in text
    targets = [o.to for o in real_content.nodes["sos_medical"].options]
    assert targets == ["med_emerg", "med_refused", "med_injury", "sos_person"]
    refused, _ = walk(real_content, lang, ["urgent", "medical", "refuse"])
    assert "eOtinish.kz" in refused


@pytest.mark.parametrize("lang", LANGS)
def test_fire_screen_says_get_out_and_103_for_the_burned(real_content: Content, lang: str) -> None:
    """A fire now (session 14): 101 and 112 first, 103 for the burned, the medical screen and a person
    one press away; the same six steps in every language (МЧС advice, content/trees/urgent.yaml)."""
    text, _ = walk(real_content, lang, ["urgent", "fire"])
    assert {"101", "112", "103", "104"} <= set(re.findall(r"\d+", text))  # 104: gas (session 16)
    assert [o.to for o in real_content.nodes["sos_fire"].options] == ["sos_medical", "sos_person"]
    say, _ = screen(real_content, lang, "sos_fire", TODAY)
    assert say.text.count("•") == 6, (lang, say.text)  # the sixth: a smell of gas (session 16)
    assert real_content.nodes["sos_fire"].contacts[0] == "c101"
    assert real_content.contacts["c101"].phone == "101"
    assert real_content.words[lang]["contact.c101.name"] in text  # the fire service, named in the language
