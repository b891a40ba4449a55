"""The wage-claim questionnaire as screens: one short question per step, then a review where every
answer can be corrected, then "make the documents". Pure and Telegram-free: the engine passes the
step and answers from the user's state with the event and turns the :class:`Result` into outputs.

Button data (at most 64 bytes): ``c|go`` start, ``c|a|<step>|<value>`` a button answer,
``c|t|<evidence>`` tick or untick evidence, ``c|d`` evidence done, ``c|back`` the previous
question, ``c|stop`` stop (answers deleted), ``c|fix`` choose an answer to correct,
``c|e|<step>`` correct it, ``c|rv`` back to the review, ``c|make`` / ``c|makeop`` make the
documents (and pass the answers to an operator).

The step is one of :data:`~bot.claims.questions.STEPS`, ``review`` or ``fix``; ``<step>!`` is the
same question asked to correct an answer, after which the review comes back.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import get_month_names

from bot.claims.compute import Calculation, compute, money
from bot.claims.parse import month_index, months_between
from bot.claims.questions import (
    AUTO,
    CHOICES,
    EVIDENCE,
    LIMITS,
    STEPS,
    UNKNOWN,
    UNKNOWN_OK,
    Claim,
    answers_dict,
    check_answer,
    check_month,
    month_value,
)
from bot.claims.templates import ClaimsFacts
from bot.i18n import BABEL_LOCALES, format_date

__all__ = [
    "Talk",
    "Screen",
    "Result",
    "start",
    "ask",
    "review",
    "on_press",
    "on_text",
    "answer_lines",
    "calc_lines",
    "calculation",
    "money",
    "number",
]

#: Month buttons offered: this month and the eleven before it.
MONTH_BUTTONS = 12


@dataclass(frozen=True)
class Talk:
    """What the questionnaire needs from the engine: words in the user's language, the day."""

    ui: Callable[[str], str]  # "claim.q.name" -> text (ui.yaml / claims.yaml key without "ui.")
    render: Callable[[str], str]  # fills {days:N} and the like
    lang: str
    today: dt.date
    facts: ClaimsFacts


@dataclass(frozen=True)
class Screen:
    text: str
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    replace: bool = False


@dataclass(frozen=True)
class Result:
    step: str | None
    answers: tuple[tuple[str, str], ...]
    screens: tuple[Screen, ...] = ()
    toast: str | None = None
    make: bool = False  # make the documents from ``answers`` now
    attach: bool = False  # and give the answers to an operator
    left: bool = False  # the user stopped: show the screen they came from
    stale: bool = False  # a button of another step or of nothing we know


def _set(answers: tuple[tuple[str, str], ...], key: str, value: str) -> tuple[tuple[str, str], ...]:
    return (*((k, v) for k, v in answers if k != key), (key, value))


def _month_name(year: int, month: int, lang: str) -> str:
    names = get_month_names("wide", "stand-alone", locale=BABEL_LOCALES.get(lang, "ru"))
    return f"{names[month]} {year}"


def _parse_ym(value: str) -> tuple[int, int]:
    year, month = value.split("-")
    return int(year), int(month)


# --- questions -------------------------------------------------------------------------------


def _nav(talk: Talk, edit: bool) -> tuple[tuple[str, str], ...]:
    back = "c|rv" if edit else "c|back"
    return ((talk.ui("back"), back), (talk.ui("claim.btn.stop"), "c|stop"))


def _month_rows(
    talk: Talk, step: str, answers: dict[str, str], edit: bool
) -> list[tuple[tuple[str, str], ...]]:
    now = month_index(talk.today.year, talk.today.month)
    if step == "m_to" and "m_from" in answers:
        first = month_index(*_parse_ym(answers["m_from"]))
        indexes = range(first, min(now, first + MONTH_BUTTONS - 1) + 1)
    else:
        indexes = range(now - MONTH_BUTTONS + 1, now + 1)
    buttons = []
    for index in indexes:
        ym = (index // 12, index % 12 + 1)
        if check_month(step, ym, answers, talk.today) is None:
            buttons.append((_month_name(*ym, talk.lang), f"c|a|{step}|{month_value(*ym)}"))
    return [tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)]


