"""Law-change alerts, the pure and small parts: the content format, the engine's watch button and
alert text, and announcing a change in the database (once, in one transaction).

End to end (the real Application and the fake Bot API): tests/test_alerts_e2e.py; a real process
killed half-way through sending: tests/test_alerts_kill.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.alerts import Alerts, due_changes
from bot.content.check import CHANGE_LIMIT, check_content
from bot.content.check import main as check_main
from bot.content.loader import ContentStore, load_content
from bot.content.model import UNWATCHED_TREES, Change, Content, ContentInvalid
from bot.engine import (
    Press,
    Say,
    State,
    Toast,
    Watch,
    alert_message,
    handle,
    my_data_text,
    screen,
    topic_name,
)
from bot.html import to_plain
from bot.i18n import LANGS, format_date
from bot.storage import ALERT_KIND, ALERT_LANE, Storage, StorageError
from tests.alert_content import WHAT, copy_content, mark_change
from tests.conftest import FIXTURE_CONTENT, TODAY

ON = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The shipped content with one change marked on reg_kg (words in four languages)."""
    root = copy_content(tmp_path_factory.mktemp("alerts") / "content")
    mark_change(root, "registration", "reg_kg", "reg-online", ON)
    return load_content(root)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the small test content (trees main and demo), to break."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as info:
        load_content(root)
    return [str(e) for e in info.value.errors]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


RU_DEMO = {"ru": "Штраф теперь больше.", "ky": "Айып эми көбүрөөк."}


# --- the content format -------------------------------------------------------------------------


def test_a_marked_change_loads_as_editors_write_it(marked: Content) -> None:
    # Written with a bare "on" key, which YAML 1.1 reads as the boolean true.
    assert marked.nodes["reg_kg"].changed == Change("reg-online", ON)
    for lang in LANGS:
        assert marked.words[lang]["node.reg_kg.changed"] == WHAT[lang]
    # A release with a marked change passes the whole check.
    assert [str(e) for e in check_content(marked, TODAY)] == []


def test_a_quoted_on_key_loads_too(demo: Path) -> None:
    _edit(
        demo / "trees" / "demo.yaml",
        "  demo_deep:\n",
        '  demo_deep:\n    changed: {"on": 2027-01-01, id: fine-2027}\n',
    )
    _edit(demo / "ru" / "demo.yaml", "demo_deep:\n", f'demo_deep:\n  changed: "{RU_DEMO["ru"]}"\n')
    assert load_content(demo).nodes["demo_deep"].changed == Change("fine-2027", dt.date(2027, 1, 1))


@pytest.mark.parametrize(
    ("shape", "words", "expected"),
    [
        ("{on: 2027-02-30, id: fine-2027}", RU_DEMO, "content/trees/demo.yaml: not valid YAML: day is out"),
        ("{on: tomorrow, id: fine-2027}", RU_DEMO, "content/trees/demo.yaml: node 'demo_deep': changed.on"),
        (
            "{on: 2027-01-01}",
            RU_DEMO,
            "content/trees/demo.yaml: node 'demo_deep': changed.id: Field required",
        ),
        ("{id: fine-2027}", RU_DEMO, "content/trees/demo.yaml: node 'demo_deep': changed.on: Field required"),
        ("{on: 2027-01-01, id: Fine 2027}", RU_DEMO, "node 'demo_deep': changed.id: String should match"),
        ("{on: 2027-01-01, id: fine, what: x}", RU_DEMO, "changed.what: Extra inputs are not permitted"),
        ("2027-01-01", RU_DEMO, "node 'demo_deep': changed: Input should be"),
        (
            "{on: 2027-01-01, id: fine-2027}",
            {"ky": RU_DEMO["ky"]},
            "content/ru/demo.yaml: node 'demo_deep': no Russian words for change 'fine-2027'",
        ),
        (
            "{on: 2027-01-01, id: fine-2027}",
            {"ru": "Штраф <b>больше."},
            "content/ru/demo.yaml: node 'demo_deep': changed: invalid Telegram HTML",
        ),
        (
            "{on: 2027-01-01, id: fine-2027}",
            {"ru": "Штраф 10 МРП.", "ky": "Айып 20 МРП."},
            "content/ky/demo.yaml: node 'demo_deep': numbers differ from Russian in node.demo_deep.changed",
        ),
    ],
)
def test_a_malformed_change_is_refused_naming_file_and_node(
    demo: Path, shape: str, words: dict[str, str], expected: str
) -> None:
    _edit(demo / "trees" / "demo.yaml", "  demo_deep:\n", f"  demo_deep:\n    changed: {shape}\n")
    for lang, what in words.items():
        _edit(demo / lang / "demo.yaml", "demo_deep:\n", f'demo_deep:\n  changed: "{what}"\n')
    errors = _errors(demo)
    assert any(expected in e for e in errors), errors


