"""Loading content: good sets load, bad ones are refused naming the file and node."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import ContentStore, load_content
from bot.content.model import ContentInvalid
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as info:
        load_content(root)
    return [str(e) for e in info.value.errors]


def test_fixture_loads(content_copy: Path) -> None:
    content = load_content(content_copy)
    assert set(content.trees) == {"main", "demo"}
    assert len(content.version) == 6


def test_link_to_missing_node_names_file_and_node(content_copy: Path) -> None:
    _edit(content_copy / "trees" / "demo.yaml", "to: demo_deep", "to: demo_nowhere")
    errors = _errors(content_copy)
    assert any(
        "content/trees/demo.yaml" in e and "'demo_a'" in e and "missing node 'demo_nowhere'" in e
        for e in errors
    ), errors


def test_invalid_html_names_file_and_node(content_copy: Path) -> None:
    _edit(content_copy / "ru" / "demo.yaml", "text: Уровень два", "text: <b>Уровень два")
    errors = _errors(content_copy)
    assert any("content/ru/demo.yaml" in e and "'demo_a'" in e and "unclosed tag <b>" in e for e in errors)


def test_schema_error_names_node(content_copy: Path) -> None:
    _edit(content_copy / "trees" / "demo.yaml", "action: end", "action: explode")
    errors = _errors(content_copy)
    assert any("content/trees/demo.yaml" in e and "'demo_deep'" in e and "action" in e for e in errors)


def test_fact_node_needs_sources_and_date(content_copy: Path) -> None:
    _edit(content_copy / "trees" / "demo.yaml", "    verified_on: 2026-11-01\n    check_at", "    check_at")
    errors = _errors(content_copy)
    assert any("'demo_deep'" in e and "verified_on" in e for e in errors)


def test_undefined_contact_and_bad_placeholder(content_copy: Path) -> None:
    _edit(content_copy / "trees" / "demo.yaml", "contacts: [c112]", "contacts: [c999]")
    _edit(content_copy / "ru" / "demo.yaml", "{days:30}", "{weeks:3}")
    errors = _errors(content_copy)
    assert any("'demo_b'" in e and "contact 'c999' is not defined" in e for e in errors)
    assert any("'demo_deep'" in e and "unknown placeholder {weeks:3}" in e for e in errors)


def test_broken_yaml_names_file_and_line(content_copy: Path) -> None:
    (content_copy / "ru" / "demo.yaml").write_text("demo:\n  text: [unclosed\n", encoding="utf-8")
    errors = _errors(content_copy)
    assert any("content/ru/demo.yaml" in e and "not valid YAML" in e for e in errors)


def test_russian_words_are_required(content_copy: Path) -> None:
    _edit(content_copy / "ru" / "demo.yaml", "demo_b:\n  text: Оператор\n", "")
    errors = _errors(content_copy)
    assert any("content/ru/demo.yaml" in e and "'demo_b'" in e and "no Russian text" in e for e in errors)


def test_store_keeps_last_good_content_on_bad_reload(content_copy: Path) -> None:
    store = ContentStore(content_copy)
    good = store.current
    _edit(content_copy / "trees" / "demo.yaml", "to: demo_deep", "to: demo_nowhere")
    assert store.reload() is False
    assert store.current is good
    _edit(content_copy / "trees" / "demo.yaml", "to: demo_nowhere", "to: demo_deep")
    _edit(content_copy / "ru" / "demo.yaml", "Уровень два", "Уровень 2")
    assert store.reload() is True
    assert store.current.version != good.version


def test_checker_reports_missing_translations_as_errors(demo_content) -> None:
    # The fixture's Kyrgyz words are deliberately incomplete: the bot falls back, a release may not.
    from bot.content.check import check_content

    errors = [str(e) for e in check_content(demo_content)]
    assert any("content/ky/" in e and "missing words for" in e for e in errors), errors


def test_broken_copy_of_real_content_is_rejected_with_three_clear_messages(tmp_path: Path, capsys) -> None:
    """Issue 3: a wrong number in one language, a link to a missing node and an unclosed tag."""
    from bot.content import check
    from tests.conftest import REAL_CONTENT

    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    _edit(root / "kk" / "urgent.yaml", "102", "120")  # the police number, wrong in Kazakh only
    _edit(root / "trees" / "registration.yaml", "to: reg_move}", "to: reg_moving}")
    _edit(root / "uz" / "registration.yaml", "</b>", "")  # the first node's title tag left open

    assert check.main("check", root) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 3, errors
    wrong_number, missing_node, unclosed = sorted(errors, key=lambda e: ("kk/" not in e, "trees/" not in e))
    assert "content/kk/urgent.yaml" in wrong_number and "'sos'" in wrong_number
    assert "extra ['120']" in wrong_number and "missing ['102']" in wrong_number
    assert "content/trees/registration.yaml" in missing_node and "'reg_self'" in missing_node
    assert "missing node 'reg_moving'" in missing_node
    assert (
        "content/uz/registration.yaml" in unclosed and "'reg'" in unclosed and "unclosed tag <b>" in unclosed
    )


def test_report_shows_coverage_age_long_texts_and_open_questions(demo_content) -> None:
    import datetime as dt

    from bot.content.check import report

    text = report(demo_content, today=dt.date(2027, 6, 1))
    assert "ru: " in text and "(100%)" in text
    assert "ky: " in text and "ky: " + "0/" not in text  # partial, not empty
    assert "over 180: re-check: 3 node(s)" in text  # the fixture was checked on 2026-11-01
    assert "Texts over 700 characters" in text
    assert "node demo_deep (content/trees/demo.yaml): check at egov.kz" in text


def test_uzbek_ascii_apostrophe_is_an_error(tmp_path: Path) -> None:
    from bot.content.check import check_content
    from tests.conftest import REAL_CONTENT

    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    _edit(root / "uz" / "registration.yaml", "Oʻzbekiston", "O'zbekiston")
    errors = [str(e) for e in check_content(load_content(root))]
    assert any("content/uz/registration.yaml" in e and "U+02BB" in e for e in errors), errors


@pytest.mark.parametrize(("good", "bad"), [("Oʻzbekiston", "O‘zbekiston"), ("maʼlumot", "ma’lumot")])
def test_uzbek_one_form_of_each_mark(tmp_path: Path, good: str, bad: str) -> None:
    from bot.content.check import check_content
    from tests.conftest import REAL_CONTENT

    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    for path in (root / "uz").glob("*.yaml"):
        if path.name != "match.yaml" and good in path.read_text(encoding="utf-8"):
            _edit(path, good, bad)
            break
    errors = [str(e) for e in check_content(load_content(root))]
    assert any("U+02BC" in e for e in errors), errors


def test_big_yaml_files_are_parsed_once_and_kept_as_json(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.content import loader

    monkeypatch.setenv("MODEL_CACHE_DIR", str(tmp_path / "cache"))
    big = tmp_path / "examples.yaml"
    big.write_text("words:\n" + "".join(f"  - слово{i}\n" for i in range(6000)), encoding="utf-8")
    errors: list = []
    first = loader._read_yaml(big, tmp_path, errors)
    assert first["words"][5999] == "слово5999" and not errors
    kept = list((tmp_path / "cache" / "yaml").glob("*.json"))
    assert len(kept) == 1
    kept[0].write_text('{"words": ["from the cache"]}', encoding="utf-8")  # the next load reads it
    assert loader._read_yaml(big, tmp_path, errors) == {"words": ["from the cache"]}
    big.write_text(big.read_text(encoding="utf-8") + "  - новое\n", encoding="utf-8")  # an edit: parsed again
    assert loader._read_yaml(big, tmp_path, errors)["words"][-1] == "новое"
    now = list((tmp_path / "cache" / "yaml").glob("*.json"))
    assert len(now) == 1 and now != kept  # the file's older version is gone
    # Data that JSON would change is never kept: dates, integer keys.
    dated = tmp_path / "facts.yaml"
    dated.write_text("checked: 2026-12-05\nmrp:\n  2026: 4325\n" + "#" * 60_000 + "\n", encoding="utf-8")
    before = set((tmp_path / "cache" / "yaml").glob("*.json"))
    data = loader._read_yaml(dated, tmp_path, errors)
    assert data["mrp"] == {2026: 4325} and str(data["checked"]) == "2026-12-05"
    assert set((tmp_path / "cache" / "yaml").glob("*.json")) == before
    assert loader._read_yaml(dated, tmp_path, errors)["mrp"] == {2026: 4325}
