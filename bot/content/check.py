"""``python -m bot content check|report|schema``: keep the content honest.

``check`` exits non-zero and names the file, node and reason of every problem: everything the
loader refuses, plus unreachable nodes, paths that never end, missing words in any language,
digits that differ between languages, messages too long for Telegram and labels too long for a
button. ``report`` prints coverage, the age of checks and open questions. ``schema`` writes
JSON Schemas for editors.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.content.loader import load_content
from bot.content.model import UNTRANSLATED, Content, ContentError, ContentInvalid, optional_key
from bot.content.render import PLURAL_KINDS, render_placeholders
from bot.content.schema import (
    ContactsSpec,
    ContactsWords,
    DocumentSpec,
    DocumentWordsSpec,
    FactsSpec,
    GlossaryWords,
    MatchWords,
    TreeSpec,
    TreeWords,
)
from bot.engine import BUTTON_LIMIT, NAV_EMOJI, screen
from bot.grammar import CASES, GrammarError
from bot.html import TELEGRAM_TEXT_LIMIT, to_plain, visible_length
from bot.i18n import DEFAULT_LANG, LANGS
from bot.typed.matcher import parse_rule, second_urgent

__all__ = ["check_content", "content_warnings", "report", "write_schemas", "main", "show", "show_screen"]

#: Telegram's own limit for any button label; content buttons must also keep BUTTON_LIMIT.
TELEGRAM_BUTTON_LIMIT = 64
#: Uzbek Latin (official alphabet): oʻ gʻ with U+02BB; the tutuq belgisi (maʼlumot) with U+02BC.
#: Any other apostrophe-like mark between letters is refused, so one form is used everywhere.
_UZ_BAD_MARK = re.compile(r"(?<=\w)['`´‘’]|['`´‘’](?=\w)")
_UZ_OG_WRONG = re.compile(r"(?<=[OoGg])ʼ")
AIM_LENGTH = 700  # the style guide's aim for one message, not Telegram's limit
#: The words of a change (``changed:``) are one short alert: at most this many visible characters.
CHANGE_LIMIT = 300


def _words_file(content: Content, lang: str, key: str) -> tuple[str, str | None]:
    parts = key.split(".")
    if parts[0] == "node":
        return f"content/{lang}/{content.nodes[parts[1]].tree}.yaml", parts[1]
    if parts[0] == "contact":
        return f"content/{lang}/contacts.yaml", parts[1]
    if parts[:2] == ["ui", "claim"]:
        return f"content/{lang}/claims.yaml", ".".join(parts[2:])
    return f"content/{lang}/ui.yaml", ".".join(parts[1:])


def _expected_keys(content: Content) -> list[str]:
    return content.expected_keys()


def _ui_plural_ok(key: str, lang: str) -> bool:
    # Plural and case forms only Russian needs, and admin texts (Russian is enough).
    return optional_key(key, lang)


_OPS_CALL = re.compile(r'(?<![A-Za-z0-9])_?ops\(\s*"([a-z_.]+)"')
_OPS_CONST = re.compile(r'^NOTICE_\w+ = "([a-z_.]+)"', re.M)


def ops_keys_used() -> set[str]:
    """Keys of content/ru/ops.yaml the code asks for (read from the code shipped with the bot)."""
    from bot.config import REPO_ROOT

    keys: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            keys.update(_OPS_CALL.findall(source))
            keys.update(_OPS_CONST.findall(source))
    from handlers.operators import OPERATOR_COMMANDS

    keys.update(f"commands.{name}" for name in OPERATOR_COMMANDS)
    return keys


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
                if key in content.untranslated.get(lang, ()):
                    errors.append(ContentError(file, node, f"{key} is still marked {UNTRANSLATED.strip()}"))
                else:
                    errors.append(ContentError(file, node, f"missing words for {key}"))

    # Digits that differ between languages are refused by the loader itself.

    # Every text the code shows operators is in content/ru/ops.yaml.
    ru = content.words.get(DEFAULT_LANG, {})
    for key in sorted(ops_keys_used()):
        if f"ops.{key}" not in ru:
            errors.append(ContentError(f"content/{DEFAULT_LANG}/ops.yaml", key, "missing: the code uses it"))

    # Typed questions: danger rules exist, and every language has words for the danger concepts.
    danger_rules = content.concept_rules.get("danger", {})
    if not danger_rules:
        errors.append(ContentError("content/concepts.yaml", None, "no danger rules for typed questions"))
    needed = {n for items in danger_rules.values() for rule in items for n in parse_rule(rule)[0]}
    for lang in LANGS:
        missing = ", ".join(sorted(needed - set(content.concept_words.get(lang, {}))))
        if missing:
            wfile = f"content/{lang}/concepts.yaml"
            errors.append(ContentError(wfile, None, f"no words for danger concepts {missing}"))

    # A word written twice in one concept's list: harmless to matching, but it costs load time
    # and hides an edit (session 20 found 74: an editor adds a word already there).
    for lang in LANGS:
        for concept, items in content.concept_words.get(lang, {}).items():
            seen: set[str] = set()
            for item in items:
                if item in seen:
                    wfile = f"content/{lang}/concepts.yaml"
                    errors.append(ContentError(wfile, None, f"{concept}: {item!r} is written twice"))
                seen.add(item)

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

    # Russian case forms: every kind x case x plural category is written out.
    ru = content.words.get(DEFAULT_LANG, {})
    for kind in PLURAL_KINDS:
        for case in CASES[DEFAULT_LANG]:
            for cat in ("one", "few", "many", "other"):
                key = f"ui.grammar.{kind}.{case}.{cat}"
                if key not in ru:
                    file = f"content/{DEFAULT_LANG}/ui.yaml"
                    errors.append(ContentError(file, key[3:], "missing case form"))

    errors.extend(_glossary_problems(content))

    # Rendered sizes, button labels, and every placeholder declines in its language.
    for lang in content.languages:
        ui = _ui_lookup(content, lang)
        mrp = content.mrp_for(today.year)
        for node in content.nodes.values():
            file = f"content/{lang}/{node.tree}.yaml"
            keys = [f"node.{node.id}.text", *(f"node.{node.id}.opt.{o.id}" for o in node.options)]
            if node.changed is not None:
                keys.append(f"node.{node.id}.changed")
            for key in keys:
                text = content.words.get(lang, {}).get(key)
                if not text:
                    continue
                try:
                    rendered = render_placeholders(text, lang, ui, mrp, year=today.year, strict=True)
                except GrammarError as exc:
                    errors.append(ContentError(file, node.id, f"{key}: {exc}"))
                    continue
                if ".opt." in key:
                    errors.extend(_label_problems(rendered, file, node.id, key))
                if key.endswith(".changed") and visible_length(rendered) > CHANGE_LIMIT:
                    errors.append(
                        ContentError(
                            file,
                            node.id,
                            f"{key}: {visible_length(rendered)} characters; an alert says what changed"
                            f" in at most {CHANGE_LIMIT}",
                        )
                    )
            say, _ = screen(content, lang, node.id, today)
            length = visible_length(say.text)
            if length > TELEGRAM_TEXT_LIMIT:
                errors.append(
                    ContentError(file, node.id, f"message is {length} characters, over Telegram's 4096")
                )
            for row in say.buttons:
                for button in row:
                    if len(button.label) > TELEGRAM_BUTTON_LIMIT:
                        errors.append(
                            ContentError(
                                file,
                                node.id,
                                f"button label over {TELEGRAM_BUTTON_LIMIT} characters: {button.label!r}",
                            )
                        )
    return errors


def _ui_lookup(content: Content, lang: str):
    def ui(key: str) -> str:
        found = content.word(lang, f"ui.{key}")
        return found.text if found else ""

    return ui


def _bare(text: str) -> str:
    return text.replace("\ufe0f", "")


def _label_problems(label: str, file: str, node: str, key: str) -> list[ContentError]:
    """A content button: at most BUTTON_LIMIT characters (emoji included), no navigation emoji."""
    problems = []
    if len(label) > BUTTON_LIMIT:
        problems.append(
            ContentError(
                file,
                node,
                f"button label is {len(label)} characters, over {BUTTON_LIMIT}: {label!r} ({key})",
            )
        )
    for emoji in NAV_EMOJI:
        if _bare(emoji) in _bare(label):
            problems.append(
                ContentError(
                    file,
                    node,
                    f"{emoji} is kept for the navigation buttons (ui.yaml); use another emoji in {label!r}",
                )
            )
    return problems


# --- Glossary: one term for one thing ---------------------------------------------------------

#: Latin letters that look like Cyrillic ones (after lower-casing): "Сезiм" with a Latin i is
#: still «Сезім», "HПO" is still «НПО».
_HOMOGLYPHS = str.maketrans("abcehikmoptxy", "авсенікмортху")
#: A Cyrillic abbreviation with a Latin ending glued on in Uzbek: "РВПni", "ЕАЭСga".
_UZ_MIXED = re.compile(r"\b[А-ЯЁЎҚҒҲ]{2,}[a-zʻʼ‘’']+")


def _fold(text: str) -> str:
    return text.lower().translate(_HOMOGLYPHS)


def _is_abbreviation(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@functools.cache
def _term_pattern(term: str) -> re.Pattern[str]:
    """Whole words, in folded text. ``stem*`` matches any ending (Turkic words take suffixes)."""
    stem = term.endswith("*")
    body = re.escape(_fold(term.rstrip("*")))
    return re.compile(r"(?<!\w)" + body + ("" if stem else r"(?!\w)"))


@functools.cache
def _abbreviation_pattern(term: str) -> re.Pattern[str]:
    """An abbreviation, in the original text: "БӨУ" also in "БӨУлардын", never inside "АБӨУ"."""
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?![0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎ])")


@dataclass(frozen=True)
class _Refused:
    """A refused variant of a glossary term, with what the quick test needs worked out once."""

    variant: str
    spaced: bool  # has a space: the quick test cannot rule it out
    folded: str  # its body (without the stem's "*"), folded
    abbreviation: bool

    @classmethod
    def of(cls, variant: str) -> _Refused:
        body = variant.rstrip("*")
        return cls(variant, any(c.isspace() for c in body), _fold(body), _is_abbreviation(variant))

    def may_occur(self, plain: str, folded: str) -> bool:
        """False if it cannot be refused in ``plain`` (a quick test before the exact one).

        Scrubbing the allowed terms only replaces text by spaces, so a variant without spaces that
        is not in the whole text is not in the scrubbed text either.
        """
        return self.spaced or self.folded in folded or (self.abbreviation and self.variant in plain)

    def found_in(self, text: str, folded: str) -> bool:
        """The exact test: in ``text`` (an abbreviation, as written) or in its ``folded`` form."""
        if self.abbreviation and _abbreviation_pattern(self.variant).search(text):
            return True
        return bool(_term_pattern(self.variant).search(folded))


#: A word mixing Cyrillic and Latin letters ("Сезiм" with a Latin i, "РВПni").
_MIXED_WORD = re.compile(r"\b(?=[\wʻʼ]*[A-Za-z])(?=[\wʻʼ]*[\u0400-\u04ff])[\wʻʼ]+")


def _glossary_problems(content: Content) -> list[ContentError]:
    problems: list[ContentError] = []
    for lang in content.languages:
        entries = content.glossary.get(lang, {})
        refused = {term_id: [_Refused.of(v) for v in entry.refused] for term_id, entry in entries.items()}
        texts = content.words.get(lang, {})
        for key, text in texts.items():
            if key.startswith(("ui.grammar.", "ui.commands.")):
                continue
            plain = re.sub(r"<[^>]*>", " ", text)
            file, node = _words_file(content, lang, key)
            folded_plain = _fold(plain)
            for term_id, entry in entries.items():
                variants = [r for r in refused[term_id] if r.may_occur(plain, folded_plain)]
                if not variants:
                    continue
                scrubbed = plain
                for ok in sorted((entry.preferred, *entry.allowed), key=len, reverse=True):
                    scrubbed = re.sub(re.escape(ok), " ", scrubbed, flags=re.IGNORECASE)
                folded = _fold(scrubbed)
                for variant in variants:
                    if variant.found_in(scrubbed, folded):
                        problems.append(
                            ContentError(
                                file,
                                node,
                                f"{key}: {variant.variant!r} is refused in content/{lang}/glossary.yaml "
                                f"({term_id}): write {entry.preferred!r}",
                            )
                        )
            mixed = [m.group(0) for m in _MIXED_WORD.finditer(plain) if not _UZ_MIXED.fullmatch(m.group(0))]
            for word in mixed:
                problems.append(
                    ContentError(
                        file, node, f"{key}: {word!r} mixes Latin and Cyrillic letters (a look-alike letter?)"
                    )
                )
            if lang == "uz":
                for m in _UZ_MIXED.finditer(plain):
                    problems.append(
                        ContentError(
                            file,
                            node,
                            f"{key}: {m.group(0)!r} glues a Latin ending to a Cyrillic abbreviation; "
                            "write around it (e.g. «РВП muddatini»)",
                        )
                    )
    return problems


def content_warnings(content: Content, today: dt.date | None = None) -> list[str]:
    """Things that are not errors yet but need an editor soon (the next year's MRP)."""
    today = today or dt.date.today()
    warnings = []
    if today.year not in content.mrp:
        year, tenge = content.mrp_for(today.year)
        warnings.append(
            f"content/facts.yaml: the MRP of {today.year} is missing; amounts show the {year} value "
            f"({tenge} ₸) with its year and 'check on egov.kz'. Add mrp: {today.year}: <tenge>."
        )
    elif today.month == 12 and today.year + 1 not in content.mrp:
        warnings.append(
            f"content/facts.yaml: the MRP of {today.year + 1} is missing; from 1 January amounts will "
            f"show the {today.year} value with 'check on egov.kz'. Add mrp: {today.year + 1}: <tenge>."
        )
    for lang in content.languages:
        if not content.concepts:
            break
        missing = sorted(set(content.concepts) - set(content.concept_words.get(lang, {})))
        if missing:
            warnings.append(
                f"content/{lang}/concepts.yaml: no words for {', '.join(missing)}; typed questions in "
                "this language rely on the other languages' words for them"
            )
    return warnings


def language_lines(content: Content) -> list[str]:
    """Which languages the picker offers, and what a language that is not offered still lacks.

    The base languages (ru, ky, uz, kk) are always offered; another one once it is complete:
    every text translated (none missing or marked untranslated) and words for every concept the
    danger rules use.
    """
    lines = ["Languages offered in the picker (a new language once it is complete):"]
    for lang in content.languages:
        texts, concepts = content.missing(lang)
        marked = len(content.untranslated.get(lang, ()))
        if lang in content.offered:
            note = f" (a base language: {len(texts)} text(s) missing, shown in Russian)" if texts else ""
            lines.append(f"  {lang}: offered{note}")
            continue
        lines.append(
            f"  {lang}: NOT offered yet: {len(texts)} text(s) to translate ({marked} marked "
            f"{UNTRANSLATED.strip()}), {len(concepts)} danger concept(s) without words "
            f"(content/{lang}/concepts.yaml); admins can try it with /preview {lang}"
        )
    return lines


#: The base rate is an open question once its last confirmation is older than this many months.
RATE_STALE_MONTHS = 3


def claims_questions(content: Content, today: dt.date) -> list[str]:
    """Open questions of the wage-claim documents: an old base rate, legal bases not sure enough."""
    from bot.deadlines import add_months

    claims = content.claims
    if claims is None:
        return []
    out = []
    checked = claims.rules.rate_date
    if add_months(checked, RATE_STALE_MONTHS) < today:
        out.append(
            f"content/facts.yaml: claims.base_rate {claims.rules.rate}% was last confirmed on {checked} "
            f"({(today - checked).days} days ago, over {RATE_STALE_MONTHS} months): check the National "
            f"Bank base rate at {claims.rate_check}, then set value, since and checked. Until then the "
            "documents and the user are told to check it there."
        )
    for law in claims.laws.values():
        if law.confidence != "high":
            out.append(
                f"content/facts.yaml: claims.laws.{law.id} ({law.cite}) is {law.confidence} confidence: "
                f"check at {law.check_at or 'adilet.zan.kz'}"
            )
    return out


def report(content: Content, today: dt.date | None = None) -> str:
    """Coverage per language, nodes by age of their last check, and open questions."""
    today = today or dt.date.today()
    expected = _expected_keys(content)
    lines = [
        f"Content version {content.version}: {len(content.nodes)} nodes in {len(content.trees)} trees",
        "",
    ]
    lines.append("Coverage (texts present / expected):")
    for lang in content.languages:
        have = content.words.get(lang, {})
        needed = [k for k in expected if not _ui_plural_ok(k, lang)]
        n = sum(1 for k in needed if k in have)
        lines.append(f"  {lang}: {n}/{len(needed)} ({100 * n // max(len(needed), 1)}%)")
    lines.append("")
    lines.extend(language_lines(content))
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
    lines.append("Changes in the rules (told once to users who asked, from their date):")
    changes = sorted((n.changed.on, n.changed.id, n.id) for n in content.nodes.values() if n.changed)
    lines.extend(
        f"  {cid}: node {nid}, {on.isoformat()} ({'due' if on <= today else 'upcoming'})"
        for on, cid, nid in changes
    )
    if not changes:
        lines.append("  none")
    lines.append("")
    lines.append("Open questions (nodes and contacts with a 'check at' line):")
    open_q = [
        f"  node {n.id} ({n.file}): check at {n.check_at}" for n in content.nodes.values() if n.check_at
    ]
    open_q += [f"  contact {c.id}: check at {c.check_at}" for c in content.contacts.values() if c.check_at]
    open_q += [f"  {w}" for w in content_warnings(content, today)]
    open_q += [f"  {q}" for q in claims_questions(content, today)]
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
        "glossary-words": GlossaryWords,
        "document": DocumentSpec,
        "document-words": DocumentWordsSpec,
    }.items():
        path = folder / f"{name}.schema.json"
        schema = model.model_json_schema()
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def try_match(root: Path, text: str, near: bool = False) -> int:
    """Explain what a typed question would open, and why (for editors tuning the words and rules);
    ``near``: with the nearest examples even where the danger model decides (they take seconds)."""
    content = load_content(root)
    why = content.matcher.explain(text, limit=3, nearest=near or None)
    print("words:")
    for word, seen in why.words:
        print(f"  {word:20} {', '.join(seen) if seen else '-'}")
    if why.concepts:
        print("concepts:")
        for name, terms in sorted(why.concepts.items()):
            print(f"  {name:14} from {'; '.join(terms)}")
    if why.fired:
        print("rules and phrases that fired:")
        for m in why.fired[:12]:
            kind = "DANGER" if m.danger else "topic"
            print(f"  {kind:6} {m.node:16} {m.score:5.2f}  {m.why}")
    if why.fallback:
        print("similar answers (n-gram fallback):")
        for node, sim in why.fallback:
            print(f"  {node:16} {sim:.2f}")
    if why.model is not None:
        from bot.typed.danger_model import OFFER, OPEN, OPEN_AT, opens

        v = why.model
        action = "would open" if opens(v) else "would offer" if v.score >= OFFER else "nothing"
        print(
            f"danger model: {v.node} score {v.score:.3f} (offer >= {OFFER},"
            f" open >= {OPEN_AT.get(v.node, OPEN)}: {action};"
            " consulted only when no danger rule fired)"
        )
        print("  n-grams for it (against everyday): " + ", ".join(f"'{g}' {w:.2f}" for g, w in v.top))
    if why.topics:
        from bot.typed.matcher import TOPIC_ADD, TOPIC_ALONE

        print(
            "topic model: "
            + ", ".join(f"{node} {p:.2f}" for node, p in why.topics)
            + f" (orders the rules' answers; its best topic goes first from {TOPIC_ADD} when the rules"
            f" missed it; where no everyday rule fired, its topics from {TOPIC_ALONE} are the buttons)"
        )
    if why.nearest:
        print("nearest examples: " + ", ".join(f"{node} {sim:.2f}" for node, sim in why.nearest))
    if not why.result:
        print("result: no match")
        return 1
    first = why.result[0]
    if first.danger:
        print(f"result: URGENT screen {first.node} opens at once")
        also = second_urgent(why.result)
        if also is not None:
            print(f"        its first button: the urgent screen {also} (the message tells that danger too)")
    else:
        if first.offer and content.nodes[first.node].tree == "urgent":
            print(f"result: urgent screen {first.node} offered as the first button, not opened ({first.why})")
        print("result: buttons " + ", ".join(f"{m.node} ({content.nodes[m.node].tree})" for m in why.result))
    return 0


