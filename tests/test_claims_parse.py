"""Wage claims, the pure core: amounts and months as people type them, each answer's check, and
the penalty calculation (amount owed, days late, the base rate from content)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from bot.claims.compute import PenaltyRules, compute, due_date, money
from bot.claims.parse import parse_amount, parse_month
from bot.claims.questions import check_answer

TODAY = dt.date(2026, 12, 5)
RULES = PenaltyRules(rate=Decimal("18"), rate_date=dt.date(2026, 1, 23))


# --- amounts and months ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("200000", 200_000),
        ("200 000", 200_000),
        ("200\u00a0000 ₸", 200_000),
        ("200.000", 200_000),
        ("200,000 тг", 200_000),
        ("200к", 200_000),
        ("200 k", 200_000),
        ("200 тыс. тенге", 200_000),
        ("200 тысяч", 200_000),
        ("200 ming", 200_000),  # uz
        ("200 минг", 200_000),  # uz Cyrillic
        ("200 мың теңге", 200_000),  # kk
        ("200 миң", 200_000),  # ky
        ("1,5 млн", 1_500_000),
        ("1.5 mln", 1_500_000),
        ("1 500 000", 1_500_000),
        ("150к тг в месяц", 150_000),
        ("5 200", 5_200),
        ("обещали 85 000", 85_000),
    ],
)
def test_amounts_are_read_as_people_type_them(text: str, value: int) -> None:
    assert parse_amount(text).value == value


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("-5000", "negative"),
        ("минус 200к", "negative"),
        ("0", "zero"),
        ("не знаю", "unreadable"),
        ("200 000 или 250 000", "unreadable"),
        ("2 3", "unreadable"),
        ("500 сом", "currency"),
        ("300 $", "currency"),
        ("999 млн", "too_big"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text: str, error: str) -> None:
    amount = parse_amount(text)
    assert amount.value is None and amount.error == error


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("09.2026", (2026, 9)),
        ("9/26", (2026, 9)),
        ("2026-09", (2026, 9)),
        ("сентябрь 2026", (2026, 9)),
        ("сентябрь", (2026, 9)),
        ("sentabr", (2026, 9)),
        ("2026-yil sentabr", (2026, 9)),
        ("қыркүйек 2026 ж.", (2026, 9)),
        ("сентябрдан бери", (2026, 9)),
        ("декабрь", (2026, 12)),
        ("январь", (2026, 1)),
        ("февраль 2025", (2025, 2)),
    ],
)
def test_months_in_every_language(text: str, month: tuple[int, int]) -> None:
    assert parse_month(text, TODAY) == month


@pytest.mark.parametrize("text", ["январь 2027", "13.2026", "жок", "сентябрь октябрь", "1999-05"])
def test_impossible_months_are_refused(text: str) -> None:
    assert parse_month(text, TODAY) is None


def test_answers_are_checked_per_question() -> None:
    assert check_answer("start", "31.02.2026", {}, TODAY) == (None, "bad_date")
    assert check_answer("start", "01.01.2027", {}, TODAY) == (None, "future_date")
    assert check_answer("start", "1 июня 2026", {}, TODAY) == ("2026-06-01", None)
    assert check_answer("pay", "-1", {}, TODAY) == (None, "amount_negative")
    assert check_answer("name", "Я", {}, TODAY) == (None, "short")
    assert check_answer("name", "А" * 101, {}, TODAY) == (None, "long")
    assert check_answer("emp_id", "123456789012", {}, TODAY) == ("123456789012", None)
    assert check_answer("m_from", "05.2026", {"start": "2026-06-01"}, TODAY) == (None, "before_start")
    assert check_answer("m_to", "08.2026", {"m_from": "2026-09"}, TODAY) == (None, "month_order")
    assert check_answer("m_to", "12.2026", {}, dt.date(2026, 11, 5)) == (None, "future_month")


# --- the calculation -------------------------------------------------------------------------


def test_penalty_is_computed_per_month_from_the_day_after_payday() -> None:
    calc = compute(400_000, [(2026, 9), (2026, 10)], TODAY, RULES)
    september, october = calc.lines
    assert september.due == dt.date(2026, 10, 10) and september.days == 56
    assert october.due == dt.date(2026, 11, 10) and october.days == 25
    # 200 000 × 18% × 1.25 × 56 / 365 = 6 904.109... ; × 25 / 365 = 3 082.191...
    assert september.penalty == Decimal("6904.11")
    assert october.penalty == Decimal("3082.19")
    assert calc.penalty == Decimal("9986.30") and calc.total == Decimal("409986.30")


def test_debt_is_split_in_whole_tenge_and_unpaid_months_not_yet_due_have_no_penalty() -> None:
    calc = compute(100_000, [(2026, 10), (2026, 11), (2026, 12)], TODAY, RULES)
    assert [line.amount for line in calc.lines] == [33_333, 33_333, 33_334]
    assert [line.days for line in calc.lines] == [25, 0, 0]  # November is due on 10 December
    assert calc.lines[1].penalty == Decimal("0.00")
    assert due_date(2026, 12, 10) == dt.date(2027, 1, 10)


def test_the_rate_and_multiplier_come_from_the_content() -> None:
    doubled = replace(RULES, rate=Decimal("36"))
    one = compute(200_000, [(2026, 9)], TODAY, RULES).penalty
    assert compute(200_000, [(2026, 9)], TODAY, doubled).penalty == one * 2


def test_money_is_written_the_russian_way() -> None:
    assert money(409986.3) == "409\u00a0986,30"
    assert money(400_000, cents=False) == "400\u00a0000"
    assert money(Decimal("5.005")) == "5,01"
