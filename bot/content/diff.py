"""What changed between two versions of the content, and the admins' message about a reload.

Pure: two :class:`Content` objects in, a :class:`ContentDiff` out; :func:`published_text`,
:func:`refused_text` and :func:`unchanged_text` word it for admins with the ``ui.admin.reload_*``
texts of the content (Russian is enough: admins read Russian).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.content.model import Content, ContentError

__all__ = [
    "ContentDiff",
    "diff",
    "published_text",
    "refused_text",
    "unchanged_text",
    "LIST_LIMIT",
    "ERROR_LIMIT",
]

#: At most this many names in one line of the admins' message ("…and 12 more" after them).
LIST_LIMIT = 12
#: At most this many problems of a refused edit in the message (the log has them all).
ERROR_LIMIT = 10
#: A reason longer than this is cut (a YAML parser's message can quote half the file).
REASON_LIMIT = 250


@dataclass(frozen=True)
class ContentDiff:
    """Nodes added and removed, and per language which nodes, contacts and UI texts changed."""

    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: Nodes in both whose buttons (option ids or where they lead) or action changed.
    options: tuple[str, ...] = ()
    #: Nodes in both whose sources, check date, "check at" or contacts changed.
    checks: tuple[str, ...] = ()
    #: language -> changed texts, by place: a node id, "contact:<id>" or "ui:<key>".
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    languages_added: tuple[str, ...] = ()
    languages_removed: tuple[str, ...] = ()
    #: Contacts whose phone, website, hours or sources changed; added and removed ones.
    contacts: tuple[str, ...] = ()
    #: Facts (MRP, deadline rules) changed.
    facts: bool = False
    #: Where typed-question words or rules changed: "content/concepts.yaml", "content/<lang>".
    typed: tuple[str, ...] = ()
    #: Languages offered to everyone now and not before, and the other way round.
    offered: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.options
            or self.checks
            or self.texts
            or self.languages_added
            or self.languages_removed
            or self.contacts
            or self.facts
            or self.typed
            or self.offered
            or self.withdrawn
        )


def _place(key: str) -> str:
    """Where a text key belongs: its node, its contact, or the UI key."""
    kind, _, rest = key.partition(".")
    if kind == "node":
        return rest.split(".", 1)[0]
    if kind == "contact":
        return "contact:" + rest.split(".", 1)[0]
    return f"{kind}:{rest}"


def _changed_places(old: dict[str, str], new: dict[str, str], skip: set[str]) -> tuple[str, ...]:
    places = set()
    for key in old.keys() | new.keys():
        if old.get(key) != new.get(key):
            place = _place(key)
            if place not in skip:
                places.add(place)
    return tuple(sorted(places))


def diff(old: Content, new: Content) -> ContentDiff:
    """What changed from ``old`` to ``new`` (ids only; no texts are copied)."""
    added = tuple(sorted(new.nodes.keys() - old.nodes.keys()))
    removed = tuple(sorted(old.nodes.keys() - new.nodes.keys()))
    both = sorted(old.nodes.keys() & new.nodes.keys())
    options = tuple(
        n
        for n in both
        if (old.nodes[n].options, old.nodes[n].action) != (new.nodes[n].options, new.nodes[n].action)
    )

    def checked(content: Content, n: str) -> tuple[object, ...]:
        node = content.nodes[n]
        return (node.sources, node.verified_on, node.check_at, node.contacts, node.nav, node.tree)

    checks = tuple(n for n in both if checked(old, n) != checked(new, n))
    skip = set(added) | set(removed)
    texts: dict[str, tuple[str, ...]] = {}
    for lang in [lang for lang in new.languages if lang in old.languages]:
        places = _changed_places(old.words.get(lang, {}), new.words.get(lang, {}), skip)
        if places:
            texts[lang] = places
    contacts = tuple(
        sorted(
            c for c in old.contacts.keys() | new.contacts.keys() if old.contacts.get(c) != new.contacts.get(c)
        )
    )
    typed = tuple(
        f"content/{lang}"
        for lang in sorted(set(old.languages) & set(new.languages))  # a new language is listed as one
        if (old.concept_words.get(lang), old.keywords.get(lang))
        != (new.concept_words.get(lang), new.keywords.get(lang))
    )
    if (old.concepts, old.concept_rules) != (new.concepts, new.concept_rules):
        typed = ("content/concepts.yaml", *typed)
    return ContentDiff(
        old_version=old.version,
        new_version=new.version,
        added=added,
        removed=removed,
        options=options,
        checks=checks,
        texts=texts,
        languages_added=tuple(lang for lang in new.languages if lang not in old.languages),
        languages_removed=tuple(lang for lang in old.languages if lang not in new.languages),
        contacts=contacts,
        facts=(old.mrp, old.rules) != (new.mrp, new.rules),
        typed=typed,
        offered=tuple(lang for lang in new.offered if lang not in old.offered),
        withdrawn=tuple(lang for lang in old.offered if lang not in new.offered and lang in new.languages),
    )


# --- Words for admins ---------------------------------------------------------------------------

#: Looks up ``ui.admin.reload_<key>`` (Russian) in the content; "" if it has none.
Words = Callable[[str], str]


def admin_words(content: Content) -> Words:
    def word(key: str) -> str:
        found = content.word("ru", f"ui.admin.reload_{key}")
        return found.text if found else ""

    return word


def _items(names: Sequence[str], word: Words) -> str:
    shown = ", ".join(html.escape(n) for n in names[:LIST_LIMIT])
    if len(names) > LIST_LIMIT:
        shown += " " + word("more").format(n=len(names) - LIST_LIMIT)
    return shown


def published_text(content: Content, change: ContentDiff) -> str:
    """The admins' message about a published version: what changed, by kind and language."""
    word = admin_words(content)
    lines = [word("published").format(version=change.new_version, old=change.old_version)]

    def line(key: str, names: Sequence[str]) -> None:
        if names:
            lines.append(word(key).format(n=len(names), items=_items(names, word)))

    line("added", change.added)
    line("removed", change.removed)
    line("options", change.options)
    line("checks", change.checks)
    line("contacts", change.contacts)
    line("languages_added", change.languages_added)
    line("languages_removed", change.languages_removed)
    line("offered", change.offered)
    line("withdrawn", change.withdrawn)
    if change.texts:
        lines.append(word("texts"))
        for lang, places in change.texts.items():
            lines.append(word("texts_line").format(lang=lang, n=len(places), items=_items(places, word)))
    if change.facts:
        lines.append(word("facts"))
    if change.typed:
        lines.append(word("typed").format(items=_items(change.typed, word)))
    if change.empty:
        lines.append(word("no_changes"))
    return "\n".join(line for line in lines if line)


def refused_text(content: Content, errors: Sequence[ContentError], disk_version: str) -> str:
    """The admins' message about a refused edit: each problem's file, node and reason."""
    word = admin_words(content)
    lines = [word("refused").format(count=len(errors), version=content.version, disk=disk_version)]
    for err in errors[:ERROR_LIMIT]:
        message = err.message if len(err.message) <= REASON_LIMIT else err.message[: REASON_LIMIT - 1] + "…"
        where = {"file": html.escape(err.file), "reason": html.escape(message)}
        if err.node:
            lines.append(word("refused_node").format(node=html.escape(err.node), **where))
        else:
            lines.append(word("refused_file").format(**where))
    if len(errors) > ERROR_LIMIT:
        lines.append(word("more").format(n=len(errors) - ERROR_LIMIT))
    lines.append(word("refused_hint"))
    return "\n".join(line for line in lines if line)


def unchanged_text(content: Content) -> str:
    """The answer to /reload when no file changed."""
    return admin_words(content)("unchanged").format(version=content.version)
