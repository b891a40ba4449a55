"""Personal deadlines: a short form, then the dates and reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.content.model import Content
from bot.dates import parse_date, parse_range
from bot.deadlines import compute
from bot.engine.actions import parse_action
from bot.engine.model import (
    _DEADLINES,
    Button,
    CancelReminders,
    Media,
    Say,
    SetReminders,
    State,
    Text,
    Toast,
)
from bot.engine.screens import (
    _answers,
    _Ctx,
    _days,
    _goto,
    _profile,
    _show,
    _stale,
)
from bot.i18n import format_date

_CHOICES = {
    "cit": ("kg", "uz"),
    "prev": ("yes", "no"),
    "more": ("yes", "no"),
    "permit": ("yes", "no"),
    "contract": ("yes", "no"),
}


_LABELS = {"kg": "dl_kg", "uz": "dl_uz", "yes": "dl_yes", "no": "dl_no"}


def _ask(ctx: _Ctx, question: str, notice: str | None = None) -> None:
    ctx.state = replace(ctx.state, form=question)
    text = ctx.ui(f"dl_ask_{question}")
    if notice:
        text = ctx.ui(notice) + "\n\n" + text
    rows: list[tuple[Button, ...]] = []
    if question in _CHOICES:
        rows.append(tuple(Button(ctx.ui(_LABELS[v]), f"f|{question}|{v}") for v in _CHOICES[question]))
    rows.append((Button(ctx.ui("menu"), "m"),))
    ctx.out.append(Say(text, tuple(rows)))


def _next_after(ctx: _Ctx, question: str, value: str) -> None:
    """Record ``value`` for ``question`` and ask the next question (or finish)."""
    ctx.state = replace(ctx.state, draft=(*ctx.state.draft, (question, value)))
    cit = _answers(ctx.state.draft).get("cit")
    branch = "permit" if cit == "uz" else "contract"
    step = {
        ("cit", None): "entry",
        ("entry", None): "prev",
        ("prev", "yes"): "stay",
        ("prev", "no"): branch,
        ("stay", None): "more",
        ("more", "yes"): "stay",
        ("more", "no"): branch,
        ("permit", "yes"): "p_start",
        ("permit", "no"): None,
        ("p_start", None): "p_months",
        ("p_months", None): None,
        ("contract", "yes"): "c_end",
        ("contract", "no"): None,
        ("c_end", None): None,
    }
    key = (question, value if question in _CHOICES and question != "cit" else None)
    following = step[key]
    if following is not None:
        _ask(ctx, following)
        return
    answers = ctx.state.draft
    ctx.state = replace(ctx.state, form=None, draft=(), answers=answers)
    _show_results(ctx, replace_screen=False)
    if ctx.state.reminders:
        ctx.out.append(SetReminders(_plan(ctx)))


def _on_form_press(ctx: _Ctx, data: str) -> None:
    parts = parse_action(data)
    if parts is None:
        _stale(ctx)
        return
    if len(parts) == 2:
        what = parts[1]
        if what == "go":
            ctx.state = replace(ctx.state, draft=())
            _ask(ctx, "cit")
        elif what == "show" and _profile(ctx.state.answers) is not None:
            _show_results(ctx, replace_screen=True)
        elif what in ("on", "off") and _profile(ctx.state.answers) is not None:
            on = what == "on"
            ctx.state = replace(ctx.state, reminders=on)
            ctx.out.append(SetReminders(_plan(ctx)) if on else CancelReminders())
            ctx.out.append(Toast(ctx.ui("dl_reminders_on_short" if on else "dl_reminders_off")))
            _show_results(ctx, replace_screen=True)
        else:
            _stale(ctx)
        return
    question, value = parts[1], parts[2]
    if ctx.state.form != question or value not in _CHOICES.get(question, ()):
        _stale(ctx)
        return
    _next_after(ctx, question, value)


def _form_answer(ctx: _Ctx, event: Text | Media) -> None:
    """A typed answer: a date, a range of dates or a number, depending on the question."""
    question = ctx.state.form or ""
    text = event.text if isinstance(event, Text) else ""
    if question in _CHOICES:
        _ask(ctx, question, "dl_use_buttons")
        return
    if question in ("entry", "p_start", "c_end"):
        when = "future" if question == "c_end" else "past"
        day = parse_date(text, ctx.today, when=when)
        if day is None:
            _ask(ctx, question, "dl_bad_date")
        elif when == "past" and day > ctx.today:
            _ask(ctx, question, "dl_future_date")
        elif when == "future" and day < ctx.today:
            _ask(ctx, question, "dl_past_date")
        else:
            _next_after(ctx, question, day.isoformat())
        return
    if question == "stay":
        span = parse_range(text, ctx.today)
        entry = _answers(ctx.state.draft).get("entry")
        if span is None or (entry is not None and span[1] >= dt.date.fromisoformat(entry)):
            _ask(ctx, question, "dl_bad_range")
        else:
            _next_after(ctx, question, f"{span[0].isoformat()}|{span[1].isoformat()}")
        return
    if question == "p_months":
        digits = "".join(ch for ch in text if ch.isdigit())
        if not digits or not 1 <= int(digits) <= 12:
            _ask(ctx, question, "dl_bad_number")
        else:
            _next_after(ctx, question, str(int(digits)))
        return
    ctx.state = replace(ctx.state, form=None, draft=())
    _show(ctx)


def _plan(ctx: _Ctx) -> tuple[tuple[str, dt.date], ...]:
    profile = _profile(ctx.state.answers)
    if profile is None:
        return ()
    return tuple((d.kind, d.date) for d in compute(profile, ctx.content.rules) if d.date >= ctx.today)


def _deadline_line(ctx: _Ctx, kind: str, day: dt.date, entry: dt.date | None = None) -> str:
    date = format_date(day, ctx.state.lang)
    rules = ctx.content.rules
    if kind == "stay" and (day < ctx.today or (entry is not None and day < entry)):
        return ctx.render(ctx.ui("dl_stay_over").format(date=date))
    left = _days((day - ctx.today).days + 1)
    line = ctx.ui(f"dl_{kind}").format(date=date, days=_days(rules.registration_days), left=left)
    if day < ctx.today:
        line += " " + ctx.ui("dl_passed")
    return ctx.render(line)


def _show_results(ctx: _Ctx, replace_screen: bool = False) -> None:
    profile = _profile(ctx.state.answers)
    if profile is None:
        _goto(ctx, _DEADLINES, replace_screen=False)
        return
    rules = ctx.content.rules
    lines = [ctx.ui("dl_title")]
    lines += [_deadline_line(ctx, d.kind, d.date, profile.entry) for d in compute(profile, rules)]
    lines.append("<i>" + ctx.ui("dl_day_one") + "</i>")
    if ctx.state.reminders:
        offsets = ", ".join(_days(o) for o in rules.offsets if o > 0)
        lines.append(
            ctx.render(ctx.ui("dl_reminders_on").format(offsets=offsets, hour=f"{rules.hour:02d}:00"))
        )
    else:
        lines.append(ctx.ui("dl_reminders_off"))
    lines.append(ctx.ui("dl_check"))
    toggle = ("dl_remind_off_button", "f|off") if ctx.state.reminders else ("dl_remind_on_button", "f|on")
    rows = (
        (Button(ctx.ui(toggle[0]), toggle[1]),),
        (Button(ctx.ui("dl_change_button"), "f|go"),),
        (Button(ctx.ui("menu"), "m"),),
    )
    ctx.out.append(Say("\n\n".join(lines), rows, replace=replace_screen))


def reminder_text(content: Content, lang: str, kind: str, day: dt.date, today: dt.date) -> str:
    """The text of a reminder about deadline ``kind`` on ``day``, in ``lang``, sent ``today``."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    when = (
        ctx.ui("dl_today")
        if day == today
        else ctx.render(ctx.ui("dl_left").format(left=_days((day - today).days + 1)))
    )
    return ctx.ui("dl_remind_title") + "\n" + _deadline_line(ctx, kind, day) + "\n" + when
