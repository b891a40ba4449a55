"""Pydantic models of the content files: what an editor may write, checked on load.

The JSON Schemas editors use for autocompletion are generated from these models
(``python -m bot content schema``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

__all__ = [
    "NODE_ID",
    "OPTION_ID",
    "ACTIONS",
    "CHANGE_ID",
    "OptionSpec",
    "ChangeSpec",
    "NodeSpec",
    "TreeSpec",
    "ContactSpec",
    "ContactsSpec",
    "FactsSpec",
    "NodeWords",
    "TreeWords",
    "ContactWords",
    "ContactsWords",
    "MatchWords",
    "ConceptsSpec",
    "ConceptWords",
    "GlossaryEntry",
    "GlossaryWords",
    "ClaimsSpec",
    "DocumentSpec",
]

NODE_ID = r"^[a-z][a-z0-9_]{0,23}$"
OPTION_ID = r"^[a-z0-9_]{1,12}$"
CHANGE_ID = r"^[a-z0-9][a-z0-9_-]{0,31}$"
ACTIONS = ("end", "contacts", "escalate", "remind", "claim")
_SOURCE = re.compile(
    r"^(https?://\S+( \(.+\))?|seed:[0-9a-f_]+\.txt#L\d+(-L?\d+)?(, ?L?\d+(-L?\d+)?)*|law:.+)$"
)

NodeId = Annotated[str, Field(pattern=NODE_ID)]
Source = Annotated[str, Field(min_length=5, description="URL (date), seed:<file>#L1-2 or law:<name>")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_sources(value: list[str]) -> list[str]:
    for src in value:
        if not _SOURCE.match(src):
            raise ValueError(f"source {src!r} must be a URL, 'seed:<file>#L<from>-<to>' or 'law:<name>'")
    return value


class OptionSpec(_Strict):
    """One button of a node: its id and the node it leads to."""

    id: str = Field(pattern=OPTION_ID)
    to: NodeId


class ChangeSpec(_Strict):
    """A change in the rules this node tells about, announced once to the users who asked for it."""

    on: dt.date = Field(description="The day it applies (Kazakhstan time); announced from that day.")
    id: str = Field(
        pattern=CHANGE_ID, description="Unique and never reused, e.g. 'mrp-2027'; each id is announced once."
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_on(cls, data: object) -> object:
        # YAML 1.1 (PyYAML) reads a bare ``on`` key as the boolean true: {on: 2027-01-01}.
        if isinstance(data, dict) and any(key is True for key in data):
            return {("on" if key is True else key): value for key, value in data.items()}
        return data


class NodeSpec(_Strict):
    """The language-neutral shape of one node."""

    nav: bool = Field(False, description="Only asks where to go; states no facts.")
    options: list[OptionSpec] = Field(default_factory=list)
    action: Literal["end", "contacts", "escalate", "remind", "claim"] | None = None
    contacts: list[str] = Field(default_factory=list, description="Contact ids shown below.")
    sources: list[Source] = Field(default_factory=list)
    verified_on: dt.date | None = None
    check_at: str | None = Field(None, description="Where the user can check a doubtful fact.")
    changed: ChangeSpec | None = Field(
        None, description="A change in the rules: {on: 2027-01-01, id: mrp-2027}; the words say what."
    )

    _sources = field_validator("sources")(_check_sources)


class TreeSpec(_Strict):
    """A tree's shape file: content/trees/<tree>.yaml."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="Also the deep-link payload.")
    entry: NodeId
    nodes: dict[NodeId, NodeSpec]


class ContactSpec(_Strict):
    """A contact's data, shared by every language."""

    phone: str | None = Field(None, pattern=r"^\+?[0-9][0-9 ()-]{1,20}$")
    website: str | None = None
    hours: Literal["24/7"] | None = None
    free: bool | None = None
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]] = Field(
        default_factory=list, description="ISO 639 codes of the languages spoken on the line, when known."
    )
    sources: list[Source] = Field(min_length=1)
    verified_on: dt.date
    confidence: Literal["high", "medium", "low"]
    check_at: str | None = None

    _sources = field_validator("sources")(_check_sources)


class ContactsSpec(RootModel[dict[str, ContactSpec]]):
    """content/contacts.yaml."""


class DeadlineRulesSpec(_Strict):
    """The day counts behind personal deadlines and when reminders go out."""

    registration_days: int = Field(ge=1, le=365, description="Stay without registration, in days.")
    stay_days: int = Field(ge=1, le=365, description="Days allowed in any window (90 in 180).")
    window_days: int = Field(ge=1, le=730, description="The moving window, in days.")
    reminder_offsets: list[Annotated[int, Field(ge=0, le=60)]] = Field(
        min_length=1, description="Days before a deadline when reminders go out; 0 = on the day."
    )
    reminder_hour: int = Field(ge=0, le=23, description="Hour of the day (Kazakhstan time) to remind.")
    sources: list[Source] = Field(min_length=1)
    verified_on: dt.date

    _sources = field_validator("sources")(_check_sources)