def test_words_for_an_unmarked_change_are_refused(demo: Path) -> None:
    _edit(demo / "ru" / "demo.yaml", "demo_deep:\n", 'demo_deep:\n  changed: "Штраф больше."\n')
    assert _errors(demo) == [
        "content/ru/demo.yaml: node 'demo_deep': words for a change the tree file does not mark"
        " (changed: {on, id})"
    ]


def test_a_change_id_is_used_once(demo: Path) -> None:
    for node in ("demo_deep", "demo_b"):
        _edit(
            demo / "trees" / "demo.yaml",
            f"  {node}:\n",
            f"  {node}:\n    changed: {{on: 2027-01-01, id: same}}\n",
        )
        _edit(demo / "ru" / "demo.yaml", f"{node}:\n", f'{node}:\n  changed: "Иначе."\n')
    assert _errors(demo) == [
        "content/trees/demo.yaml: node 'demo_b': change id 'same' is also used by node 'demo_deep'"
    ]


def test_a_change_nobody_can_watch_is_refused(demo: Path) -> None:
    # The main menu's trees (and urgent help) have no "tell me when this changes" button.
    assert "main" in UNWATCHED_TREES and "urgent" in UNWATCHED_TREES
    _edit(
        demo / "trees" / "main.yaml", "  help112:\n", "  help112:\n    changed: {on: 2027-01-01, id: sos}\n"
    )
    _edit(demo / "ru" / "main.yaml", "help112:\n", 'help112:\n  changed: "Иначе."\n')
    assert _errors(demo) == [
        "content/trees/main.yaml: node 'help112': change 'sos':"
        " nobody can ask to be told about the 'main' tree"
    ]


def test_check_wants_every_language_and_a_short_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = copy_content(tmp_path / "content")
    words = {"ru": "Теперь " + "очень " * 60 + "иначе.", "ky": WHAT["ky"]}
    mark_change(root, "registration", "reg_kg", "reg-online", ON, words)
    assert check_main("check", root, TODAY) == 1
    err = capsys.readouterr().err
    assert "content/uz/registration.yaml: node 'reg_kg': missing words for node.reg_kg.changed" in err
    assert "content/kk/registration.yaml: node 'reg_kg': missing words for node.reg_kg.changed" in err
    assert f"node.reg_kg.changed: 373 characters; an alert says what changed in at most {CHANGE_LIMIT}" in err
    assert "content/ky/registration.yaml" not in err


def test_due_changes_follow_the_kazakhstan_date(marked: Content) -> None:
    assert due_changes(marked, ON - dt.timedelta(days=1)) == []
    assert [n.id for n in due_changes(marked, ON)] == ["reg_kg"]


# --- the engine ---------------------------------------------------------------------------------


def _buttons(say: Say) -> list[tuple[str, str]]:
    return [(b.label, b.data) for row in say.buttons for b in row]


def test_topic_screens_have_the_watch_button_and_menu_and_urgent_do_not(real_content: Content) -> None:
    for node in real_content.nodes.values():
        for lang in LANGS:
            say, _ = screen(real_content, lang, node.id, TODAY)
            watch = [(label, data) for label, data in _buttons(say) if data.startswith("w|")]
            if node.tree in ("main", "urgent"):
                assert watch == [], node.id
            else:
                assert watch == [(watch[0][0], f"w|{node.id}|on")], node.id
                assert watch[0][0].startswith("🔔") and len(watch[0][1].encode()) <= 64


