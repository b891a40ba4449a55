"""Pictures of the trees: ``python -m bot content graph`` and ``content report --usage``.

:func:`tree_dot` is pure: content (and, optionally, usage counters) in, Graphviz DOT text out.
Every node shows its short title in the chosen language and its id; shapes, badges and colours
mark urgent screens, hand-offs to an operator, the deadlines form, typed-question entry points,
texts missing in the language (Russian is shown instead) and facts last checked more than
:data:`STALE_MONTHS` months ago. With usage counters the fill of a node darkens with its visits
(log scale), edges grow with the moves made that way, and screens with buttons where most
visitors stopped are outlined thick red: where people get lost is visible at a glance.

:func:`render` runs Graphviz's ``dot`` for ``.svg``/``.png``; ``.dot`` needs no Graphviz.

Editor-facing words (badges, legend) are English, as in ``content check`` and ``content report``.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.model import Content, Node
from bot.content.render import render_placeholders
from bot.html import to_plain
from bot.i18n import DEFAULT_LANG

if TYPE_CHECKING:
    from bot.storage import Storage

__all__ = [
    "DROP_MIN_VISITS",
    "DROP_SHARE",
    "FORMATS",
    "GraphvizError",
    "GraphvizMissing",
    "INSTALL_HINT",
    "Marks",
    "STALE_MONTHS",
    "Usage",
    "drop_offs",
    "dot_html",
    "dot_quote",
    "graph_command",
    "load_usage",
    "read_usage",
    "marks_for",
    "render",
    "report_usage",
    "title_of",
    "tree_dot",
    "usage_report",
]

#: A fact checked longer ago than this is highlighted.
STALE_MONTHS = 6
#: A screen with buttons where at least this share of its visitors stopped ...
DROP_SHARE = 0.5
#: ... out of at least this many visits is outlined as a drop-off.
DROP_MIN_VISITS = 5
TITLE_LIMIT = 40
LABEL_LIMIT = 30
FORMATS = ("svg", "png", "dot")
RENDER_TIMEOUT = 60.0

INSTALL_HINT = (
    "Graphviz `dot` is not installed; it draws the picture.\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  Windows:        winget install graphviz   (or https://graphviz.org/download/)\n"
    "Without it, write the DOT text instead: --out FILE.dot"
)

FONT = "DejaVu Sans,Arial,sans-serif"
# Colours: badges (background, text), node kinds (fill without usage), usage scale.
_BADGE = {
    "urgent": ("#b71c1c", "#ffffff"),
    "handoff": ("#6a1b9a", "#ffffff"),
    "remind": ("#00695c", "#ffffff"),
    "typed": ("#0277bd", "#ffffff"),
    "danger": ("#e65100", "#ffffff"),
    "missing": ("#ffb300", "#000000"),
    "stale": ("#fff176", "#000000"),
}
_KIND_FILL = {"urgent": "#ffebee", "handoff": "#f3e5f5", "remind": "#e0f2f1"}
_SHAPE = {"urgent": "octagon", "handoff": "hexagon", "remind": "note"}
#: ColorBrewer "Blues", light to dark: the fill of a node by its visits.
_BLUES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
#: Above this share of the scale the fill is dark and the words turn white.
_DARK_FROM = 0.6
_DROP_COLOUR = "#d50000"
_EDGE_COLOUR = "#1f4e79"
_IDLE_COLOUR = "#b0b0b0"
#: An urgent screen's first line is the numbers to call, not a title.
_NUMBERS_LINE = re.compile(r"(?<!\d)1\d\d(?!\d)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: Joiners and variation selectors of emoji.
_EMOJI_GLUE = {"\ufe0f", "\ufe0e", "\u200d", "\u20e3"}


# --- Escaping --------------------------------------------------------------------------------


def dot_quote(text: str) -> str:
    """A DOT double-quoted string showing ``text`` literally (one line; Graphviz escapes off).

    Backslashes and quotes are escaped, so ``\\n``-like sequences stay text; ``&`` is written as
    an entity because Graphviz reads entities such as ``&lt;`` in every label.
    """
    text = _CONTROL.sub(" ", text.replace("\n", " "))
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{text}"'


def _dot_lines(*lines: str) -> str:
    """A DOT label of several lines, each escaped like :func:`dot_quote`."""
    return '"' + "\\n".join(dot_quote(line)[1:-1] for line in lines) + '"'


def dot_html(text: str) -> str:
    """Text for a Graphviz HTML-like label: the markup characters are entities."""
    return html.escape(_CONTROL.sub(" ", " ".join(text.split())), quote=True)


# --- What a node is --------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """Counters read from the database: per node (``visits``, ``stops``, ``backs``, ``handoffs``,
    ``reminders``, ``typed``) and per move between two screens."""

    nodes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    edges: Mapping[tuple[str, str], int] = field(default_factory=dict)
    #: Where the counts come from, for the picture's title ("since 2026-11-01, all languages").
    about: str = ""

    def node(self, node_id: str, counter: str) -> int:
        return int(self.nodes.get(node_id, {}).get(counter, 0))


@dataclass(frozen=True)
class Marks:
    """Everything the picture says about one node."""

    title: str
    urgent: bool = False
    handoff: bool = False
    remind: bool = False
    #: "danger" (a typed question opens it at once), "topic" (offered as a button) or None.
    typed: str | None = None
    #: Keys of this node's words missing in the language (Russian is shown instead).
    missing: tuple[str, ...] = ()
    #: The last check, when it is older than :data:`STALE_MONTHS` months.
    stale: dt.date | None = None
    #: Most visitors stopped at this screen with buttons (usage only).
    drop_off: bool = False


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_before(today: dt.date) -> dt.date:
    """A node last checked before this day is stale."""
    return _months_before(today, STALE_MONTHS)


def _typed_targets(content: Content) -> dict[str, str]:
    """node -> "danger" | "topic": where typed questions lead (shared rules and every language's
    phrases, since every language's phrases are tried for every user)."""
    targets: dict[str, str] = {}
    tables = [content.concept_rules, *content.keywords.values()]
    for section in ("topics", "danger"):  # danger wins
        for table in tables:
            for node_id in table.get(section, {}):
                targets[node_id] = "danger" if section == "danger" else "topic"
    return targets


def _is_urgent(node: Node) -> bool:
    return node.tree == "urgent" or node.id.startswith("sos_")


def _ui(content: Content, lang: str):
    def ui(key: str) -> str:
        found = content.word(lang, f"ui.{key}")
        return found.text if found else ""

    return ui


def _plain(content: Content, lang: str, text: str, today: dt.date) -> str:
    mrp = content.mrp_for(today.year)
    return to_plain(render_placeholders(text, lang, _ui(content, lang), mrp, year=today.year))


def _no_emoji(text: str) -> str:
    """Text without emoji: Graphviz cannot size them, and many fonts draw them as boxes."""
    return "".join(
        ch
        for ch in text
        if ch not in _EMOJI_GLUE and not (unicodedata.category(ch) in ("So", "Sk") and ord(ch) >= 0x2190)
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(_no_emoji(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:—-") + "…"


def _label(content: Content, lang: str, node: Node, option_id: str, today: dt.date) -> tuple[str, bool]:
    """A button's label in ``lang`` (plain, shortened) and whether it fell back to Russian."""
    found = content.word(lang, f"node.{node.id}.opt.{option_id}")
    if found is None:
        return option_id, True
    return _shorten(_plain(content, lang, found.text, today), LABEL_LIMIT), found.lang != lang


def title_of(content: Content, node_id: str, lang: str, today: dt.date) -> str:
    """The node's short title in ``lang``: the first line of its text, trimmed.

    Urgent screens open with the numbers to call, so their title is the label of the buttons
    that lead to them (the most common one; among equals, a button of the same tree).
    """
    found = content.word(lang, f"node.{node_id}.text")
    lines = [ln.strip() for ln in _plain(content, lang, found.text, today).splitlines()] if found else []
    first = next((ln for ln in lines if ln), node_id)
    node = content.nodes[node_id]
    if _is_urgent(node) and _NUMBERS_LINE.search(first):
        labels: Counter[str] = Counter()
        same_tree: set[str] = set()
        for parent in content.nodes.values():
            for opt in parent.options:
                if opt.to == node_id:
                    label = _label(content, lang, parent, opt.id, today)[0]
                    labels[label] += 1
                    if parent.tree == node.tree:
                        same_tree.add(label)
        if labels:
            first = max(labels, key=lambda label: (labels[label], label in same_tree))
    return _shorten(first, TITLE_LIMIT) or node_id


def marks_for(content: Content, node_id: str, lang: str, today: dt.date, usage: Usage | None = None) -> Marks:
    """What the picture shows for one node (see :class:`Marks`)."""
    node = content.nodes[node_id]
    missing: list[str] = []
    if lang != DEFAULT_LANG:
        keys = [f"node.{node_id}.text", *(f"node.{node_id}.opt.{o.id}" for o in node.options)]
        missing = [k for k in keys if not content.words.get(lang, {}).get(k)]
    stale = node.verified_on if node.verified_on and node.verified_on < stale_before(today) else None
    drop = False
    if usage is not None and node.options:
        visits, stops = usage.node(node_id, "visits"), usage.node(node_id, "stops")
        drop = visits >= DROP_MIN_VISITS and stops >= DROP_SHARE * visits
    return Marks(
        title=title_of(content, node_id, lang, today),
        urgent=_is_urgent(node),
        handoff=node.action == "escalate",
        remind=node.action == "remind",
        typed=_typed_targets(content).get(node_id),
        missing=tuple(missing),
        stale=stale,
        drop_off=drop,
    )


def drop_offs(content: Content, usage: Usage) -> list[tuple[str, int, int]]:
    """Screens with buttons where people stopped, worst first: (node, stops, visits).

    Only those with at least :data:`DROP_MIN_VISITS` visits; an answer without buttons is where
    a walk is meant to end, so it is not a drop-off.
    """
    rows = []
    for node in content.nodes.values():
        visits, stops = usage.node(node.id, "visits"), usage.node(node.id, "stops")
        if node.options and visits >= DROP_MIN_VISITS and stops > 0:
            rows.append((node.id, stops, visits))
    rows.sort(key=lambda r: (-r[1] / r[2], -r[2], r[0]))
    return rows


# --- DOT ------------------------------------------------------------------------------------


def _scale(value: int, top: int) -> float:
    """0..1 on a log scale: 0 for nothing, 1 for the busiest."""
    if value <= 0 or top <= 0:
        return 0.0
    return math.log1p(value) / math.log1p(top)


def _fill(t: float) -> str:
    """Light to dark blue along :data:`_BLUES` for 0 < t <= 1; white for no visits."""
    if t <= 0:
        return "#ffffff"
    pos = min(t, 1.0) * (len(_BLUES) - 1)
    i = min(int(pos), len(_BLUES) - 2)
    lo, hi = (tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in _BLUES[i : i + 2])
    rgb = (round(a + (b - a) * (pos - i)) for a, b in zip(lo, hi, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _badge(kind: str, text: str) -> str:
    bg, fg = _BADGE[kind]
    return f'<TD BGCOLOR="{bg}"><FONT COLOR="{fg}" POINT-SIZE="9">{dot_html(text)}</FONT></TD>'


def _badges(marks: Marks, lang: str) -> list[str]:
    out = []
    if marks.urgent:
        out.append(_badge("urgent", "URGENT"))
    if marks.handoff:
        out.append(_badge("handoff", "HAND-OFF"))
    if marks.remind:
        out.append(_badge("remind", "DEADLINES"))
    if marks.typed == "danger":
        out.append(_badge("danger", "TYPED: OPENS AT ONCE"))
    elif marks.typed == "topic":
        out.append(_badge("typed", "TYPED"))
    if marks.missing:
        if any(k.endswith(".text") for k in marks.missing):
            out.append(_badge("missing", f"NO {lang.upper()} TEXT"))
        else:
            n = len(marks.missing)
            out.append(_badge("missing", f"{lang.upper()}: {n} LABEL{'S' if n > 1 else ''} MISSING"))
    if marks.stale is not None:
        out.append(_badge("stale", f"CHECKED {marks.stale.isoformat()}"))
    return out


def _usage_line(usage: Usage, node_id: str) -> str:
    visits = usage.node(node_id, "visits")
    parts = [f"visits {visits}"]
    if visits:
        parts.append(f"stop {round(100 * usage.node(node_id, 'stops') / visits)}%")
    more = (("backs", "back"), ("typed", "typed"), ("handoffs", "hand-off"), ("reminders", "remind"))
    for counter, word in more:
        if usage.node(node_id, counter):
            parts.append(f"{word} {usage.node(node_id, counter)}")
    return " · ".join(parts)


def _node_label(title: str, sub: str, badges: list[str], usage_line: str | None, dark: bool) -> str:
    ink = ' COLOR="#ffffff"' if dark else ' COLOR="#000000"'
    grey = "#dddddd" if dark else "#555555"
    # Graphviz refuses an empty <FONT></FONT>: rows without words are left out.
    rows = [f"<TR><TD><FONT{ink}><B>{dot_html(title) or '?'}</B></FONT></TD></TR>"]
    if dot_html(sub):
        rows.append(f'<TR><TD><FONT POINT-SIZE="9" COLOR="{grey}">{dot_html(sub)}</FONT></TD></TR>')
    if badges:
        cells = "".join(badges)
        rows.append(
            f'<TR><TD><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2"><TR>{cells}</TR></TABLE></TD></TR>'
        )
    if usage_line is not None:
        rows.append(f'<TR><TD><FONT POINT-SIZE="10"{ink}>{dot_html(usage_line)}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _attrs(**attrs: str) -> str:
    """``[k=v, ...]``: values starting with ``<`` are HTML labels, others are written as given
    (callers pass them through :func:`dot_quote` or as bare numbers/keywords)."""
    return "[" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]"


def _node_stmt(
    content: Content, node_id: str, lang: str, today: dt.date, usage: Usage | None, top_visits: int
) -> str:
    node = content.nodes[node_id]
    marks = marks_for(content, node_id, lang, today, usage)
    kind = "urgent" if marks.urgent else "handoff" if marks.handoff else "remind" if marks.remind else None
    style = ["filled"]
    if kind in (None, "handoff"):
        style.append("rounded")
    if marks.missing:
        style.append("dashed")
    if usage is not None:
        t = _scale(usage.node(node_id, "visits"), top_visits)
        fill, dark = _fill(t), t > _DARK_FROM
    else:
        fill, dark = _KIND_FILL.get(kind or "", "#ffffff"), False
    sub = node_id if node.options or node.action is None else f"{node_id} · {node.action}"
    label = _node_label(
        marks.title,
        sub,
        _badges(marks, lang),
        _usage_line(usage, node_id) if usage is not None else None,
        dark,
    )
    attrs = {
        "label": label,
        "shape": _SHAPE.get(kind or "", "box"),
        "style": dot_quote(",".join(style)),
        "fillcolor": dot_quote(fill),
        "tooltip": dot_quote(f"{node_id} ({node.tree})"),
    }
    if marks.drop_off:
        attrs |= {"color": dot_quote(_DROP_COLOUR), "penwidth": "5"}
    elif marks.urgent:
        attrs |= {"color": dot_quote(_BADGE["urgent"][0]), "penwidth": "1.5"}
    return f"  {dot_quote(node_id)} {_attrs(**attrs)};"


def _edge_stmt(src: str, dst: str, label: str, count: int | None, top_edges: int, missing: bool) -> str:
    attrs: dict[str, str] = {}
    lines = [label]
    if count is not None:
        lines.append(str(count))
        if count > 0:
            width = 1 + 7 * _scale(count, top_edges)
            attrs |= {"penwidth": f"{width:.1f}", "color": dot_quote(_EDGE_COLOUR)}
        else:
            attrs |= {"color": dot_quote(_IDLE_COLOUR), "style": "dashed"}
    attrs["label"] = _dot_lines(*lines)
    if missing:
        attrs["fontcolor"] = dot_quote("#b26a00")
    return f"  {dot_quote(src)} -> {dot_quote(dst)} {_attrs(**attrs)};"


def _stub_stmt(stub: str, text: str) -> str:
    attrs = {
        "label": dot_quote(text),
        "shape": "box",
        "style": dot_quote("dashed,rounded"),
        "color": dot_quote("#888888"),
        "fontcolor": dot_quote("#555555"),
        "fontsize": "10",
    }
    return f"  {dot_quote(stub)} {_attrs(**attrs)};"


def _legend(lang: str, usage: Usage | None, today: dt.date) -> list[str]:
    """A cluster of sample nodes explaining every shape, badge and colour."""

    def sample(key: str, title: str, sub: str, badges: list[str], **extra: str) -> str:
        attrs = {
            "label": _node_label(title, sub, badges, None, extra.pop("dark", "") == "1"),
            "shape": extra.pop("shape", "box"),
            "style": dot_quote(extra.pop("style", "filled,rounded")),
            "fillcolor": dot_quote(extra.pop("fillcolor", "#ffffff")),
            **extra,
        }
        return f"    {dot_quote('~legend:' + key)} {_attrs(**attrs)};"

    cut = stale_before(today).isoformat()
    out = [
        "  subgraph cluster_legend {",
        f"    label={dot_quote('Legend')}; fontsize=14; style=rounded; color={dot_quote('#999999')};",
        sample("screen", "Screen title", "node id (· action)", []),
        sample(
            "urgent",
            "Urgent screen",
            "tree urgent, sos_*",
            [_badge("urgent", "URGENT")],
            shape="octagon",
            style="filled",
            fillcolor=_KIND_FILL["urgent"],
            color=dot_quote(_BADGE["urgent"][0]),
            penwidth="1.5",
        ),
        sample(
            "handoff",
            "Hand-off to an operator",
            "action: escalate",
            [_badge("handoff", "HAND-OFF")],
            shape="hexagon",
            fillcolor=_KIND_FILL["handoff"],
        ),
        sample(
            "remind",
            "Personal deadlines form",
            "action: remind",
            [_badge("remind", "DEADLINES")],
            shape="note",
            style="filled",
            fillcolor=_KIND_FILL["remind"],
        ),
        sample(
            "typed",
            "Typed questions lead here",
            "match.yaml / concepts.yaml",
            [_badge("typed", "TYPED"), _badge("danger", "TYPED: OPENS AT ONCE")],
        ),
        sample(
            "stale",
            "Facts checked long ago",
            f"verified_on before {cut}",
            [_badge("stale", "CHECKED YYYY-MM-DD")],
        ),
        sample(
            "stub",
            "Another tree",
            "dashed: a link out of this tree",
            [],
            style="dashed,rounded",
            color=dot_quote("#888888"),
        ),
    ]
    if lang != DEFAULT_LANG:
        out.append(
            sample(
                "missing",
                f"Words missing in {lang}",
                "dashed border: Russian is shown",
                [_badge("missing", f"NO {lang.upper()} TEXT")],
                style="filled,rounded,dashed",
            )
        )
    if usage is not None:
        for key, t, words in (("few", 0.15, "few visits"), ("many", 1.0, "most visits (log scale)")):
            dark = "1" if t > _DARK_FROM else ""
            out.append(sample(key, words, "fill: visits", [], fillcolor=_fill(t), dark=dark))
        out.append(sample("edge", "A screen", "", []))
        out.append(
            sample(
                "drop",
                "Most stop here",
                f"has buttons; ≥{round(100 * DROP_SHARE)}% of ≥{DROP_MIN_VISITS} visitors stop",
                [],
                color=dot_quote(_DROP_COLOUR),
                penwidth="5",
            )
        )
        edge = _attrs(
            label=_dot_lines("button label", "moves that way"), penwidth="6", color=dot_quote(_EDGE_COLOUR)
        )
        out.append(f"    {dot_quote('~legend:edge')} -> {dot_quote('~legend:drop')} {edge};")
    out.append("  }")
    return out


def tree_dot(
    content: Content,
    trees: Iterable[str] | None = None,
    lang: str = DEFAULT_LANG,
    today: dt.date | None = None,
    usage: Usage | None = None,
) -> str:
    """Graphviz DOT text of the trees ``trees`` (all when None) in ``lang``.

    One tree: its nodes, with dashed stubs for links to and from other trees. Several trees: one
    cluster per tree, links between them drawn in full. ``today`` decides which checks are stale.
    """
    today = today or dt.date.today()
    chosen = list(content.trees) if trees is None else list(trees)
    for tree in chosen:
        if tree not in content.trees:
            raise KeyError(f"no tree {tree!r}; trees: {', '.join(content.trees)}")
    drawn = [n for n in content.nodes.values() if n.tree in chosen]
    inside = {n.id for n in drawn}
    top_visits = max((usage.node(n, "visits") for n in inside), default=0) if usage else 0

    # Edges: options grouped by (from, to) so two buttons to one screen make one line.
    grouped: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for node in content.nodes.values():
        for opt in node.options:
            if node.id in inside or opt.to in inside:
                grouped.setdefault((node.id, opt.to), []).append(_label(content, lang, node, opt.id, today))
    counts = {pair: int(usage.edges.get(pair, 0)) for pair in grouped} if usage else {}
    top_edges = max(counts.values(), default=0)

    title = f"{', '.join(chosen) if trees is not None else 'all trees'} · {lang}"
    if len(chosen) == 1:
        title += f" · deep link /start {chosen[0]}" if chosen[0] != "main" else " · /start"
    title += f" · facts checked before {stale_before(today).isoformat()} are stale"
    if usage is not None:
        title += f" · usage {usage.about}".rstrip()
    lines = [
        "digraph joldosh {",
        f"  graph [rankdir=TB, label={dot_quote(title)}, labelloc=t, fontsize=18, fontname={dot_quote(FONT)},"
        ' nodesep=0.25, ranksep=0.6, charset="UTF-8"];',
        f"  node [fontname={dot_quote(FONT)}, fontsize=11, margin={dot_quote('0.08,0.04')}];",
        f"  edge [fontname={dot_quote(FONT)}, fontsize=9, color={dot_quote('#555555')}];",
    ]
    lines += _legend(lang, usage, today)
    clusters = len(chosen) > 1
    for tree in chosen:
        entry = content.trees[tree]
        if clusters:
            link = "/start" if tree == "main" else f"/start {tree}"
            lines.append(f"  subgraph {dot_quote('cluster_' + tree)} {{")
            lines.append(f"    label={dot_quote(f'{tree} ({link})')}; fontsize=14; style=rounded;")
        for node in drawn:
            if node.tree == tree:
                lines.append(
                    ("  " if clusters else "") + _node_stmt(content, node.id, lang, today, usage, top_visits)
                )
        if clusters:
            lines.append("  }")
        else:
            start = f"~start:{tree}"
            text = "/start" if tree == "main" else f"/start {tree}"
            plain = _attrs(label=dot_quote(text), shape="plaintext", fontsize="10")
            lines.append(f"  {dot_quote(start)} {plain};")
            lines.append(f"  {dot_quote(start)} -> {dot_quote(entry)} {_attrs(style='dotted')};")

    stubs: dict[str, str] = {}
    for (src, dst), labels in grouped.items():
        a, b = src, dst
        if src not in inside:
            a = f"~from:{src}"
            stubs[a] = f"{content.nodes[src].tree}: {title_of(content, src, lang, today)} ({src})"
        if dst not in inside:
            b = f"~to:{dst}"
            stubs[b] = f"→ {content.nodes[dst].tree}: {title_of(content, dst, lang, today)} ({dst})"
        text = " / ".join(dict.fromkeys(label for label, _ in labels))
        missing = any(m for _, m in labels) and lang != DEFAULT_LANG
        count = counts.get((src, dst)) if usage is not None else None
        lines.append(_edge_stmt(a, b, text, count, top_edges, missing))
    for stub, text in sorted(stubs.items()):
        lines.append(_stub_stmt(stub, text))
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Rendering -------------------------------------------------------------------------------


class GraphvizMissing(RuntimeError):
    """The ``dot`` program is not installed."""


class GraphvizError(RuntimeError):
    """``dot`` failed or took too long."""


def render(dot_text: str, out: Path, fmt: str, *, timeout: float = RENDER_TIMEOUT) -> None:
    """Write ``dot_text`` to ``out`` as ``fmt`` (``dot`` as is; ``svg``/``png`` through Graphviz)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "dot":
        out.write_text(dot_text, encoding="utf-8")
        return
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(INSTALL_HINT)
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}", "-o", str(out)],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"dot took longer than {timeout:.0f} s for {out}") from exc
    if done.returncode != 0:
        raise GraphvizError(f"dot failed for {out}: {done.stderr.decode('utf-8', 'replace').strip()}")


# --- Usage from the database, and the command line -------------------------------------------


async def read_usage(storage: Storage, since: dt.date | None = None, lang: str | None = None) -> Usage:
    """The counters in ``storage`` from ``since`` on (all languages unless ``lang``)."""
    first = since.isoformat() if since else "0000-00-00"
    nodes = await storage.usage_nodes(since=first, lang=lang)
    edges = await storage.usage_edges(since=first, lang=lang)
    about = f"since {since.isoformat()}" if since else "all days"
    about += f", {lang} users" if lang else ", all languages"
    return Usage(nodes=nodes, edges=edges, about=about)


def load_usage(database: Path, since: dt.date | None = None, lang: str | None = None) -> Usage:
    """:func:`read_usage` of the database file ``database``."""
    import asyncio

    from bot.storage import Storage

    async def read() -> Usage:
        async with Storage(database) as storage:
            return await read_usage(storage, since, lang)

    return asyncio.run(read())


def usage_report(
    content: Content, usage: Usage, lang: str = DEFAULT_LANG, top: int = 15, today: dt.date | None = None
) -> str:
    """The busiest paths (moves between screens) and the screens with buttons where most people stopped."""
    today = today or dt.date.today()

    def name(node_id: str) -> str:
        if node_id not in content.nodes:
            return f"{node_id} (no longer in the content)"
        return f"{node_id} «{title_of(content, node_id, lang, today)}»"

    buttons = {(n.id, o.to) for n in content.nodes.values() for o in n.options}
    lines = [f"Usage ({usage.about})", "", f"Busiest paths (top {top} moves between screens):"]
    busiest = sorted(usage.edges.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    for (src, dst), count in busiest:
        how = "" if (src, dst) in buttons else "   [not a button: back, menu, typed or link]"
        lines.append(f"  {count:6}  {name(src)} → {name(dst)}{how}")
    if not busiest:
        lines.append("  none recorded")
    lines += [
        "",
        f"Worst drop-off (screens with buttons where visitors stopped; at least {DROP_MIN_VISITS} visits;"
        f" ≥{round(100 * DROP_SHARE)}% is outlined red in the graph):",
    ]
    drops = drop_offs(content, usage)
    for node_id, stops, visits in drops[:top]:
        flag = "  ◀" if stops >= DROP_SHARE * visits else ""
        lines.append(f"  {100 * stops / visits:5.0f}%  {stops:5}/{visits:<5}  {name(node_id)}{flag}")
    if not drops:
        lines.append("  none")
    return "\n".join(lines)


def _usage_or_error(database: Path, since: dt.date | None) -> Usage | None:
    from bot.storage.postgres import is_postgres_url

    if not is_postgres_url(database) and not Path(database).exists():
        print(f"no database at {database} (set DATABASE_PATH or pass --db)", file=sys.stderr)
        return None
    return load_usage(database, since)


def report_usage(root: Path, database: Path, since: dt.date | None = None, lang: str = DEFAULT_LANG) -> int:
    """``python -m bot content report --usage [--since DATE] [--db PATH]``."""
    from bot.content.loader import load_content

    content = load_content(root)
    usage = _usage_or_error(database, since)
    if usage is None:
        return 1
    print(usage_report(content, usage, lang))
    return 0


def _is_folder(out: Path) -> bool:
    return out.is_dir() or str(out).endswith(("/", "\\")) or not out.suffix


def graph_command(
    root: Path,
    *,
    tree: str | None,
    lang: str,
    out: Path | None,
    fmt: str | None = None,
    usage: bool = False,
    since: dt.date | None = None,
    database: Path | None = None,
    today: dt.date | None = None,
) -> int:
    """``python -m bot content graph [--tree ID] [--lang ky] [--out FILE.svg|.png|.dot|FOLDER]``.

    No ``--out``: the DOT text on standard output. A folder: one file per tree (``<tree>.svg``,
    or ``--format``). A file without ``--tree``: every tree in one picture, one cluster per tree.
    Exit codes: 0 done, 1 bad input or Graphviz failed, 2 Graphviz is not installed.
    """
    from bot.content.loader import load_content

    content = load_content(root)
    if tree is not None and tree not in content.trees:
        print(f"no tree {tree!r}; trees: {', '.join(content.trees)}", file=sys.stderr)
        return 1
    counts = None
    if usage:
        assert database is not None
        counts = _usage_or_error(database, since)
        if counts is None:
            return 1
    jobs: list[tuple[list[str] | None, Path | None, str]] = []
    if out is None:
        jobs.append(([tree] if tree else None, None, "dot"))
    elif _is_folder(out):
        out.mkdir(parents=True, exist_ok=True)
        kind = fmt or "svg"
        for tid in [tree] if tree else list(content.trees):
            jobs.append(([tid], out / f"{tid}.{kind}", kind))
    else:
        kind = fmt or out.suffix.lstrip(".").lower()
        if kind not in FORMATS:
            print(f"cannot write {out}: use .svg, .png or .dot (or --format)", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        jobs.append(([tree] if tree else None, out, kind))
    for trees, path, kind in jobs:
        text = tree_dot(content, trees, lang, today, counts)
        if path is None:
            sys.stdout.write(text)
            continue
        try:
            render(text, path, kind)
        except GraphvizMissing as exc:
            print(exc, file=sys.stderr)
            return 2
        except GraphvizError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {path}")
    return 0
