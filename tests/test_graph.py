"""Pictures of the trees (``python -m bot content graph``) and the usage report.

The DOT text is checked at parse level for every tree and language (every node and button is
there, every marker where it belongs, labels escaped so they read back exactly), usage shading
follows the counts, and, when Graphviz is installed, every tree is rendered to SVG and the words
are read back from the SVG. The demo database is built by walking the real content through the
real dialogue, and its counters are compared with the walks' own script.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.content import graph
from bot.content.graph import (
    DROP_MIN_VISITS,
    Usage,
    dot_html,
    dot_quote,
    drop_offs,
    marks_for,
    read_usage,
    render,
    stale_before,
    title_of,
    tree_dot,
    usage_report,
)
from bot.content.model import Content
from bot.i18n import LANGS
from bot.storage import Storage
from tests.bot_harness import running_bot
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT, REPO, TODAY
from tests.db_inspect import target
from tests.fake_api import FakeTelegram

HAS_DOT = shutil.which("dot") is not None
NO_DOT = "Graphviz `dot` not installed: apt-get install graphviz"
SVG = "{http://www.w3.org/2000/svg}"


# --- A small parser for the DOT this module writes --------------------------------------------

_STMT = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"(?:\s*->\s*"((?:[^"\\]|\\.)*)")?\s*\[(.*)\];\s*$')


def _unquote(text: str) -> str:
    """A DOT quoted string's text: ``\\"`` and ``\\\\`` are the characters, ``\\n`` a new line."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _attrs(body: str) -> dict[str, str]:
    """``k=v, k="v", label=<...>`` into a dict; quoted values unescaped, HTML labels kept."""
    out: dict[str, str] = {}
    i = 0
    while i < len(body):
        m = re.compile(r"\s*([a-z]+)=").match(body, i)
        assert m, f"bad attribute list at {body[i : i + 40]!r}"
        key, i = m.group(1), m.end()
        if body[i] == '"':
            m = re.compile(r'"((?:[^"\\]|\\.)*)"').match(body, i)
            assert m, body[i:]
            out[key], i = _unquote(m.group(1)), m.end()
        elif body[i] == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(body[j], 0)
                j += 1
                if depth == 0:
                    break
            out[key], i = body[i + 1 : j - 1], j
        else:
            m = re.compile(r"[^,\s]+").match(body, i)
            assert m
            out[key], i = m.group(0), m.end()
        m = re.compile(r"\s*,?").match(body, i)
        i = m.end() if m else i
    return out


