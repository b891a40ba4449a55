"""The weekly report for hotline managers: figures from the database, a PNG chart, a few lines.

Three steps, each testable alone:

- :func:`weekly_figures` reads one ISO week (Monday to Sunday, Kazakhstan time) from the database:
  cases opened, claimed and closed per day, the median time to an operator's first reply, ratings,
  cases by topic and language, the ten busiest screens (anonymous usage counters) and the typed
  questions the bot did not understand (every digit masked, counts only). No user id, no case words.
- :func:`render_png` draws them with matplotlib (Agg, no screen) as one picture with six panels.
- :func:`summary_lines` says the same in a few lines (the photo's caption); every word is in
  ``content/ru/ops.yaml`` (``report``: Russian, for admins and hotline managers).

:func:`queue_weekly_report` puts the picture and its caption in the outbox, one item per admin, once
per week and admin (see ``bot/storage/reports.py``). It knows nothing of Telegram: the Monday job in
``handlers/app.py`` calls it and the courier sends the photos. ``python -m bot report`` draws the same
picture from the command line.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import html
import io
import logging
import os
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date as babel_date

from bot.content.model import Content
from bot.hours import KZ_TZ
from bot.i18n import DEFAULT_LANG, language_name
from bot.storage import Storage
from bot.storage.reports import REPORT_KIND

__all__ = [
    "CAPTION_LIMIT",
    "REPORT_TIME",
    "WeekFigures",
    "caption_text",
    "due_week",
    "parse_week",
    "png_bytes",
    "queue_weekly_report",
    "render_png",
    "summary_lines",
    "week_of",
    "weekly_figures",
]

log = logging.getLogger(__name__)

#: The report of a week is due at this time (Kazakhstan) on the Monday after it.
REPORT_TIME = dt.time(9, 0)
#: Telegram's limit for a photo's caption, in characters after entity parsing.
CAPTION_LIMIT = 1024
#: The ten busiest screens, the ten most frequent unmatched questions.
TOP = 10
#: The picture: 1400 × 1500 pixels.
FIGSIZE = (14.0, 15.0)
DPI = 100
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DIGITS = re.compile(r"\d+")
_TAG = re.compile(r"<[^>]+>")


# --- weeks -----------------------------------------------------------------------------------------


def parse_week(text: str) -> dt.date:
    """The Monday of an ISO week written ``2026-W49``; ValueError for anything else."""
    found = _WEEK.match(text.strip())
    if not found:
        raise ValueError(f"{text!r} is not an ISO week: write it like 2026-W49")
    year, number = int(found[1]), int(found[2])
    try:
        return dt.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{text!r}: the year {year} has no week {number}") from None


def week_of(day: dt.date) -> str:
    """The ISO week a day belongs to, as ``2026-W49``."""
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def due_week(now: dt.datetime) -> str:
    """The latest week whose report is due at ``now``: last week from Monday 09:00 (Kazakhstan) on."""
    local = now.astimezone(KZ_TZ)
    shifted = local - dt.timedelta(hours=REPORT_TIME.hour, minutes=REPORT_TIME.minute)
    return week_of(shifted.date() - dt.timedelta(days=7))


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    """One week in numbers. Nothing here names a user."""

    week: str  # 2026-W49
    days: tuple[dt.date, ...]  # Monday .. Sunday
    opened: tuple[int, ...]  # per day, Kazakhstan time
    claimed: tuple[int, ...]
    closed: tuple[int, ...]
    first_replies: int  # operators' first answers given this week
    median_first_reply: float | None  # minutes from the case's opening to them
    unanswered: int  # cases opened this week that had no operator's answer by the week's end
    ratings: tuple[int, int, int, int, int]  # how many 1, 2, 3, 4, 5 for cases closed this week
    topics: tuple[tuple[str, int], ...]  # cases opened this week by topic (tree id), most first
    langs: tuple[tuple[str, int], ...]  # ... and by the user's language
    screens: tuple[tuple[str, int], ...]  # (node id, visits), the ten busiest
    unmatched: tuple[tuple[str, str, int], ...]  # (text with digits masked, lang, count), top ten
    unmatched_total: int  # every typed question nothing matched this week

    @property
    def rating_count(self) -> int:
        return sum(self.ratings)

    @property
    def rating_average(self) -> float | None:
        if not self.rating_count:
            return None
        return sum(stars * n for stars, n in enumerate(self.ratings, start=1)) / self.rating_count


def _ranked(counts: Counter[str], top: int | None = None) -> tuple[tuple[str, int], ...]:
    items = sorted(((k, n) for k, n in counts.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))
    return tuple(items[:top] if top else items)


def mask_digits(text: str) -> str:
    """Every run of digits becomes ``#`` (phone numbers, amounts, dates, document numbers)."""
    return _DIGITS.sub("#", text)


