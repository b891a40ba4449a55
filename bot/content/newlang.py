"""``python -m bot content new-language CODE``: start a language from the Russian words.

Creates ``content/<code>/`` with a file for every file of ``content/ru/``:

* words files (``ui.yaml``, ``contacts.yaml``, one per tree): every text is the Russian one with
  the mark ``(untranslated) `` in front. The bot shows Russian for a marked text, ``content report``
  counts it as untranslated, and a translator replaces the text and removes the mark in one edit.
  Placeholders lose their Russian case (``{days:90|gen}`` -> ``{days:90}``) unless the language
  has case rules in bot.grammar.
  The Russian case forms (``ui.yaml`` ``grammar``), the admins' texts (``admin.*``) and plural
  forms the language does not have (CLDR) are left out: they fall back to Russian.
* typed-question files (``concepts.yaml``, ``match.yaml``, ``glossary.yaml``, ``examples.yaml``,
  ``examples_by_hand.yaml``):
  empty, with the Russian file as a comment for reference (``ops.yaml`` is not copied: operators
  read Russian). Words are per language; Russian words in this language's file would only repeat
  Russian (every language's words are tried on every message).

The language is not offered to users until it is complete (``content report``); an admin can see
it before that with ``/preview <code>``. The folder is written to a temporary name first and
renamed at the end, so a failure never leaves half a language behind.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from bot.content.model import UNTRANSLATED
from bot.grammar import CASES
from bot.i18n import DEFAULT_LANG, is_language_code, native_name

__all__ = ["NewLanguageError", "new_language", "mark", "TYPED_FILES"]

#: Word lists, not texts: created empty, with the Russian file as a comment.
TYPED_FILES = {
    "concepts.yaml": "negation: []\nconcepts: {}\n",
    "match.yaml": "topics: {}\n",
    "glossary.yaml": "{}\n",
    "examples.yaml": "{}\n",
    "examples_by_hand.yaml": "{}\n",
}
#: Russian only: the operators' group reads Russian (content/ru/ops.yaml).
SKIPPED_FILES = frozenset({"ops.yaml"})
_PLURALS = ("zero", "one", "two", "few", "many", "other")


class NewLanguageError(ValueError):
    """The language cannot be created (bad code, folder exists, no Russian words)."""


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as literal blocks (``text: |``), as editors write them."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A marked line is quoted: once the mark is removed, "{n} дня" must still be a string
    # (unquoted, a text starting with "{" or ending with ":" would not be valid YAML).
    style = "|" if "\n" in value else '"' if value.startswith(UNTRANSLATED) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


_CASED = re.compile(r"(\{[a-z_]+:[0-9.-]+)\|[a-z]+\}")


def mark(text: str, code: str) -> str:
    """The Russian ``text`` marked untranslated, ready to be translated into ``code``.

    Placeholders lose their Russian case (``{days:90|gen}`` -> ``{days:90}``) in a language
    without case rules (see bot.grammar): a case it does not have would be refused.
    """
    if code not in CASES:
        text = _CASED.sub(r"\1}", text)
    return UNTRANSLATED + text


def _marked(value: Any, code: str) -> tuple[Any, int]:
    """Every text in ``value`` marked; how many were marked."""
    if isinstance(value, str):
        return mark(value, code), 1
    if isinstance(value, dict):
        out, n = {}, 0
        for k, v in value.items():
            out[k], m = _marked(v, code)
            n += m
        return out, n
    if isinstance(value, list):
        items = [_marked(v, code) for v in value]
        return [v for v, _ in items], sum(m for _, m in items)
    return value, 0


def _ui(data: dict[str, Any], plurals: set[str]) -> dict[str, Any]:
    """ui.yaml without what only Russian needs: case forms, admin texts, foreign plural forms."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "grammar" or key == "admin" or str(key).startswith("admin."):
            continue
        if key == "plural" and isinstance(value, dict):
            value = {
                kind: {c: t for c, t in forms.items() if c not in _PLURALS or c in plurals}
                if isinstance(forms, dict)
                else forms
                for kind, forms in value.items()
            }
        out[key] = value
    return out


def new_language(root: Path, code: str) -> tuple[Path, int]:
    """Create ``root/<code>/`` from ``root/ru/``; return the folder and the number of texts marked."""
    root = Path(root)
    if not is_language_code(code):
        raise NewLanguageError(
            f"{code!r} is not a language code: write the ISO 639 code in lower case, two or three "
            "letters that CLDR knows (for example tg for Tajik, tk for Turkmen)"
        )
    source = root / DEFAULT_LANG
    folder = root / code
    if folder.exists():
        raise NewLanguageError(f"{folder} already exists: edit its files, or remove the folder first")
    if not source.is_dir():
        raise NewLanguageError(f"{source} not found: the Russian words are the starting point")
    plurals = set(Locale.parse(code).plural_form.tags) | {"other"}
    name = f"{native_name(code)} ({code})"
    tmp = root / f".{code}.new"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    total = 0
    try:
        for path in sorted(source.glob("*.yaml")):
            rel = f"content/{DEFAULT_LANG}/{path.name}"
            if path.name in SKIPPED_FILES:
                continue
            if path.name in TYPED_FILES:
                russian = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
                head = [
                    f"# {name}: words for typed questions, to write in this language. Created empty by",
                    f"# `python -m bot content new-language {code}` (see docs/TYPED_QUESTIONS.md and",
                    "# docs/CONTENT_FORMAT.md). The Russian file, for reference:",
                    "#",
                    *(f"#   {line}" if line else "#" for line in russian),
                    "",
                ]
                (tmp / path.name).write_text("\n".join(head) + TYPED_FILES[path.name], encoding="utf-8")
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if path.name == "ui.yaml" and isinstance(data, dict):
                data = _ui(data, plurals)
            data, n = _marked(data, code)
            total += n
            head = (
                f"# {name}: created from {rel} by `python -m bot content new-language {code}`.\n"
                f"# Every text starts with {UNTRANSLATED.strip()}: it is still Russian, and the bot shows\n"
                "# the Russian text. Translate it and remove the mark; `content report` counts the rest.\n"
            )
            body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)
            (tmp / path.name).write_text(head + body, encoding="utf-8")
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder, total