def evaluate_sets(root: Path, paths: list[str], misses: bool) -> int:
    """Recall and false alarms on sets of test messages (tests/data/typed/<lang>/*.yaml)."""
    from bot.typed.evaluate import report

    content = load_content(root)
    report(content, [Path(p) for p in paths], misses=misses)
    return 0


def report_unmatched(database: Path, limit: int = 50) -> int:
    """Typed questions nothing matched, most frequent first (texts and counts, never user ids)."""
    import asyncio

    from bot.storage import Storage
    from bot.storage.postgres import is_postgres_url

    if not is_postgres_url(database) and not Path(database).exists():
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


def show_screen(content: Content, node: str, lang: str, today: dt.date, *, html: bool = False) -> str:
    """One node's screen as a user of ``lang`` sees it on ``today``: the engine's own code path
    (``screen``), so placeholders, contacts, the footer and the buttons are exactly the bot's."""
    say, _ = screen(content, lang, node, today)
    lines = [say.text if html else to_plain(say.text).strip(), ""]
    lines += ["  ".join(f"[ {to_plain(b.label)} ]" for b in row) for row in say.buttons]
    return "\n".join(lines)


def show(root: Path, node: str, lang: str, today: dt.date | None = None, *, html: bool = False) -> int:
    """``python -m bot content show NODE --lang ky --today 2027-01-05``."""
    content = load_content(root)
    if node not in content.nodes:
        print(f"no node {node!r}; nodes: {', '.join(sorted(content.nodes))}", file=sys.stderr)
        return 1
    if lang not in content.languages:
        print(f"no language {lang!r}; languages: {', '.join(content.languages)}", file=sys.stderr)
        return 1
    print(show_screen(content, node, lang, today or dt.date.today(), html=html))
    return 0