def ask(talk: Talk, step: str, answers: tuple[tuple[str, str], ...], notice: str | None = None) -> Screen:
    """The question of ``step`` (``<step>!``: to correct an answer) with its buttons."""
    edit = step.endswith("!")
    bare = step.rstrip("!")
    a = answers_dict(answers)
    text = talk.ui(f"claim.q.{bare}")
    if not edit:
        progress = talk.ui("claim.progress").format(n=STEPS.index(bare) + 1, total=len(STEPS))
        text = f"<i>{progress}</i>\n{text}"
    if notice:
        text = f"{notice}\n\n{text}"
    rows: list[tuple[tuple[str, str], ...]] = []
    if bare in CHOICES:
        rows.extend(((talk.ui(f"claim.btn.{v}"), f"c|a|{bare}|{v}"),) for v in CHOICES[bare])
    if bare in UNKNOWN_OK:
        rows.append(((talk.ui("claim.btn.unknown"), f"c|a|{bare}|{UNKNOWN}"),))
    if bare in ("m_from", "m_to"):
        rows.extend(_month_rows(talk, bare, a, edit))
    if bare == "owed" and "pay" in a and "m_from" in a and "m_to" in a:
        n = len(months_between(_parse_ym(a["m_from"]), _parse_ym(a["m_to"])))
        amount = money(int(a["pay"]) * n, cents=False)
        rows.append(((talk.ui("claim.btn.owed_auto").format(amount=amount), f"c|a|owed|{AUTO}"),))
    if bare == "evidence":
        ticked = set(a.get("evidence", "").split(","))
        for code in EVIDENCE:
            mark = "✅" if code in ticked else "▫️"
            rows.append(((f"{mark} {talk.ui(f'claim.ev.{code}')}", f"c|t|{code}"),))
        if a.get("note"):
            text += "\n\n" + talk.ui("claim.noted").format(note=html.escape(a["note"]))
        rows.append(((talk.ui("claim.btn.done"), "c|d"),))
    rows.append(_nav(talk, edit))
    return Screen(text, tuple(rows))


def _next(talk: Talk, step: str, answers: tuple[tuple[str, str], ...]) -> Result:
    """After an answer to ``step``: the next question, or the review."""
    edit = step.endswith("!")
    bare = step.rstrip("!")
    a = answers_dict(answers)
    following: str | None
    if edit:
        following = "review"
        if bare == "start" and "m_from" in a and check_month("m_from", _parse_ym(a["m_from"]), a, talk.today):
            following = "m_from!"
        elif bare == "m_from" and check_month("m_to", _parse_ym(a["m_to"]), a, talk.today):
            following = "m_to!"
    else:
        index = STEPS.index(bare)
        following = STEPS[index + 1] if index + 1 < len(STEPS) else "review"
    if following == "review":
        return Result("review", answers, (review(talk, answers),))
    return Result(following, answers, (ask(talk, following, answers),))


# --- the review --------------------------------------------------------------------------------


def calculation(talk: Talk, claim: Claim) -> Calculation:
    return compute(claim.owed, list(claim.months), talk.today, talk.facts.rules)


def _value(talk: Talk, step: str, claim: Claim) -> str:
    unknown = talk.ui("claim.value.unknown")
    if step == "name":
        return claim.name
    if step == "cit":
        return (
            _bare(talk.ui(f"claim.btn.{claim.citizenship}"))
            if claim.citizenship in CHOICES["cit"]
            else claim.citizenship
        )
    if step == "employer":
        return claim.employer
    if step == "emp_id":
        return claim.employer_id or unknown
    if step == "address":
        return claim.address
    if step == "job":
        return claim.job
    if step == "start":
        return format_date(claim.start, talk.lang) if claim.start else unknown
    if step == "pay":
        return f"{money(claim.pay, cents=False)} ₸"
    if step == "pay_how":
        return _bare(talk.ui(f"claim.btn.{claim.pay_how}"))
    if step == "m_from":
        return _month_name(*claim.months[0], talk.lang)
    if step == "m_to":
        return _month_name(*claim.months[-1], talk.lang)
    if step == "owed":
        return f"{money(claim.owed, cents=False)} ₸"
    names = [talk.ui(f"claim.ev.{code}") for code in claim.evidence]
    if claim.evidence_note:
        names.append(claim.evidence_note)
    return ", ".join(names) or talk.ui("claim.value.none")


