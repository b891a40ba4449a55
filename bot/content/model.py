"""The loaded content: immutable trees, contacts and words, with Russian fallback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.deadlines import Rules
from bot.i18n import DEFAULT_LANG
from bot.typed.matcher import Matcher, parse_rule

if TYPE_CHECKING:
    from bot.claims.templates import ClaimsFacts

__all__ = [
    "UNWATCHED_TREES",
    "Option",
    "Change",
    "Node",
    "Contact",
    "Lookup",
    "Content",
    "ContentError",
    "ContentInvalid",
    "UNTRANSLATED",
    "ADMIN_UI",
    "optional_key",
]

#: A text that starts with this mark is still the Russian text, waiting for its translation
#: (``python -m bot content new-language`` writes it): the bot shows Russian instead, ``content
#: report`` counts it as untranslated, and ``content check`` treats it as missing.
UNTRANSLATED = "(untranslated) "
#: UI keys under ``admin:`` are read by admins only: Russian is enough (other languages fall back).
ADMIN_UI = "ui.admin."


def optional_key(key: str, lang: str) -> bool:
    """True if ``lang`` need not have ``key`` even though Russian has it.

    Plural categories differ by language (ru has one/few/many/other, ky/uz/kk one/other); the
    Russian case forms (``ui.grammar``) are words only Russian needs; admin texts may be Russian only.
    """
    if lang == DEFAULT_LANG:
        return False
    return key.startswith(("ui.grammar.", ADMIN_UI)) or (
        key.startswith("ui.plural.") and key.rsplit(".", 1)[1] in ("few", "many")
    )


#: Trees nobody can ask to be told about (no "tell me when this changes" button): the main menu
#: and urgent help. A change marked on their nodes would reach nobody, so the loader refuses it.
UNWATCHED_TREES = ("main", "urgent")


@dataclass(frozen=True)
class ContentError:
    """One problem in the content, located by file and node."""

    file: str
    node: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: node {self.node!r}" if self.node else self.file
        return f"{where}: {self.message}"


class ContentInvalid(Exception):
    """The content files cannot be used. ``errors`` names each file, node and reason."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"content is invalid ({len(errors)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class Option:
    id: str
    to: str


@dataclass(frozen=True)
class Change:
    """A change in the rules a node tells about (``changed:`` in the tree file)."""

    id: str
    on: dt.date


@dataclass(frozen=True)
class Node:
    id: str
    tree: str
    file: str
    options: tuple[Option, ...] = ()
    action: str | None = None
    contacts: tuple[str, ...] = ()
    nav: bool = False
    sources: tuple[str, ...] = ()
    verified_on: dt.date | None = None
    check_at: str | None = None
    changed: Change | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Contact:
    id: str
    phone: str | None
    website: str | None
    hours: str | None
    free: bool | None
    sources: tuple[str, ...]
    verified_on: dt.date
    confidence: str
    check_at: str | None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lookup:
    """A text found for a key, and the language it was found in (after fallback)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Content:
    """Everything the engine needs to talk, loaded from ``content/``.

    ``words[lang]`` maps flat keys to texts: ``node.<id>.text``, ``node.<id>.opt.<option>``,
    ``contact.<id>.name``, ``contact.<id>.note`` and ``ui.<key>`` (nested UI keys joined
    with dots, e.g. ``ui.plural.days.few``).
    """

    version: str
    nodes: dict[str, Node]
    trees: dict[str, str]  # tree id -> entry node id
    contacts: dict[str, Contact]
    mrp: dict[int, int]
    words: dict[str, dict[str, str]]
    languages: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)  # language -> folder, for messages
    rules: Rules = field(default_factory=Rules)  # personal deadlines (facts.yaml "deadlines")
    #: Typed questions: keywords per language (content/<lang>/match.yaml) and their index.
    keywords: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    matcher: Matcher = field(default_factory=lambda: Matcher({}))
    #: Concepts (content/concepts.yaml: name -> meaning) and their words per language.
    concepts: dict[str, str] = field(default_factory=dict)
    concept_words: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    concept_rules: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: One term for one thing: content/<lang>/glossary.yaml (term id -> GlossaryEntry).
    glossary: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Languages the language picker offers everyone (``languages`` if not given): the four base
    #: languages, and any other language once it is complete (see :meth:`missing`).
    offered: tuple[str, ...] = ()
    #: Keys per language whose text is marked untranslated (shown in Russian meanwhile).
    untranslated: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Nodes earlier content had and this one has not: node id -> its tree (kept across reloads),
    #: so a user on a removed screen is taken to the start of its topic.
    retired: dict[str, str] = field(default_factory=dict)
    #: Wage-claim documents: the penalty facts and the templates (None: not in this content).
    claims: ClaimsFacts | None = None

    MAIN = "main"

    def __post_init__(self) -> None:
        if not self.offered:
            object.__setattr__(self, "offered", self.languages)

    def expected_keys(self) -> list[str]:
        """Every text a complete language has: UI texts, node texts and labels, contact words."""
        ru = self.words.get(DEFAULT_LANG, {})
        keys = [k for k in ru if k.startswith("ui.")]
        for node in self.nodes.values():
            keys.append(f"node.{node.id}.text")
            keys.extend(f"node.{node.id}.opt.{o.id}" for o in node.options)
            if node.changed is not None:
                keys.append(f"node.{node.id}.changed")
        for cid in self.contacts:
            keys.append(f"contact.{cid}.name")
            if f"contact.{cid}.note" in ru:
                keys.append(f"contact.{cid}.note")
        return keys

    def danger_concepts(self) -> set[str]:
        """Concepts the danger rules need: every language must have words for them."""
        rules = self.concept_rules.get("danger", {})
        return {name for items in rules.values() for rule in items for name in parse_rule(rule)[0]}

    def missing(self, lang: str) -> tuple[list[str], list[str]]:
        """(texts, danger concepts) ``lang`` still lacks; a language lacking neither is complete."""
        have = self.words.get(lang, {})
        texts = [k for k in self.expected_keys() if k not in have and not optional_key(k, lang)]
        words = self.concept_words.get(lang, {})
        concepts = sorted(c for c in self.danger_concepts() if not words.get(c))
        return texts, concepts

    def ops(self, key: str, /, **values: object) -> str:
        """A text for the operators' group (``content/ru/ops.yaml``), its placeholders filled in."""
        text = self.words.get(DEFAULT_LANG, {}).get(f"ops.{key}")
        if text is None:
            return key  # content check refuses this (tests/test_ops_words.py); never fail a case
        return text.format(**values) if values else text

    def word(self, lang: str, key: str) -> Lookup | None:
        """The text for ``key`` in ``lang``, else in Russian; None if neither has it."""
        text = self.words.get(lang, {}).get(key)
        if text:
            return Lookup(text, lang)
        text = self.words.get(DEFAULT_LANG, {}).get(key)
        if text:
            return Lookup(text, DEFAULT_LANG)
        return None

    def mrp_for(self, year: int) -> tuple[int, int]:
        """The MRP of ``year`` or, if not yet known, of the latest known year before it."""
        known = [y for y in self.mrp if y <= year] or list(self.mrp)
        best = max(known)
        return best, self.mrp[best]

    def keys_for(self, lang: str) -> dict[str, str]:
        return self.words.get(lang, {})

    def ui_keys(self) -> list[str]:
        return sorted(k for k in self.words.get(DEFAULT_LANG, {}) if k.startswith("ui."))

    def info(self) -> dict[str, Any]:
        return {"version": self.version, "nodes": len(self.nodes), "trees": sorted(self.trees)}
