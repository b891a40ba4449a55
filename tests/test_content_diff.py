"""The pure diff of two content versions, the admins' texts, and ContentStore.refresh()."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content.diff import ERROR_LIMIT, LIST_LIMIT, diff, published_text, refused_text, unchanged_text
from bot.content.loader import ContentStore, load_content
from bot.content.model import Content, ContentError, Node, Option
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _words(content: Content, lang: str, **changes: str | None) -> dict[str, dict[str, str]]:
    words = {k: dict(v) for k, v in content.words.items()}
    for key, text in changes.items():
        key = key.replace("__", ".")
        if text is None:
            words[lang].pop(key, None)
        else:
            words[lang][key] = text
    return words


def test_identical_content_has_an_empty_diff(demo_content: Content) -> None:
    change = diff(demo_content, demo_content)
    assert change.empty
    assert change.added == change.removed == () and change.texts == {}
    assert "Изменений в узлах и текстах нет" in published_text(demo_content, change)


def test_nodes_added_removed_and_options_changed(demo_content: Content) -> None:
    nodes = dict(demo_content.nodes)
    del nodes["demo_b"]
    nodes["demo"] = replace(nodes["demo"], options=(Option("a", "demo_a"), Option("c", "demo_c")))
    nodes["demo_c"] = Node(id="demo_c", tree="demo", file="content/trees/demo.yaml", action="end", nav=True)
    new = replace(demo_content, version="bbbbbb", nodes=nodes)
    change = diff(demo_content, new)
    assert change.added == ("demo_c",)
    assert change.removed == ("demo_b",)
    assert change.options == ("demo",)
    assert change.old_version == demo_content.version and change.new_version == "bbbbbb"
    # Texts of nodes added or removed are not "changed texts": the nodes are listed already.
    assert change.texts == {}


def test_texts_changed_per_language_by_node_contact_and_ui_key(demo_content: Content) -> None:
    words = _words(
        demo_content,
        "ru",
        node__demo_a__text="Уровень 2",
        node__demo__opt__b="Вариант B",
        contact__c112__name="Спасатели",
        ui__menu="🏠 Меню",
    )
    words["ky"]["node.demo.text"] = "Демо дарагы"
    new = replace(demo_content, words=words)
    change = diff(demo_content, new)
    assert change.texts == {
        "ru": ("contact:c112", "demo", "demo_a", "ui:menu"),
        "ky": ("demo",),
    }
    assert not change.added and not change.removed and not change.options
    text = published_text(new, change)
    assert "Изменены тексты:" in text
    assert "• ru (4): contact:c112, demo, demo_a, ui:menu" in text
    assert "• ky (1): demo" in text


def test_a_text_removed_in_one_language_counts_as_changed(demo_content: Content) -> None:
    new = replace(demo_content, words=_words(demo_content, "ky", node__demo__text=None))
    assert diff(demo_content, new).texts == {"ky": ("demo",)}


def test_checks_contacts_facts_languages(demo_content: Content) -> None:
    nodes = dict(demo_content.nodes)
    nodes["demo_deep"] = replace(nodes["demo_deep"], verified_on=None, sources=("law:new",))
    contacts = dict(demo_content.contacts)
    contacts["c112"] = replace(contacts["c112"], phone="113")
    words = _words(demo_content, "ru")
    words["tg"] = {}
    new = replace(
        demo_content,
        nodes=nodes,
        contacts=contacts,
        mrp={**demo_content.mrp, 2030: 5000},
        words=words,
        languages=(*demo_content.languages, "tg"),
        offered=demo_content.offered,
    )
    change = diff(demo_content, new)
    assert change.checks == ("demo_deep",)
    assert change.contacts == ("c112",)
    assert change.facts
    assert change.languages_added == ("tg",)
    text = published_text(new, change)
    assert "Изменены источники, даты проверки или контакты узлов (1): demo_deep" in text
    assert "Изменены контакты (1): c112" in text
    assert "Изменены факты" in text
    assert "Новые языки: tg" in text
    # The other way round: the language is gone.
    assert diff(new, demo_content).languages_removed == ("tg",)


def test_offered_and_withdrawn_languages(demo_content: Content) -> None:
    more = replace(demo_content, languages=("ru", "ky", "tg"), offered=("ru", "ky", "tg"))
    fewer = replace(more, offered=("ru", "ky"))
    assert diff(fewer, more).offered == ("tg",)
    assert diff(more, fewer).withdrawn == ("tg",)
    assert "Больше не предлагаются (не хватает переводов): tg" in published_text(fewer, diff(more, fewer))


def test_long_lists_are_cut(demo_content: Content) -> None:
    nodes = dict(demo_content.nodes)
    for i in range(LIST_LIMIT + 3):
        nodes[f"n{i:02}"] = Node(id=f"n{i:02}", tree="demo", file="f", action="end", nav=True)
    change = diff(demo_content, replace(demo_content, nodes=nodes))
    text = published_text(demo_content, change)
    assert f"Новые узлы ({LIST_LIMIT + 3}):" in text
    assert "n11" in text and "n12" not in text and "и ещё 3" in text


def test_refused_text_names_file_node_and_reason_escaped(demo_content: Content) -> None:
    errors = [
        ContentError("content/ru/demo.yaml", "demo_a", "text: invalid Telegram HTML: <b> is never closed"),
        ContentError("content/trees/demo.yaml", None, "not valid YAML at line 3: " + "x" * 1000),
    ] + [ContentError("content/ky/demo.yaml", f"n{i}", "problem") for i in range(ERROR_LIMIT)]
    text = refused_text(demo_content, errors, "abcdef")
    assert f"Не опубликовано</b>: в файлах есть ошибки ({ERROR_LIMIT + 2})" in text
    assert f"по-прежнему видят версию {demo_content.version}" in text
    assert (
        "• content/ru/demo.yaml, узел demo_a: text: invalid Telegram HTML: &lt;b&gt; is never closed" in text
    )
    assert "• content/trees/demo.yaml: not valid YAML at line 3: " in text
    assert "x" * 300 not in text  # a long reason is cut
    assert "и ещё 2" in text
    assert "content check" in text


def test_unchanged_text(demo_content: Content) -> None:
    assert (
        unchanged_text(demo_content)
        == f"Файлы не менялись: пользователи видят версию {demo_content.version}."
    )


def test_store_refresh_reports_published_refused_unchanged_once(copy: Path) -> None:
    store = ContentStore(copy)
    first = store.refresh()
    assert first.status == "unchanged" and not first.fresh and first
    words = copy / "ru" / "demo.yaml"
    words.write_text(
        words.read_text(encoding="utf-8").replace("Уровень два", "<b>Уровень 2"), encoding="utf-8"
    )
    refused = store.refresh()
    assert refused.status == "refused" and refused.fresh and not refused
    assert refused.version == first.version  # users keep the last good version
    assert any(e.node == "demo_a" and "HTML" in e.message for e in refused.errors)
    again = store.refresh()
    assert again.status == "refused" and not again.fresh and again.errors == refused.errors
    assert store.reload() is False  # the old API still answers a plain bool
    words.write_text(words.read_text(encoding="utf-8").replace("<b>Уровень 2", "Уровень 2"), encoding="utf-8")
    published = store.refresh()
    assert published.status == "published" and published.fresh
    assert published.diff is not None and published.diff.texts == {"ru": ("demo_a",)}
    assert store.current.version == published.version != first.version
    assert store.last is published
    assert store.refresh().status == "unchanged"


def test_store_remembers_the_topics_of_removed_nodes(copy: Path) -> None:
    store = ContentStore(copy)
    shape = copy / "trees" / "demo.yaml"
    text = shape.read_text(encoding="utf-8")
    text = text.replace("      - {id: b, to: demo_b}\n", "")
    text = text[: text.index("  demo_b:")]
    shape.write_text(text, encoding="utf-8")
    words = copy / "ru" / "demo.yaml"
    text = words.read_text(encoding="utf-8").replace("demo_b:\n  text: Оператор\n", "")
    words.write_text(text.replace(", b: Вариант Б}", "}"), encoding="utf-8")
    result = store.refresh()
    assert result.status == "published", result.errors
    assert result.diff is not None and result.diff.removed == ("demo_b",)
    assert store.current.retired == {"demo_b": "demo"}
    # A later version still knows (a user may come back days later); a node that returns is forgotten.
    words.write_text(words.read_text(encoding="utf-8").replace("Уровень два", "Уровень 2"), encoding="utf-8")
    assert store.refresh().status == "published"
    assert store.current.retired == {"demo_b": "demo"}
    shutil.copy(FIXTURE_CONTENT / "trees" / "demo.yaml", shape)
    shutil.copy(FIXTURE_CONTENT / "ru" / "demo.yaml", words)
    assert store.refresh().status == "published"
    assert store.current.retired == {}
    assert load_content(copy).version == store.current.version
