"""The pure engine: navigation, back-stack, deep links, languages, stale buttons, fallback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.content.model import Content
from bot.engine import (
    CaseClosed,
    CloseCase,
    Command,
    Media,
    MissingWords,
    OpenCase,
    Press,
    Rate,
    Relay,
    Say,
    Start,
    State,
    Text,
    Toast,
    Unmatched,
    case_facts,
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


def _hand_off(content: Content) -> State:
    """From the demo escalation node, say yes to the hand-off."""
    state = State(user_id=7, lang_chosen=True, node="demo", stack=("main",))
    state, outs = press(content, state, "Вариант Б")
    text = says(outs)[0].text
    assert "живой человек" in text and "<b>112</b>" in text  # the numbers come first
    state, outs = press(content, state, "✅ Да, передать человеку")
    assert state.handoff == "describe"
    (say,) = says(outs)
    assert "Коротко напишите" in say.text and [b.data for r in say.buttons for b in r] == ["hx"]
    return state


def test_hand_off_asks_consent_then_a_description_then_opens_a_case(demo_content: Content) -> None:
    state = _hand_off(demo_content)
    state, outs = handle(demo_content, state, Text("Работодатель забрал паспорт", ref=41), TODAY)
    (case,) = [o for o in outs if isinstance(o, OpenCase)]
    assert case.description == "Работодатель забрал паспорт" and case.ref == 41 and case.kind == "text"
    assert case.path == ("main", "demo", "demo_b") and case.topic == "demo"
    assert state.handoff == "case"


def test_a_voice_message_can_describe_the_case(demo_content: Content) -> None:
    state = _hand_off(demo_content)
    _, outs = handle(demo_content, state, Media("voice", ref=42), TODAY)
    (case,) = [o for o in outs if isinstance(o, OpenCase)]
    assert case.description is None and case.kind == "voice" and case.ref == 42


def test_open_case_relays_everything_and_end_closes_it(demo_content: Content) -> None:
    state = _hand_off(demo_content)
    state, _ = handle(demo_content, state, Text("помогите", ref=1), TODAY)
    state, outs = handle(demo_content, state, Text("ещё", ref=2), TODAY)
    assert outs == [Relay(2, "text", "ещё")]
    state, outs = handle(demo_content, state, Media("photo", ref=3), TODAY)
    assert outs == [Relay(3, "photo", None)]
    # The menu still works while the case is open, and text still goes to the operators.
    state, outs = handle(demo_content, state, Command("menu"), TODAY)
    assert state.handoff == "case" and says(outs)
    state, outs = handle(demo_content, state, Command("end"), TODAY)
    assert state.handoff is None and CloseCase() in outs
    assert "Вы закрыли вопрос" in says(outs)[0].text


def test_leaving_before_describing_cancels_the_hand_off(demo_content: Content) -> None:
    state = _hand_off(demo_content)
    state, _ = handle(demo_content, state, Command("menu"), TODAY)
    assert state.handoff is None
    state, outs = handle(demo_content, state, Text("просто текст"), TODAY)
    assert not [o for o in outs if isinstance(o, OpenCase)]
    state = _hand_off(demo_content)
    state, outs = handle(demo_content, state, Press("hx"), TODAY)
    assert state.handoff is None and any(isinstance(o, Toast) for o in outs)


def test_operator_closing_asks_for_a_rating_and_rating_is_reported(demo_content: Content) -> None:
    state = replace(started(demo_content), handoff="case")
    state, outs = handle(demo_content, state, CaseClosed(12), TODAY)
    assert state.handoff is None
    (say,) = says(outs)
    datas = [b.data for r in say.buttons for b in r]
    assert datas == [f"r|12|{n}" for n in range(1, 6)]
    state, outs = handle(demo_content, state, Press("r|12|5"), TODAY)
    assert Rate(12, 5) in outs and "Спасибо" in says(outs)[0].text
    _, outs = handle(demo_content, state, Press("r|12|9"), TODAY)  # not a rating we offered
    assert not [o for o in outs if isinstance(o, Rate)]


def test_case_facts_read_citizenship_and_urgency_from_the_path(real_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="pay_threat", stack=("main", "pay", "pay_kg"))
    path, topic, citizenship, urgent = case_facts(real_content, state)
    assert topic == "wages" and citizenship == "kg" and not urgent
    state = State(user_id=7, lang_chosen=True, node="sos_person", stack=("main", "sos", "sos_locked"))
    assert case_facts(real_content, state)[3] is True


def test_help_me_opens_talk_to_a_person(real_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="reg", stack=("main",))
    state, outs = handle(real_content, state, Command("help_me"), TODAY)
    assert state.node == "person" and state.stack == ("main", "reg")
    labels = [b.label for r in says(outs)[-1].buttons for b in r]
    assert "✅ Да, передать человеку" in labels


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
    assert "10 АЭК (43\xa0250 ₸)" in text and "30 күн" in text and "2026-жылдын 1-июлу" in text


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


@pytest.mark.parametrize("event", [Media("sticker"), Command("nosuch")])
def test_unusable_input_answers_and_keeps_place(demo_content: Content, event) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    new, outs = handle(demo_content, state, event, TODAY)
    assert new == state
    first, second = says(outs)
    assert first.text and "Уровень два" in second.text


def test_unmatched_text_is_said_honestly_counted_and_keeps_place(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_a", stack=("main", "demo"))
    new, outs = handle(demo_content, state, Text("привет"), TODAY)
    assert new == state
    assert Unmatched("привет", "ru") in outs
    (say,) = says(outs)
    assert "не нашёл ответа" in say.text
    back = say.buttons[-1][0]
    assert back.data.endswith("|demo_a")  # returns to the screen the user was on
    again, outs = handle(demo_content, new, Press(back.data), TODAY)
    assert again == state and "Уровень два" in says(outs)[0].text


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
    # Nothing says which topic "gone" was in: the main menu, with a notice before the screen.
    assert new.lang == "ru" and new.node == "main" and new.stack == ()
    assert "больше нет" in says(outs)[0].text


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


def test_hand_off_shows_the_consulate_when_the_path_tells_the_country(real_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="pay_help", stack=("main", "pay", "pay_uz", "pay_threat"))
    data = next(b.data for r in _screen(real_content, state).buttons for b in r if b.data.endswith("|person"))
    state, outs = handle(real_content, state, Press(data), TODAY)
    text = says(outs)[-1].text
    assert state.node == "person" and "kazakhstan.mfa.uz" in text and "111" in text
