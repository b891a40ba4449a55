"""What the user sees: the context of one update (``_Ctx``) and the screens it shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from bot.content.model import UNWATCHED_TREES, Content, Node
from bot.content.render import render_placeholders
from bot.deadlines import Profile
from bot.engine.actions import _back_action, _opt_action
from bot.engine.model import (
    _MAIN,
    _URGENT_TREE,
    CONSULATE_CONTACTS,
    MAX_STACK,
    Button,
    MissingWords,
    Output,
    Say,
    State,
    Toast,
)
from bot.i18n import format_date, language_name, native_name


@dataclass
class _Ctx:
    content: Content
    state: State
    today: dt.date
    out: list[Output] = field(default_factory=list)
    #: The user was told that a screen they were on was removed.
    noticed: bool = False

    def word(self, key: str, lang: str | None = None) -> str:
        lang = lang or self.state.lang
        found = self.content.word(lang, key)
        if found is None:
            return ""
        if found.lang != lang:
            self.out.append(MissingWords(lang, key))
        return found.text

    def ui(self, key: str) -> str:
        return self.word(f"ui.{key}")

    def render(self, text: str) -> str:
        mrp = self.content.mrp_for(self.today.year)
        return render_placeholders(text, self.state.lang, self.ui, mrp, year=self.today.year)


def _topic_start(content: Content, tree: str | None) -> str:
    """The entry of ``tree``, or the main menu if the content has no such tree."""
    entry = content.trees.get(tree or "", _MAIN)
    return entry if entry in content.nodes else _MAIN


def _removed(ctx: _Ctx) -> None:
    """The screen the user was on is gone: say so and show where they are now (its topic)."""
    ctx.noticed = True
    ctx.out.append(Toast(ctx.ui("node_removed")))
    ctx.out.append(Say(ctx.ui("node_removed")))
    _show(ctx)


def _watchable(node: Node) -> bool:
    """Whether a node's topic has a "tell me when this changes" button (not the menu, not urgent)."""
    return node.tree not in UNWATCHED_TREES


def case_facts(content: Content, state: State) -> tuple[tuple[str, ...], str, str | None, bool]:
    """(path, topic, citizenship, urgent) of the place a user asks for help from.

    The path is the back-stack plus the current node. The topic is the tree of the first node
    after the main menu; citizenship is read from the options pressed on the way ("kg"/"uz"); a
    path through the urgent-help tree is urgent.
    """
    path = tuple(n for n in (*state.stack, state.node) if n)
    trees = [content.nodes[n].tree for n in path if n in content.nodes]
    topic = next((t for t in trees if t != _MAIN), _MAIN)
    citizenship = None
    for parent, child in zip(path, path[1:], strict=False):
        for opt in content.nodes[parent].options if parent in content.nodes else ():
            if opt.to == child and opt.id in ("kg", "uz"):
                citizenship = opt.id
    return path, topic, citizenship, _URGENT_TREE in trees


def _goto(ctx: _Ctx, node_id: str, replace_screen: bool, also: str | None = None) -> None:
    """Open ``node_id`` (if the content has it) from wherever the user is; Back returns there.
    ``also``: another screen the user's words lead to, offered as the screen's first button (a
    message that tells two dangers: the second urgent screen is one press away)."""
    if node_id in ctx.content.nodes and ctx.state.node != node_id:
        stack = (*ctx.state.stack, ctx.state.node or _MAIN)[-MAX_STACK:]
        ctx.state = replace(ctx.state, node=node_id, stack=stack)
    first: tuple[tuple[Button, ...], ...] = ()
    if also is not None and also in ctx.content.nodes and also != ctx.state.node:
        first = ((Button(_node_label(ctx, also), f"g|{ctx.content.version}|{also}"),),)
    _show(ctx, replace_screen=replace_screen, first=first)


def _node_label(ctx: _Ctx, node_id: str) -> str:
    """A short name for a node: the label of a button that leads to it."""
    target = ctx.content.nodes[node_id]
    parents = sorted(
        (n for n in ctx.content.nodes.values() for o in n.options if o.to == node_id),
        key=lambda n: (n.id != _MAIN, n.tree != target.tree),
    )
    for parent in parents:
        opt = next(o for o in parent.options if o.to == node_id)
        label = ctx.render(ctx.word(f"node.{parent.id}.opt.{opt.id}"))
        if label:
            return label
    return node_id


