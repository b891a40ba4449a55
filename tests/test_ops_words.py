"""Operators' texts live in content (content/ru/ops.yaml), not in Python; content check enforces it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bot.config import REPO_ROOT
from bot.content.check import check_content, ops_keys_used
from bot.content.loader import load_content
from tests.bot_harness import loaded_content
from tests.conftest import REAL_CONTENT

_CYRILLIC_STRING = re.compile(r'"[^"\n]*[\u0400-\u04FF][^"\n]*"')


def test_every_key_the_code_uses_is_in_content() -> None:
    keys = ops_keys_used()
    assert len(keys) > 35  # the scan finds the calls (a broken pattern would find none)
    content = loaded_content(REAL_CONTENT)
    ru = content.words["ru"]
    assert [k for k in sorted(keys) if f"ops.{k}" not in ru] == []
    assert content.ops("claimed", case=7, name="Айгуль") == "✅ Вопрос №7 взял(а) Айгуль."


def test_a_deleted_key_is_refused_by_content_check(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    ops = root / "ru" / "ops.yaml"
    ops.write_text(
        ops.read_text(encoding="utf-8").replace("note_saved:", "note_saved_old:"), encoding="utf-8"
    )
    problems = [str(e) for e in check_content(load_content(root))]
    assert any("note_saved" in p and "ops.yaml" in p for p in problems), problems


def test_no_operator_words_left_in_the_code() -> None:
    """Russian strings in the operators' code paths would bypass the editors."""
    for rel in ("handlers/operators.py", "handlers/courier.py", "bot/desk.py", "bot/privacy.py"):
        source = (REPO_ROOT / rel).read_text(encoding="utf-8")
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
        code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may quote examples
        assert _CYRILLIC_STRING.findall(code) == [], rel
