"""Content rules of the second content pass: glossaries, readable buttons, amounts that do not
go stale, and ``content show``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main as cli
from bot.content.check import check_content, content_warnings, report, show_screen
from bot.content.loader import load_content
from bot.content.model import Content
from bot.engine import BUTTON_LIMIT, NAV_EMOJI
from bot.i18n import LANGS
from tests.conftest import REAL_CONTENT


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(root: Path) -> list[str]:
    return [str(e) for e in check_content(load_content(root), dt.date(2026, 11, 22))]


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


# --- Glossary -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_a_glossary_with_the_core_terms(real_content: Content, lang: str) -> None:
    terms = real_content.glossary[lang]
    for term in ("ngo", "eaeu", "trp", "pay_slip", "mfa", "permit", "mrp", "iin", "labour_inspection"):
        assert term in terms, f"{lang}: no {term}"
        assert terms[term].preferred


def test_refused_term_names_file_node_and_preferred_term(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "ky/directory.yaml", "🤝 Укук коргоочулар, НПО", "🤝 Укук коргоочулар, БӨУ")
    errors = _errors(root)
    assert any(
        "content/ky/directory.yaml: node 'con'" in e and "'БӨУ'" in e and "write 'НПО'" in e for e in errors
    ), errors


def test_refused_terms_are_whole_words_any_case_and_suffixes_on_abbreviations(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    # Lower case, and a Kazakh abbreviation with a hyphenated ending.
    _edit(root, "kk/wages.yaml", "(ҮЕҰ / НПО)", "нпо-ға")
    _edit(root, "uz/wages.yaml", "NNTlar koʻpinch", "Jamoat Tashkilotlari koʻpinch")  # stem*, any case
    errors = _errors(root)
    assert any("content/uz/wages.yaml" in e and "jamoat tashkilot*" in e for e in errors), errors
    assert any("content/kk/wages.yaml" in e and "'НПО'" in e for e in errors), errors
    root2 = _copy(tmp_path / "b")
    _edit(root2, "kk/wages.yaml", "(ҮЕҰ / НПО)", "НПОлар")
    assert any("content/kk/wages.yaml" in e and "'НПО'" in e for e in _errors(root2))
    root3 = _copy(tmp_path / "c")
    _edit(root3, "kk/wages.yaml", "(ҮЕҰ / НПО)", "АНПОЛ")  # inside another word: not the term
    assert not any("'НПО'" in e for e in _errors(root3))


def test_allowed_phrases_may_contain_a_refused_variant(real_content: Content) -> None:
    # kk writes «ЕАЭО (ЕАЭС)» and uz «Yevroosiyo iqtisodiy ittifoqi (ЕАЭС)»: both allowed.
    assert "ЕАЭО (ЕАЭС)" in "\n".join(real_content.words["kk"].values())
    assert check_content(real_content, dt.date(2026, 11, 22)) == []


def test_look_alike_latin_letters_are_folded(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    # "HПO" written with a Latin H and a Latin O is still the refused «НПО» in Kazakh texts...
    _edit(root, "kk/wages.yaml", "ҮЕҰ жұмыс", "ҮЕҰ / HПO жұмыс")
    errors = _errors(root)
    assert any("mixes Latin and Cyrillic" in e and "HПO" in e for e in errors), errors


def test_uzbek_refuses_a_latin_ending_on_a_cyrillic_abbreviation(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "uz/ui.yaml", "РВП muddatini uzaytiring", "РВПni uzaytiring")
    errors = _errors(root)
    assert any("'РВПni' glues a Latin ending" in e and "content/uz/ui.yaml" in e for e in errors), errors


def test_glossary_schema_errors_name_the_term(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "ky" / "glossary.yaml").write_text("ngo: {refused: [БӨУ]}\n", encoding="utf-8")
    from bot.content.model import ContentInvalid

    with pytest.raises(ContentInvalid) as exc:
        load_content(root)
    assert "content/ky/glossary.yaml: node 'ngo': preferred" in str(exc.value)


# --- Buttons --------------------------------------------------------------------------------


def test_button_limit_is_one_constant_and_every_content_label_keeps_it(real_content: Content) -> None:
    assert BUTTON_LIMIT == 28
    for lang in LANGS:
        for key, label in real_content.words[lang].items():
            if ".opt." in key:
                assert len(label) <= BUTTON_LIMIT, (lang, key, label)
                assert not any(e.replace("\ufe0f", "") in label for e in NAV_EMOJI), (lang, key, label)


def test_long_label_and_navigation_emoji_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "ru/registration.yaml", "🏘 Я переезжаю", "🏠 Я переезжаю на другую квартиру")
    errors = _errors(root)
    assert any("over 28" in e and "node 'reg_self'" in e for e in errors), errors
    assert any("🏠 is kept for the navigation buttons" in e for e in errors), errors


def test_navigation_buttons_keep_their_emoji(real_content: Content) -> None:
    for lang in LANGS:
        words = real_content.words[lang]
        assert words["ui.menu"].startswith("🏠") and words["ui.back"].startswith("⬅️")


# --- Amounts that do not go stale -----------------------------------------------------------


def test_a_fine_in_2027_shows_the_mrp_and_a_dated_tenge_value(real_content: Content) -> None:
    assert 2027 not in real_content.mrp
    text = _plain(show_screen(real_content, "reg_over", "ru", dt.date(2027, 1, 5)))
    assert "10 МРП (в 2026 г. — 43 250 ₸; сумму на этот год проверьте на egov.kz)" in text
    ky = _plain(show_screen(real_content, "reg_over", "ky", dt.date(2027, 1, 5)))
    assert "10 МРП (2026-жылы — 43 250 ₸" in ky and "egov.kz" in ky
    uz = _plain(show_screen(real_content, "work_uz_tax", "uz", dt.date(2027, 1, 5)))
    assert "4 MRP (2026-yilda — 17 300 ₸" in uz
    kk = _plain(show_screen(real_content, "work_uz_tax", "kk", dt.date(2027, 1, 5)))
    assert "4 АЕК (2026 жылы — 17 300 ₸" in kk
    # In 2026 the amount is current: no year, no "check".
    now = _plain(show_screen(real_content, "reg_over", "ru", dt.date(2026, 11, 22)))
    assert "10 МРП (43 250 ₸)" in now


def test_next_years_mrp_is_warned_about_from_1_december(real_content: Content) -> None:
    assert content_warnings(real_content, dt.date(2026, 11, 30)) == []
    warned = content_warnings(real_content, dt.date(2026, 12, 4))
    assert len(warned) == 1 and "2027" in warned[0] and "facts.yaml" in warned[0]
    assert "2027" in content_warnings(real_content, dt.date(2027, 3, 1))[0]
    assert "2027" in report(real_content, dt.date(2026, 12, 4)).split("Open questions")[1]


def test_check_and_report_take_today(capsys) -> None:
    assert cli(["content", "check", "--today", "2026-12-04"]) == 0  # a warning is not an error
    err = capsys.readouterr().err
    assert "WARNING content/facts.yaml: the MRP of 2027 is missing" in err
    assert cli(["content", "check", "--today", "2026-11-30"]) == 0
    assert "WARNING" not in capsys.readouterr().err
    assert cli(["content", "report", "--today", "2026-12-04"]) == 0
    assert "MRP of 2027" in capsys.readouterr().out


def test_content_show_prints_the_screen(capsys) -> None:
    assert cli(["content", "show", "reg_over", "--lang", "ky", "--today", "2027-01-05"]) == 0
    out = _plain(capsys.readouterr().out)
    assert "10 МРП (2026-жылы — 43 250 ₸" in out
    assert "Текшерилген күнү: 2026-жылдын 4-декабры" in out
    assert "[ ⬅️ Артка ]  [ 🏠 Башкы меню ]" in out
    assert cli(["content", "show", "no_such_node"]) == 1


def test_a_word_written_twice_in_one_concept_is_reported(tmp_path: Path) -> None:
    # Harmless to matching, but each repeat costs load time and hides an edit (74 were found).
    root = _copy(tmp_path)
    _edit(root, "ru/concepts.yaml", "  DOCUMENT: [паспорт,", "  DOCUMENT: [паспорт, паспорт,")
    errors = _errors(root)
    assert "content/ru/concepts.yaml: DOCUMENT: 'паспорт' is written twice" in errors, errors
    assert sum("written twice" in e for e in errors) == 1, errors