class BaseRateSpec(_Strict):
    """The National Bank base rate the late-pay penalty is computed with (wage claims)."""

    value: float = Field(gt=0, le=100, description="Per cent a year, e.g. 18.0.")
    since: dt.date = Field(description="The date of the decision that set this value.")
    checked: dt.date = Field(description="The last day a source confirmed it is still the rate.")
    sources: list[Source] = Field(min_length=1)
    check_at: str = Field(description="Where to check the current rate (shown in the documents).")

    _sources = field_validator("sources")(_check_sources)


class LawSpec(_Strict):
    """A legal basis the wage-claim documents cite: {law:<id>} in a document template."""

    cite: str = Field(min_length=3, description="How the documents cite it, in Russian.")
    says: str = Field(min_length=3, description="What it says, for editors.")
    sources: list[Source] = Field(min_length=1)
    confidence: Literal["high", "medium", "low"]
    check_at: str | None = None

    _sources = field_validator("sources")(_check_sources)


class ClaimsSpec(_Strict):
    """Numbers and legal bases of the wage-claim documents (the penalty calculation)."""

    base_rate: BaseRateSpec
    penalty_multiplier: float = Field(gt=0, le=10, description="The base rate is multiplied by this.")
    days_in_year: int = Field(ge=360, le=366, description="The daily penalty is the yearly one / this.")
    pay_day: int = Field(ge=1, le=28, description="Wages are due by this day of the next month.")
    demand_days: int = Field(
        ge=1, le=60, description="Days the claim gives the employer to pay (our choice, not the law)."
    )
    sources: list[Source] = Field(min_length=1, description="Sources of the multiplier and the day count.")
    verified_on: dt.date
    laws: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")], LawSpec]

    _sources = field_validator("sources")(_check_sources)


class FactsSpec(_Strict):
    """content/facts.yaml: numbers that texts compute with."""

    mrp: dict[int, int] = Field(description="Monthly calculation index in tenge, by year.")
    mrp_sources: list[Source] = Field(min_length=1)
    verified_on: dt.date
    deadlines: DeadlineRulesSpec
    claims: ClaimsSpec | None = Field(None, description="Wage-claim documents: the penalty and the law.")

    _sources = field_validator("mrp_sources")(_check_sources)


class NodeWords(_Strict):
    """The words of one node in one language."""

    text: str = Field(min_length=1)
    options: dict[str, str] = Field(default_factory=dict)
    changed: str | None = Field(
        None, min_length=1, description="What changed, in a sentence or two (the alert to watchers)."
    )


class TreeWords(RootModel[dict[NodeId, NodeWords]]):
    """content/<lang>/<tree>.yaml."""


class ContactWords(_Strict):
    """A contact's name and note in one language."""

    name: str = Field(min_length=1)
    note: str | None = None


class ContactsWords(RootModel[dict[str, ContactWords]]):
    """content/<lang>/contacts.yaml."""


Phrases = list[Annotated[str, Field(min_length=2, max_length=80)]]


class MatchWords(_Strict):
    """content/<lang>/match.yaml: keywords and phrases that route typed questions to nodes."""

    danger: dict[NodeId, Phrases] = Field(
        default_factory=dict, description="Phrases that open an urgent-help node at once."
    )
    topics: dict[NodeId, Phrases] = Field(
        default_factory=dict, description="Phrases that suggest a node ('did you mean...')."
    )


ConceptName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,31}$")]
Rules = list[Annotated[str, Field(min_length=2, max_length=200)]]


class ConceptRules(_Strict):
    """Rules over concepts: a node and the concept combinations that mean it."""

    danger: dict[NodeId, Rules] = Field(
        default_factory=dict, description="Combinations that open an urgent screen at once."
    )
    topics: dict[NodeId, Rules] = Field(
        default_factory=dict, description="Combinations that suggest an everyday answer."
    )
    offer: dict[NodeId, Rules] = Field(
        default_factory=dict,
        description="Combinations too vague to open an urgent screen (they also fit everyday"
        " questions), for which the urgent screen is offered as the first button instead.",
    )