def parse(dot: str) -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """Node and edge statements of a DOT text written by :func:`tree_dot`."""
    lines = dot.splitlines()
    assert lines[0] == "digraph joldosh {" and lines[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges: dict[tuple[str, str], dict[str, str]] = {}
    depth = 0
    for line in lines[1:-1]:
        m = _STMT.match(line)
        if not m:
            # Anything else is structure: defaults, a subgraph's start, attributes or end.
            if re.fullmatch(r"  (graph|node|edge) \[.*\];", line) or re.fullmatch(r"\s+[a-z]+=.*;", line):
                continue
            if re.fullmatch(r'\s*subgraph (cluster_legend|"cluster_[a-z0-9_]+") \{', line):
                depth += 1
                continue
            assert line.strip() == "}" and depth > 0, f"not a statement: {line!r}"
            depth -= 1
            continue
        src, dst, body = _unquote(m.group(1)), m.group(2), m.group(3)
        if dst is None:
            assert src not in nodes, f"node {src} twice"
            nodes[src] = _attrs(body)
        else:
            edges[(src, _unquote(dst))] = _attrs(body)
    return nodes, edges


def html_words(label: str) -> list[str]:
    """The words of an HTML-like label, read by an XML parser (so the escaping must be right)."""
    root = ET.fromstring(label)
    return [" ".join(t.split()) for t in root.itertext() if t.strip()]


def label_text(value: str) -> list[str]:
    """The lines of a quoted (already unquoted) label: ``\\n`` separates lines, entities decoded."""
    return [ln.replace("&amp;", "&") for ln in value.split("\n")]


# --- Every tree, every language: parse-level -------------------------------------------------


def _in_tree(content: Content, tree: str) -> list:
    return [n for n in content.nodes.values() if n.tree == tree]


def _typed_nodes(content: Content) -> dict[str, str]:
    found: dict[str, str] = {}
    for table in (content.concept_rules, *content.keywords.values()):
        for node in table.get("topics", {}):
            found.setdefault(node, "topic")
    for table in (content.concept_rules, *content.keywords.values()):
        for node in table.get("danger", {}):
            found[node] = "danger"
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_tree_every_language_has_every_node_button_and_marker(real_content: Content, lang: str) -> None:
    content = real_content
    today = dt.date(2027, 6, 1)  # checks of 2026-11-22 are stale by then, those of 2026-12-04 are not
    typed = _typed_nodes(content)
    seen_markers: Counter[str] = Counter()
    for tree in content.trees:
        nodes, edges = parse(tree_dot(content, [tree], lang, today))
        mine = [n for n in content.nodes.values() if n.tree == tree]
        for node in mine:
            assert node.id in nodes, (tree, lang, node.id)
            attrs = nodes[node.id]
            words = html_words(attrs["label"])
            assert words[0] == title_of(content, node.id, lang, today), (node.id, words)
            assert any(w.startswith(node.id) for w in words[1:2]), words
            text = " ".join(words)
            urgent = node.tree == "urgent" or node.id.startswith("sos_")
            assert ("URGENT" in words) == urgent, (node.id, words)
            assert (attrs["shape"] == "octagon") == urgent
            assert ("HAND-OFF" in words) == (node.action == "escalate"), node.id
            assert ("DEADLINES" in words) == (node.action == "remind"), node.id
            kind = typed.get(node.id)
            assert ("TYPED: OPENS AT ONCE" in words) == (kind == "danger"), node.id
            assert ("TYPED" in words) == (kind == "topic"), node.id
            missing = lang != "ru" and not content.words[lang].get(f"node.{node.id}.text")
            assert (f"NO {lang.upper()} TEXT" in text) == missing, node.id
            stale = node.verified_on is not None and node.verified_on < stale_before(today)
            assert (f"CHECKED {node.verified_on}" in words) == stale, node.id
            seen_markers.update(w for w in words if w.isupper() and len(w) > 4)
            # Every button of the node is an edge, to the node or to a stub of another tree.
            for opt in node.options:
                target = opt.to if content.nodes[opt.to].tree == tree else f"~to:{opt.to}"
                assert (node.id, target) in edges, (node.id, opt.id, target)
                assert f"~to:{opt.to}" not in nodes or target != opt.to
        # Every link into this tree from another one has a stub too.
        for parent in content.nodes.values():
            for opt in parent.options:
                if parent.tree != tree and content.nodes[opt.to].tree == tree:
                    assert (f"~from:{parent.id}", opt.to) in edges
        # Legend, and the deep link to the entry.
        assert "~legend:urgent" in nodes and "~legend:handoff" in nodes and "~legend:typed" in nodes
        assert (f"~start:{tree}", content.trees[tree]) in edges
    # The real content has every kind of marker somewhere.
    for marker in ("URGENT", "HAND-OFF", "DEADLINES", "TYPED", "TYPED: OPENS AT ONCE"):
        assert seen_markers[marker], marker
    assert any(m.startswith("CHECKED") for m in seen_markers)


def test_button_labels_and_titles_are_in_the_language(real_content: Content) -> None:
    nodes, edges = parse(tree_dot(real_content, ["wages"], "ky", TODAY))
    assert html_words(nodes["pay_kg"]["label"])[0] == "Кыргызстандын жараны"
    assert label_text(edges[("pay", "pay_kg")]["label"]) == ["Кыргызстан"]  # emoji flag dropped
    # Urgent screens open with the numbers to call: their title is the button that leads there.
    nodes, _ = parse(tree_dot(real_content, ["urgent"], "ru", TODAY))
    assert html_words(nodes["sos_passport"]["label"])[0] == "Забрали паспорт"  # sos's button, not police's
    assert "102" not in html_words(nodes["sos_locked"]["label"])[0]


def test_missing_words_are_marked_in_the_fixture(demo_content: Content) -> None:
    """The fixture's Kyrgyz lacks demo_a's text and demo_b's: marked, dashed, Russian title shown."""
    nodes, edges = parse(tree_dot(demo_content, ["demo"], "ky", TODAY))
    words = html_words(nodes["demo_a"]["label"])
    assert words[0] == "Уровень два"  # the Russian fallback
    assert "NO KY TEXT" in words
    assert "dashed" in nodes["demo_a"]["style"]
    # demo has its Kyrgyz text but not every button label.
    assert "NO KY TEXT" not in html_words(nodes["demo"]["label"])
    assert "KY: 1 LABEL MISSING" in html_words(nodes["demo"]["label"])
    assert "dashed" in nodes["demo"]["style"]
    assert "dashed" not in nodes["demo_deep"]["style"]
    # demo's option b has no Kyrgyz label: the edge says so in another colour.
    assert edges[("demo", "demo_b")]["fontcolor"] == "#b26a00"
    assert "fontcolor" not in edges[("demo", "demo_a")]
    ru_nodes, _ = parse(tree_dot(demo_content, ["demo"], "ru", TODAY))
    assert not any(
        "NO RU" in " ".join(html_words(ru_nodes[n.id]["label"])) for n in _in_tree(demo_content, "demo")
    )
    assert "~legend:missing" not in ru_nodes


def test_stale_after_six_months(demo_content: Content) -> None:
    checked = demo_content.nodes["demo_deep"].verified_on
    assert checked == dt.date(2026, 11, 1)
    assert marks_for(demo_content, "demo_deep", "ru", dt.date(2027, 5, 1)).stale is None
    assert marks_for(demo_content, "demo_deep", "ru", dt.date(2027, 5, 2)).stale == checked
    assert stale_before(dt.date(2027, 8, 31)) == dt.date(2027, 2, 28)
    nodes, _ = parse(tree_dot(demo_content, ["demo"], "ru", dt.date(2027, 6, 1)))
    assert "CHECKED 2026-11-01" in html_words(nodes["demo_deep"]["label"])
    assert "CHECKED 2026-11-01" not in html_words(nodes["demo_a"]["label"])  # nav: no date


def _hostile(content: Content) -> Content:
    """The fixture with words full of characters DOT and HTML labels treat specially."""
    words = {lang: dict(table) for lang, table in content.words.items()}
    words["ru"]["node.demo.text"] = 'Кавычки " и \\ слеш, &lt;тег&gt; &amp; {num:5} \\n <b>жирно</b>\nвторая'
    words["ru"]["node.demo.opt.a"] = 'Вариант "А" \\ &amp; <i>x</i> ]; }'
    return dataclasses.replace(content, words=words)


def test_labels_are_escaped(demo_content: Content) -> None:
    content = _hostile(demo_content)
    dot = tree_dot(content, ["demo"], "ru", TODAY)
    nodes, edges = parse(dot)
    title = 'Кавычки " и \\ слеш, <тег> & 5 \\n жирно'
    assert title_of(content, "demo", "ru", TODAY) == title
    assert html_words(nodes["demo"]["label"])[0] == title
    assert label_text(edges[("demo", "demo_a")]["label"]) == ['Вариант "А" \\ & x ]; }']
    assert dot_quote('a"b\\c\nd&e') == '"a\\"b\\\\c d&amp;e"'
    assert dot_html('<b> & "q"') == "&lt;b&gt; &amp; &quot;q&quot;"


@pytest.mark.skipif(not HAS_DOT, reason=NO_DOT)
def test_escaped_labels_read_back_from_graphviz(demo_content: Content, tmp_path: Path) -> None:
    """Graphviz itself parses the DOT, and the SVG shows the words exactly."""
    content = _hostile(demo_content)
    out = tmp_path / "demo.svg"
    render(tree_dot(content, ["demo"], "ru", TODAY), out, "svg")
    texts = svg_texts(out)
    assert 'Кавычки " и \\ слеш, <тег> & 5 \\n жирно' in texts
    assert 'Вариант "А" \\ & x ]; }' in texts


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]