async def weekly_figures(storage: Storage, week: str) -> WeekFigures:
    """Count one ISO week (``2026-W49``) from the database; read-only."""
    monday = parse_week(week)
    days = tuple(monday + dt.timedelta(days=i) for i in range(7))
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=KZ_TZ)
    end = start + dt.timedelta(days=7)

    def day_index(when: dt.datetime | None) -> int | None:
        if when is None or not start <= when < end:
            return None
        return (when.astimezone(KZ_TZ).date() - monday).days

    opened, claimed, closed = [0] * 7, [0] * 7, [0] * 7
    waits: list[float] = []
    unanswered = 0
    ratings = [0] * 5
    topics: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    # A day's margin: the query compares UTC strings; the exact week is checked here.
    for case in await storage.case_times(start - dt.timedelta(days=1)):
        if (i := day_index(case.created_at)) is not None:
            opened[i] += 1
            topics[case.topic] += 1
            langs[case.lang] += 1
            if case.first_reply_at is None or case.first_reply_at >= end:
                unanswered += 1
        if (i := day_index(case.claimed_at)) is not None:
            claimed[i] += 1
        if (i := day_index(case.closed_at)) is not None:
            closed[i] += 1
            if case.rating is not None and 1 <= case.rating <= 5:
                ratings[case.rating - 1] += 1
        if day_index(case.first_reply_at) is not None:
            assert case.first_reply_at is not None
            waits.append((case.first_reply_at - case.created_at).total_seconds() / 60)

    usage = await storage.usage_nodes(since=days[0].isoformat(), until=days[-1].isoformat())
    screens = _ranked(Counter({node: c["visits"] for node, c in usage.items()}), TOP)

    since = start.astimezone(dt.UTC).isoformat(timespec="seconds")
    until = end.astimezone(dt.UTC).isoformat(timespec="seconds")
    typed: Counter[tuple[str, str]] = Counter()
    for text, lang, count, _ in await storage.unmatched(limit=100_000, since=since, until=until):
        typed[(mask_digits(text), lang)] += int(count)
    unmatched = sorted(typed.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    return WeekFigures(
        week=week_of(monday),
        days=days,
        opened=tuple(opened),
        claimed=tuple(claimed),
        closed=tuple(closed),
        first_replies=len(waits),
        median_first_reply=round(statistics.median(waits), 1) if waits else None,
        unanswered=unanswered,
        ratings=(ratings[0], ratings[1], ratings[2], ratings[3], ratings[4]),
        topics=_ranked(topics),
        langs=_ranked(langs),
        screens=screens,
        unmatched=tuple((text, lang, n) for (text, lang), n in unmatched),
        unmatched_total=sum(typed.values()),
    )


# --- words ---------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """Russian style: ``14``, ``4,3``."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _period(figs: WeekFigures) -> tuple[str, str]:
    return f"{figs.days[0]:%d.%m}", f"{figs.days[-1]:%d.%m.%Y}"


def screen_label(content: Content, node_id: str, width: int = 48) -> str:
    """A screen as people know it: its topic, the title of its Russian text, and its id.

    ``Не платят зарплату: Гражданин Кыргызстана (pay_kg)``; a topic's first screen is the topic.
    """
    text = content.words.get(DEFAULT_LANG, {}).get(f"node.{node_id}.text", "")
    bold = re.match(r"\s*<b>(.*?)</b>", text, re.S)
    first = bold[1] if bold else text.strip().split("\n", 1)[0]
    first = _without_emoji(html.unescape(_TAG.sub("", first))).rstrip(".:")
    node = content.nodes.get(node_id)
    if node is not None and node.tree != "main" and content.trees.get(node.tree) != node_id:
        topic = topic_name(content, node.tree)
        first = f"{topic}: {first}" if first else topic
    if not first:
        return node_id
    return f"{_short(first, width)} ({node_id})"


def topic_name(content: Content, topic: str) -> str:
    """A case's topic (a tree id) as the main menu names it, in Russian, without its emoji."""
    entry = content.trees.get(topic)
    main = content.nodes.get(Content.MAIN)
    label = None
    if entry and main:
        option = next((o for o in main.options if o.to == entry), None)
        if option is not None:
            label = content.words.get(DEFAULT_LANG, {}).get(f"node.main.opt.{option.id}")
    if label is None and topic == Content.MAIN:
        label = content.ops("topic_person")
    return _without_emoji(label or topic) or topic


def lang_name(lang: str) -> str:
    return language_name(lang, DEFAULT_LANG)


def _without_emoji(text: str) -> str:
    kept = (
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co", "Cn", "Cf") and ch != "\ufe0f"
    )
    return " ".join("".join(kept).split())


def _items(pairs: Iterable[tuple[str, int]], limit: int = 3) -> str:
    return ", ".join(f"{html.escape(name)} {n}" for name, n in list(pairs)[:limit])


def summary_lines(figs: WeekFigures, content: Content) -> list[str]:
    """The few lines sent with the picture (Telegram HTML), most important first."""
    first, last = _period(figs)
    lines = [content.ops("report.title", week=figs.week, start=first, end=last)]
    lines.append(
        content.ops(
            "report.cases", opened=sum(figs.opened), claimed=sum(figs.claimed), closed=sum(figs.closed)
        )
    )
    if figs.median_first_reply is not None:
        lines.append(
            content.ops(
                "report.first_reply",
                minutes=_number(figs.median_first_reply),
                replies=figs.first_replies,
            )
        )
    else:
        lines.append(content.ops("report.no_replies"))
    if figs.unanswered:
        lines.append(content.ops("report.unanswered", count=figs.unanswered))
    average = figs.rating_average
    if average is not None:
        lines.append(
            content.ops("report.ratings", average=_number(round(average, 1)), count=figs.rating_count)
        )
    else:
        lines.append(content.ops("report.no_ratings"))
    if figs.topics:
        topics = ((topic_name(content, t), n) for t, n in figs.topics)
        lines.append(content.ops("report.topics", items=_items(topics)))
        langs = ((lang_name(lang), n) for lang, n in figs.langs)
        lines.append(content.ops("report.langs", items=_items(langs)))
    if figs.screens:
        screens = ((screen_label(content, node), n) for node, n in figs.screens)
        lines.append(content.ops("report.screens", items=_items(screens)))
    if figs.unmatched_total:
        quoted = ((f"«{_short(text, 40)}»", n) for text, _, n in figs.unmatched)
        lines.append(content.ops("report.unmatched", count=figs.unmatched_total, items=_items(quoted)))
    else:
        lines.append(content.ops("report.no_unmatched"))
    return lines


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def visible_length(text: str) -> int:
    """Characters Telegram counts in a caption: the text without tags, in UTF-16 units."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def caption_text(lines: Sequence[str], limit: int = CAPTION_LIMIT) -> str:
    """The lines that fit a photo's caption; the last ones are left out if the whole is too long."""
    kept: list[str] = []
    for line in lines:
        if visible_length("\n".join([*kept, line])) > limit:
            break
        kept.append(line)
    if not kept:  # a first line alone over the limit: its plain text, cut
        plain = html.unescape(_TAG.sub("", lines[0])) if lines else ""
        return html.escape(plain[: limit - 1] + "…")
    return "\n".join(kept)


def plain_text(line: str) -> str:
    """A caption line for a terminal."""
    return html.unescape(_TAG.sub("", line))


# --- the picture ---------------------------------------------------------------------------------

_COLOURS = {"opened": "#4C72B0", "claimed": "#DD8452", "closed": "#55A868"}
_BAR = "#4C72B0"
_RATING = ("#C44E52", "#DD8452", "#CCB974", "#8CBF6A", "#55A868")


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """Code points the picture's font can draw (matplotlib's own DejaVu Sans)."""
    from matplotlib import font_manager, ft2font

    font = ft2font.FT2Font(font_manager.findfont("DejaVu Sans"))
    return frozenset(font.get_charmap())


def _drawable(text: str) -> str:
    """Text as matplotlib draws it literally: no emoji or glyphs the font lacks, ``$`` not math."""
    glyphs = _glyphs()
    kept = "".join(ch for ch in _without_emoji(text) if ord(ch) in glyphs or ch == " ")
    return kept.replace("$", r"\$")


def png_bytes(figs: WeekFigures, content: Content) -> bytes:
    """The report as a PNG (1400 × 1500 pixels): four bands, each laid out on its own."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    def draw(text: str) -> str:
        return _drawable(plain_text(text))

    def title(ax: Any, text: str) -> None:
        ax.set_title(text, loc="left", fontweight="bold", fontsize=12)

    def empty(ax: Any) -> None:
        ax.text(
            0.5,
            0.5,
            draw(content.ops("report.empty")),
            ha="center",
            va="center",
            color="#888888",
            transform=ax.transAxes,
        )
        ax.set_xticks([])
        ax.set_yticks([])

    def hbars(ax: Any, heading: str, pairs: Sequence[tuple[str, int]]) -> None:
        title(ax, heading)
        if not pairs:
            empty(ax)
            return
        values = [n for _, n in pairs]
        bars = ax.barh(range(len(pairs)), values, color=_BAR)
        ax.set_yticks(range(len(pairs)), [_drawable(name) for name, _ in pairs])
        ax.invert_yaxis()
        ax.bar_label(bars, padding=3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(values) * 1.12)

    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.2, h_pad=0.15)  # inches of white around each panel
    fig.set_facecolor("white")
    first, last = _period(figs)
    if figs.median_first_reply is not None:
        minutes = _number(figs.median_first_reply)
        reply = draw(content.ops("report.chart_reply", minutes=minutes, replies=figs.first_replies))
    else:
        reply = draw(content.ops("report.no_replies"))
    heading = draw(content.ops("report.chart_title", week=figs.week, start=first, end=last))
    fig.suptitle(f"{heading}\n{reply}", fontsize=16, fontweight="bold")
    # Subfigures: long labels in one band do not squeeze the others.
    bands = fig.subfigures(4, 1, height_ratios=(1.1, 1.0, 1.25, 1.25))
    axes = []

    # Cases per day, and ratings.
    days_ax, ratings_ax = bands[0].subplots(1, 2, width_ratios=(1.7, 1.0))
    totals = {"opened": sum(figs.opened), "claimed": sum(figs.claimed), "closed": sum(figs.closed)}
    title(days_ax, draw(content.ops("report.chart_days", **totals)))
    width = 0.27
    legend = {
        "opened": content.ops("report.opened"),
        "claimed": content.ops("report.claimed"),
        "closed": content.ops("report.closed"),
    }
    for shift, key in ((-1, "opened"), (0, "claimed"), (1, "closed")):
        xs = [i + shift * width for i in range(7)]
        days_ax.bar(xs, getattr(figs, key), width, label=draw(legend[key]), color=_COLOURS[key])
    names = [babel_date(day, "EEE", locale="ru") for day in figs.days]
    days_ax.set_xticks(range(7), [f"{name}\n{day:%d.%m}" for name, day in zip(names, figs.days, strict=True)])
    days_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    days_ax.set_ylim(0, max(1, *figs.opened, *figs.claimed, *figs.closed) * 1.25)
    days_ax.legend(loc="upper right", frameon=False, ncols=3)
    average = figs.rating_average
    if average is None:
        title(ratings_ax, draw(content.ops("report.chart_ratings_none")))
    else:
        words = content.ops(
            "report.chart_ratings", average=_number(round(average, 1)), count=figs.rating_count
        )
        title(ratings_ax, draw(words))
    bars = ratings_ax.bar([f"{stars} ★" for stars in range(1, 6)], figs.ratings, color=_RATING)
    ratings_ax.bar_label(bars, padding=2)
    ratings_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ratings_ax.set_ylim(0, max(1, *figs.ratings) * 1.2)
    axes += [days_ax, ratings_ax]

    # Cases by topic and by language.
    topics_ax, langs_ax = bands[1].subplots(1, 2, width_ratios=(1.7, 1.0))
    hbars(
        topics_ax,
        draw(content.ops("report.chart_topics")),
        [(topic_name(content, t), n) for t, n in figs.topics],
    )
    hbars(langs_ax, draw(content.ops("report.chart_langs")), [(lang_name(lang), n) for lang, n in figs.langs])
    axes += [topics_ax, langs_ax]

    # The busiest screens; the questions the bot did not understand.
    screens_ax = bands[2].subplots()
    hbars(
        screens_ax,
        draw(content.ops("report.chart_screens")),
        [(screen_label(content, s, 70), n) for s, n in figs.screens],
    )
    unmatched_ax = bands[3].subplots()
    hbars(
        unmatched_ax,
        draw(content.ops("report.chart_unmatched", count=figs.unmatched_total)),
        [(f"{_short(text, 70)} · {lang}", n) for text, lang, n in figs.unmatched],
    )
    axes += [screens_ax, unmatched_ax]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)

    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out, metadata={"Software": None})
    return out.getvalue()


def render_png(figs: WeekFigures, path: str | Path, content: Content) -> Path:
    """Write the report's PNG to ``path`` (whole or not at all) and return the path."""
    data = png_bytes(figs, content)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


# --- queueing for the admins ---------------------------------------------------------------------


async def queue_weekly_report(
    storage: Storage,
    content: Content,
    admins: Iterable[int],
    now: dt.datetime,
    week: str | None = None,
) -> list[int]:
    """Queue ``week``'s report (default: the one due at ``now``) for every admin who has not had it.

    One outbox item per admin, all in one transaction: after a crash either every admin's item is
    there for the courier, or none is and the next run queues them. An admin whose item exists
    (waiting, sent or given up) is skipped, so running this twice never sends twice. Returns the
    admins queued now.
    """
    week = week or due_week(now)
    admins = sorted(set(admins))
    waiting = [admin for admin in admins if not await storage.report_queued(week, admin)]
    if not waiting:
        return []
    figs = await weekly_figures(storage, week)
    png = await asyncio.to_thread(png_bytes, figs, content)
    payload = {
        "report": week,
        "png": base64.b64encode(png).decode("ascii"),
        "filename": f"joldosh-{week}.png",
        "caption": caption_text(summary_lines(figs, content)),
        "receipt": {"report": week},
    }
    queued = []
    async with storage.transaction():
        await storage.compact_reports()
        for admin in waiting:
            if await storage.report_queued(week, admin):
                continue  # another run took it meanwhile
            await storage.send_later(admin, REPORT_KIND, payload)
            queued.append(admin)
    log.info("weekly report %s queued for %d admin(s), %d bytes", week, len(queued), len(png))
    return queued
