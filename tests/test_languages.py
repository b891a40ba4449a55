"""A new language without a developer (issue 14).

``python -m bot content new-language tg`` creates ``content/tg/`` from Russian with every text
marked untranslated (always in a temporary copy of the content: never in the repository); the
language is offered in the picker only once ``content report`` shows it complete, or to an admin
who turned on a preview of it for themselves.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.content.loader import ContentStore, load_content
from bot.content.model import UNTRANSLATED, Content
from bot.content.newlang import SKIPPED_FILES, TYPED_FILES
from bot.engine import MissingWords, Press, Preview, Say, Start, State, handle
from tests.bot_harness import running_bot
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT, TODAY
from tests.fake_api import FakeTelegram

MARK = UNTRANSLATED.strip()


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _translate(folder: Path, keep: int = 0) -> None:
    """Stand in for a translator: drop the mark from every text but the first ``keep`` ones."""
    left = keep
    for path in sorted(folder.glob("*.yaml")):
        lines = []
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.startswith("#"):
                pass
            elif MARK in line and left > 0:
                left -= 1
            else:
                line = line.replace(UNTRANSLATED, "")
            lines.append(line)
        path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def real_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    monkeypatch.setenv("CONTENT_DIR", str(root))
    return root


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _new(root: Path, code: str = "tg") -> None:
    from bot.content.newlang import new_language

    new_language(root, code)


# --- the command -------------------------------------------------------------------------------


def test_new_language_copies_every_russian_file_with_every_text_marked(real_copy: Path, capsys) -> None:
    assert main(["content", "new-language", "tg"]) == 0
    out = capsys.readouterr().out
    tg = real_copy / "tg"
    assert f"created {tg}" in out and "/preview tg" in out
    russian = sorted(p.name for p in (real_copy / "ru").iterdir() if p.name not in SKIPPED_FILES)
    assert sorted(p.name for p in tg.iterdir()) == russian
    assert not (tg / "ops.yaml").exists()  # the operators' words stay Russian
    assert not (REAL_CONTENT / "tg").exists()  # the repository's content is never touched
    marked = 0
    for path in sorted(tg.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name in TYPED_FILES:
            # Word lists start empty, with the Russian file as a comment.
            assert not any(_strings(data)), path.name
            assert "The Russian file, for reference:" in path.read_text(encoding="utf-8")
            continue
        texts = list(_strings(data))
        assert texts and all(t.startswith(UNTRANSLATED) for t in texts), path.name
        marked += len(texts)
    ui = yaml.safe_load((tg / "ui.yaml").read_text(encoding="utf-8"))
    assert "grammar" not in ui and not any(str(k).startswith("admin") for k in ui)
    assert set(ui["plural"]["days"]) == {"one", "other"}  # Tajik has no few/many (CLDR)
    assert f"{marked} text(s) marked" in out

    content = load_content(real_copy)
    assert content.languages == ("ru", "ky", "uz", "kk", "tg")
    assert content.offered == ("ru", "ky", "uz", "kk")
    assert len(content.untranslated["tg"]) == marked
    texts, concepts = content.missing("tg")
    assert len(texts) == marked and "DOCUMENT" in concepts
    # The bot shows Russian for a marked text.
    found = content.word("tg", "node.reg.text")
    assert found is not None and found.lang == "ru" and MARK not in found.text


def test_check_passes_and_report_says_the_language_is_not_offered_yet(real_copy: Path, capsys) -> None:
    assert main(["content", "new-language", "tg"]) == 0
    capsys.readouterr()
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert "languages ru, ky, uz, kk, tg" in out and "not offered to users until complete" in out
    assert main(["content", "report"]) == 0
    out = capsys.readouterr().out
    assert "  tg: 0/" in out and "(0%)" in out
    assert "  tg: NOT offered yet: " in out and "/preview tg" in out
    assert "  ky: offered" in out


@pytest.mark.parametrize(
    ("code", "why"),
    [("ky", "already exists"), ("TG", "not a language code"), ("x1", "not a language code"), ("qq", "not a")],
)
def test_new_language_refuses_an_existing_folder_or_a_bad_code(
    real_copy: Path, capsys, code: str, why: str
) -> None:
    before = sorted(p.name for p in real_copy.iterdir())
    assert main(["content", "new-language", code]) == 1
    assert why in capsys.readouterr().err
    assert sorted(p.name for p in real_copy.iterdir()) == before


def test_a_marked_text_in_a_base_language_fails_the_check(real_copy: Path, capsys) -> None:
    path = real_copy / "ky" / "registration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  text: |\n", f"  text: |\n    {MARK} ", 1), encoding="utf-8")
    assert main(["content", "check"]) == 1
    assert "node.reg.text is still marked (untranslated)" in capsys.readouterr().err


def test_a_marked_russian_text_is_refused(demo_copy: Path) -> None:
    path = demo_copy / "ru" / "demo.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("text: Уровень два", f"text: {MARK} Уровень два")
    )
    from bot.content.model import ContentInvalid

    with pytest.raises(ContentInvalid) as exc:
        load_content(demo_copy)
    assert any("Russian is the source text" in str(e) for e in exc.value.errors)


# --- offered only once complete ------------------------------------------------------------------


def _picker(content: Content, state: State) -> list[str]:
    _, outs = handle(content, state, Press("p"), TODAY)
    (say,) = [o for o in outs if isinstance(o, Say)]
    return [b.data for row in say.buttons for b in row]


def test_the_language_is_offered_once_complete(demo_copy: Path) -> None:
    store = ContentStore(demo_copy)
    _new(demo_copy)
    result = store.refresh()
    assert result.status == "published" and result.diff is not None
    assert result.diff.languages_added == ("tg",) and result.diff.offered == ()
    user = State(user_id=7, lang_chosen=True, node="main")
    assert _picker(store.current, user) == ["l|ru", "l|ky"]
    # A user cannot pick it either (a forged button is just out of date).
    new, outs = handle(store.current, user, Press("l|tg"), TODAY)
    assert new.lang == "ru" and "устарело" in outs[0].text
    # First-time users whose Telegram speaks Tajik get Russian meanwhile.
    new, _ = handle(store.current, State(user_id=8), Start(language_code="tg"), TODAY)
    assert new.lang == "ru"

    _translate(demo_copy / "tg", keep=1)  # all but one text
    assert store.refresh().status == "published"
    assert store.current.missing("tg")[0] and "tg" not in store.current.offered
    _translate(demo_copy / "tg")
    result = store.refresh()
    assert result.diff is not None and result.diff.offered == ("tg",)
    assert store.current.missing("tg") == ([], [])
    assert _picker(store.current, user) == ["l|ru", "l|ky", "l|tg"]
    new, _ = handle(store.current, State(user_id=8), Start(language_code="tg-TJ"), TODAY)
    assert new.lang == "tg"


def test_danger_words_are_needed_too(real_copy: Path) -> None:
    _new(real_copy)
    _translate(real_copy / "tg")
    content = load_content(real_copy)
    texts, concepts = content.missing("tg")
    assert texts == [] and concepts  # every text, but no words for the danger concepts yet
    assert "tg" not in content.offered
    ru = (real_copy / "ru" / "concepts.yaml").read_text(encoding="utf-8")
    (real_copy / "tg" / "concepts.yaml").write_text(ru, encoding="utf-8")  # a stand-in for Tajik words
    content = load_content(real_copy)
    assert content.missing("tg") == ([], []) and content.offered == ("ru", "ky", "uz", "kk", "tg")


# --- an admin's preview ----------------------------------------------------------------------------


def test_preview_offers_the_language_to_that_admin_only(demo_copy: Path) -> None:
    _new(demo_copy)
    content = load_content(demo_copy)
    admin = State(user_id=1, lang_chosen=True, node="main")
    admin, outs = handle(content, admin, Preview("tg"), TODAY)
    assert admin.preview == "tg"
    (say,) = [o for o in outs if isinstance(o, Say)]
    assert "Предпросмотр языка tg включён только для вас" in say.text
    assert [b.data for row in say.buttons for b in row] == ["l|ru", "l|ky", "l|tg"]
    assert [b.label for row in say.buttons for b in row][-1] == "Тоҷикӣ"
    admin, outs = handle(content, admin, Press("l|tg"), TODAY)
    assert admin.lang == "tg"
    assert MissingWords("tg", "node.main.text") in outs  # Russian shown meanwhile, and counted
    assert _picker(content, State(user_id=2, lang_chosen=True, node="main")) == ["l|ru", "l|ky"]
    # Off: the picker is back to normal, and the admin's language with it.
    admin, outs = handle(content, admin, Preview("off"), TODAY)
    assert admin.preview is None and admin.lang == "ru"
    assert "Предпросмотр выключен" in [o for o in outs if isinstance(o, Say)][0].text
    assert _picker(content, admin) == ["l|ru", "l|ky"]


def test_preview_without_a_known_language_lists_the_languages(demo_copy: Path) -> None:
    _new(demo_copy)
    content = load_content(demo_copy)
    state = State(user_id=1, lang_chosen=True, node="main")
    for arg in ("", "xx"):
        new, outs = handle(content, state, Preview(arg), TODAY)
        assert new.preview is None
        (say,) = [o for o in outs if isinstance(o, Say)]
        assert "/preview КОД" in say.text and "• ky: предлагается всем" in say.text
        assert "• tg: не предлагается — текстов без перевода: " in say.text


async def test_preview_end_to_end_is_stored_per_admin(demo_copy: Path, tmp_path: Path) -> None:
    _new(demo_copy)
    admin, user = 501, 7
    fake = FakeTelegram()
    fake.user(admin, language_code="ru")
    fake.user(user, language_code="tg")
    db = tmp_path / "db.sqlite3"
    async with running_bot(fake, db, demo_copy, admin_ids=frozenset({admin})) as bot:
        fake.send_text(user, "/start")
        await bot.settle()
        assert [t for t, _ in fake.buttons(fake.last(user))] == ["Русский", "Кыргызча"]
        fake.send_text(user, "/preview tg")  # not an admin: an unknown command
        await bot.settle()
        assert "не умею читать вопросы текстом" in fake.bot_messages(user)[-2]["text"]
        fake.send_text(admin, "/start")
        await bot.settle()
        fake.tap(admin, "Русский")
        await bot.settle()
        fake.send_text(admin, "/preview tg")
        await bot.settle()
        picker = fake.last(admin)
        assert "Предпросмотр языка tg" in picker["text"]
        assert [t for t, _ in fake.buttons(picker)] == ["Русский", "Кыргызча", "Тоҷикӣ"]
        fake.tap(admin, "Тоҷикӣ")
        await bot.settle()
        assert fake.last(admin)["text"].startswith("Меню.")  # Russian words until translated
    async with running_bot(fake, db, demo_copy, admin_ids=frozenset({admin})) as bot:
        fake.send_text(admin, "/language")  # the preview survived a restart
        await bot.settle()
        assert "Тоҷикӣ" in [t for t, _ in fake.buttons(fake.last(admin))]
        fake.send_text(user, "/language")
        await bot.settle()
        assert [t for t, _ in fake.buttons(fake.last(user))] == ["Русский", "Кыргызча"]
        fake.send_text(admin, "/preview off")
        await bot.settle()
        fake.send_text(admin, "/language")
        await bot.settle()
        assert [t for t, _ in fake.buttons(fake.last(admin))] == ["Русский", "Кыргызча"]
    assert fake.errors == []