def _stale(ctx: _Ctx) -> None:
    ctx.out.append(Toast(ctx.ui("stale")))
    ctx.out.append(Say(ctx.ui("stale")))
    if ctx.state.node is None:
        ctx.state = replace(ctx.state, node=_MAIN)
    _show(ctx)


def _go_menu(ctx: _Ctx, replace_screen: bool = False) -> None:
    ctx.state = replace(ctx.state, node=_MAIN, stack=())
    _show(ctx, replace_screen=replace_screen)


def _go_back(ctx: _Ctx, replace_screen: bool) -> None:
    stack = ctx.state.stack
    node = stack[-1] if stack else _MAIN
    if node not in ctx.content.nodes:
        # The screen Back leads to was removed: the start of its topic (or of the current one).
        here = ctx.content.nodes.get(ctx.state.node or "")
        tree = ctx.content.retired.get(node) or (here.tree if here is not None else None)
        node = _topic_start(ctx.content, tree)
        rest = tuple(n for n in stack[:-1] if n in ctx.content.nodes)
        rest = rest[: rest.index(node)] if node in rest else rest
        ctx.state = replace(ctx.state, node=node, stack=rest if node != _MAIN else ())
        ctx.noticed = True
        ctx.out.append(Say(ctx.ui("node_removed")))
        _show(ctx)
        return
    ctx.state = replace(ctx.state, node=node, stack=stack[:-1])
    _show(ctx, replace_screen=replace_screen)


def _notice_then_screen(ctx: _Ctx, key: str) -> None:
    """Answer input we cannot use, then show the user's screen again: nothing is lost."""
    ctx.out.append(Say(ctx.ui(key)))
    if ctx.state.node is None:
        ctx.state = replace(ctx.state, node=_MAIN)
    _show(ctx)


def _offered(ctx: _Ctx) -> tuple[str, ...]:
    """Languages the picker offers this user: every complete one, and an admin's preview."""
    offered = ctx.content.offered
    preview = ctx.state.preview
    if preview and preview in ctx.content.languages and preview not in offered:
        offered = (*offered, preview)
    return offered


def _language_rows(ctx: _Ctx) -> tuple[tuple[Button, ...], ...]:
    row = tuple(
        Button(ctx.content.words[lang].get("ui.language_name") or native_name(lang), f"l|{lang}")
        for lang in _offered(ctx)
    )
    return tuple(row[i : i + 2] for i in range(0, len(row), 2))


def _show(ctx: _Ctx, replace_screen: bool = False, first: tuple[tuple[Button, ...], ...] = ()) -> None:
    """The current screen; ``first``: rows of buttons put before the screen's own."""
    node = ctx.content.nodes[ctx.state.node or _MAIN]
    ctx.out.append(Say(_node_text(ctx, node), first + _node_buttons(ctx, node), replace=replace_screen))


def _node_text(ctx: _Ctx, node: Node) -> str:
    parts = [ctx.render(ctx.word(f"node.{node.id}.text"))]
    if node.action == "escalate":
        parts.append(ctx.ui("case_already_open" if ctx.state.handoff == "case" else "handoff_offer"))
    contacts = node.contacts
    if node.action == "escalate":
        # Before waiting for a person: the numbers, and the consulate when we know the country.
        citizenship = case_facts(ctx.content, ctx.state)[2]
        extra = CONSULATE_CONTACTS.get(citizenship or "", ())
        contacts = (*contacts, *(c for c in extra if c in ctx.content.contacts and c not in contacts))
    if contacts:
        parts.append(_contacts_block(ctx, contacts))
    footer = []
    if node.check_at:
        footer.append(ctx.ui("check_at").format(site=node.check_at))
    if node.verified_on and not node.nav:
        footer.append(ctx.ui("checked_on").format(date=format_date(node.verified_on, ctx.state.lang)))
    if footer:
        parts.append("<i>" + "\n".join(footer) + "</i>")
    return "\n\n".join(p for p in parts if p)