def test_the_watch_button_turns_over_and_says_so(marked: Content) -> None:
    state = State(user_id=7, lang="ky", lang_chosen=True, node="reg", stack=("main",))
    state, outs = handle(marked, state, Press("w|reg|on"), TODAY)
    assert state.watches == {"registration"} and state.node == "reg" and state.stack == ("main",)
    assert Watch("registration", True) in outs
    (toast,) = [o for o in outs if isinstance(o, Toast)]
    assert toast.text == marked.words["ky"]["ui.watch_on_done"]
    (say,) = [o for o in outs if isinstance(o, Say)]
    assert say.replace and ("🔕 Кабарлабаңыз", "w|reg|off") in _buttons(say)
    # Every screen of the topic now offers to stop.
    state, outs = handle(marked, state, Press(next(d for _, d in _buttons(say) if d.endswith("|kg"))), TODAY)
    assert ("🔕 Кабарлабаңыз", "w|reg_kg|off") in _buttons([o for o in outs if isinstance(o, Say)][0])
    state, outs = handle(marked, state, Press("w|reg_kg|off"), TODAY)
    assert state.watches == frozenset() and Watch("registration", False) in outs
    assert ("🔔 Өзгөрсө, кабарлаңыз", "w|reg_kg|on") in _buttons([o for o in outs if isinstance(o, Say)][0])


def test_a_watch_button_of_an_older_message_opens_its_screen(marked: Content) -> None:
    state = State(user_id=7, lang="ru", lang_chosen=True, node="pay", stack=("main",))
    state, outs = handle(marked, state, Press("w|reg_uz|on"), TODAY)
    assert state.node == "reg_uz" and state.stack == ("main", "pay") and state.watches == {"registration"}
    assert Watch("registration", True) in outs


@pytest.mark.parametrize("data", ["w|nosuchnode|on", "w|reg|maybe", "w|sos|on", "w|main|on", "w|reg"])
def test_a_forged_or_unwatchable_watch_press_is_stale(marked: Content, data: str) -> None:
    state = State(user_id=7, lang="ru", lang_chosen=True, node="reg")
    new, outs = handle(marked, state, Press(data), TODAY)
    assert new.watches == frozenset() and not [o for o in outs if isinstance(o, Watch)]
    assert Toast(marked.words["ru"]["ui.stale"]) in outs


def test_the_alert_says_what_changed_in_each_language(marked: Content) -> None:
    for lang in LANGS:
        say = alert_message(marked, lang, "reg_kg", ON)
        text = to_plain(say.text)
        assert WHAT[lang] in text and format_date(ON, lang) in text
        assert text.startswith("🔔") and "🔕" in text  # and how to stop them
        label, data = _buttons(say)[0]
        assert data == f"g|{marked.version}|reg_kg" and len(data.encode()) <= 64 and label
    assert "Регистрация и сроки" in alert_message(marked, "ru", "reg_kg", ON).text
    assert "Каттоо жана мөөнөттөр" in alert_message(marked, "ky", "reg_kg", ON).text


def test_a_missing_translation_of_the_change_comes_in_russian_written_the_russian_way(
    tmp_path: Path,
) -> None:
    root = copy_content(tmp_path / "content")
    mark_change(root, "registration", "reg_kg", "reg-15", ON, {"ru": "Теперь срок — {days:15}."})
    content = load_content(root)
    assert "Теперь срок — 15 дней." in to_plain(alert_message(content, "uz", "reg_kg", ON).text)


def test_the_alert_button_opens_the_node_even_from_older_content(marked: Content) -> None:
    state = State(user_id=7, lang="ru", lang_chosen=True, node="main")
    state, outs = handle(marked, state, Press("g|000000|reg_kg"), TODAY)
    assert state.node == "reg_kg"
    (say,) = [o for o in outs if isinstance(o, Say)]
    assert say.text == screen(marked, "ru", "reg_kg", TODAY)[0].text