def _bare(label: str) -> str:
    """A button's label without its leading emoji: «🗣 Устно» -> «Устно»."""
    head, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in head) else label


def answer_lines(talk: Talk, claim: Claim) -> list[str]:
    """One line per answer: "label: value" (values HTML-escaped)."""
    return [f"{talk.ui(f'claim.label.{step}')}: {html.escape(_value(talk, step, claim))}" for step in STEPS]


def calc_lines(talk: Talk, calc: Calculation) -> list[str]:
    """The calculation, month by month, in the user's language."""
    rules = calc.rules
    rate = number(rules.rate)
    lines = []
    for line in calc.lines:
        lines.append(
            talk.render(
                talk.ui("claim.calc.line").format(
                    month=_month_name(line.year, line.month, talk.lang),
                    amount=money(line.amount, cents=False),
                    rate=rate,
                    k=number(rules.multiplier),
                    days="{days:" + str(line.days) + "}",
                    year=rules.days_in_year,
                    penalty=money(line.penalty),
                    due=format_date(line.due, talk.lang),
                )
            )
        )
    return lines


def number(value: object) -> str:
    text = f"{value}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def review(talk: Talk, answers: tuple[tuple[str, str], ...], replace: bool = False) -> Screen:
    claim = Claim.from_answers(answers)
    if claim is None:  # cannot happen after the steps; start the missing one again
        missing = next((s for s in STEPS if s not in answers_dict(answers)), STEPS[0])
        return ask(talk, missing, answers)
    calc = calculation(talk, claim)
    parts = [talk.ui("claim.review.title"), "\n".join(answer_lines(talk, claim))]
    total = talk.ui("claim.review.calc").format(
        date=format_date(talk.today, talk.lang),
        owed=money(calc.owed, cents=False),
        penalty=money(calc.penalty),
        total=money(calc.total),
    )
    parts.append(total + "\n" + "\n".join(calc_lines(talk, calc)))
    parts.append(talk.ui("claim.review.hint"))
    rows = (
        ((talk.ui("claim.btn.make"), "c|make"),),
        ((talk.ui("claim.btn.make_op"), "c|makeop"),),
        ((talk.ui("claim.btn.fix"), "c|fix"),),
        ((talk.ui("claim.btn.stop"), "c|stop"),),
    )
    return Screen("\n\n".join(parts), rows, replace=replace)


def _fix_screen(talk: Talk) -> Screen:
    buttons = [(talk.ui(f"claim.label.{s}"), f"c|e|{s}") for s in STEPS]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append(((talk.ui("claim.btn.review"), "c|rv"),))
    return Screen(talk.ui("claim.review.fix"), tuple(rows), replace=True)


# --- events ----------------------------------------------------------------------------------


def start(talk: Talk) -> Result:
    return Result("name", (), (ask(talk, "name", ()),))


