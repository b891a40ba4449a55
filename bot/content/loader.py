"""Read ``content/`` from disk, validate it, and build a :class:`Content`.

Every problem is reported with the file and node it is in; a content set with any error is
refused as a whole (:class:`ContentInvalid`), so a running bot keeps its last good content.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from bot.claims.templates import DOCUMENTS
from bot.claims.templates import ClaimsFacts as _ClaimsFacts
from bot.config import REPO_ROOT
from bot.content.diff import ContentDiff, diff
from bot.content.model import (
    UNTRANSLATED,
    UNWATCHED_TREES,
    Change,
    Contact,
    Content,
    ContentError,
    ContentInvalid,
    Node,
    Option,
)
from bot.content.render import placeholder_problems
from bot.content.schema import (
    ClaimsSpec,
    ConceptsSpec,
    ConceptWords,
    ContactsSpec,
    ContactsWords,
    DocumentSpec,
    DocumentWordsSpec,
    FactsSpec,
    GlossaryWords,
    MatchWords,
    NodeSpec,
    TreeSpec,
    TreeWords,
)
from bot.deadlines import Rules
from bot.html import HtmlError, check_html
from bot.i18n import DEFAULT_LANG, LANGS, is_language_code, order_languages
from bot.typed.danger_model import DangerModel
from bot.typed.examples import EVERYDAY
from bot.typed.linear import train_together
from bot.typed.matcher import IF_CONCEPT, Matcher, parse_rule
from bot.typed.topic_model import OFFTOPIC, TopicModel

__all__ = ["load_content", "ContentStore", "ReloadResult"]

log = logging.getLogger(__name__)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


#: libyaml's safe loader when PyYAML has it (the same data, ten times faster: most of the load time;
#: the typed test sets are read with it too, ``bot.typed.evaluate.load_set``).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, root: Path, errors: list[ContentError]) -> Any:
    try:
        raw = path.read_bytes()
        cached = _parsed_cache(path, raw)
        if cached is not None:
            return cached[0]
        data = yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)  # noqa: S506 - a safe loader
        _remember_parsed(path, raw, data)
        return data
    except FileNotFoundError:
        errors.append(ContentError(_rel(path, root), None, "file is missing"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        errors.append(ContentError(_rel(path, root), None, f"not valid YAML{where}: {exc}"))
    except ValueError as exc:  # a date that does not exist (2027-02-30): PyYAML raises a bare ValueError
        errors.append(ContentError(_rel(path, root), None, f"not valid YAML: {exc}"))
    return None


#: Parsed YAML kept as JSON beside the models' weights (``yaml/``), keyed by a hash of the file's
#: bytes: the concept and example files are most of a content load's YAML (200 ms of 670
#: in session 9, on 2 cores), and JSON reads ten times faster. Only big files, and only those
#: whose data comes back from JSON unchanged (not dates, nor integer keys); a file's older
#: versions are deleted when a new one is kept; a missing or unwritable cache only costs the
#: parsing. JSON, not pickle: nothing in the cache can run code.
_PARSED_VERSION = b"1"
_PARSED_MIN = 50_000  # bytes: smaller files parse in a millisecond or two
#: A named list of refused words in a concept term ("!@ok"), from a language's ``refusals:``.
REFUSAL_LIST = "!@"


def _parsed_path(path: Path, raw: bytes) -> Path:
    """``yaml/ru-examples-<hash of the bytes>.json``: a copy of the content (the tests make many)
    shares the entry; an edited copy replaces it (the next load of the original parses again)."""
    digest = hashlib.sha256(_PARSED_VERSION + b"\0" + raw).hexdigest()[:24]
    return _model_cache() / "yaml" / f"{path.parent.name}-{path.stem}-{digest}.json"


def _parsed_cache(path: Path, raw: bytes) -> tuple[Any] | None:
    if len(raw) < _PARSED_MIN:
        return None
    try:
        return (json.loads(_parsed_path(path, raw).read_text(encoding="utf-8")),)
    except (OSError, ValueError):
        return None


def _remember_parsed(path: Path, raw: bytes, data: Any) -> None:
    if len(raw) < _PARSED_MIN:
        return
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:
            return
        kept = _parsed_path(path, raw)
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(kept)
        same_file = kept.name.rsplit("-", 1)[0] + "-"
        for old in kept.parent.glob(f"{same_file}*.json"):
            if old != kept:
                old.unlink(missing_ok=True)
    except (TypeError, ValueError, OSError):
        pass


def _validate(model: type[BaseModel], data: Any, file: str, errors: list[ContentError]) -> Any | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            # Locations look like ("nodes", "<node>", "options", 0, "to"): name the node.
            node = None
            if model is TreeSpec and len(loc) >= 2 and loc[0] == "nodes":
                node, loc = loc[1], loc[2:]
            elif model in (TreeWords, ContactsWords, ContactsSpec, GlossaryWords) and loc:
                node, loc = loc[0], loc[1:]
            where = ".".join(loc)
            msg = f"{where}: {err['msg']}" if where else err["msg"]
            errors.append(ContentError(file, node, msg))
        return None


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif value is not None:
        out[prefix] = str(value).strip("\n") if isinstance(value, str) else str(value)


def _version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:6]


def load_content(root: Path | str, *, train_in_parallel: bool = False) -> Content:
    """Load and validate the content under ``root``; raise ContentInvalid on any problem.

    ``train_in_parallel``: when neither model's weights are cached, train them at the same time in
    two processes (``train_together``); only for a program whose main module is guarded by
    ``if __name__ == "__main__"`` (a spawned process imports it again), as ``python -m bot`` is."""
    root = Path(root)
    errors: list[ContentError] = []
    if not root.is_dir():
        raise ContentInvalid([ContentError(str(root), None, "content folder not found")])

    # Shapes.
    nodes: dict[str, Node] = {}
    trees: dict[str, str] = {}
    tree_files = sorted((root / "trees").glob("*.yaml"))
    if not tree_files:
        errors.append(ContentError(_rel(root / "trees", root), None, "no tree files found"))
    for path in tree_files:
        file = _rel(path, root)
        spec: TreeSpec | None = _validate(TreeSpec, _read_yaml(path, root, errors), file, errors)
        if spec is None:
            continue
        if spec.id != path.stem:
            errors.append(ContentError(file, None, f"tree id {spec.id!r} must match file name"))
        if spec.id in trees:
            errors.append(ContentError(file, None, f"tree id {spec.id!r} is used twice"))
        trees[spec.id] = spec.entry
        if spec.entry not in spec.nodes:
            errors.append(ContentError(file, spec.entry, "entry node is not defined in this tree"))
        for node_id, ns in spec.nodes.items():
            if node_id in nodes:
                other = nodes[node_id].file
                errors.append(ContentError(file, node_id, f"node id also defined in {other}"))
            nodes[node_id] = _node(node_id, spec.id, file, ns, errors)
    if "main" not in trees:
        errors.append(ContentError("content/trees/main.yaml", None, "the main menu tree is missing"))
    errors.extend(_change_problems(nodes))

    # Contacts and facts.
    cfile = _rel(root / "contacts.yaml", root)
    craw = _read_yaml(root / "contacts.yaml", root, errors)
    cspec = _validate(ContactsSpec, craw or {}, cfile, errors)
    contacts: dict[str, Contact] = {}
    for cid, c in (cspec.root if cspec else {}).items():
        contacts[cid] = Contact(
            cid,
            c.phone,
            c.website,
            c.hours,
            c.free,
            tuple(c.sources),
            c.verified_on,
            c.confidence,
            c.check_at,
            tuple(c.languages),
        )
    ffile = _rel(root / "facts.yaml", root)
    facts = _validate(FactsSpec, _read_yaml(root / "facts.yaml", root, errors), ffile, errors)
    claims = _load_claims(root, facts.claims if facts else None, errors)

    # Links, actions, contacts of nodes.
    for node in nodes.values():
        for opt in node.options:
            if opt.to not in nodes:
                errors.append(
                    ContentError(node.file, node.id, f"option {opt.id!r} links to missing node {opt.to!r}")
                )
        for cid in node.contacts:
            if cid not in contacts:
                errors.append(ContentError(node.file, node.id, f"contact {cid!r} is not defined"))
        if node.action == "claim" and claims is None:
            problem = "action claim needs claims in facts.yaml and content/documents/"
            errors.append(ContentError(node.file, node.id, problem))

    # Words: one folder per language (ru, ky, uz, kk, and any language added since).
    words: dict[str, dict[str, str]] = {}
    untranslated: dict[str, frozenset[str]] = {}
    languages = _languages(root, errors)
    if DEFAULT_LANG not in languages:
        errors.append(ContentError(_rel(root / DEFAULT_LANG, root), None, "Russian words are missing"))
    for lang in languages:
        marked: set[str] = set()
        words[lang] = _load_words(root, lang, nodes, trees, errors, marked)
        if marked:
            untranslated[lang] = frozenset(marked)

    # Keywords for typed questions.
    keywords: dict[str, dict[str, dict[str, list[str]]]] = {}
    for lang in languages:
        mpath = root / lang / "match.yaml"
        if not mpath.exists():
            continue
        mfile = _rel(mpath, root)
        mw = _validate(MatchWords, _read_yaml(mpath, root, errors) or {}, mfile, errors)
        if mw is None:
            continue
        for section, table in (("danger", mw.danger), ("topics", mw.topics)):
            for node_id in table:
                if node_id not in nodes:
                    errors.append(ContentError(mfile, node_id, f"{section}: no such node"))
        keywords[lang] = {"danger": dict(mw.danger), "topics": dict(mw.topics)}

    # Concepts and rules over them (content/concepts.yaml), words per language.
    tables = _load_concepts(root, languages, nodes, keywords, errors)
    rules = tables.rules
    examples, topic_examples = _load_examples(root, languages, nodes, errors)

    # Glossaries: one term for one thing (checked against the texts by ``content check``).
    glossary: dict[str, dict[str, Any]] = {}
    for lang in languages:
        gpath = root / lang / "glossary.yaml"
        if not gpath.exists():
            continue
        gw = _validate(GlossaryWords, _read_yaml(gpath, root, errors) or {}, _rel(gpath, root), errors)
        if gw is not None:
            glossary[lang] = dict(gw.root)

    # Numbers, phone numbers, amounts and dates are the same in every language.
    errors.extend(_digit_problems(words, nodes))

    # Russian must be complete: it is the fallback for every other language.
    ru = words.get(DEFAULT_LANG, {})
    for node in nodes.values():
        wfile = f"content/{DEFAULT_LANG}/{node.tree}.yaml"
        if f"node.{node.id}.text" not in ru:
            errors.append(ContentError(wfile, node.id, "no Russian text"))
        for opt in node.options:
            if f"node.{node.id}.opt.{opt.id}" not in ru:
                errors.append(ContentError(wfile, node.id, f"no Russian label for option {opt.id!r}"))
        if node.changed is not None and f"node.{node.id}.changed" not in ru:
            errors.append(
                ContentError(wfile, node.id, f"no Russian words for change {node.changed.id!r} (changed:)")
            )
    for cid, contact in contacts.items():
        if f"contact.{cid}.name" not in ru:
            errors.append(ContentError(f"content/{DEFAULT_LANG}/contacts.yaml", cid, "no Russian name"))
        if contact.confidence == "low" and not (contact.check_at or f"contact.{cid}.note" in ru):
            errors.append(
                ContentError(
                    cfile, cid, "a low-confidence contact needs check_at or a note saying how to check"
                )
            )

    if errors:
        raise ContentInvalid(errors)
    assert facts is not None
    models = [(DangerModel, examples), (TopicModel, topic_examples)]
    if train_in_parallel:  # a fresh checkout's `content check` (CI): 85 + 42 s -> 85 s, session 25
        danger_model, topic_model = train_together(models, _model_cache())
    else:
        danger_model, topic_model = (cls(ex, _model_cache()) for cls, ex in models)
    content = Content(
        version=_version(root),
        nodes=nodes,
        trees=trees,
        contacts=contacts,
        mrp=dict(facts.mrp),
        keywords=keywords,
        matcher=Matcher(
            keywords,
            rules=rules,
            words=tables.words,
            negation=tables.negation,
            conditional=tables.conditional,
            supposed=tables.supposed,
            life_first=tables.life_first,
            documents=_documents(nodes, words, keywords, rules),
            urgent_order=tables.order,
            soften=tables.soften,
            soften_cancel=tables.soften_cancel,
            soften_model=tables.soften_model,
            examples=examples,
            danger_model=danger_model,
            topic_model=topic_model,
            topic_of=_topic_of(nodes),
        ),
        concepts=tables.declared,
        concept_words=tables.words,
        concept_rules=rules,
        glossary=glossary,
        rules=Rules(
            registration_days=facts.deadlines.registration_days,
            stay_days=facts.deadlines.stay_days,
            window_days=facts.deadlines.window_days,
            offsets=tuple(sorted(set(facts.deadlines.reminder_offsets), reverse=True)),
            hour=facts.deadlines.reminder_hour,
        ),
        words=words,
        languages=languages,
        untranslated=untranslated,
        claims=claims,
    )
    # The base languages are always offered (a missing text falls back to Russian, and ``content
    # check`` refuses a release that needs it); another language only once it is complete.
    offered = tuple(lang for lang in languages if lang in LANGS or content.missing(lang) == ([], []))
    return replace(content, offered=offered)


def _load_claims(root: Path, spec: ClaimsSpec | None, errors: list[ContentError]) -> _ClaimsFacts | None:
    """Wage-claim documents: the penalty facts (facts.yaml ``claims``) and content/documents/*.yaml."""
    from decimal import Decimal

    from bot.claims.compute import PenaltyRules
    from bot.claims.templates import Block, Law, Template, template_problems

    folder = root / "documents"
    if spec is None:
        if folder.is_dir():
            errors.append(ContentError(_rel(folder, root), None, "documents need claims in facts.yaml"))
        return None
    laws = {
        law_id: Law(law_id, law.cite, law.says, tuple(law.sources), law.confidence, law.check_at)
        for law_id, law in spec.laws.items()
    }
    documents = {}
    for doc_id in DOCUMENTS:
        path = folder / f"{doc_id}.yaml"
        file = _rel(path, root)
        doc = _validate(DocumentSpec, _read_yaml(path, root, errors), file, errors)
        if doc is None:
            continue
        template = Template(
            doc_id,
            doc.file,
            doc.title,
            doc.unknown,
            tuple(Block(b.style, b.text.strip("\n") if b.text else None, tuple(b.items)) for b in doc.blocks),
        )
        for problem in template_problems(template, laws):
            errors.append(ContentError(file, None, problem))
        documents[doc_id] = template
    wpath = folder / "words.yaml"
    words = _validate(DocumentWordsSpec, _read_yaml(wpath, root, errors), _rel(wpath, root), errors)
    doc_words: dict[str, str] = {}
    if words is not None:
        for group in ("citizenship", "pay_how", "evidence"):
            for key, text in getattr(words, group).items():
                doc_words[f"{group}.{key}"] = text
        doc_words.update(none=words.none, year=words.year)
        expected = {"citizenship": 2, "pay_how": 3, "evidence": 5}
        for group, count in expected.items():
            if len(getattr(words, group)) != count:
                errors.append(ContentError(_rel(wpath, root), group, f"needs all {count} words"))
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        if path.stem not in (*DOCUMENTS, "words"):
            known = ", ".join(DOCUMENTS)
            errors.append(ContentError(_rel(path, root), None, f"unknown document; known: {known}"))
    rate = spec.base_rate
    return _ClaimsFacts(
        rules=PenaltyRules(
            rate=Decimal(str(rate.value)),
            rate_date=rate.checked,
            multiplier=Decimal(str(spec.penalty_multiplier)),
            days_in_year=spec.days_in_year,
            pay_day=spec.pay_day,
        ),
        rate_since=rate.since,
        rate_sources=tuple(rate.sources),
        rate_check=rate.check_at,
        demand_days=spec.demand_days,
        laws=laws,
        documents=documents,
        words=doc_words,
    )


def _languages(root: Path, errors: list[ContentError]) -> tuple[str, ...]:
    """The language folders under ``root``: two or three lower-case letters, known to CLDR."""
    found = []
    for path in sorted(root.iterdir()):
        if not path.is_dir() or not re.fullmatch(r"[a-z]{2,3}", path.name):
            continue
        if not is_language_code(path.name):
            errors.append(ContentError(_rel(path, root), None, f"{path.name!r} is not a known language code"))
            continue
        found.append(path.name)
    return order_languages(found)


def _marked(text: object) -> bool:
    """A text still marked untranslated (see ``UNTRANSLATED``)."""
    return isinstance(text, str) and text.lstrip().startswith(UNTRANSLATED.strip())


@dataclass
class _ConceptTables:
    """What content/concepts.yaml and content/<lang>/concepts.yaml give the matcher."""

    declared: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    words: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    negation: dict[str, list[str]] = field(default_factory=dict)
    conditional: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    soften: dict[str, list[str]] = field(default_factory=dict)
    soften_cancel: dict[str, list[str]] = field(default_factory=dict)
    soften_model: dict[str, list[str]] = field(default_factory=dict)
    supposed: list[str] = field(default_factory=list)
    life_first: list[str] = field(default_factory=list)


def _refusals(
    term: str, lists: dict[str, list[str]], concept: str, wfile: str, errors: list[ContentError]
) -> str:
    """A term with its named refusal lists written out: "!@ok" -> "!емес !бол=" (``refusals:``)."""
    if REFUSAL_LIST not in term:
        return term
    parts = []
    for part in term.split():
        if not part.startswith(REFUSAL_LIST):
            parts.append(part)
            continue
        name = part[len(REFUSAL_LIST) :]
        if name not in lists:
            why = f"no refusal list {name!r} (refusals:)"
            errors.append(ContentError(wfile, None, f"{concept}: {term!r}: {why}"))
            continue
        parts.extend("!" + word for word in lists[name])
    return " ".join(parts)


def _load_concepts(
    root: Path,
    languages: tuple[str, ...],
    nodes: dict[str, Node],
    keywords: dict[str, dict[str, dict[str, list[str]]]],
    errors: list[ContentError],
) -> _ConceptTables:
    """content/concepts.yaml and content/<lang>/concepts.yaml; every name used must be defined."""
    path = root / "concepts.yaml"
    if not path.exists():
        return _ConceptTables()
    cfile = _rel(path, root)
    spec = _validate(ConceptsSpec, _read_yaml(path, root, errors) or {}, cfile, errors)
    if spec is None:
        return _ConceptTables()
    declared = dict(spec.concepts)
    rules = {
        "danger": dict(spec.rules.danger),
        "topics": dict(spec.rules.topics),
        "offer": dict(spec.rules.offer),
    }
    for node_id in spec.urgent_order:
        if node_id not in nodes:
            errors.append(ContentError(cfile, node_id, "urgent_order: no such node"))
    head = spec.urgent_order[: len(spec.life_first)]
    for node_id in spec.life_first:
        if node_id not in spec.urgent_order:
            errors.append(ContentError(cfile, node_id, "life_first: not in urgent_order"))
        elif node_id not in head:
            errors.append(ContentError(cfile, node_id, "life_first: must come first in urgent_order"))
    for name in spec.soften:
        if name not in declared:
            errors.append(ContentError(cfile, None, f"soften: concept {name} is not defined"))
    for name, only in spec.soften_model.items():
        if name not in declared:
            errors.append(ContentError(cfile, None, f"soften_model: concept {name} is not defined"))
        elif name in spec.soften:
            errors.append(ContentError(cfile, None, f"soften_model: {name} is in soften too"))
        for node_id in only:
            if node_id not in nodes:
                errors.append(ContentError(cfile, node_id, "soften_model: no such node"))
    for name, kept in spec.soften_except.items():
        if name not in spec.soften:
            errors.append(ContentError(cfile, None, f"soften_except: {name} is not in soften"))
        for node_id in kept:
            if node_id not in nodes:
                errors.append(ContentError(cfile, node_id, "soften_except: no such node"))
    for section in ("danger", "topics", "offer"):
        for node_id, items in rules[section].items():
            if node_id not in nodes:
                errors.append(ContentError(cfile, node_id, f"rules.{section}: no such node"))
            elif section == "offer" and nodes[node_id].tree != "urgent":
                errors.append(ContentError(cfile, node_id, "rules.offer: not an urgent screen"))
            for item in items:
                need, avoid, literal = parse_rule(item)
                if literal:
                    errors.append(
                        ContentError(cfile, node_id, f"rule {item!r}: {literal[0]!r} is not a CONCEPT name")
                    )
                if not need:
                    errors.append(ContentError(cfile, node_id, f"rule {item!r} needs at least one concept"))
                for name in need + avoid:
                    if name not in declared:
                        errors.append(
                            ContentError(cfile, node_id, f"rule {item!r}: concept {name} is not defined")
                        )
    words: dict[str, dict[str, list[str]]] = {}
    negation: dict[str, list[str]] = {}
    conditional: dict[str, list[str]] = {}
    for lang in languages:
        wpath = root / lang / "concepts.yaml"
        if not wpath.exists():
            continue
        wfile = _rel(wpath, root)
        cw = _validate(ConceptWords, _read_yaml(wpath, root, errors) or {}, wfile, errors)
        if cw is None:
            continue
        expanded: dict[str, list[str]] = {}
        for name, terms in cw.concepts.items():
            if name not in declared:
                errors.append(ContentError(wfile, None, f"concept {name} is not defined in {cfile}"))
            expanded[name] = []
            for term in terms:
                term = _refusals(term, cw.refusals, name, wfile, errors)
                expanded[name].append(term)
                if "+NEG" in term and not cw.negation:
                    errors.append(
                        ContentError(wfile, None, f"{name}: {term!r} uses +NEG but 'negation' is empty")
                    )
                parts = term.split()
                alone = all(p.startswith("!") for p in parts)  # "!x" first refuses the word before
                if parts and (alone or any(p.strip("!=^") == "" for p in parts)):
                    why = "a refused word (!word) needs a word to refuse it beside"
                    errors.append(ContentError(wfile, None, f"{name}: {term!r}: {why}"))
        words[lang] = expanded
        negation[lang] = list(cw.negation)
        conditional[lang] = list(cw.conditional)
    for lang, table in keywords.items():
        for section in ("danger", "topics"):
            for node_id, items in table.get(section, {}).items():
                for item in items:
                    need, avoid, _ = parse_rule(item)
                    for name in need + avoid:
                        if name not in declared:
                            errors.append(
                                ContentError(
                                    f"content/{lang}/match.yaml",
                                    node_id,
                                    f"{item!r}: concept {name} is not defined",
                                )
                            )
    for name, cancels in spec.soften_cancel.items():
        if name not in spec.soften and name not in spec.soften_model:
            errors.append(ContentError(cfile, None, f"soften_cancel: {name} is not in soften"))
        for other in cancels:
            if other not in declared:
                errors.append(ContentError(cfile, None, f"soften_cancel: concept {other} is not defined"))
    for name in spec.supposed:
        if name not in declared:
            errors.append(ContentError(cfile, None, f"supposed: concept {name} is not defined"))
    if spec.supposed and IF_CONCEPT not in declared:
        errors.append(ContentError(cfile, None, f"supposed needs the concept {IF_CONCEPT} ('if') defined"))
    soften = {name: list(spec.soften_except.get(name, [])) for name in spec.soften}
    return _ConceptTables(
        declared=declared,
        rules=rules,
        words=words,
        negation=negation,
        conditional=conditional,
        order=list(spec.urgent_order),
        soften=soften,
        soften_cancel={name: list(v) for name, v in spec.soften_cancel.items()},
        soften_model={name: list(v) for name, v in spec.soften_model.items()},
        supposed=list(spec.supposed),
        life_first=list(spec.life_first),
    )


def _topic_of(nodes: dict[str, Node]) -> dict[str, str]:
    """The topic each screen belongs to: its tree; the deadlines form and "talk to a person" are
    topics of their own (they live in the main tree)."""
    return {n: {"dl": "deadlines", "person": "person"}.get(n, node.tree) for n, node in nodes.items()}


def _model_cache() -> Path:
    """Where the danger and topic models' trained weights are kept (keyed by a hash of the examples):
    ``MODEL_CACHE_DIR``, else data/cache beside the database."""
    return Path(os.environ.get("MODEL_CACHE_DIR") or REPO_ROOT / "data" / "cache")


def _messages(texts: object) -> bool:
    """A list of non-empty messages (as examples.yaml must give under each key)."""
    return isinstance(texts, list) and all(isinstance(t, str) and t.strip() for t in texts)


#: The example files of a language: made from the test sets, and added by editors by hand.
EXAMPLE_FILES = ("examples.yaml", "examples_by_hand.yaml")


def _load_examples(
    root: Path, languages: tuple[str, ...], nodes: dict[str, Node], errors: list[ContentError]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """content/<lang>/examples.yaml: example messages per urgent screen, everyday ones without a
    topic (``everyday``), everyday ones filed under the screen of their topic (``topics``), and
    messages that are no question for the bot at all (``offtopic``: the topic model's OFFTOPIC).
    content/<lang>/examples_by_hand.yaml, of the same shape, holds what editors add by hand (real
    messages from ``content report --unmatched``): scripts/examples_from_sets.py rewrites
    examples.yaml from the test sets and never touches it.

    Returns (examples for the danger model: per urgent screen and "everyday", which holds every
    everyday message, with or without a topic; examples for the topic model: per topic screen).
    """
    out: dict[str, list[str]] = {}
    by_topic: dict[str, list[str]] = {}
    for lang, name in itertools.product(languages, EXAMPLE_FILES):
        path = root / lang / name
        if not path.exists():
            continue
        file = _rel(path, root)
        data = _read_yaml(path, root, errors) or {}
        if not isinstance(data, dict):
            errors.append(ContentError(file, None, "must map a screen (or 'everyday') to messages"))
            continue
        topics = data.pop("topics", None) or {}
        offtopic = data.pop(OFFTOPIC, None) or []
        if _messages(offtopic):
            # No question for the bot: one more class of the topic model, everyday for the danger model.
            by_topic.setdefault(OFFTOPIC, []).extend(offtopic)
            out.setdefault(EVERYDAY, []).extend(offtopic)
        else:
            errors.append(ContentError(file, OFFTOPIC, "examples: a list of messages"))
        if not isinstance(topics, dict):
            errors.append(ContentError(file, "topics", "examples: must map a topic's screen to messages"))
            topics = {}
        for node_id, texts in topics.items():
            if node_id not in nodes or nodes[node_id].tree == "urgent":
                errors.append(ContentError(file, str(node_id), "examples: topics: not an everyday screen"))
                continue
            if not _messages(texts):
                errors.append(ContentError(file, str(node_id), "examples: a list of messages"))
                continue
            by_topic.setdefault(node_id, []).extend(texts)
            out.setdefault(EVERYDAY, []).extend(texts)
        for node_id, texts in data.items():
            if node_id != EVERYDAY and (node_id not in nodes or nodes[node_id].tree != "urgent"):
                errors.append(ContentError(file, str(node_id), "examples: not an urgent screen"))
                continue
            if not _messages(texts):
                errors.append(ContentError(file, str(node_id), "examples: a list of messages"))
                continue
            out.setdefault(node_id, []).extend(texts)
    # A message filed under two topics is one everyday example for the danger model.
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}, by_topic


_TAG = re.compile(r"<[^>]*>|\{[^}]*\}")


def _documents(
    nodes: dict[str, Node],
    words: dict[str, dict[str, str]],
    keywords: dict[str, dict[str, dict[str, list[str]]]],
    rules: dict[str, dict[str, list[str]]],
) -> dict[str, str]:
    """What the n-gram fallback compares a message with: every everyday answer's words.

    For each node editors route typed questions to (topics of match.yaml or of the rules): its
    text and the labels of buttons leading to it, in every language, and its phrases.
    """
    targets = {n for table in keywords.values() for n in table.get("topics", {})}
    targets |= set(rules.get("topics", {}))
    parts: dict[str, list[str]] = {n: [] for n in sorted(targets) if n in nodes}
    for per_lang in words.values():
        for node in nodes.values():
            for opt in node.options:
                if opt.to in parts:
                    parts[opt.to].append(per_lang.get(f"node.{node.id}.opt.{opt.id}", ""))
        for node_id in parts:
            parts[node_id].append(per_lang.get(f"node.{node_id}.text", "")[:400])
    for table in keywords.values():
        for node_id, items in table.get("topics", {}).items():
            if node_id in parts:
                parts[node_id].extend(items * 2)  # the editors' own phrases weigh more
    return {n: _TAG.sub(" ", " ".join(p)) for n, p in parts.items()}


_DIGITS = re.compile(r"\d+")


def _digit_problems(words: dict[str, dict[str, str]], nodes: dict[str, Node]) -> list[ContentError]:
    """A node or contact whose digits differ from the Russian one: a wrong number is dangerous."""
    problems: list[ContentError] = []
    ru = words.get(DEFAULT_LANG, {})
    for key, ru_text in ru.items():
        kind, _, rest = key.partition(".")
        if kind == "ui":
            continue
        want = Counter(_DIGITS.findall(ru_text))
        for lang, have in words.items():
            other = have.get(key)
            if lang == DEFAULT_LANG or other is None:
                continue
            got = Counter(_DIGITS.findall(other))
            if got == want:
                continue
            ident = rest.split(".", 1)[0]
            if kind == "node" and ident in nodes:
                file = f"content/{lang}/{nodes[ident].tree}.yaml"
            else:
                file = f"content/{lang}/contacts.yaml"
            extra, missing = sorted((got - want).elements()), sorted((want - got).elements())
            problems.append(
                ContentError(
                    file, ident, f"numbers differ from Russian in {key}: extra {extra}, missing {missing}"
                )
            )
    return problems


def _change_problems(nodes: dict[str, Node]) -> list[ContentError]:
    """Each change id is used once; a change can only be on a topic people can watch."""
    problems: list[ContentError] = []
    seen: dict[str, str] = {}
    for node in nodes.values():
        if node.changed is None:
            continue
        cid = node.changed.id
        if cid in seen:
            problems.append(
                ContentError(node.file, node.id, f"change id {cid!r} is also used by node {seen[cid]!r}")
            )
        seen.setdefault(cid, node.id)
        if node.tree in UNWATCHED_TREES:
            problems.append(
                ContentError(
                    node.file,
                    node.id,
                    f"change {cid!r}: nobody can ask to be told about the {node.tree!r} tree",
                )
            )
    return problems


def _node(node_id: str, tree: str, file: str, ns: NodeSpec, errors: list[ContentError]) -> Node:
    seen: set[str] = set()
    for opt in ns.options:
        if opt.id in seen:
            errors.append(ContentError(file, node_id, f"option id {opt.id!r} is used twice"))
        seen.add(opt.id)
    if not ns.options and not ns.action:
        errors.append(ContentError(file, node_id, "a node without options needs an action"))
    if not ns.nav:
        if not ns.sources:
            errors.append(ContentError(file, node_id, "states facts but has no sources (or set nav: true)"))
        if ns.verified_on is None:
            errors.append(ContentError(file, node_id, "states facts but has no verified_on date"))
    return Node(
        id=node_id,
        tree=tree,
        file=file,
        options=tuple(Option(o.id, o.to) for o in ns.options),
        action=ns.action,
        contacts=tuple(ns.contacts),
        nav=ns.nav,
        sources=tuple(ns.sources),
        verified_on=ns.verified_on,
        check_at=ns.check_at,
        changed=Change(ns.changed.id, ns.changed.on) if ns.changed is not None else None,
    )


def _check_text(
    text: str,
    file: str,
    node: str | None,
    what: str,
    errors: list[ContentError],
    *,
    placeholders: bool,
    lang: str | None = None,
) -> None:
    try:
        check_html(text)
    except HtmlError as exc:
        errors.append(ContentError(file, node, f"{what}: invalid Telegram HTML: {exc}"))
    if placeholders:
        for problem in placeholder_problems(text, lang):
            errors.append(ContentError(file, node, f"{what}: {problem}"))


def _load_words(
    root: Path,
    lang: str,
    nodes: dict[str, Node],
    trees: dict[str, str],
    errors: list[ContentError],
    marked: set[str],
) -> dict[str, str]:
    """The texts of one language. Texts marked untranslated are left out (Russian is shown
    instead) and their keys added to ``marked``; Russian itself cannot be untranslated."""
    out: dict[str, str] = {}
    folder = root / lang

    def untranslated(key: str, text: object, file: str, node: str | None) -> bool:
        if not _marked(text):
            return False
        if lang == DEFAULT_LANG:
            mark = UNTRANSLATED.strip()
            errors.append(ContentError(file, node, f"Russian is the source text: remove {mark} from {key}"))
        marked.add(key)
        return True

    ui_path = folder / "ui.yaml"
    ui_file = _rel(ui_path, root)
    # Only Russian must have every file; other languages fall back to it.
    ui = _read_yaml(ui_path, root, errors) if ui_path.exists() or lang == DEFAULT_LANG else None
    if ui is not None and not isinstance(ui, dict):
        errors.append(ContentError(ui_file, None, "must be a mapping of keys to texts"))
    elif ui:
        flat: dict[str, str] = {}
        _flatten("ui", ui, flat)
        for key, text in flat.items():
            if untranslated(key, text, ui_file, key[3:]):
                continue
            _check_text(text, ui_file, key, "text", errors, placeholders=False)
            out[key] = text

    # Wage-claim words (ui.claim.*): the questionnaire, its buttons and explanations.
    claims_path = folder / "claims.yaml"
    claims = _read_yaml(claims_path, root, errors) if claims_path.exists() else None
    if claims is not None and not isinstance(claims, dict):
        errors.append(ContentError(_rel(claims_path, root), None, "must be a mapping of keys to texts"))
    elif claims:
        flat = {}
        _flatten("ui.claim", claims, flat)
        for key, text in flat.items():
            if untranslated(key, text, _rel(claims_path, root), key[3:]):
                continue
            _check_text(text, _rel(claims_path, root), key, "text", errors, placeholders=False)
            out[key] = text

    # Words for the operators' group: Russian is required, other languages are optional.
    ops_path = folder / "ops.yaml"
    ops = _read_yaml(ops_path, root, errors) if ops_path.exists() else None  # missing keys: check
    if ops is not None and not isinstance(ops, dict):
        errors.append(ContentError(_rel(ops_path, root), None, "must be a mapping of keys to texts"))
    elif ops:
        flat = {}
        _flatten("ops", ops, flat)
        for key, text in flat.items():
            _check_text(text, _rel(ops_path, root), key, "text", errors, placeholders=False)
        out.update(flat)

    cpath = folder / "contacts.yaml"
    if cpath.exists():
        cfile = _rel(cpath, root)
        cw = _validate(ContactsWords, _read_yaml(cpath, root, errors) or {}, cfile, errors)
        for cid, w in (cw.root if cw else {}).items():
            if not untranslated(f"contact.{cid}.name", w.name, cfile, cid):
                out[f"contact.{cid}.name"] = w.name.strip()
                _check_text(w.name, cfile, cid, "name", errors, placeholders=False)
            if w.note and untranslated(f"contact.{cid}.note", w.note, cfile, cid):
                continue
            if w.note:
                out[f"contact.{cid}.note"] = w.note.strip()
                _check_text(w.note, cfile, cid, "note", errors, placeholders=False)

    for tree in sorted(trees):
        path = folder / f"{tree}.yaml"
        if not path.exists():
            continue  # reported as missing words (fallback) by the check, not fatal here
        file = _rel(path, root)
        tw = _validate(TreeWords, _read_yaml(path, root, errors) or {}, file, errors)
        for node_id, w in (tw.root if tw else {}).items():
            node = nodes.get(node_id)
            if node is None or node.tree != tree:
                errors.append(ContentError(file, node_id, "words for a node this tree does not have"))
                continue
            if not untranslated(f"node.{node_id}.text", w.text, file, node_id):
                out[f"node.{node_id}.text"] = w.text.strip("\n")
                _check_text(w.text, file, node_id, "text", errors, placeholders=True, lang=lang)
            if w.changed is not None:
                if node.changed is None:
                    unmarked = "words for a change the tree file does not mark (changed: {on, id})"
                    errors.append(ContentError(file, node_id, unmarked))
                elif not untranslated(f"node.{node_id}.changed", w.changed, file, node_id):
                    out[f"node.{node_id}.changed"] = w.changed.strip()
                    _check_text(w.changed, file, node_id, "changed", errors, placeholders=True, lang=lang)
            for opt_id, label in w.options.items():
                if node.option(opt_id) is None:
                    errors.append(ContentError(file, node_id, f"label for unknown option {opt_id!r}"))
                    continue
                if untranslated(f"node.{node_id}.opt.{opt_id}", label, file, node_id):
                    continue
                out[f"node.{node_id}.opt.{opt_id}"] = label.strip()
                _check_text(label, file, node_id, f"option {opt_id!r}", errors, placeholders=True, lang=lang)
    return out


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: ``published`` a new version (``diff``), ``refused`` the files on disk
    (``errors``: file, node, reason; the last good version stays), or found them ``unchanged``.

    ``fresh`` is True the first time an outcome is seen: a new version, or new broken files (the
    same broken files are not loaded, logged or reported again). True-ish unless refused.
    """

    status: Literal["published", "refused", "unchanged"]
    version: str  # the version users see now
    disk: str = ""  # the version of the files on disk
    diff: ContentDiff | None = None
    errors: tuple[ContentError, ...] = ()
    fresh: bool = False

    def __bool__(self) -> bool:
        return self.status != "refused"


class ContentStore:
    """Holds the current content; :meth:`refresh` swaps it only when the new one is valid."""

    def __init__(self, root: Path | str, content: Content | None = None) -> None:
        self.root = Path(root)
        self.current = content if content is not None else load_content(self.root)
        #: The outcome of the latest reload (None before the first).
        self.last: ReloadResult | None = None
        self._refused: ReloadResult | None = None

    def refresh(self) -> ReloadResult:
        """Load the content again if its files changed; on errors keep the last good content."""
        old = self.current
        try:
            disk = _version(self.root)
        except OSError as exc:
            disk = f"unreadable: {exc}"
        if disk == old.version:
            self._refused = None
            result = ReloadResult("unchanged", old.version, disk)
        elif self._refused is not None and self._refused.disk == disk:
            result = replace(self._refused, fresh=False)  # the same broken files: said once already
        else:
            try:
                new = load_content(self.root)
            except (ContentInvalid, OSError) as exc:
                if isinstance(exc, ContentInvalid):
                    errors = exc.errors
                else:
                    errors = [ContentError(str(self.root), None, f"cannot read: {exc}")]
                log.error("content reload refused, keeping version %s: %s", old.version, exc)
                result = ReloadResult("refused", old.version, disk, errors=tuple(errors), fresh=True)
                self._refused = result
            else:
                change = diff(old, new)
                # Remember where removed nodes were, so users still on them find their topic.
                retired = {**old.retired, **{n: old.nodes[n].tree for n in change.removed}}
                new = replace(new, retired={n: t for n, t in retired.items() if n not in new.nodes})
                log.info(
                    "content published: version %s -> %s (%d node(s) added, %d removed)",
                    old.version,
                    new.version,
                    len(change.added),
                    len(change.removed),
                )
                self.current = new
                self._refused = None
                result = ReloadResult("published", new.version, disk, diff=change, fresh=True)
        self.last = result
        return result

    def reload(self) -> bool:
        """Load the content again if its files changed. True unless the new files were refused."""
        return bool(self.refresh())