def add_language(root: Path, code: str) -> int:
    """``python -m bot content new-language tg``: content/tg/ from Russian, every text marked."""
    from bot.content.newlang import NewLanguageError, new_language

    try:
        folder, marked = new_language(root, code)
    except NewLanguageError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    print(f"created {folder}: {marked} text(s) marked {UNTRANSLATED.strip()}")
    print(
        f"Next: translate the texts in {folder}/ (remove the mark from each), write the words of\n"
        f"{folder}/concepts.yaml, then run `python -m bot content report`. The bot offers {code}\n"
        f"to users once it is complete; before that, an admin can try it with /preview {code}."
    )
    return 0


def main(action: str, root: Path, today: dt.date | None = None) -> int:
    if action == "schema":
        for path in write_schemas(root / "schema"):
            print(f"wrote {path}")
        return 0
    try:
        # The command line's own process (its main module guarded): the models may train in two.
        content = load_content(root, train_in_parallel=True)
    except ContentInvalid as exc:
        for err in exc.errors:
            print(f"ERROR {err}", file=sys.stderr)
        print(f"content check failed: {len(exc.errors)} problem(s)", file=sys.stderr)
        return 1
    if action == "report":
        print(report(content, today))
        return 0
    errors = check_content(content, today)
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    for warning in content_warnings(content, today):
        print(f"WARNING {warning}", file=sys.stderr)
    if errors:
        print(f"content check failed: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"content OK: version {content.version}, {len(content.nodes)} nodes, "
        f"{len(content.trees)} trees, languages {', '.join(content.languages)}"
    )
    waiting = [lang for lang in content.languages if lang not in content.offered]
    if waiting:
        print(f"not offered to users until complete (see content report): {', '.join(waiting)}")
    return 0
