"""Telegram HTML checks, splitting long texts, languages and babel formatting."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.check import write_schemas
from bot.html import HtmlError, check_html, split_html, to_plain, visible_length
from bot.i18n import format_date, guess_language, native_name, plural_category
from tests.conftest import REAL_CONTENT


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("uz", "uz"),  # babel's negotiation returns nothing for plain "uz"
        ("uz-Latn", "uz"),
        ("uz_Cyrl", "uz"),
        ("ky", "ky"),
        ("ky-KG", "ky"),
        ("kk", "kk"),
        ("KK-kz", "kk"),
        ("ru-RU", "ru"),
        ("en", "ru"),
        ("", "ru"),
        (None, "ru"),
    ],
)
def test_guess_language(code: str | None, lang: str) -> None:
    assert guess_language(code) == lang


def test_babel_formats_per_language() -> None:
    day = dt.date(2026, 7, 1)
    assert format_date(day, "ru") == "1 июля 2026\u202fг."
    assert format_date(day, "ky") == "2026-жылдын 1-июлу"
    assert format_date(day, "uz") == "2026-yil 1-iyul"  # Latin script
    assert format_date(day, "kk") == "2026 жылғы 1 шілде"
    assert [plural_category(n, "ru") for n in (1, 3, 5, 21)] == ["one", "few", "many", "one"]
    assert plural_category(5, "ky") == "other"
    assert native_name("ky") == "Кыргызча"


@pytest.mark.parametrize(
    "bad",
    ["<b>open", "<x>tag</x>", "a < b", "AT&T", "<b><i>x</b></i>", "</b>", "<a>no href</a>", "&nbsp;"],
)
def test_invalid_html_is_rejected(bad: str) -> None:
    with pytest.raises(HtmlError):
        check_html(bad)


def test_valid_html_is_accepted() -> None:
    check_html('<b>bold</b> &amp; <i>it</i> <a href="https://egov.kz">x</a> &lt;3 <blockquote>q</blockquote>')
    assert to_plain("<b>a</b> &amp; b") == "a & b"
    assert visible_length("<b>ab</b>&lt;") == 3


def test_short_text_is_not_split() -> None:
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]


def test_split_prefers_paragraphs_and_keeps_tags_balanced() -> None:
    para = "<b>" + "слово " * 100 + "</b>"
    text = "\n\n".join([para] * 12)
    parts = split_html(text, limit=1500)
    assert len(parts) > 1
    for part in parts:
        check_html(part)
        assert visible_length(part) <= 1500
    assert to_plain("".join(parts)).split() == to_plain(text).split()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i"]),
            st.text(alphabet="абв gh<&>\n", min_size=0, max_size=300),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=20, max_value=400),
)
def test_split_never_breaks_html_or_loses_text(chunks: list[tuple[str, str]], limit: int) -> None:
    import html

    text = "".join(f"<{t}>{html.escape(s)}</{t}>" if t else html.escape(s) for t, s in chunks)
    check_html(text)
    parts = split_html(text, limit=limit)
    for part in parts:
        check_html(part)
        assert visible_length(part) <= limit
    assert "".join(to_plain("".join(parts)).split()) == "".join(to_plain(text).split())


def test_committed_json_schemas_are_current(tmp_path) -> None:
    written = write_schemas(tmp_path)
    for path in written:
        committed = REAL_CONTENT / "schema" / path.name
        assert committed.exists(), f"run: python -m bot content schema ({committed} missing)"
        assert json.loads(committed.read_text()) == json.loads(path.read_text()), (
            f"{committed} is out of date: run python -m bot content schema"
        )
