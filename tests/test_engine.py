"""The pure engine: navigation, back-stack, deep links, languages, stale buttons, fallback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.content.model import Content
from bot.engine import (
    Command,
    Media,
    MissingWords,
    Press,
    Say,
    Start,
    State,
    Text,
    Toast,
    handle,
    parse_action,
    screen,
)
from tests.conftest import TODAY


def says(outputs: list) -> list[Say]:
    return [o for o in outputs if isinstance(o, Say)]


def press(content: Content, state: State, label: str) -> tuple[State, list]:
    """Press the button with ``label`` on the last screen the state shows."""
    screen = _screen(content, state)
    for row in screen.buttons:
        for b in row:
            if b.label == label:
                return handle(content, state, Press(b.data), TODAY)
    raise AssertionError(f"no button {label!r} in {[b.label for r in screen.buttons for b in r]}")


def _screen(content: Content, state: State) -> Say:
    return screen(content, state.lang, state.node or "main", TODAY)[0]


def started(content: Content, lang: str = "ru") -> State:
    return State(user_id=7, lang=lang, lang_chosen=True, node="main")


def test_first_start_guesses_language_and_offers_picker(demo_content: Content) -> None:
    state, outs = handle(demo_content, State(user_id=7), Start(language_code="ky-KG"), TODAY)
    assert state.lang == "ky" and not state.lang_chosen and state.node == "main"
    (say,) = says(outs)
    assert "Саламатсызбы" in say.text
    datas = [b.data for row in say.buttons for b in row]
    assert datas == ["l|ru", "l|ky"]  # only languages that have a folder in this content set


def test_choosing_language_shows_pending_screen(demo_content: Content) -> None:
    state, _ = handle(demo_content, State(user_id=7), Start(payload="demo", language_code="uz"), TODAY)
    assert state.node == "demo"  # deep link remembered behind the picker
    state, outs = handle(demo_content, state, Press("l|ky"), TODAY)
    assert state.lang == "ky" and state.lang_chosen
    (say,) = says(outs)
    assert say.replace and "Демо дарак" in say.text


def test_walk_two_levels_and_back(demo_content: Content) -> None:
    state = started(demo_content)
    state, outs = press(demo_content, state, "Демо")
    assert state.node == "demo" and state.stack == ("main",)
    state, outs = press(demo_content, state, "Вариант А")
    assert state.node == "demo_a" and state.stack == ("main", "demo")
    state, outs = press(demo_content, state, "⬅️ Назад")
    assert state.node == "demo" and state.stack == ("main",)
    assert "Демо-дерево" in says(outs)[0].text
    state, outs = press(demo_content, state, "🏠 Главное меню")
    assert state.node == "main" and state.stack == ()


def test_back_with_empty_stack_goes_to_main(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo")
    state, _ = press(demo_content, state, "⬅️ Назад")
    assert state.node == "main"


def test_placeholders_contacts_and_footer_render(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    state, outs = press(demo_content, state, "Глубже")
    text = says(outs)[0].text
    assert "10 МРП (43\xa0250 ₸)" in text
    assert "30 дней" in text and "5 рабочих дней" in text and "1 июля 2026\u202fг." in text
    assert "Проверьте на egov.kz" in text and "Проверено: 1 ноября 2026\u202fг." in text


def test_escalate_stub_says_not_available_and_shows_numbers(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo", stack=("main",))
    _, outs = press(demo_content, state, "Вариант Б")
    text = says(outs)[0].text
    assert "пока не работает" in text and "<b>112</b>" in text


def test_missing_translation_falls_back_to_russian_and_is_reported(demo_content: Content) -> None:
    state = State(user_id=7, lang="ky", lang_chosen=True, node="demo", stack=("main",))
    state, outs = handle(demo_content, state, Press(f"o|{demo_content.version}|demo|b"), TODAY)
    text = says(outs)[0].text
    assert "Оператор" in text  # Russian, never blank
    assert MissingWords("ky", "node.demo_b.text") in outs


def test_kyrgyz_placeholders_use_kyrgyz_forms(demo_content: Content) -> None:
    state = State(user_id=7, lang="ky", lang_chosen=True, node="demo_a", stack=("main", "demo"))
    _, outs = handle(demo_content, state, Press(f"o|{demo_content.version}|demo_a|deep"), TODAY)
    text = says(outs)[0].text
    assert "10 АЭК (43\xa0250 ₸)" in text and "30 күн" in text and "2026-ж., 1-июль" in text


@pytest.mark.parametrize(
    "data",
    [
        "o|000000|main|demo",  # older content version
        "o|{v}|demo|a",  # a button from a screen the user has left
        "o|{v}|main|nope",  # an option that no longer exists
        "b|{v}|demo_a",  # back from an old screen
        "garbage",
        "l|xx",
    ],
)
def test_stale_buttons_get_notice_and_fresh_screen(demo_content: Content, data: str) -> None:
    state = started(demo_content)
    new, outs = handle(demo_content, state, Press(data.format(v=demo_content.version)), TODAY)
    assert new.node == "main" and new.stack == ()
    assert isinstance(outs[0], Toast) and "устарело" in outs[0].text
    assert says(outs)[-1].text.startswith("<b>Меню.</b>")


def test_deep_link_for_returning_user(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    state, outs = handle(demo_content, state, Start(payload="demo"), TODAY)
    assert state.node == "demo" and state.stack == ()
    state, _ = handle(demo_content, state, Start(payload="unknown-tree"), TODAY)
    assert state.node == "main"


@pytest.mark.parametrize("event", [Text("привет"), Media("sticker"), Command("nosuch")])
def test_unusable_input_answers_and_keeps_place(demo_content: Content, event) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    new, outs = handle(demo_content, state, event, TODAY)
    assert new == state
    first, second = says(outs)
    assert first.text and "Уровень два" in second.text


def test_commands(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    new, outs = handle(demo_content, state, Command("cancel"), TODAY)
    assert new.node == "main" and "главное меню" in says(outs)[0].text
    new, outs = handle(demo_content, state, Command("language"), TODAY)
    assert new == state and [b.data for r in says(outs)[0].buttons for b in r] == ["l|ru", "l|ky"]
    new, outs = handle(demo_content, state, Command("help"), TODAY)
    assert new == state and "/menu" in says(outs)[0].text
    new, _ = handle(demo_content, state, Command("back"), TODAY)
    assert new.node == "demo"


def test_state_from_older_content_is_repaired(demo_content: Content) -> None:
    state = State(user_id=7, lang="xx", lang_chosen=True, node="gone", stack=("main", "gone2"))
    new, outs = handle(demo_content, state, Command("help"), TODAY)
    assert new.lang == "ru" and new.node == "main" and new.stack == ("main",)


def test_every_button_fits_callback_data(demo_content: Content) -> None:
    state = started(demo_content)
    for node in demo_content.nodes:
        say = _screen(demo_content, replace(state, node=node))
        for row in say.buttons:
            for b in row:
                assert 1 <= len(b.data.encode()) <= 64
                assert parse_action(b.data) is not None


def test_engine_is_pure(demo_content: Content) -> None:
    state = started(demo_content)
    event = Press(f"o|{demo_content.version}|main|demo")
    assert handle(demo_content, state, event, TODAY) == handle(demo_content, state, event, TODAY)