class ConceptsSpec(_Strict):
    """content/concepts.yaml: the meaning units typed questions are read in, and rules over them."""

    concepts: dict[ConceptName, str] = Field(description="Concept name -> what it means (for editors).")
    rules: ConceptRules = Field(default_factory=ConceptRules)
    urgent_order: list[NodeId] = Field(
        default_factory=list,
        description="When several urgent screens fire, the first of them in this list opens.",
    )
    life_first: list[NodeId] = Field(
        default_factory=list,
        description="Urgent screens that open first whatever else the rules fired (life first:"
        " they come first in urgent_order); among the others the danger model, when sure, picks.",
    )
    soften: list[ConceptName] = Field(
        default_factory=list,
        description="Concepts that make the urgent screen offered (the first button) instead of"
        " opened, whatever fired: a message that laughs is no emergency now.",
    )
    soften_model: dict[ConceptName, list[NodeId]] = Field(
        default_factory=dict,
        description="A concept -> the urgent screens (none listed: all) it softens only where the"
        " danger model opened them, no danger rule having fired (a farewell before a trip home the"
        " model took for a suicide note); a rule's screen ('не хочу больше жить, завтра еду домой')"
        " still opens.",
    )
    soften_except: dict[ConceptName, list[NodeId]] = Field(
        default_factory=dict,
        description="A soften concept -> urgent screens it does not soften (they still open at once).",
    )
    soften_cancel: dict[ConceptName, list[ConceptName]] = Field(
        default_factory=dict,
        description="A soften concept -> concepts that cancel it: laughter that is bitter ('уже не"
        " смешно': LAUGH: [NOT_FUNNY]), a danger told beside 'last year' but happening today"
        " (LONG_AGO: [TODAY]).",
    )
    supposed: list[ConceptName] = Field(
        default_factory=list,
        description="Events only supposed when told in the conditional mood ('кулап калса', 'зурлаш"
        " булса': if one falls, if rape happens): a danger rule made of these alone, each word"
        " (or the next) in the conditional, is offered instead of opened; any rule is, when 'if' (IF)"
        " comes up to 4 words before each of its words in the conditional.",
    )


Term = Annotated[str, Field(min_length=1, max_length=60)]
#: A named list of refused words ("!@ok" in a term): lower case, as "ok", "not_now".
RefusalName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
#: One word of such a list: a stem or a whole word ("емес", "бол="), without "!" or spaces.
RefusedWord = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[^\s!^@]+$")]


class ConceptWords(_Strict):
    """content/<lang>/concepts.yaml: the words of each concept in one language."""

    negation: list[Annotated[str, Field(min_length=1, max_length=6)]] = Field(
        default_factory=list,
        description="Negative verb suffixes; a word written 'stem+NEG' matches the stem with each.",
    )
    conditional: list[Annotated[str, Field(min_length=1, max_length=8)]] = Field(
        default_factory=list,
        description="Endings of the conditional mood ('-са', '-сам', '-sa': 'if ...'); see 'supposed'"
        " in content/concepts.yaml. Not after a negation ('-маса': 'if he does not'). Leave out the"
        " bare 'you' form ('-саң', '-sang'): folded it is '-сан', the Uzbek future ('borasan').",
    )
    refusals: dict[RefusalName, list[RefusedWord]] = Field(
        default_factory=dict,
        description="Named lists of refused words, shared by the terms of any concept: '!@name' in a"
        " term stands for '!w1 !w2 ...' (each refuses the very next word; written first, the word"
        " before the phrase), so a term with a long refusal list stays within 60 characters.",
    )
    concepts: dict[ConceptName, list[Term]] = Field(
        default_factory=dict, description="Concept -> stems or short phrases in this language."
    )


class GlossaryEntry(_Strict):
    """One thing, one term: the word to use, the variants refused in texts, and the full form."""

    preferred: str = Field(min_length=1, description="The term every text of this language uses.")
    refused: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list,
        description="Variants content check refuses (whole words, any case, look-alike letters folded).",
    )
    allowed: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list,
        description="Phrases that may contain a refused variant, e.g. «ҮЕҰ (НПО)».",
    )
    explain: str | None = Field(None, description="The full form to write at first use.")


class GlossaryWords(RootModel[dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")], GlossaryEntry]]):
    """content/<lang>/glossary.yaml: one term for one thing."""


class BlockSpec(_Strict):
    """One block of a document: a paragraph, a list, the calculation table..."""

    style: Literal["right", "title", "subtitle", "para", "list", "calculation", "sign"]
    text: str | None = Field(None, description="Russian text with {placeholders} (not for lists).")
    items: list[str] = Field(default_factory=list, description="Lines of a numbered list.")


class DocumentSpec(_Strict):
    """content/documents/<document>.yaml: a document the bot fills in (Russian)."""

    file: str = Field(pattern=r"^[a-z0-9_-]{1,40}$", description="File name, without .pdf/.docx.")
    title: str = Field(min_length=1, description="The document's title (PDF metadata).")
    unknown: str = Field("не известно", description="Written where the user answered 'I don't know'.")
    blocks: list[BlockSpec] = Field(min_length=1)


class DocumentWordsSpec(_Strict):
    """content/documents/words.yaml: Russian words for the answers given with buttons."""

    citizenship: dict[Literal["kg", "uz"], str]
    pay_how: dict[Literal["contract", "verbal", "messages"], str]
    evidence: dict[Literal["msgs", "photos", "witness", "transfers", "docs"], str]
    none: str = Field(min_length=1, description="Written when there is no evidence.")
    year: str = Field(min_length=1, description="After a year: «сентябрь 2026 г.».")
