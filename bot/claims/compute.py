"""The amount owed and the late-payment penalty (пеня), with every step of the calculation.

The law (Labour Code Art. 113: pay by the 10th of the next month; Art. 113(3): the debt plus a
penalty for each day of delay) gives the rules; the numbers (the National Bank base rate, the
multiplier applied to it, the days of a year, the payday) come from ``content/facts.yaml``
(``claims``), so an editor updates them when the rate changes. This module only counts:

* The debt is split over the unpaid months in equal whole-tenge shares; the remainder goes to the
  last month (the latest due date, so the penalty is never overstated).
* Month ``m`` is due on the payday of month ``m + 1``; the penalty runs from the next day up to and
  including the day of the calculation: ``days = calc_date - due_date`` (0 if not yet due).
* ``penalty = share × rate% × multiplier × days / days_in_year``, rounded to the tiyn (half up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["PenaltyRules", "MonthLine", "Calculation", "compute", "due_date", "money"]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PenaltyRules:
    """The numbers of the calculation (``content/facts.yaml``, key ``claims``)."""

    rate: Decimal  # the National Bank base rate, % a year
    rate_date: dt.date  # the day that rate was last confirmed
    multiplier: Decimal = Decimal("1.25")
    days_in_year: int = 365
    pay_day: int = 10


@dataclass(frozen=True)
class MonthLine:
    year: int
    month: int
    amount: int  # tenge owed for this month
    due: dt.date  # the last day it should have been paid
    days: int  # days of delay counted up to the calculation date
    penalty: Decimal


@dataclass(frozen=True)
class Calculation:
    lines: tuple[MonthLine, ...]
    owed: int
    penalty: Decimal
    on: dt.date  # the calculation date
    rules: PenaltyRules

    @property
    def total(self) -> Decimal:
        return Decimal(self.owed) + self.penalty


def due_date(year: int, month: int, pay_day: int) -> dt.date:
    """The payday of the month after ``year``-``month``."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, pay_day)


def compute(owed: int, months: list[tuple[int, int]], on: dt.date, rules: PenaltyRules) -> Calculation:
    """The penalty on ``owed`` tenge unpaid for ``months`` (oldest first), counted up to ``on``."""
    if not months:
        raise ValueError("at least one unpaid month")
    if owed <= 0:
        raise ValueError("the amount owed must be positive")
    share, rest = divmod(owed, len(months))
    lines = []
    for i, (year, month) in enumerate(months):
        amount = share + (rest if i == len(months) - 1 else 0)
        due = due_date(year, month, rules.pay_day)
        days = max(0, (on - due).days)
        penalty = (
            Decimal(amount) * rules.rate / 100 * rules.multiplier * days / rules.days_in_year
        ).quantize(_CENT, rounding=ROUND_HALF_UP)
        lines.append(MonthLine(year, month, amount, due, days, penalty))
    return Calculation(tuple(lines), owed, sum((line.penalty for line in lines), Decimal("0.00")), on, rules)


def money(value: int | Decimal, cents: bool = True) -> str:
    """``200 000,00``: groups of three with a no-break space, a decimal comma (Russian style)."""
    quantized = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    whole, frac = f"{quantized:.2f}".split(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sign + "\u00a0".join(groups)
    return f"{text},{frac}" if cents else text
