"""A copy of the shipped content with changes in the rules marked, for the law-change alert tests.

The change words are test words (no digits, so every language has the same numbers); the shipped
content itself marks no change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tests.conftest import REAL_CONTENT

#: What changed, per language (test words).
WHAT = {
    "ru": "Теперь встать на учёт можно онлайн, через egov.kz.",
    "ky": "Эми каттоого egov.kz аркылуу онлайн турууга болот.",
    "uz": "Endi egov.kz orqali onlayn roʻyxatdan oʻtish mumkin.",
    "kk": "Енді egov.kz арқылы онлайн тіркелуге болады.",
}


def copy_content(dest: Path) -> Path:
    """The shipped content, copied to ``dest`` (so a test may edit it)."""
    shutil.copytree(REAL_CONTENT, dest)
    return dest


def mark_change(
    root: Path, tree: str, node: str, change_id: str, on: dt.date, words: dict[str, str] | None = None
) -> None:
    """Mark a change on ``node`` as an editor would: the shape in the tree file, the words per language."""
    path = root / "trees" / f"{tree}.yaml"
    text = path.read_text(encoding="utf-8")
    head = f"\n  {node}:\n"
    assert text.count(head) == 1, f"node {node} not found once in {path}"
    # Written as editors write it: YAML reads the bare "on" as true, the schema takes care of that.
    text = text.replace(head, f"{head}    changed: {{on: {on.isoformat()}, id: {change_id}}}\n")
    path.write_text(text, encoding="utf-8")
    for lang, what in (words or WHAT).items():
        wpath = root / lang / f"{tree}.yaml"
        wtext = wpath.read_text(encoding="utf-8")
        whead = f"\n{node}:\n"
        assert wtext.count(whead) == 1, f"node {node} not found once in {wpath}"
        wpath.write_text(wtext.replace(whead, f'{whead}  changed: "{what}"\n'), encoding="utf-8")
