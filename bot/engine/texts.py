"""Texts the adapters ask for outside a dialogue step: /mydata, the privacy notice, alerts."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, replace

from bot.content.model import Content
from bot.engine.deadlines import (
    _LABELS,
)
from bot.engine.model import (
    _MAIN,
    Button,
    Say,
    State,
)
from bot.engine.screens import (
    _Ctx,
    _days,
    _node_label,
    _topic,
)
from bot.i18n import format_date, native_name


def topic_name(content: Content, lang: str, tree: str, today: dt.date) -> str:
    """A topic (tree) as the main menu names it, without its emoji: «Регистрация и сроки»."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    return _topic(ctx, tree)


def alert_message(content: Content, lang: str, node_id: str, today: dt.date) -> Say:
    """The alert about the change marked on ``node_id``, in ``lang``: the topic, what changed, its
    date, why the user gets it, and a button to the updated answer."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    node = content.nodes[node_id]
    assert node.changed is not None, f"node {node_id} marks no change"
    found = content.word(lang, f"node.{node_id}.changed")
    # Words missing in ``lang`` come in Russian: their numbers are then written the Russian way too.
    words = _Ctx(content, replace(ctx.state, lang=found.lang), today).render(found.text) if found else ""
    lines = [
        ctx.ui("alert_title").format(topic=_topic(ctx, node.tree)),
        words,
        ctx.ui("alert_since").format(date=format_date(node.changed.on, lang)),
        "<i>" + ctx.ui("alert_why") + "</i>",
    ]
    button = Button(ctx.ui("alert_open") or "📖", f"g|{content.version}|{node_id}")
    return Say("\n\n".join(line for line in lines if line), ((button,),))


@dataclass(frozen=True)
class StoredCase:
    """What /mydata shows of one of the user's cases."""

    case_id: int
    status: str  # open | claimed | closed
    created: dt.date
    closed: dt.date | None
    description: str | None


def privacy_notice_text(content: Content, lang: str, today: dt.date, retention_days: int) -> str:
    """The short notice of a user's first /start: what is kept, why, how long, /mydata, /forget."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    return ctx.render(ctx.ui("privacy_notice").format(days=_days(retention_days)))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…")


def my_data_text(
    content: Content,
    state: State,
    today: dt.date,
    *,
    retention_days: int,
    reminders: list[dt.date],
    cases: list[StoredCase],
    unmatched: list[str],
    watches: frozenset[str] | set[str] = frozenset(),
) -> str:
    """Everything stored about a user, in their language (the answer to /mydata)."""
    ctx = _Ctx(content, state, today)
    lang = state.lang

    def date(day: dt.date) -> str:
        return format_date(day, lang)

    lines = [ctx.ui("mydata_title"), ctx.ui("mydata_id").format(id=state.user_id)]
    lines.append(ctx.ui("mydata_lang").format(lang=ctx.ui("language_name") or native_name(lang)))
    node = state.node or _MAIN
    place = ctx.ui("menu") if node == _MAIN or node not in content.nodes else _node_label(ctx, node)
    lines.append(ctx.ui("mydata_place").format(place=place))
    parts = []
    for key, value in state.answers:
        try:
            if key == "cit" and value in _LABELS:
                parts.append(ctx.ui(_LABELS[value]))
            elif key == "entry":
                parts.append(ctx.ui("mydata_entry").format(date=date(dt.date.fromisoformat(value))))
            elif key == "stay":
                start, end = (dt.date.fromisoformat(v) for v in value.split("|"))
                parts.append(ctx.ui("mydata_stay").format(start=date(start), end=date(end)))
            elif key == "p_start":
                parts.append(ctx.ui("mydata_permit").format(date=date(dt.date.fromisoformat(value))))
            elif key == "p_months":
                parts.append(ctx.ui("mydata_months").format(months="{months:" + str(int(value)) + "}"))
            elif key == "c_end":
                parts.append(ctx.ui("mydata_contract").format(date=date(dt.date.fromisoformat(value))))
        except ValueError:
            continue
    if parts:
        lines.append(ctx.render(ctx.ui("mydata_answers").format(answers="; ".join(parts))))
    else:
        lines.append(ctx.ui("mydata_answers_none"))
    if state.claim:  # a wage claim being filled in: kept only until the documents are made
        lines.append(ctx.ui("claim.mydata").format(n=len({key for key, _ in state.claim})))
    if reminders:
        days = ", ".join(date(d) for d in sorted(set(reminders)))
        lines.append(ctx.ui("mydata_reminders").format(dates=days))
    else:
        lines.append(ctx.ui("mydata_reminders_none"))
    if cases:
        lines.append(ctx.ui("mydata_cases"))
        for case in cases:
            line = ctx.ui("mydata_case").format(
                case=case.case_id,
                status=ctx.ui(f"mydata_status_{case.status}"),
                date=date(case.created),
            )
            if case.closed is not None:
                line += " " + ctx.ui("mydata_case_closed").format(date=date(case.closed))
            if case.description:
                line += "\n" + ctx.ui("mydata_description").format(text=_short(case.description))
            lines.append(line)
    else:
        lines.append(ctx.ui("mydata_cases_none"))
    if unmatched:
        texts = "; ".join(f"«{_short(t, 100)}»" for t in unmatched[:10])
        lines.append(ctx.ui("mydata_unmatched").format(texts=texts))
    known = sorted(t for t in watches if t in content.trees)
    if known:
        topics = ", ".join(f"«{_topic(ctx, t)}»" for t in known)
        lines.append(ctx.ui("mydata_watches").format(topics=topics))
    else:
        lines.append(ctx.ui("mydata_watches_none"))
    lines.append(ctx.render(ctx.ui("mydata_keep").format(days=_days(retention_days))))
    lines.append(ctx.ui("mydata_delete"))
    return "\n\n".join(line for line in lines if line)