def contacts_text(
    content: Content, lang: str, ids: tuple[str, ...], today: dt.date, *, title: bool = True
) -> str:
    """The contacts block a node would show, for texts built outside the engine."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    block = _contacts_block(ctx, ids)
    return block if title else block.split("\n", 1)[1]


def _contacts_block(ctx: _Ctx, ids: tuple[str, ...]) -> str:
    lines = []
    for cid in ids:
        c = ctx.content.contacts[cid]
        head = f"📞 <b>{c.phone}</b> — " if c.phone else ""
        line = head + ctx.word(f"contact.{cid}.name")
        facts = []
        if c.hours == "24/7":
            facts.append(ctx.ui("contact_h24"))
        if c.free is True:
            facts.append(ctx.ui("contact_free"))
        elif c.free is False:
            facts.append(ctx.ui("contact_paid"))
        if facts:
            line += " (" + ", ".join(facts) + ")"
        if c.website:
            line += f"\n{c.website}"
        if c.languages:
            names = ", ".join(language_name(code, ctx.state.lang) for code in c.languages)
            line += "\n" + ctx.ui("contact_languages").format(languages=names)
        note = ctx.content.word(ctx.state.lang, f"contact.{cid}.note")
        if note:
            line += "\n" + ctx.word(f"contact.{cid}.note")
        if c.check_at:
            line += "\n<i>" + ctx.ui("check_at").format(site=c.check_at) + "</i>"
        lines.append(line)
    return ctx.ui("contacts_title") + "\n" + "\n\n".join(lines)


def _node_buttons(ctx: _Ctx, node: Node) -> tuple[tuple[Button, ...], ...]:
    version = ctx.content.version
    rows: list[tuple[Button, ...]] = [
        (Button(ctx.render(ctx.word(f"node.{node.id}.opt.{o.id}")), _opt_action(version, node.id, o.id)),)
        for o in node.options
    ]
    if node.action == "escalate" and ctx.state.handoff != "case":
        rows.append((Button(ctx.ui("handoff_yes"), f"h|{version}|{node.id}"),))
    if node.action == "claim":
        rows.append((Button(ctx.ui("claim.btn.start"), "c|go"),))
    if node.action == "remind":
        rows.append((Button(ctx.ui("dl_start_button"), "f|go"),))
        if _profile(ctx.state.answers) is not None:
            rows.append((Button(ctx.ui("dl_show_button"), "f|show"),))
    if _watchable(node):
        on = node.tree in ctx.state.watches
        label = ctx.ui("watch_off_button" if on else "watch_on_button")
        if label:  # a content folder without these words simply has no such button
            rows.append((Button(label, f"w|{node.id}|{'off' if on else 'on'}"),))
    if node.id == _MAIN:
        rows.append((Button(ctx.ui("language_button"), "p"),))
    else:
        nav = [Button(ctx.ui("back"), _back_action(version, node.id))]
        nav.append(Button(ctx.ui("menu"), "m"))
        rows.append(tuple(nav))
    return tuple(rows)


def _days(n: int) -> str:
    """A day count as a placeholder, so it is rendered with the language's plural forms."""
    return "{days:" + str(n) + "}"


def _answers(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {k: v for k, v in pairs if k != "stay"}


def _profile(pairs: tuple[tuple[str, str], ...]) -> Profile | None:
    """The complete answers as a profile; None if they are missing or damaged."""
    a = _answers(pairs)
    try:
        stays = tuple(
            (dt.date.fromisoformat(v.split("|")[0]), dt.date.fromisoformat(v.split("|")[1]))
            for k, v in pairs
            if k == "stay"
        )
        return Profile(
            citizenship=a["cit"],
            entry=dt.date.fromisoformat(a["entry"]),
            stays=stays,
            permit_start=dt.date.fromisoformat(a["p_start"]) if "p_start" in a else None,
            permit_months=int(a["p_months"]) if "p_months" in a else None,
            contract_end=dt.date.fromisoformat(a["c_end"]) if "c_end" in a else None,
        )
    except (KeyError, ValueError, IndexError):
        return None


def _topic(ctx: _Ctx, tree: str) -> str:
    entry = ctx.content.trees.get(tree)
    label = _node_label(ctx, entry) if entry in ctx.content.nodes else tree
    return re.sub(r"^[^\w«(]+", "", label).strip() or label


def screen(content: Content, lang: str, node_id: str, today: dt.date) -> tuple[Say, list[Output]]:
    """Render one node as a user of ``lang`` would see it (for checks and previews)."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True, node=node_id), today)
    node = content.nodes[node_id]
    say = Say(_node_text(ctx, node), _node_buttons(ctx, node))
    return say, ctx.out
