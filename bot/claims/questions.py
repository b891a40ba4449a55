"""The wage-claim questionnaire: its steps, and what each typed answer means (pure).

Answers are kept as (step, value) pairs of strings in the user's state until the documents are
made or the user stops; :class:`Claim` reads them back. "I don't know" (``?``) is accepted where
the documents can do without the fact: the employer's identifiers and the start date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.claims.parse import month_index, months_between, parse_amount, parse_month
from bot.dates import parse_date

__all__ = [
    "STEPS",
    "UNKNOWN",
    "UNKNOWN_OK",
    "CHOICES",
    "EVIDENCE",
    "AUTO",
    "LIMITS",
    "Claim",
    "check_answer",
    "answers_dict",
]

STEPS = (
    "name",
    "cit",
    "employer",
    "emp_id",
    "address",
    "job",
    "start",
    "pay",
    "pay_how",
    "m_from",
    "m_to",
    "owed",
    "evidence",
)
UNKNOWN = "?"
#: Steps where "I don't know" is a valid answer.
UNKNOWN_OK = frozenset({"emp_id", "start"})
#: Steps answered with buttons (``cit`` also takes a typed country).
CHOICES = {"cit": ("kg", "uz"), "pay_how": ("contract", "verbal", "messages")}
EVIDENCE = ("msgs", "photos", "witness", "transfers", "docs")
#: The amount owed as computed: monthly pay times the unpaid months.
AUTO = "auto"
#: The longest typed answer kept, per step.
LIMITS = {"name": 100, "cit": 60, "employer": 200, "emp_id": 200, "address": 300, "job": 100, "note": 300}
#: How far back an unpaid month may be (the documents warn of the 1-year limit).
MAX_MONTHS_BACK = 60

_SPACES = re.compile(r"\s+")


def answers_dict(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


@dataclass(frozen=True)
class Claim:
    """The complete answers, typed."""

    name: str
    citizenship: str  # "kg", "uz" or the country as typed
    employer: str
    employer_id: str | None
    address: str
    job: str
    start: dt.date | None
    pay: int
    pay_how: str
    months: tuple[tuple[int, int], ...]
    owed: int
    owed_auto: bool
    evidence: tuple[str, ...]
    evidence_note: str

    @classmethod
    def from_answers(cls, pairs: tuple[tuple[str, str], ...]) -> Claim | None:
        """The answers as a claim; None if one is missing or damaged."""
        a = answers_dict(pairs)
        try:
            first = tuple(int(p) for p in a["m_from"].split("-"))
            last = tuple(int(p) for p in a["m_to"].split("-"))
            months = tuple(months_between(first, last))  # type: ignore[arg-type]
            pay = int(a["pay"])
            auto = a["owed"] == AUTO
            owed = pay * len(months) if auto else int(a["owed"])
            evidence = tuple(e for e in a.get("evidence", "").split(",") if e in EVIDENCE)
            claim = cls(
                name=a["name"],
                citizenship=a["cit"],
                employer=a["employer"],
                employer_id=None if a["emp_id"] == UNKNOWN else a["emp_id"],
                address=a["address"],
                job=a["job"],
                start=None if a["start"] == UNKNOWN else dt.date.fromisoformat(a["start"]),
                pay=pay,
                pay_how=a["pay_how"],
                months=months,
                owed=owed,
                owed_auto=auto,
                evidence=evidence,
                evidence_note=a.get("note", ""),
            )
        except (KeyError, ValueError, TypeError):
            return None
        if not months or owed <= 0 or pay <= 0 or claim.pay_how not in CHOICES["pay_how"]:
            return None
        return claim


def _month(value: str) -> tuple[int, int]:
    year, month = value.split("-")
    return int(year), int(month)


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def check_month(step: str, ym: tuple[int, int], answers: dict[str, str], today: dt.date) -> str | None:
    """Why a month cannot be the answer to ``step`` (an error key), or None."""
    now = month_index(today.year, today.month)
    index = month_index(*ym)
    if index > now:
        return "future_month"
    if index < now - MAX_MONTHS_BACK:
        return "bad_month"
    start = answers.get("start", UNKNOWN)
    if start != UNKNOWN:
        begun = dt.date.fromisoformat(start)
        if index < month_index(begun.year, begun.month):
            return "before_start"
    if step == "m_to" and "m_from" in answers and index < month_index(*_month(answers["m_from"])):
        return "month_order"
    return None


def check_answer(
    step: str, text: str, answers: dict[str, str], today: dt.date
) -> tuple[str | None, str | None]:
    """A typed answer to ``step``: (the value to keep, None) or (None, the error key)."""
    text = _SPACES.sub(" ", text).strip()
    if step in ("name", "employer", "emp_id", "address", "job", "cit", "note"):
        letters = sum(ch.isalpha() for ch in text)
        signs = letters + (sum(ch.isdigit() for ch in text) if step == "emp_id" else 0)
        if signs < 2:
            return None, "short"
        if len(text) > LIMITS[step]:
            return None, "long"
        return text, None
    if step == "start":
        day = parse_date(text, today, when="past")
        if day is None:
            return None, "bad_date"
        if day > today:
            return None, "future_date"
        return day.isoformat(), None
    if step in ("pay", "owed"):
        amount = parse_amount(text)
        if amount.value is None:
            return None, f"amount_{amount.error}"
        return str(amount.value), None
    if step in ("m_from", "m_to"):
        ym = parse_month(text, today)
        if ym is None:
            return None, "bad_month"
        error = check_month(step, ym, answers, today)
        return (None, error) if error else (month_value(*ym), None)
    return None, "use_buttons"
