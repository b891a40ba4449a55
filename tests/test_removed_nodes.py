"""The pure engine when a node a user depends on was removed from the content (issue 14).

The user's screen, a screen in their back-stack, or the screen of a button they press may be gone
after a reload: they are taken to the start of that topic (or the main menu when the whole topic is
gone) with a short notice, never to an error.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import Content
from bot.engine import Command, Media, Press, Say, Start, State, Text, Toast, handle
from tests.conftest import TODAY

NOTICE = "ℹ️ Этого раздела больше нет"


def says(outputs: list) -> list[Say]:
    return [o for o in outputs if isinstance(o, Say)]


def test_button_of_a_removed_screen_leads_to_the_start_of_its_topic(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_gone", stack=("main", "demo"), tree="demo")
    new, outs = handle(demo_content, state, Press("o|oldver|demo_gone|next"), TODAY)
    assert new.node == "demo" and new.stack == ("main",) and new.tree == "demo"
    assert isinstance(outs[0], Toast) and outs[0].text.startswith(NOTICE)
    notice, screen = says(outs)
    assert notice.text.startswith(NOTICE)
    assert screen.text.startswith("Демо-дерево")
    assert [b.label for row in screen.buttons for b in row] == [
        "Вариант А",
        "Вариант Б",
        "⬅️ Назад",
        "🏠 Главное меню",
    ]


def test_the_same_with_a_button_of_the_current_version(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_gone", stack=("main", "demo"), tree="demo")
    new, outs = handle(demo_content, state, Press(f"b|{demo_content.version}|demo_gone"), TODAY)
    assert new.node == "demo" and says(outs)[0].text.startswith(NOTICE)


def test_whole_topic_removed_leads_to_the_main_menu(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="old_x", stack=("main", "old"), tree="oldtree")
    new, outs = handle(demo_content, state, Press("o|oldver|old_x|a"), TODAY)
    assert new.node == "main" and new.stack == () and new.tree == "main"
    notice, screen = says(outs)
    assert notice.text.startswith(NOTICE) and screen.text.startswith("<b>Меню.</b>")


def test_any_other_input_on_a_removed_screen_also_says_why(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="demo_gone", stack=("main", "demo"), tree="demo")
    new, outs = handle(demo_content, state, Media("sticker"), TODAY)
    notice, media, screen = says(outs)
    assert notice.text.startswith(NOTICE) and "понимаю только кнопки" in media.text
    assert screen.text.startswith("Демо-дерево") and new.node == "demo"
    # A typed question is answered, after the notice; its "back" leads to the topic's start.
    new, outs = handle(demo_content, state, Text("привет"), TODAY)
    notice, answer = says(outs)
    assert notice.text.startswith(NOTICE) and "не нашёл ответа" in answer.text
    assert answer.buttons[-1][0].data == f"g|{demo_content.version}|demo"
    # Going somewhere on purpose needs no notice.
    for event in (Start(), Command("menu")):
        new, outs = handle(demo_content, state, event, TODAY)
        assert new.node == "main" and not any(s.text.startswith(NOTICE) for s in says(outs))


def test_removed_node_in_the_back_stack(demo_content: Content) -> None:
    state = State(
        user_id=7, lang_chosen=True, node="demo_deep", stack=("main", "demo", "demo_gone"), tree="demo"
    )
    # The stack survives until Back reaches the removed screen.
    new, outs = handle(demo_content, state, Command("help"), TODAY)
    assert new.stack == state.stack and not any(s.text.startswith(NOTICE) for s in says(outs))
    new, outs = handle(demo_content, state, Press(f"b|{demo_content.version}|demo_deep"), TODAY)
    assert new.node == "demo" and new.stack == ("main",)
    notice, screen = says(outs)
    assert notice.text.startswith(NOTICE) and screen.text.startswith("Демо-дерево")
    # Back from there is the main menu, as usual.
    new, outs = handle(demo_content, new, Press(f"b|{demo_content.version}|demo"), TODAY)
    assert new.node == "main"


def test_button_to_a_removed_node_from_an_older_message(demo_content: Content) -> None:
    # The content remembers where removed nodes were (ContentStore keeps it across reloads).
    content = replace(demo_content, retired={"demo_c": "demo"})
    state = State(user_id=7, lang_chosen=True, node="help112", stack=("main",), tree="main")
    for data in ("o|oldver|demo_c|x", f"g|{content.version}|demo_c"):
        new, outs = handle(content, state, Press(data), TODAY)
        assert new.node == "demo" and new.stack == ("main",)
        assert isinstance(outs[0], Toast) and outs[0].text.startswith(NOTICE)
        assert says(outs)[-1].text.startswith("Демо-дерево")
    # A node nobody knows: the usual "out of date" answer and the user's own screen.
    new, outs = handle(content, state, Press("o|oldver|never_was|x"), TODAY)
    assert new.node == "help112" and "устарело" in outs[0].text


def test_the_topic_is_kept_with_the_state(demo_content: Content) -> None:
    state = State(user_id=7, lang_chosen=True, node="main")
    new, _ = handle(demo_content, state, Press(f"o|{demo_content.version}|main|demo"), TODAY)
    assert new.tree == "demo"
    new, _ = handle(demo_content, new, Press(f"o|{demo_content.version}|demo|a"), TODAY)
    assert (new.node, new.tree) == ("demo_a", "demo")
    new, _ = handle(demo_content, new, Command("menu"), TODAY)
    assert new.tree == "main"