# --- Usage shading ---------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_usage_shades_nodes_and_edges_and_outlines_drop_offs(demo_content: Content) -> None:
    usage = Usage(
        nodes={
            "main": Counter(visits=200, stops=20),
            "demo": Counter(visits=100, stops=70, backs=3, typed=4),  # a menu where most stop
            "demo_a": Counter(visits=10, stops=2),
            "demo_deep": Counter(visits=8, stops=8),  # an answer: stopping there is the point
            "demo_b": Counter(visits=4, stops=4, handoffs=2),
        },
        edges=Counter({("main", "demo"): 100, ("demo", "demo_a"): 10, ("demo_a", "demo_deep"): 8}),
        about="since 2026-11-01, all languages",
    )
    nodes, edges = parse(tree_dot(demo_content, ["demo"], "ru", TODAY, usage))
    fills = {n: nodes[n]["fillcolor"] for n in ("demo", "demo_a", "demo_deep", "demo_b")}
    # More visits, darker fill (log scale); no visits would be white.
    assert _luminance(fills["demo"]) < _luminance(fills["demo_a"]) < _luminance(fills["demo_deep"])
    assert _luminance(fills["demo_deep"]) < _luminance(fills["demo_b"]) < _luminance("#ffffff")
    words = " ".join(html_words(nodes["demo"]["label"]))
    assert "visits 100 · stop 70% · back 3 · typed 4" in words
    assert "hand-off 2" in " ".join(html_words(nodes["demo_b"]["label"]))
    # Edges: width and label by the moves made that way; an unused button is thin, grey, dashed.
    wide = float(edges[("~from:main", "demo")]["penwidth"])
    mid = float(edges[("demo", "demo_a")]["penwidth"])
    assert wide > mid > 1
    assert label_text(edges[("demo", "demo_a")]["label"]) == ["Вариант А", "10"]
    assert edges[("demo", "demo_b")]["style"] == "dashed"
    assert label_text(edges[("demo", "demo_b")]["label"])[-1] == "0"
    # The menu where 70% stopped is outlined; the answer where all stopped is not; too few visits
    # (demo_b: 4) never is.
    assert nodes["demo"]["color"] == "#d50000" and nodes["demo"]["penwidth"] == "5"
    assert nodes["demo_deep"].get("color") != "#d50000"
    assert nodes["demo_a"].get("color") != "#d50000"
    assert "~legend:drop" in nodes and "~legend:many" in nodes
    assert drop_offs(demo_content, usage) == [("demo", 70, 100), ("demo_a", 2, 10), ("main", 20, 200)]
    # Without counts nothing of this is drawn.
    plain_nodes, plain_edges = parse(tree_dot(demo_content, ["demo"], "ru", TODAY))
    assert "~legend:drop" not in plain_nodes
    assert not any("penwidth" in e for e in plain_edges.values())
    assert not any(
        "visits" in " ".join(html_words(plain_nodes[n.id]["label"])) for n in _in_tree(demo_content, "demo")
    )