def test_mydata_lists_the_watched_topics(marked: Content) -> None:
    state = State(user_id=7, lang="kk", lang_chosen=True, node="main")
    kwargs = {"retention_days": 180, "reminders": [], "cases": [], "unmatched": []}
    text = my_data_text(marked, state, TODAY, watches={"registration", "wages", "gone"}, **kwargs)
    topics = (
        f"«{topic_name(marked, 'kk', 'registration', TODAY)}», «{topic_name(marked, 'kk', 'wages', TODAY)}»"
    )
    assert topics == "«Тіркеу және мерзімдер», «Жалақы төлемей жатыр»"
    assert marked.words["kk"]["ui.mydata_watches"].format(topics=topics) in text
    assert marked.words["kk"]["ui.mydata_watches_none"] in my_data_text(marked, state, TODAY, **kwargs)


# --- announcing, in the database ---------------------------------------------------------------


async def _watchers(store: Storage, users: dict[int, str], tree: str = "registration") -> None:
    for uid, lang in users.items():
        await store.save_user(State(user_id=uid, lang=lang, lang_chosen=True, node="reg"))
        await store.set_watch(uid, tree, True)


async def test_a_change_is_announced_once_in_one_transaction(db_target: str | Path, marked: Content) -> None:
    now = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)  # 10:00 in Almaty, the change's day
    async with Storage(db_target, clock=lambda: now) as store:
        await _watchers(store, {1: "ru", 2: "ky", 3: "uz", 4: "kk"})
        await _watchers(store, {5: "ru"}, tree="wages")  # another topic
        await store.save_user(State(user_id=6, lang="ru", node="reg"))  # never asked
        await _watchers(store, {7: "ky"})
        await store.set_blocked(7)
        with pytest.raises(StorageError):  # outside a transaction nothing is half done
            await store.announce("x", "reg_kg", "registration", "2026-12-01", {"ru": {}}, "ru")
        alerts = Alerts(store, ContentStore(Path("unused"), marked), now=lambda: now)
        assert await alerts.announce() == 4
        assert await alerts.announce() == 0  # a second check, a reload, a restart: nothing more
        rows = await store._rows("SELECT chat_id, lane, kind, payload FROM outbox ORDER BY chat_id")
        assert [(r[0], r[1], r[2]) for r in rows] == [(u, ALERT_LANE, ALERT_KIND) for u in (1, 2, 3, 4)]
        for (uid, *_, payload), lang in zip(rows, ("ru", "ky", "uz", "kk"), strict=True):
            assert WHAT[lang] in payload, uid
        assert await store.alert_counts() == [
            ("reg-online", "reg_kg", now.isoformat(timespec="seconds"), 4, 1)
        ]
        sends = await store._rows("SELECT alert_id, user_id FROM alert_sends ORDER BY user_id")
        assert sends == [("reg-online", u) for u in (1, 2, 3, 4)]


async def test_before_its_day_a_change_is_not_announced(db_target: str | Path, marked: Content) -> None:
    eve = dt.datetime(2026, 11, 30, 18, 59, tzinfo=dt.UTC)  # 23:59 in Almaty, the day before
    async with Storage(db_target, clock=lambda: eve) as store:
        await _watchers(store, {1: "ru"})
        assert await Alerts(store, ContentStore(Path("unused"), marked), now=lambda: eve).announce() == 0
        midnight = eve + dt.timedelta(minutes=1)
        assert await Alerts(store, ContentStore(Path("unused"), marked), now=lambda: midnight).announce() == 1


async def test_a_queued_alert_is_not_wanted_after_stop_block_or_forget(db_target: str | Path) -> None:
    async with Storage(db_target) as store:
        await _watchers(store, {1: "ru", 2: "ru", 3: "ru", 4: "ru"})
        payload = {"tree": "registration"}
        assert await store.alert_wanted(1, payload)
        await store.set_watch(2, "registration", False)
        await store.set_blocked(3)
        await store._run("forget", "DELETE FROM users WHERE user_id = 4")
        assert [await store.alert_wanted(u, payload) for u in (1, 2, 3, 4)] == [True, False, False, False]
        assert await store.watches_of(1) == {"registration"}
