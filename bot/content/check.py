"""``python -m bot content check|report|schema``: keep the content honest.

``check`` exits non-zero and names the file, node and reason of every problem: everything the
loader refuses, plus unreachable nodes, paths that never end, missing words in any language,
digits that differ between languages, messages too long for Telegram and labels too long for a
button. ``report`` prints coverage, the age of checks and open questions. ``schema`` writes
JSON Schemas for editors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

from bot.content.loader import load_content
from bot.content.model import Content, ContentError, ContentInvalid
from bot.content.schema import ContactsSpec, ContactsWords, FactsSpec, MatchWords, TreeSpec, TreeWords
from bot.engine import screen
from bot.html import TELEGRAM_TEXT_LIMIT, to_plain, visible_length
from bot.i18n import DEFAULT_LANG, LANGS

__all__ = ["check_content", "report", "write_schemas", "main"]

BUTTON_LIMIT = 64
#: Uzbek Latin (official alphabet): oʻ gʻ with U+02BB; the tutuq belgisi (maʼlumot) with U+02BC.
#: Any other apostrophe-like mark between letters is refused, so one form is used everywhere.
_UZ_BAD_MARK = re.compile(r"(?<=\w)['`´‘’]|['`´‘’](?=\w)")
_UZ_OG_WRONG = re.compile(r"(?<=[OoGg])ʼ")
AIM_LENGTH = 700  # the style guide's aim for one message, not Telegram's limit


def _words_file(content: Content, lang: str, key: str) -> tuple[str, str | None]:
    parts = key.split(".")
    if parts[0] == "node":
        return f"content/{lang}/{content.nodes[parts[1]].tree}.yaml", parts[1]
    if parts[0] == "contact":
        return f"content/{lang}/contacts.yaml", parts[1]
    return f"content/{lang}/ui.yaml", ".".join(parts[1:])


def _expected_keys(content: Content) -> list[str]:
    keys = [k for k in content.words[DEFAULT_LANG] if k.startswith("ui.")]
    for node in content.nodes.values():
        keys.append(f"node.{node.id}.text")
        keys.extend(f"node.{node.id}.opt.{o.id}" for o in node.options)
    for cid in content.contacts:
        keys.append(f"contact.{cid}.name")
        if f"contact.{cid}.note" in content.words[DEFAULT_LANG]:
            keys.append(f"contact.{cid}.note")
    return keys


def _ui_plural_ok(key: str, lang: str) -> bool:
    # Plural categories differ by language: ru has one/few/many/other, ky/uz/kk one/other.
    return key.startswith("ui.plural.") and key.rsplit(".", 1)[1] in ("few", "many") and lang != "ru"


def check_content(content: Content, today: dt.date | None = None) -> list[ContentError]:
    """Problems the loader lets through but a release must not have."""
    today = today or dt.date.today()
    errors: list[ContentError] = []

    # Reachability from the main menu, and every node can reach an end.
    reach: set[str] = set()
    todo = [content.trees["main"]]
    while todo:
        nid = todo.pop()
        if nid in reach:
            continue
        reach.add(nid)
        todo.extend(o.to for o in content.nodes[nid].options)
    for node in content.nodes.values():
        if node.id not in reach:
            errors.append(ContentError(node.file, node.id, "unreachable from the main menu"))
    ends = {n.id for n in content.nodes.values() if not n.options}
    changed = True
    while changed:
        changed = False
        for node in content.nodes.values():
            if node.id not in ends and any(o.to in ends for o in node.options):
                ends.add(node.id)
                changed = True
    for node in content.nodes.values():
        if node.id not in ends:
            errors.append(ContentError(node.file, node.id, "dead end: no path from here reaches an answer"))

    # Every language has every text.
    expected = _expected_keys(content)
    for lang in LANGS:
        have = content.words.get(lang, {})
        for key in expected:
            if key not in have and not _ui_plural_ok(key, lang):
                # The bot falls back to Russian at run time; a release must not need to.
                file, node = _words_file(content, lang, key)
                errors.append(ContentError(file, node, f"missing words for {key}"))

    # Digits that differ between languages are refused by the loader itself.

    # Typed questions: every language has its phrases, with danger words.
    for lang in LANGS:
        if not content.keywords.get(lang, {}).get("danger"):
            errors.append(
                ContentError(f"content/{lang}/match.yaml", None, "no danger phrases for typed questions")
            )

    # Uzbek Latin follows the official alphabet: oʻ gʻ (U+02BB) and the tutuq belgisi ʼ (U+02BC).
    for key, text in content.words.get("uz", {}).items():
        plain = re.sub(r"<[^>]*>", "", text)
        if _UZ_BAD_MARK.search(plain) or _UZ_OG_WRONG.search(plain):
            file, node = _words_file(content, "uz", key)
            errors.append(
                ContentError(
                    file, node, f"write oʻ gʻ with U+02BB (ʻ) and the tutuq belgisi with U+02BC (ʼ) in {key}"
                )
            )

    # Rendered sizes.
    for lang in content.languages:
        for node in content.nodes.values():
            say, _ = screen(content, lang, node.id, today)
            file = f"content/{lang}/{node.tree}.yaml"
            length = visible_length(say.text)
            if length > TELEGRAM_TEXT_LIMIT:
                errors.append(
                    ContentError(file, node.id, f"message is {length} characters, over Telegram's 4096")
                )
            for row in say.buttons:
                for button in row:
                    if len(button.label) > BUTTON_LIMIT:
                        errors.append(
                            ContentError(
                                file,
                                node.id,
                                f"button label over {BUTTON_LIMIT} characters: {button.label!r}",
                            )
                        )
    return errors


def report(content: Content, today: dt.date | None = None) -> str:
    """Coverage per language, nodes by age of their last check, and open questions."""
    today = today or dt.date.today()
    expected = _expected_keys(content)
    lines = [
        f"Content version {content.version}: {len(content.nodes)} nodes in {len(content.trees)} trees",
        "",
    ]
    lines.append("Coverage (texts present / expected):")
    for lang in LANGS:
        have = content.words.get(lang, {})
        n = sum(1 for k in expected if k in have or _ui_plural_ok(k, lang))
        lines.append(f"  {lang}: {n}/{len(expected)} ({100 * n // max(len(expected), 1)}%)")
    lines.append("")
    lines.append("Last checked (days ago):")
    buckets: Counter[str] = Counter()
    for node in content.nodes.values():
        if node.verified_on is None:
            continue
        age = (today - node.verified_on).days
        bucket = "under 90" if age < 90 else "90-180" if age < 180 else "over 180: re-check"
        buckets[bucket] += 1
    for bucket in ("under 90", "90-180", "over 180: re-check"):
        lines.append(f"  {bucket}: {buckets[bucket]} node(s)")
    lines.append("")
    lines.append(f"Texts over {AIM_LENGTH} characters (aim: split into steps):")
    long_texts = []
    for lang in content.languages:
        for node in content.nodes.values():
            text = content.words.get(lang, {}).get(f"node.{node.id}.text")
            if text is not None and visible_length(to_plain(text)) > AIM_LENGTH:
                long_texts.append(f"  {lang} {node.id} ({visible_length(to_plain(text))})")
    lines.extend(long_texts or ["  none"])
    lines.append("")
    lines.append("Open questions (nodes and contacts with a 'check at' line):")
    open_q = [
        f"  node {n.id} ({n.file}): check at {n.check_at}" for n in content.nodes.values() if n.check_at
    ]
    open_q += [f"  contact {c.id}: check at {c.check_at}" for c in content.contacts.values() if c.check_at]
    lines.extend(open_q or ["  none"])
    return "\n".join(lines)


def write_schemas(folder: Path) -> list[Path]:
    """Write JSON Schemas of every content file type into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in {
        "tree": TreeSpec,
        "contacts": ContactsSpec,
        "facts": FactsSpec,
        "tree-words": TreeWords,
        "contacts-words": ContactsWords,
        "match-words": MatchWords,
    }.items():
        path = folder / f"{name}.schema.json"
        schema = model.model_json_schema()
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def try_match(root: Path, text: str) -> int:
    """Print what a typed question would match (for editors tuning match.yaml)."""
    content = load_content(root)
    found = content.matcher.match(text, limit=5)
    if not found:
        print("no match")
        return 1
    for m in found:
        kind = "DANGER" if m.danger else "topic"
        print(f"{kind:6} {m.node:24} ({content.nodes[m.node].tree}) score {m.score:.2f}")
    return 0