def test_drop_off_needs_enough_visits(demo_content: Content) -> None:
    few = Usage(nodes={"demo": Counter(visits=DROP_MIN_VISITS - 1, stops=DROP_MIN_VISITS - 1)})
    enough = Usage(nodes={"demo": Counter(visits=DROP_MIN_VISITS, stops=3)})
    half_less = Usage(nodes={"demo": Counter(visits=10, stops=4)})
    assert not marks_for(demo_content, "demo", "ru", TODAY, few).drop_off
    assert marks_for(demo_content, "demo", "ru", TODAY, enough).drop_off
    assert not marks_for(demo_content, "demo", "ru", TODAY, half_less).drop_off


def test_usage_report_lists_busiest_paths_and_drop_offs(demo_content: Content) -> None:
    usage = Usage(
        nodes={"demo": Counter(visits=40, stops=30), "demo_a": Counter(visits=9, stops=1)},
        edges=Counter({("main", "demo"): 40, ("demo", "demo_a"): 9, ("demo_a", "demo"): 2}),
        about="all days, all languages",
    )
    text = usage_report(demo_content, usage, "ru", today=TODAY)
    lines = text.splitlines()
    paths = lines.index(next(ln for ln in lines if ln.startswith("Busiest paths")))
    assert "40" in lines[paths + 1] and "main «" in lines[paths + 1] and "→ demo «" in lines[paths + 1]
    assert "9" in lines[paths + 2]
    assert "not a button" in lines[paths + 3]  # demo_a → demo was a Back press
    drop = lines.index(next(ln for ln in lines if ln.startswith("Worst drop-off")))
    assert re.search(r"75%\s+30/40\s+demo «Демо-дерево. Выберите»\s+◀", lines[drop + 1])
    assert re.search(r"11%\s+1/9\s+demo_a", lines[drop + 2])


