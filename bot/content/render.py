"""Placeholders in content texts: ``{mrp:10}``, ``{date:2026-07-01|abl}``, ``{days:30|dat}``, ``{num:85000}``.

Numbers are written once in the words and formatted for each language with babel, so an amount
or a date reads naturally in Kyrgyz and is still the same number as in Russian. An optional case
after ``|`` puts the number's noun in that case (see :mod:`bot.grammar`): the Russian forms are
words in ``ui.yaml`` (``grammar``), the Kyrgyz, Kazakh and Uzbek endings are computed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from decimal import Decimal

from bot.grammar import CASES, SUFFIXING, GrammarError, format_date, inflect
from bot.i18n import format_number, plural_category

__all__ = [
    "PLACEHOLDER",
    "PLURAL_KINDS",
    "KINDS",
    "GLUED",
    "placeholder_problems",
    "render_placeholders",
]

log = logging.getLogger(__name__)

PLURAL_KINDS = ("days", "working_days", "months", "hours")
KINDS = ("date", "mrp", "num", *PLURAL_KINDS)
PLACEHOLDER = re.compile(r"\{([a-z_]+):([0-9.-]+)(?:\|([a-z]+))?\}")
_ANY_BRACE = re.compile(r"\{[^{}]*\}")
#: A placeholder with letters glued after it: ``{months:3}дан``. The case belongs inside.
GLUED = re.compile(r"\{[a-z_]+:[0-9.-]+(?:\|[a-z]+)?\}(-?[^\W\d_]+)")
#: A case ending written as a separate word after a placeholder: ``{months:3} dan``.
_LOOSE_SUFFIX = re.compile(
    r"\{[a-z_]+:[0-9.-]+(?:\|[a-z]+)?\}\s+"
    r"(dan|ga|ning|gacha|lik|[дтн][аеоө]н|[гк][аеоө]|[ғгқк][ае]|[ндт][ыиуү]н|[нтд][ыі]ң)(?![\w])"
)

#: A function giving a UI text of the user's language (with fallback) for a key; "" if none.
UiLookup = Callable[[str], str]


def placeholder_problems(text: str, lang: str | None = None) -> list[str]:
    """Describe every placeholder in ``text`` that cannot be rendered (in ``lang``, if given)."""
    problems = []
    for m in _ANY_BRACE.finditer(text):
        pm = PLACEHOLDER.fullmatch(m.group(0))
        if pm is None:
            problems.append(f"unknown placeholder {m.group(0)}")
            continue
        kind, arg, case = pm.groups()
        if kind == "date":
            try:
                dt.date.fromisoformat(arg)
            except ValueError:
                problems.append(f"{m.group(0)}: the date must be YYYY-MM-DD")
        elif kind in ("mrp", "num", *PLURAL_KINDS):
            if not re.fullmatch(r"\d+(\.\d+)?" if kind == "mrp" else r"\d+", arg):
                problems.append(f"{m.group(0)}: needs a number")
        else:
            problems.append(f"unknown placeholder {m.group(0)}")
            continue
        if case:
            known = CASES.get(lang, ()) if lang else tuple({c for cs in CASES.values() for c in cs})
            if case not in known:
                names = " ".join(CASES.get(lang, ())) if lang else "see docs/CONTENT_FORMAT.md"
                problems.append(f"{m.group(0)}: unknown case {case!r} (cases: {names})")
            elif kind == "date" and case == "attr":
                problems.append(f"{m.group(0)}: dates have no case 'attr'")
            elif kind == "num" and lang in SUFFIXING:
                problems.append(f"{m.group(0)}: put the case on the noun after the number, not on {{num}}")
    for m in GLUED.finditer(text):
        problems.append(
            f"{m.group(0)}: a suffix glued after a placeholder; write the case inside, "
            "e.g. {months:3|abl} (see docs/CONTENT_FORMAT.md)"
        )
    if lang in SUFFIXING:
        for m in _LOOSE_SUFFIX.finditer(text):
            problems.append(f"{m.group(0)}: a case ending as a separate word; write {{kind:N|case}}")
    return problems


def _mrp(
    n: Decimal, case: str | None, lang: str, ui: UiLookup, mrp: tuple[int, int] | None, year: int | None
) -> str:
    known_year, tenge_per = mrp if mrp else (year or 0, 0)
    stale = year is not None and known_year != year and bool(ui("mrp_stale"))
    pattern = ui("mrp_stale") if stale else ui("mrp")
    tenge = format_number((n * tenge_per).to_integral_value(), lang)
    text = pattern.format(n=format_number(n, lang), tenge=tenge, year=known_year)
    if not case or lang not in SUFFIXING:
        return text  # Russian: "МРП" and the digits do not decline
    head, sep, tail = text.partition(" (")
    return inflect(head, case, lang) + sep + tail


def _plural(kind: str, n: int, case: str | None, lang: str, ui: UiLookup) -> str:
    number = format_number(n, lang)
    cat = plural_category(n, lang)
    if case:
        if lang in SUFFIXING:
            form = ui(f"grammar.{kind}.{case}")  # a form written out by an editor, if any
        else:
            form = ui(f"grammar.{kind}.{case}.{cat}") or ui(f"grammar.{kind}.{case}.other")
        if form:
            return form.format(n=number)
    form = ui(f"plural.{kind}.{cat}") or ui(f"plural.{kind}.other")
    text = form.format(n=number)
    if case:
        if lang not in SUFFIXING:
            raise GrammarError(f"no {lang} form for {kind} in case {case!r} (ui.yaml grammar)")
        poss = ui(f"grammar.{kind}.possessive").lower() in ("true", "yes")
        text = inflect(text, case, lang, possessive=poss)
    return text


def render_placeholders(
    text: str,
    lang: str,
    ui: UiLookup,
    mrp: tuple[int, int] | None = None,
    *,
    year: int | None = None,
    strict: bool = False,
) -> str:
    """Replace placeholders with numbers formatted (and declined) for ``lang``.

    ``ui`` looks up UI texts (plural and case forms, the MRP patterns); ``mrp`` is (year, tenge)
    of the latest known MRP; ``year`` is the current year: when the MRP of that year is not
    known, amounts name the year of the tenge figure and where to check (``ui.mrp_stale``).
    ``strict``: raise :class:`GrammarError` instead of falling back to the nominative.
    """

    def sub(m: re.Match[str]) -> str:
        kind, arg, case = m.groups()
        try:
            return _one(kind, arg, case)
        except GrammarError:
            if strict:
                raise
            log.warning("cannot decline %s in %s; using the nominative", m.group(0), lang)
            return _one(kind, arg, None)

    def _one(kind: str, arg: str, case: str | None) -> str:
        if kind == "date":
            return format_date(dt.date.fromisoformat(arg), lang, case)
        if kind == "num":
            if case and lang in SUFFIXING:
                raise GrammarError("a number alone takes no case ending")
            return format_number(int(arg), lang)
        if kind == "mrp":
            return _mrp(Decimal(arg), case, lang, ui, mrp, year)
        return _plural(kind, int(arg), case, lang, ui)

    return PLACEHOLDER.sub(sub, text)