def on_press(step: str | None, answers: tuple[tuple[str, str], ...], data: str, talk: Talk) -> Result:
    """A button of the questionnaire."""
    parts = data.split("|")
    what = parts[1] if len(parts) > 1 else ""
    if what == "go":
        return start(talk)
    if step is None:
        return Result(None, (), stale=True)
    bare = step.rstrip("!")
    if what == "stop":
        return Result(None, (), (Screen(talk.ui("claim.stopped"), replace=True),), left=True)
    if what == "back" and bare in STEPS:
        index = STEPS.index(bare)
        if index == 0:
            return Result(None, (), (Screen(talk.ui("claim.stopped"), replace=True),), left=True)
        previous = STEPS[index - 1]
        return Result(previous, answers, (ask(talk, previous, answers),))
    if what == "rv" and step in ("fix", "review") or (what == "rv" and step.endswith("!")):
        return Result("review", answers, (review(talk, answers, replace=True),))
    if what == "fix" and step == "review":
        return Result("fix", answers, (_fix_screen(talk),))
    if what == "e" and step == "fix" and len(parts) == 3 and parts[2] in STEPS:
        target = parts[2] + "!"
        return Result(target, answers, (ask(talk, target, answers),))
    if what in ("make", "makeop") and step == "review" and Claim.from_answers(answers) is not None:
        return Result(None, answers, make=True, attach=what == "makeop")
    if what == "a" and len(parts) == 4 and parts[2] == bare:
        value = parts[3]
        a = answers_dict(answers)
        ok = (
            value in CHOICES.get(bare, ())
            or (value == UNKNOWN and bare in UNKNOWN_OK)
            or (value == AUTO and bare == "owed")
        )
        if bare in ("m_from", "m_to"):
            try:
                ok = check_month(bare, _parse_ym(value), a, talk.today) is None
            except ValueError:
                ok = False
        if ok:
            return _next(talk, step, _set(answers, bare, value))
    if what == "t" and bare == "evidence" and len(parts) == 3 and parts[2] in EVIDENCE:
        ticked = [e for e in answers_dict(answers).get("evidence", "").split(",") if e in EVIDENCE]
        code = parts[2]
        ticked = [e for e in ticked if e != code] if code in ticked else [*ticked, code]
        ordered = ",".join(e for e in EVIDENCE if e in ticked)
        answers = _set(answers, "evidence", ordered)
        screen = ask(talk, step, answers)
        return Result(step, answers, (Screen(screen.text, screen.rows, replace=True),))
    if what == "d" and bare == "evidence":
        if "evidence" not in answers_dict(answers):
            answers = _set(answers, "evidence", "")
        return _next(talk, step, answers)
    # A button of another question (an older message): ask the current one again.
    return _again(talk, step, answers, talk.ui("claim.err.use_current"))


def _again(talk: Talk, step: str, answers: tuple[tuple[str, str], ...], notice: str) -> Result:
    if step == "review":
        screen = review(talk, answers)
        return Result(step, answers, (Screen(notice + "\n\n" + screen.text, screen.rows),))
    if step == "fix":
        screen = _fix_screen(talk)
        return Result(step, answers, (Screen(notice + "\n\n" + screen.text, screen.rows),))
    return Result(step, answers, (ask(talk, step, answers, notice),))


def on_text(step: str, answers: tuple[tuple[str, str], ...], text: str | None, talk: Talk) -> Result:
    """A typed answer (``None``: a photo, sticker... that answers nothing)."""
    bare = step.rstrip("!")
    if text is None or bare not in STEPS:
        return _again(
            talk, step, answers, talk.ui("claim.err.use_buttons" if bare not in STEPS else "claim.err.text")
        )
    if bare == "evidence":
        value, error = check_answer("note", text, answers_dict(answers), talk.today)
        if error:
            return _again(talk, step, answers, _error(talk, error, bare))
        answers = _set(answers, "note", value or "")
        return Result(step, answers, (ask(talk, step, answers),))
    if bare == "pay_how":
        return _again(talk, step, answers, talk.ui("claim.err.use_buttons"))
    value, error = check_answer(bare, text, answers_dict(answers), talk.today)
    if error:
        return _again(talk, step, answers, _error(talk, error, bare, answers))
    assert value is not None
    if bare == "cit":
        lowered = value.casefold()
        for code in CHOICES["cit"]:
            if lowered == talk.ui(f"claim.btn.{code}").split(" ", 1)[-1].casefold():
                value = code
    return _next(talk, step, _set(answers, bare, value))


def _error(talk: Talk, error: str, step: str, answers: tuple[tuple[str, str], ...] = ()) -> str:
    a = answers_dict(answers)
    values = _Values(limit=str(LIMITS.get(step, 300)))
    if error == "before_start" and a.get("start", UNKNOWN) != UNKNOWN:
        values["start"] = format_date(dt.date.fromisoformat(a["start"]), talk.lang)
    if error == "month_order" and "m_from" in a:
        values["first"] = _month_name(*_parse_ym(a["m_from"]), talk.lang)
    return "⚠️ " + talk.ui(f"claim.err.{error}").format_map(values)


class _Values(dict):
    """Placeholders of an error text; one the answers cannot fill stays as "…"."""

    def __missing__(self, key: str) -> str:
        return "…"
