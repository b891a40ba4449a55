"""Reading amounts of money and months the way people type them, in ru, ky, uz and kk.

Amounts (tenge): ``200000``, ``200 000``, ``200.000``, ``200,000``, ``200 000,50``, ``200к``,
``200 k``, ``200 тыс``, ``200 тысяч``, ``200 ming`` (uz), ``200 минг``, ``200 мың`` (kk),
``200 миң`` (ky), ``1,5 млн``, ``1.5 mln``, with or without a currency word (``тг``, ``тенге``,
``теңге``, ``tenge``, ``₸``, ``KZT``). Refused, so the question is asked again: no number, two
different numbers, a negative amount, zero, an amount in another currency (som, rubles, dollars)
and more than :data:`MAX_AMOUNT`.

Months: ``09.2026``, ``9/26``, ``2026-09``, ``сентябрь 2026``, ``sentabr``, ``қыркүйек 2026 ж.``,
``сентябрь`` (without a year: the latest such month up to this one). Month words come from the
date reader (:mod:`bot.dates`), so every spelling it knows works here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.dates import _fold_word, _month_of

__all__ = ["MAX_AMOUNT", "Amount", "parse_amount", "parse_month", "month_index", "months_between"]

#: More than this (100 million tenge) is surely a typo for a wage debt: asked again.
MAX_AMOUNT = 100_000_000


@dataclass(frozen=True)
class Amount:
    """A parsed amount, or the reason it was refused (``error``: unreadable, negative, zero,
    currency, too_big)."""

    value: int | None = None
    error: str | None = None


_SPACES = "\u00a0\u202f\u2009\u2007 '’`"
_NUMBER = re.compile(r"[-−–]?\s*\d[\d\u00a0\u202f\u2009\u2007 '’`.,]*")
_THOUSAND = ("тыс", "тыщ", "мың", "мын", "миң", "мин", "ming", "минг", "thousand", "tys")
_THOUSAND_EXACT = {"к", "k", "т", "t"}
_MILLION = ("млн", "mln", "миллион", "million", "mil", "mio")
_TENGE = ("тг", "тенге", "теңге", "tenge", "tg", "kzt", "₸", "тңг")
_OTHER = ("сом", "som", "so'm", "soʻm", "сўм", "руб", "rub", "₽", "$", "usd", "доллар", "dollar", "€", "евро")
_MINUS_WORDS = re.compile(r"(?<![^\W\d_])(минус|minus)(?![^\W\d_])")


def _digits(span: str) -> tuple[Decimal | None, int]:
    """The value of one run of digits and separators; the count of separate numbers in it."""
    span = span.strip().rstrip(".,")
    groups = [g for g in re.split(f"[{_SPACES}]+", span) if g]
    # "200 000" is one number; "5 200" too; "2 3" is two numbers.
    if len(groups) > 1 and not all(re.fullmatch(r"\d{3}([.,]\d{1,2})?", g) for g in groups[1:]):
        return None, len(groups)
    text = "".join(groups)
    if "." in text and "," in text:
        decimal = max(text.rfind("."), text.rfind(","))
        whole, frac = text[:decimal], text[decimal + 1 :]
        if not re.fullmatch(r"\d{1,2}", frac):
            return None, 1
        whole = re.sub(r"[.,]", "", whole)
        text = f"{whole}.{frac}"
    elif "." in text or "," in text:
        sep = "." if "." in text else ","
        parts = text.split(sep)
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3):
            if not all(len(p) == 3 for p in parts[1:]):
                return None, 1
            text = "".join(parts)  # thousands: 200.000, 1,500,000
        elif len(parts) == 2 and 1 <= len(parts[1]) <= 2:
            text = f"{parts[0]}.{parts[1]}"  # decimals: 1,5 (million), 200,50
        else:
            return None, 1
    try:
        return Decimal(text), 1
    except InvalidOperation:
        return None, 1


def parse_amount(text: str) -> Amount:
    """An amount of tenge typed by a user (see the module's docstring)."""
    raw = text.strip().casefold()
    found = list(_NUMBER.finditer(raw))
    if not found:
        return Amount(error="unreadable")
    values = []
    negative = bool(_MINUS_WORDS.search(raw))
    for match in found:
        span = match.group()
        if span[0] in "-−–":
            negative = True
            span = span[1:]
        value, count = _digits(span)
        if value is None or count != 1:
            return Amount(error="unreadable")
        tail = raw[match.end() :].lstrip(_SPACES + ".")
        word = re.match(r"[^\W\d_]+", tail)
        unit = word.group() if word else ""
        if unit in _THOUSAND_EXACT or unit.startswith(_THOUSAND):
            value *= 1000
        elif unit.startswith(_MILLION):
            value *= 1_000_000
        values.append(value)
    if len(set(values)) != 1:
        return Amount(error="unreadable")  # "200 000 or 250 000": which one?
    if any(other in raw for other in _OTHER) and not any(t in raw for t in _TENGE):
        return Amount(error="currency")
    value = values[0]
    if negative:
        return Amount(error="negative")
    if value <= 0:
        return Amount(error="zero")
    if value > MAX_AMOUNT:
        return Amount(error="too_big")
    return Amount(value=int(value.to_integral_value()))


_MONTH_NUM = re.compile(r"(?<!\d)(?P<m>\d{1,2})\s?[./\-\\]\s?(?P<y>\d{4}|\d{2})(?!\d)(?!\s?[./\-]\s?\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)(?P<y>\d{4})\s?[./\-]\s?(?P<m>\d{1,2})(?!\d)(?!\s?[./\-]\s?\d)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LETTER_WORD = re.compile(r"[^\W\d_]+")


def month_index(year: int, month: int) -> int:
    """A month as one number, so months can be compared and counted."""
    return year * 12 + month - 1


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from ``first`` to ``last``, both included."""
    out = []
    for index in range(month_index(*first), month_index(*last) + 1):
        out.append((index // 12, index % 12 + 1))
    return out


def parse_month(text: str, today: dt.date) -> tuple[int, int] | None:
    """A (year, month) typed by a user; None if the text names no single month.

    Without a year, the latest such month up to this one. Years before 2000 or after this one
    are refused.
    """
    raw = text.strip().casefold()
    year: int | None = None
    month: int | None = None
    if m := _YEAR_MONTH.search(raw):
        year, month = int(m["y"]), int(m["m"])
    elif m := _MONTH_NUM.search(raw):
        year, month = int(m["y"]), int(m["m"])
        if year < 100:
            year += 2000
    else:
        months = {_month_of(_fold_word(w.group())) for w in _LETTER_WORD.finditer(raw)} - {None}
        if len(months) != 1:
            return None
        month = months.pop()
        years = {int(y) for y in _YEAR.findall(raw)}
        if len(years) > 1:
            return None
        if years:
            year = years.pop()
        else:
            year = today.year if month <= today.month else today.year - 1
    if month is None or not 1 <= month <= 12 or year is None or not 2000 <= year <= today.year:
        return None
    return year, month
