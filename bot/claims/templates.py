"""Document templates (``content/documents/*.yaml``) and the facts they compute with.

A template is a list of blocks (a right-aligned header, the title, paragraphs, a numbered list,
the calculation table, the signature) in Russian, with ``{placeholders}``: the user's answers, the
computed amounts, and ``{law:<id>}`` for a legal basis defined once in ``content/facts.yaml``
(``claims.laws``). The loader refuses a template with an unknown placeholder, one that leaves out
an answer (every answer must reach the paper) or a legal basis the document must cite.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.claims.compute import PenaltyRules

__all__ = [
    "ANSWER_FIELDS",
    "COMPUTED_FIELDS",
    "DOCUMENTS",
    "REQUIRED_LAWS",
    "Block",
    "Template",
    "Law",
    "ClaimsFacts",
    "template_problems",
    "fill",
]

#: The user's answers: every template must show each of them.
ANSWER_FIELDS = (
    "name",
    "citizenship",
    "employer",
    "employer_id",
    "address",
    "job",
    "start",
    "pay",
    "pay_how",
    "months",
    "owed",
    "evidence",
)
#: Computed values a template may use.
COMPUTED_FIELDS = (
    "penalty",
    "total",
    "rate",
    "rate_date",
    "rate_check",
    "multiplier",
    "days_in_year",
    "pay_day",
    "calc_date",
    "demand_date",
    "demand_days",
    "date",
)
#: The documents the bot makes, in the order they are sent.
DOCUMENTS = ("claim_employer", "complaint_inspectorate")
#: The legal bases each document must cite ({law:<id>}).
REQUIRED_LAWS = {
    "claim_employer": ("pay_day", "penalty", "disputes", "limits"),
    "complaint_inspectorate": ("pay_day", "penalty"),
}
#: Values each document must show besides the answers.
REQUIRED_COMPUTED = ("penalty", "total", "rate")

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Block:
    style: str  # right | title | subtitle | para | list | calculation | sign
    text: str | None = None
    items: tuple[str, ...] = ()

    def texts(self) -> tuple[str, ...]:
        return ((self.text,) if self.text else ()) + self.items


@dataclass(frozen=True)
class Template:
    id: str
    file: str  # the file name without extension
    title: str
    unknown: str  # written for "I don't know"
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Law:
    id: str
    cite: str
    says: str
    sources: tuple[str, ...]
    confidence: str
    check_at: str | None = None


@dataclass(frozen=True)
class ClaimsFacts:
    """``claims`` of content/facts.yaml and the templates of content/documents/."""

    rules: PenaltyRules
    rate_since: dt.date
    rate_sources: tuple[str, ...]
    rate_check: str
    demand_days: int
    laws: dict[str, Law] = field(default_factory=dict)
    documents: dict[str, Template] = field(default_factory=dict)
    #: Russian words for button answers (content/documents/words.yaml): "citizenship.kg", "none"...
    words: dict[str, str] = field(default_factory=dict)


def template_problems(template: Template, laws: dict[str, Law]) -> list[str]:
    """What is wrong with a template: unknown placeholders, missing answers or legal bases."""
    problems: list[str] = []
    used: set[str] = set()
    cited: set[str] = set()
    known = set(ANSWER_FIELDS) | set(COMPUTED_FIELDS)
    for block in template.blocks:
        if block.style == "list" and not block.items:
            problems.append("a list block needs items")
        if block.style not in ("list", "calculation") and not block.text:
            problems.append(f"a {block.style} block needs text")
        for text in block.texts():
            for name in _PLACEHOLDER.findall(text):
                if name.startswith("law:"):
                    law = name[4:]
                    if law not in laws:
                        problems.append(f"{{{name}}}: no law {law!r} in content/facts.yaml claims.laws")
                    cited.add(law)
                elif name in known:
                    used.add(name)
                else:
                    problems.append(f"unknown placeholder {{{name}}}")
            if text.count("{") != text.count("}"):
                problems.append(f"unbalanced braces in {text[:40]!r}")
    if not any(b.style == "calculation" for b in template.blocks):
        problems.append("no calculation block: the document must show how the penalty was computed")
    for name in (*ANSWER_FIELDS, *REQUIRED_COMPUTED):
        if name not in used:
            problems.append(f"{{{name}}} is not used: every answer and the amounts must be in the document")
    for law in REQUIRED_LAWS.get(template.id, ()):
        if law not in cited:
            problems.append(f"the legal basis {{law:{law}}} is missing")
    return problems


def fill(text: str, values: dict[str, str], laws: dict[str, Law]) -> str:
    """``text`` with its placeholders replaced (checked on load, so every one is known)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("law:"):
            return laws[name[4:]].cite
        return values[name]

    return _PLACEHOLDER.sub(one, text)