# --- Rendering -------------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_DOT, reason=NO_DOT)
def test_every_tree_renders_to_svg_in_every_language(real_content: Content, tmp_path: Path) -> None:
    jobs = [(tree, lang) for tree in real_content.trees for lang in LANGS]

    def one(job: tuple[str, str]) -> Path:
        tree, lang = job
        out = tmp_path / f"{tree}-{lang}.svg"
        render(tree_dot(real_content, [tree], lang, TODAY), out, "svg", timeout=60)
        return out

    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = dict(zip(jobs, pool.map(one, jobs), strict=True))
    for (tree, lang), out in outs.items():
        texts = svg_texts(out)
        for node in real_content.nodes.values():
            if node.tree == tree:
                assert title_of(real_content, node.id, lang, TODAY) in texts, (tree, lang, node.id)
    # The whole content in one picture, one cluster per tree; and a PNG.
    both = tmp_path / "all.svg"
    render(tree_dot(real_content, None, "kk", TODAY), both, "svg")
    clusters = [g for g in ET.parse(both).getroot().iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert len(clusters) == len(real_content.trees) + 1  # and the legend
    png = tmp_path / "wages.png"
    render(tree_dot(real_content, ["wages"], "uz", TODAY), png, "png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_graphviz_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    monkeypatch.setenv("CONTENT_DIR", str(FIXTURE_CONTENT))
    assert main(["content", "graph", "--tree", "demo", "--out", str(tmp_path / "demo.svg")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "brew install graphviz" in err
    assert not (tmp_path / "demo.svg").exists()
    # DOT needs no Graphviz.
    assert main(["content", "graph", "--tree", "demo", "--out", str(tmp_path / "demo.dot")]) == 0
    parse((tmp_path / "demo.dot").read_text(encoding="utf-8"))


def test_graphviz_failure_and_timeout_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: boom' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(graph.shutil, "which", lambda name: str(fake))
    with pytest.raises(graph.GraphvizError, match="boom"):
        render("digraph {}", tmp_path / "x.svg", "svg")
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    with pytest.raises(graph.GraphvizError, match="longer than"):
        render("digraph {}", tmp_path / "x.svg", "svg", timeout=0.5)


def test_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(FIXTURE_CONTENT))
    # No --out: DOT on standard output.
    assert main(["content", "graph", "--tree", "demo", "--lang", "ky"]) == 0
    nodes, _ = parse(capsys.readouterr().out)
    assert "NO KY TEXT" in html_words(nodes["demo_a"]["label"])
    # A folder: one file per tree.
    assert main(["content", "graph", "--out", str(tmp_path / "pics"), "--format", "dot"]) == 0
    assert sorted(p.name for p in (tmp_path / "pics").iterdir()) == ["demo.dot", "main.dot"]
    # A file without --tree: every tree, one cluster each.
    assert main(["content", "graph", "--out", str(tmp_path / "all.dot")]) == 0
    text = (tmp_path / "all.dot").read_text(encoding="utf-8")
    assert 'subgraph "cluster_demo"' in text and 'subgraph "cluster_main"' in text
    capsys.readouterr()
    # Mistakes.
    assert main(["content", "graph", "--tree", "nope"]) == 1
    assert "no tree 'nope'" in capsys.readouterr().err
    assert main(["content", "graph", "--tree", "demo", "--out", str(tmp_path / "x.gif")]) == 1
    assert main(["content", "graph", "--usage", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert main(["content", "report", "--usage", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()  # reading never creates a database


# --- Counts from the real bot ----------------------------------------------------------------


async def test_counts_from_the_real_bot_shade_the_picture(tmp_path: Path) -> None:
    """The real PTB application on the fake Bot API counts; the picture and report show it."""
    fake = FakeTelegram()
    users = (777_100_001, 777_100_002, 777_100_003)
    db = tmp_path / "joldosh.sqlite3"
    async with running_bot(fake, db, FIXTURE_CONTENT) as bot:
        for user in users:
            fake.user(user, language_code="ru")
            fake.send_text(user, "/start")
            await bot.settle()
            fake.tap(user, "Русский")
            await bot.settle()
            fake.tap(user, "Демо")
            await bot.settle()
        fake.tap(users[0], "Вариант А")
        await bot.settle()
    assert fake.errors == []
    async with Storage(target(db)) as store:
        usage = await read_usage(store, since=dt.date(2026, 11, 1))
        assert (await read_usage(store, since=dt.date(2026, 11, 23))).edges == {}
    from bot.content.loader import load_content

    content = load_content(FIXTURE_CONTENT)
    nodes, edges = parse(tree_dot(content, ["demo"], "ru", TODAY, usage))
    assert "visits 3 · stop 67%" in " ".join(html_words(nodes["demo"]["label"]))
    assert label_text(edges[("~from:main", "demo")]["label"])[-1] == "3"
    assert label_text(edges[("demo", "demo_a")]["label"])[-1] == "1"
    assert nodes["demo_b"]["fillcolor"] == "#ffffff"  # nobody went there
    assert "since 2026-11-01" in tree_dot(content, ["demo"], "ru", TODAY, usage)


# --- The demo database and the picture in docs/ ----------------------------------------------


def _load_demo():
    spec = importlib.util.spec_from_file_location("demo_usage", REPO / "scripts" / "demo_usage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _expected(content: Content, walks) -> tuple[Counter, Counter, Counter]:
    """Visits, moves and stops the walks should leave, worked out from the content alone."""
    visits: Counter[str] = Counter()
    moves: Counter[tuple[str, str]] = Counter()
    stops: Counter[str] = Counter()
    for w in walks:
        for _ in range(w.users):
            node = "main" if w.entry == "menu" else content.trees[w.entry]
            stack: list[str] = []
            visits[node] += 1
            for step in w.steps:
                if step == "<handoff>":
                    continue
                if step == "<back>":
                    new = stack.pop() if stack else "main"
                elif step == "<menu>":
                    new, stack = "main", []
                elif step.startswith("?"):
                    new = step.split("=>")[1]
                    stack.append(node)
                else:
                    new = content.nodes[node].option(step).to
                    stack.append(node)
                visits[new] += 1
                moves[(node, new)] += 1
                node = new
            stops[node] += 1
    return visits, moves, stops


async def test_demo_walks_count_through_the_real_dialogue(real_content: Content, tmp_path: Path) -> None:
    demo = _load_demo()
    db = tmp_path / "demo.sqlite3"
    users = await demo.build(db, REAL_CONTENT)
    assert users == sum(w.users for w in demo.WALKS)
    visits, moves, stops = _expected(real_content, demo.WALKS)
    async with Storage(db) as store:
        usage = await read_usage(store)
    assert dict(usage.edges) == dict(moves)
    assert {n: c["visits"] for n, c in usage.nodes.items() if c["visits"]} == dict(visits)
    assert {n: c["stops"] for n, c in usage.nodes.items() if c["stops"]} == dict(stops)
    assert usage.node("person", "handoffs") == 6
    assert usage.node("pay_threat", "backs") == 10
    # The wages picture outlines the Uzbek screen, where most stop.
    nodes, _ = parse(tree_dot(real_content, ["wages"], "ru", TODAY, usage))
    outlined = {n for n, a in nodes.items() if a.get("color") == "#d50000" and not n.startswith("~")}
    assert outlined == {"pay_uz"}


def test_docs_picture_was_made_with_usage_shading() -> None:
    picture = REPO / "docs" / "images" / "tree-wages-usage.svg"
    root = ET.parse(picture).getroot()
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    assert any(t.startswith("visits ") for t in texts)
    assert any("Не платят зарплату" in t for t in texts)
    strokes = {p.get("stroke") for p in root.iter(f"{SVG}path")} | {
        p.get("stroke") for p in root.iter(f"{SVG}polygon")
    }
    assert "#d50000" in strokes  # a drop-off outlined


def test_scripts_test_renders_every_tree() -> None:
    """CI (scripts/test) draws every tree, so a tree Graphviz cannot draw fails the build."""
    text = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    assert "content graph" in text


def test_demo_script_runs_as_a_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "d.sqlite3"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(REPO / "scripts" / "demo_usage.py"), "--db", str(db), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    done = run("--scale", "0.05")
    assert done.returncode == 0, done.stderr
    assert db.exists() and "demo users" in done.stdout
    # The report and the picture read it.
    assert main(["content", "report", "--usage", "--db", str(db), "--since", "2026-11-01"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("Usage (since 2026-11-01, all languages)")
    assert re.search(r"^\s+\d+\s+main «Главное меню. Выберите тему:» → pay «", report, re.M)
    assert "Worst drop-off" in report
    out = tmp_path / "wages.dot"
    assert main(["content", "graph", "--tree", "wages", "--usage", "--db", str(db), "--out", str(out)]) == 0
    nodes, _ = parse(out.read_text(encoding="utf-8"))
    assert "visits " in " ".join(html_words(nodes["pay"]["label"]))
    # It refuses to overwrite a database unless asked.
    again = run("--scale", "0.05")
    assert again.returncode == 1 and "--replace" in again.stderr
    assert run("--scale", "0.05", "--replace").returncode == 0
