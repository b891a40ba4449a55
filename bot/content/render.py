"""Placeholders in content texts: ``{mrp:10}``, ``{date:2026-07-01}``, ``{days:30}``, ``{num:85000}``.

Numbers are written once in the words and formatted for each language with babel, so an amount
or a date reads naturally in Kyrgyz and is still the same number as in Russian.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.i18n import format_date, format_number, plural_category

__all__ = ["PLACEHOLDER", "PLURAL_KINDS", "placeholder_problems", "render_placeholders"]

PLURAL_KINDS = ("days", "working_days", "months", "hours")
PLACEHOLDER = re.compile(r"\{([a-z_]+):([0-9.-]+)\}")
_ANY_BRACE = re.compile(r"\{[^{}]*\}")

#: A function giving a UI text of the user's language (with fallback) for a key.
UiLookup = Callable[[str], str]


def placeholder_problems(text: str) -> list[str]:
    """Describe every placeholder in ``text`` that cannot be rendered."""
    problems = []
    for m in _ANY_BRACE.finditer(text):
        pm = PLACEHOLDER.fullmatch(m.group(0))
        if pm is None:
            problems.append(f"unknown placeholder {m.group(0)}")
            continue
        kind, arg = pm.groups()
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
    return problems


def render_placeholders(text: str, lang: str, ui: UiLookup, mrp: tuple[int, int] | None = None) -> str:
    """Replace placeholders with numbers formatted for ``lang``.

    ``ui`` looks up UI texts (plural forms, the MRP pattern); ``mrp`` is (year, tenge).
    """

    def sub(m: re.Match[str]) -> str:
        kind, arg = m.groups()
        if kind == "date":
            return format_date(dt.date.fromisoformat(arg), lang)
        if kind == "num":
            return format_number(int(arg), lang)
        if kind == "mrp":
            from decimal import Decimal

            n = Decimal(arg)
            tenge = n * (mrp[1] if mrp else 0)
            return ui("mrp").format(
                n=format_number(n, lang), tenge=format_number(tenge.to_integral_value(), lang)
            )
        n = int(arg)
        form = ui(f"plural.{kind}.{plural_category(n, lang)}") or ui(f"plural.{kind}.other")
        return form.format(n=format_number(n, lang))

    return PLACEHOLDER.sub(sub, text)
