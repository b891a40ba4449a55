"""Personal deadlines: the date arithmetic (with hypothesis) and the questions in the engine."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.model import Content
from bot.deadlines import (
    Profile,
    Rules,
    add_months,
    compute,
    days_present,
    last_legal_day,
    permit_paid_until,
    registration_deadline,
)
from bot.engine import CancelReminders, Press, Say, SetReminders, State, Text, handle
from bot.i18n import LANGS
from tests.conftest import TODAY

D = dt.date
dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


# --- arithmetic ----------------------------------------------------------------------------------


def test_registration_window_counts_the_day_of_entry() -> None:
    assert registration_deadline(D(2026, 3, 5), 30) == D(2026, 4, 3)
    assert registration_deadline(D(2026, 1, 31), 30) == D(2026, 3, 1)  # over a short February
    assert registration_deadline(D(2024, 2, 1), 30) == D(2024, 3, 1)  # leap year: 29 days in February


def test_ninety_days_without_earlier_stays() -> None:
    assert last_legal_day(D(2026, 3, 5), ()) == D(2026, 6, 2)  # day 90, the entry being day 1


def test_earlier_stays_shorten_the_stay() -> None:
    stays = ((D(2026, 1, 1), D(2026, 1, 30)),)  # 30 days in January
    last = last_legal_day(D(2026, 3, 1), stays)
    assert days_present(last, D(2026, 3, 1), stays, 180) == 90
    assert last == D(2026, 4, 29)  # 60 days from 1 March: January is still in the window


def test_old_stays_fall_out_of_the_window() -> None:
    stays = ((D(2025, 6, 1), D(2025, 8, 29)),)  # 90 days, long ago
    assert last_legal_day(D(2026, 3, 1), stays) == D(2026, 5, 29)


def test_already_over_on_the_day_of_entry() -> None:
    stays = ((D(2026, 1, 1), D(2026, 3, 31)),)  # 90 days: no day left in the window
    assert last_legal_day(D(2026, 4, 10), stays) == D(2026, 4, 9)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 31), 11, D(2027, 2, 28)),
        (D(2026, 5, 10), 12, D(2027, 5, 10)),
    ],
)
def test_add_months_at_month_ends_and_year_ends(day: D, months: int, expected: D) -> None:
    assert add_months(day, months) == expected


def test_permit_paid_until_the_day_before_the_next_period() -> None:
    assert permit_paid_until(D(2026, 10, 1), 1) == D(2026, 10, 31)
    assert permit_paid_until(D(2026, 1, 31), 1) == D(2026, 2, 27)
    assert permit_paid_until(D(2024, 2, 29), 12) == D(2025, 2, 27)


@given(day=dates, months=st.integers(min_value=1, max_value=24))
def test_add_months_property(day: D, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later.day == day.day or later.month != (later + dt.timedelta(days=1)).month  # clamped to month end
    assert permit_paid_until(day, months) == later - dt.timedelta(days=1)


def _brute_count(day: D, entry: D, stays: tuple[tuple[D, D], ...]) -> int:
    window = {day - dt.timedelta(days=i) for i in range(180)}
    present = {entry + dt.timedelta(days=i) for i in range((day - entry).days + 1)}
    for first, last in stays:
        present |= {
            first + dt.timedelta(days=i)
            for i in range((last - first).days + 1)
            if first + dt.timedelta(days=i) < entry
        }
    return len(window & present)


@st.composite
def stays_before(draw: st.DrawFn) -> tuple[D, tuple[tuple[D, D], ...]]:
    entry = draw(st.dates(min_value=D(2021, 1, 1), max_value=D(2029, 12, 31)))
    stays = []
    cursor = entry - dt.timedelta(days=draw(st.integers(min_value=1, max_value=400)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        length = draw(st.integers(min_value=1, max_value=60))
        gap = draw(st.integers(min_value=1, max_value=60))
        end = cursor
        start = end - dt.timedelta(days=length - 1)
        stays.append((start, end))
        cursor = start - dt.timedelta(days=gap)
    return entry, tuple(reversed(stays))


@settings(max_examples=150, deadline=None)
@given(case=stays_before())
def test_last_legal_day_is_the_boundary(case: tuple[D, tuple[tuple[D, D], ...]]) -> None:
    entry, stays = case
    last = last_legal_day(entry, stays)
    assert days_present(last + dt.timedelta(days=1), entry, stays, 180) > 90
    assert _brute_count(last + dt.timedelta(days=1), entry, stays) > 90
    if last >= entry:
        assert days_present(last, entry, stays, 180) == _brute_count(last, entry, stays) <= 90
        # Every day of the stay up to the last legal day respects the rule.
        for k in range(0, (last - entry).days + 1, 7):
            assert _brute_count(entry + dt.timedelta(days=k), entry, stays) <= 90
    assert last <= entry + dt.timedelta(days=89)


def test_compute_lists_what_applies_to_each_citizenship() -> None:
    kg = Profile("kg", D(2026, 11, 1), contract_end=D(2027, 3, 31))
    assert [d.kind for d in compute(kg, Rules())] == ["reg", "stay", "contract"]
    uz = Profile("uz", D(2026, 11, 1), permit_start=D(2026, 11, 5), permit_months=2)
    found = {d.kind: d.date for d in compute(uz, Rules())}
    assert found == {"reg": D(2026, 11, 30), "stay": D(2027, 1, 29), "permit": D(2027, 1, 4)}


# --- the questions, in the engine -------------------------------------------------------------------


def _press(content: Content, state: State, data: str) -> tuple[State, list]:
    return handle(content, state, Press(data), TODAY)


def _say(outs: list) -> Say:
    return [o for o in outs if isinstance(o, Say)][-1]


ENTRY_TEXT = {"ru": "5 ноября", "ky": "5-ноябрь", "uz": "5-noyabr", "kk": "5 қараша"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_uzbek_permit_holder_answers_and_gets_dates(real_content: Content, lang: str) -> None:
    state = State(user_id=7, lang=lang, lang_chosen=True, node="dl", stack=("main",))
    state, outs = _press(real_content, state, "f|go")
    assert state.form == "cit"
    state, _ = _press(real_content, state, "f|cit|uz")
    state, outs = handle(real_content, state, Text("вчера будет завтра"), TODAY)  # not a date
    assert state.form == "entry" and "05.03.2026" in _say(outs).text
    state, outs = handle(real_content, state, Text("05.12.2026"), TODAY)  # in the future
    assert state.form == "entry"
    state, _ = handle(real_content, state, Text(ENTRY_TEXT[lang]), TODAY)
    assert state.form == "prev"
    state, _ = _press(real_content, state, "f|prev|yes")
    state, outs = handle(real_content, state, Text("01.06.2026 - 20.06.2026"), TODAY)
    assert state.form == "more"
    state, _ = _press(real_content, state, "f|more|no")
    state, _ = _press(real_content, state, "f|permit|yes")
    state, _ = handle(real_content, state, Text("10.11.2026"), TODAY)
    state, outs = handle(real_content, state, Text("2"), TODAY)
    assert state.form is None and dict(state.answers)["p_months"] == "2"
    text = _say(outs).text
    # Registration by 4 Dec; 90/180 with 20 earlier days: until 2 Jan 2027; permit until 9 Jan.
    assert "2026" in text and "2027" in text and "egov.kz" in text
    state, outs = _press(real_content, state, "f|on")
    (plan,) = [o for o in outs if isinstance(o, SetReminders)]
    assert {k for k, _ in plan.deadlines} == {"reg", "stay", "permit"}
    assert state.reminders
    state, outs = _press(real_content, state, "f|off")
    assert CancelReminders() in outs and not state.reminders


def test_leaving_the_questions_keeps_earlier_answers(real_content: Content) -> None:
    answers = (("cit", "kg"), ("entry", "2026-11-05"), ("prev", "no"), ("contract", "no"))
    state = State(user_id=7, lang_chosen=True, node="main", answers=answers)
    state, _ = _press(real_content, state, "f|go")
    state, _ = _press(real_content, state, "f|cit|uz")
    state, _ = _press(real_content, state, "m")  # to the menu, mid-way
    assert state.form is None and state.answers == answers


def test_forget_asks_first_then_deletes_everything(real_content: Content) -> None:
    from bot.engine import Command, Forget, Press

    answers = (("cit", "kg"), ("entry", "2026-11-05"), ("prev", "no"), ("contract", "no"))
    state = State(user_id=7, lang_chosen=True, node="main", answers=answers, reminders=True)
    asked, outs = handle(real_content, state, Command("forget"), TODAY)
    assert asked.answers == answers and asked.reminders  # nothing yet: a question first
    assert not any(isinstance(o, Forget | CancelReminders) for o in outs)
    (say,) = [o for o in outs if isinstance(o, Say)]
    assert [b.data for row in say.buttons for b in row] == ["x|yes", "x|no"]
    kept, outs = handle(real_content, asked, Press("x|no"), TODAY)
    assert kept.answers == answers and kept.reminders and Forget() not in outs
    gone, outs = handle(real_content, asked, Press("x|yes"), TODAY)
    assert Forget() in outs and gone == State(user_id=7)  # the next message starts afresh