def report_unmatched(database: Path, limit: int = 50) -> int:
    """Typed questions nothing matched, most frequent first (texts and counts, never user ids)."""
    import asyncio

    from bot.storage import Storage

    if not Path(database).exists():
        print(f"no database at {database}")
        return 1

    async def read() -> list:
        async with Storage(database) as storage:
            return await storage.unmatched(limit)

    rows = asyncio.run(read())
    if not rows:
        print("no unmatched questions recorded")
        return 0
    print("count  lang  last seen   text")
    for text, lang, count, last_seen in rows:
        print(f"{count:5}  {lang:4}  {last_seen[:10]}  {text}")
    return 0


def main(action: str, root: Path) -> int:
    if action == "schema":
        for path in write_schemas(root / "schema"):
            print(f"wrote {path}")
        return 0
    try:
        content = load_content(root)
    except ContentInvalid as exc:
        for err in exc.errors:
            print(f"ERROR {err}", file=sys.stderr)
        print(f"content check failed: {len(exc.errors)} problem(s)", file=sys.stderr)
        return 1
    if action == "report":
        print(report(content))
        return 0
    errors = check_content(content)
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    if errors:
        print(f"content check failed: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"content OK: version {content.version}, {len(content.nodes)} nodes, "
        f"{len(content.trees)} trees, languages {', '.join(content.languages)}"
    )
    return 0
