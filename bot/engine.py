"""The dialogue engine: pure, synchronous, and ignorant of Telegram.

``handle(content, state, event, today)`` takes a user's state and one event and returns the new
state and a list of outputs. It neither stores nor sends anything: adapters (the Telegram
handlers, the console) turn updates into events, carry out the outputs, and save the state.

Buttons carry short ASCII action strings (at most 64 bytes, as Telegram's callback_data must be):

    o|<content version>|<node>|<option>    choose an option of a node
    b|<content version>|<node>             back, from the screen of <node>
    m                                       main menu
    p                                       show the language picker
    l|<lang>                                switch language
    h|<content version>|<node>             yes, pass my question to a person (hand-off)
    hx                                      cancel the hand-off before it starts
    r|<case>|<1-5>                          rate the help of a closed case
    f|go  f|show  f|on  f|off               personal deadlines: start, show, reminders on/off
    f|<question>|<answer>                   a button answer to a deadlines question
    c|...                                   the wage-claim questionnaire (bot/claims/flow.py)
    g|<content version>|<node>             go to a node (a typed question's suggestion, a
                                            law-change alert); opens from older content too
    x|yes  x|no                             /forget: yes, delete my data / no, keep it
    w|<node>|on  w|<node>|off               tell me / stop telling me when the node's topic changes

A button of an older screen or of an older content version is answered with "this menu is out
of date" and the user's current screen, never with an error. A user whose screen (or a screen
in their back-stack, or a button's screen) was removed from the content is taken to the start of
that topic with a short notice, or to the main menu if the whole topic is gone. ``g`` and ``w``
name a node that still exists: they work from any message.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field, replace

from bot.content.model import UNWATCHED_TREES, Content, Node
from bot.content.render import render_placeholders
from bot.dates import parse_date, parse_range
from bot.deadlines import Profile, compute
from bot.i18n import DEFAULT_LANG, format_date, guess_language, language_name, native_name
from bot.typed.matcher import Match

__all__ = [
    "MAX_STACK",
    "BUTTON_LIMIT",
    "NAV_EMOJI",
    "State",
    "Event",
    "Start",
    "Press",
    "Command",
    "Text",
    "Media",
    "Preview",
    "Button",
    "Output",
    "Say",
    "Toast",
    "MissingWords",
    "OpenCase",
    "Relay",
    "CloseCase",
    "Rate",
    "CaseClosed",
    "SetReminders",
    "CancelReminders",
    "Unmatched",
    "Forget",
    "ShowMyData",
    "PrivacyNotice",
    "Watch",
    "MakeDocuments",
    "StoredCase",
    "handle",
    "alert_message",
    "topic_name",
    "my_data_text",
    "privacy_notice_text",
    "reminder_text",
    "case_facts",
    "contacts_text",
    "CONSULATE_CONTACTS",
    "parse_action",
    "screen",
]

MAX_STACK = 32
#: The longest label a content button (an option of a node) may have, emoji included: phones
#: cut longer labels with "…". Enforced by ``content check``.
BUTTON_LIMIT = 28
#: Emoji of the navigation buttons (ui.yaml: menu, back, language). Content buttons must not use
#: them, so "🏠" always means the main menu and "⬅️" always means back.
NAV_EMOJI = ("🏠", "⬅️", "🌐", "↩️")
_MAIN = "main"
_PERSON = "person"  # the "talk to a person" node of the main menu (/help_me opens it)
_URGENT_TREE = "urgent"
_DEADLINES = "dl"  # the "my deadlines" node of the main menu (/reminders opens it)
#: Contacts of the consulates, by citizenship: shown with the numbers before a hand-off.
CONSULATE_CONTACTS = {"kg": ("kg_emb",), "uz": ("uz_emb", "uz_migr")}


# --- State -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Where one user is. ``node`` is None before the first /start."""

    user_id: int
    lang: str = DEFAULT_LANG
    lang_chosen: bool = False
    node: str | None = None
    stack: tuple[str, ...] = ()
    #: Hand-off to a person: None, "describe" (we wait for the description) or "case" (open).
    handoff: str | None = None
    #: Personal deadlines: the question being asked, answers so far, the last complete answers,
    #: and whether the user asked for reminders.
    form: str | None = None
    draft: tuple[tuple[str, str], ...] = ()
    answers: tuple[tuple[str, str], ...] = ()
    reminders: bool = False
    #: The tree of ``node`` when it was last shown: if the node is removed from the content, the
    #: user is taken to the start of this topic. Derived from ``node``, so not compared.
    tree: str | None = field(default=None, compare=False)
    #: An admin's preview of a language not yet offered to everyone (the picker offers it to them).
    preview: str | None = None
    #: Topics (tree ids) the user asked to be told about when their rules change (stored apart).
    watches: frozenset[str] = frozenset()
    #: Wage claim (bot/claims): the question being asked and the answers so far; deleted when the
    #: documents are made or the user stops.
    claim_step: str | None = None
    claim: tuple[tuple[str, str], ...] = ()


# --- Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """/start, possibly with a deep-link payload, and the client's language code."""

    payload: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class Press:
    """A button was pressed; ``data`` is its action string."""

    data: str


@dataclass(frozen=True)
class Command:
    """A command other than /start: menu, language, help, cancel."""

    name: str


@dataclass(frozen=True)
class Text:
    """Free text the user typed; ``ref`` is the message's id in the chat (for relaying it)."""

    text: str
    ref: int | None = None


@dataclass(frozen=True)
class Media:
    """Something that is not text: photo, sticker, voice, location, document..."""

    kind: str
    ref: int | None = None


@dataclass(frozen=True)
class CaseClosed:
    """An operator closed the user's case ``case_id``."""

    case_id: int


@dataclass(frozen=True)
class Preview:
    """An admin's /preview: ``lang`` (a language code), "off", or "" (show the languages).

    Only the adapter knows who is an admin: it sends this event for admins only.
    """

    arg: str


Event = Start | Press | Command | Text | Media | CaseClosed | Preview


# --- Outputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Say:
    """Show a message. ``replace``: it may replace the screen the event came from."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    replace: bool = False


@dataclass(frozen=True)
class Toast:
    """A short notice (Telegram shows it as the answer to a button press)."""

    text: str


@dataclass(frozen=True)
class MissingWords:
    """A text was missing in the user's language and Russian was used instead."""

    lang: str
    key: str


@dataclass(frozen=True)
class OpenCase:
    """Hand the user's case to the operators. ``ref``: the message that describes it."""

    description: str | None
    kind: str
    ref: int | None
    path: tuple[str, ...]
    topic: str
    citizenship: str | None
    urgent: bool


@dataclass(frozen=True)
class Relay:
    """Pass the user's message ``ref`` to the operators of the open case."""

    ref: int | None
    kind: str
    text: str | None = None


@dataclass(frozen=True)
class CloseCase:
    """The user closed their open case (/end)."""


@dataclass(frozen=True)
class Rate:
    """The user rated the help of case ``case_id`` with ``stars`` (1-5)."""

    case_id: int
    stars: int


@dataclass(frozen=True)
class SetReminders:
    """Schedule reminders for these deadlines (kind, date), replacing earlier ones."""

    deadlines: tuple[tuple[str, dt.date], ...]


@dataclass(frozen=True)
class CancelReminders:
    """Cancel every reminder of the user (they turned them off or deleted their data)."""


@dataclass(frozen=True)
class Unmatched:
    """A typed question nothing matched (counted for editors, without the user's identity)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Forget:
    """The user confirmed /forget: delete every row about them and every text they wrote or got."""


@dataclass(frozen=True)
class ShowMyData:
    """The user asked what is stored about them (/mydata); the adapter reads it and shows it."""


@dataclass(frozen=True)
class PrivacyNotice:
    """The short privacy notice of a user's first /start (it needs the retention period)."""


@dataclass(frozen=True)
class Watch:
    """Start (``on``) or stop telling the user when the rules of topic ``tree`` change."""

    tree: str
    on: bool


@dataclass(frozen=True)
class MakeDocuments:
    """Make the wage-claim documents from these answers and send them (the service renders them)."""

    answers: tuple[tuple[str, str], ...]
    lang: str
    attach: bool = False  # the answers also go to an operator (they are not simply deleted)


Output = (
    Say
    | Toast
    | MissingWords
    | OpenCase
    | Relay
    | CloseCase
    | Rate
    | SetReminders
    | CancelReminders
    | Unmatched
    | Forget
    | ShowMyData
    | PrivacyNotice
    | Watch
    | MakeDocuments
)


# --- Actions (button data) -------------------------------------------------------------------


def _opt_action(version: str, node: str, option: str) -> str:
    return f"o|{version}|{node}|{option}"


def _back_action(version: str, node: str) -> str:
    return f"b|{version}|{node}"


def parse_action(data: str) -> tuple[str, ...] | None:
    """Split an action string into its parts; None if it is not one of ours."""
    parts = tuple(data.split("|"))
    kind = parts[0] if parts else ""
    sizes = {"o": 4, "b": 3, "m": 1, "p": 1, "l": 2, "h": 3, "hx": 1, "r": 3, "g": 3, "x": 2, "w": 3}
    expected = sizes.get(kind)
    if kind == "f" and len(parts) in (2, 3):
        expected = len(parts)
    if expected is None or len(parts) != expected or not all(parts):
        return None
    return parts


# --- The engine ------------------------------------------------------------------------------


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


def handle(content: Content, state: State, event: Event, today: dt.date) -> tuple[State, list[Output]]:
    """Apply one event to a user's state. Pure: same inputs, same result."""
    ctx = _Ctx(content, _sane(content, state), today)
    start = ctx.state.node
    _dispatch(ctx, state, event)
    gone = state.node is not None and state.node not in content.nodes
    if gone and not ctx.noticed and ctx.state.node == start and not isinstance(event, Start | Preview):
        # The user's screen was removed and they now see the start of its topic: say why.
        first = next((i for i, o in enumerate(ctx.out) if isinstance(o, Say)), None)
        if first is not None:
            ctx.out.insert(first, Say(ctx.ui("node_removed")))
    node = ctx.content.nodes.get(ctx.state.node or "")
    tree = node.tree if node is not None else None
    if tree != ctx.state.tree:
        ctx.state = replace(ctx.state, tree=tree)
    return ctx.state, ctx.out


def _dispatch(ctx: _Ctx, stored: State, event: Event) -> None:
    if isinstance(event, Preview):
        _on_preview(ctx, event.arg)
        return
    if (
        ctx.state.handoff == "describe"
        and isinstance(event, Start | Press | Command)
        and event != Command("end")
    ):
        # Going anywhere else abandons a hand-off that has no description yet.
        ctx.state = replace(ctx.state, handoff=None)
    if ctx.state.form is not None and (
        isinstance(event, Start | Command) or (isinstance(event, Press) and not event.data.startswith("f|"))
    ):
        # Leaving the deadlines questions: the earlier complete answers stay as they were.
        ctx.state = replace(ctx.state, form=None, draft=())
    if ctx.state.claim_step is not None and (
        isinstance(event, Start | Command) or (isinstance(event, Press) and not event.data.startswith("c|"))
    ):
        # Leaving the claim questions deletes the answers (kept only until the documents are made).
        ctx.state = replace(ctx.state, claim_step=None, claim=())
    if (
        stored.node is not None
        and stored.node not in ctx.content.nodes
        and isinstance(event, Press)
        and event.data[:2] in ("o|", "b|", "h|", "g|")
    ):
        # A button of the screen that was removed: the start of its topic, with a short notice.
        _removed(ctx)
        return
    found = ctx.content.matcher.match(event.text) if isinstance(event, Text) else []
    danger = found[0].node if found and found[0].danger else None
    if danger is not None and danger in ctx.content.nodes:
        # Danger words go first, whatever the user was doing: the urgent answer at once.
        ctx.state = replace(ctx.state, form=None, draft=(), claim_step=None, claim=())
        _goto(ctx, danger, replace_screen=False)
        if ctx.state.handoff == "describe":
            _open_case(ctx, event)  # type: ignore[arg-type]
        elif ctx.state.handoff == "case":
            ctx.out.append(Relay(event.ref, "text", event.text))  # type: ignore[union-attr]
    elif isinstance(event, Text | Media) and ctx.state.form is not None:
        _form_answer(ctx, event)
    elif (isinstance(event, Text | Media) and ctx.state.claim_step is not None) or (
        isinstance(event, Press) and event.data.startswith("c|")
    ):
        _claim(ctx, event)
    elif isinstance(event, Press) and event.data.startswith("f|"):
        _on_form_press(ctx, event.data)
    elif isinstance(event, Start):
        _on_start(ctx, event)
    elif isinstance(event, Press):
        _on_press(ctx, event.data)
    elif isinstance(event, Command):
        _on_command(ctx, event.name)
    elif isinstance(event, Text | Media) and ctx.state.handoff == "describe":
        _open_case(ctx, event)
    elif isinstance(event, Text | Media) and ctx.state.handoff == "case":
        text = event.text if isinstance(event, Text) else None
        ctx.out.append(Relay(event.ref, "text" if isinstance(event, Text) else event.kind, text))
    elif isinstance(event, Text):
        _typed_question(ctx, event.text, found)
    elif isinstance(event, Media):
        _notice_then_screen(ctx, "unsupported_media")
    elif isinstance(event, CaseClosed):
        ctx.state = replace(ctx.state, handoff=None)
        stars = tuple(Button("⭐" * n, f"r|{event.case_id}|{n}") for n in range(1, 6))
        ctx.out.append(Say(ctx.ui("case_closed_by_operator"), (stars[:3], stars[3:])))


def _topic_start(content: Content, tree: str | None) -> str:
    """The entry of ``tree``, or the main menu if the content has no such tree."""
    entry = content.trees.get(tree or "", _MAIN)
    return entry if entry in content.nodes else _MAIN


def _sane(content: Content, state: State) -> State:
    """Repair a stored state for the current content.

    A language the content no longer has becomes Russian. A node it no longer has becomes the
    start of the node's topic (known from ``state.tree``, or from the content's memory of removed
    nodes), or the main menu. Removed nodes in the back-stack stay until Back reaches them.
    """
    lang = state.lang if state.lang in content.languages else DEFAULT_LANG
    preview = state.preview if state.preview in content.languages else None
    node, stack = state.node, state.stack[-MAX_STACK:]
    if node is not None and node not in content.nodes:
        node = _topic_start(content, state.tree or content.retired.get(node))
        stack = (_MAIN,) if node != _MAIN else ()
    if (lang, preview, node, stack) == (state.lang, state.preview, state.node, state.stack):
        return state
    return replace(state, lang=lang, preview=preview, node=node, stack=stack)


def _removed(ctx: _Ctx) -> None:
    """The screen the user was on is gone: say so and show where they are now (its topic)."""
    ctx.noticed = True
    ctx.out.append(Toast(ctx.ui("node_removed")))
    ctx.out.append(Say(ctx.ui("node_removed")))
    _show(ctx)


def _on_start(ctx: _Ctx, event: Start) -> None:
    target = ctx.content.trees.get(event.payload or "", _MAIN)
    if ctx.state.node is None and not ctx.state.lang_chosen:
        # First contact: guess the language, but always offer the picker first.
        lang = guess_language(event.language_code, ctx.content.offered)
        ctx.state = replace(ctx.state, lang=lang, node=target, stack=())
        ctx.out.append(PrivacyNotice())
        ctx.out.append(Say(ctx.ui("welcome"), _language_rows(ctx)))
        return
    if ctx.state.node is None:  # a new user whose language is known already (the console)
        ctx.out.append(PrivacyNotice())
    ctx.state = replace(ctx.state, node=target, stack=())
    _show(ctx)


def _on_command(ctx: _Ctx, name: str) -> None:
    if name == "menu":
        _go_menu(ctx)
    elif name == "language":
        ctx.out.append(Say(ctx.ui("choose_language"), _language_rows(ctx)))
    elif name == "help":
        ctx.out.append(Say(ctx.ui("help")))
        _show(ctx)
    elif name == "cancel":
        ctx.out.append(Say(ctx.ui("cancelled")))
        _go_menu(ctx)
    elif name == "back":
        _go_back(ctx, replace_screen=False)
    elif name == "help_me":
        _goto(ctx, _PERSON, replace_screen=False)
    elif name == "reminders":
        if _profile(ctx.state.answers) is None:
            _goto(ctx, _DEADLINES, replace_screen=False)
        else:
            _show_results(ctx)
    elif name == "forget":
        # Nothing is deleted before the user says yes.
        rows = ((Button(ctx.ui("forget_yes"), "x|yes"),), (Button(ctx.ui("forget_no"), "x|no"),))
        ctx.out.append(Say(ctx.ui("forget_confirm"), rows))
    elif name == "mydata":
        if ctx.state.node is None:
            ctx.state = replace(ctx.state, node=_MAIN)
        ctx.out.append(ShowMyData())
    elif name == "end":
        if ctx.state.handoff == "case":
            ctx.state = replace(ctx.state, handoff=None)
            ctx.out.append(CloseCase())
            ctx.out.append(Say(ctx.ui("case_closed_by_user")))
        elif ctx.state.handoff == "describe":
            ctx.state = replace(ctx.state, handoff=None)
            ctx.out.append(Say(ctx.ui("handoff_cancelled")))
        else:
            ctx.out.append(Say(ctx.ui("no_open_case")))
        _go_menu(ctx)
    else:
        _notice_then_screen(ctx, "unknown_text")


def _on_press(ctx: _Ctx, data: str) -> None:
    parts = parse_action(data)
    if parts is None:
        _stale(ctx)
        return
    kind = parts[0]
    if kind == "r":
        _on_rate(ctx, parts)
        return
    if kind == "x":
        _on_forget_answer(ctx, parts[1])
        return
    if kind == "w":
        _on_watch(ctx, parts[1], parts[2])
        return
    if kind == "hx":
        ctx.out.append(Toast(ctx.ui("handoff_cancelled")))
        _show(ctx, replace_screen=True)
        return
    if kind == "m":
        _go_menu(ctx, replace_screen=True)
    elif kind == "p":
        ctx.out.append(Say(ctx.ui("choose_language"), _language_rows(ctx), replace=True))
    elif kind == "l":
        lang = parts[1]
        if lang not in _offered(ctx):
            _stale(ctx)
            return
        ctx.state = replace(ctx.state, lang=lang, lang_chosen=True)
        ctx.out.append(Toast(ctx.ui("language_set")))
        if ctx.state.node is None:
            ctx.state = replace(ctx.state, node=_MAIN)
        _show(ctx, replace_screen=True)
    elif parts[2] in ctx.content.retired:
        # A button of (or to) a screen that was removed since: the start of its topic.
        start = _topic_start(ctx.content, ctx.content.retired[parts[2]])
        ctx.state = replace(ctx.state, node=start, stack=(_MAIN,) if start != _MAIN else ())
        _removed(ctx)
    elif (
        (parts[1] != ctx.content.version or parts[2] != ctx.state.node)
        and kind != "g"
        or parts[2] not in ctx.content.nodes
    ):
        _stale(ctx)
    elif kind == "b":
        _go_back(ctx, replace_screen=True)
    elif kind == "g":
        _goto(ctx, parts[2], replace_screen=True)
    elif kind == "h":
        node = ctx.content.nodes[parts[2]]
        if node.action != "escalate" or ctx.state.handoff == "case":
            _show(ctx, replace_screen=True)
            return
        ctx.state = replace(ctx.state, handoff="describe")
        ctx.out.append(Say(ctx.ui("handoff_describe"), ((Button(ctx.ui("handoff_cancel"), "hx"),),)))
    else:
        node = ctx.content.nodes[parts[2]]
        opt = node.option(parts[3])
        if opt is None:
            _stale(ctx)
            return
        stack = (*ctx.state.stack, node.id)[-MAX_STACK:]
        ctx.state = replace(ctx.state, node=opt.to, stack=stack)
        _show(ctx, replace_screen=True)


def _watchable(node: Node) -> bool:
    """Whether a node's topic has a "tell me when this changes" button (not the menu, not urgent)."""
    return node.tree not in UNWATCHED_TREES


def _on_watch(ctx: _Ctx, node_id: str, value: str) -> None:
    """Start or stop telling the user about changes in the topic of ``node_id``, then show it."""
    node = ctx.content.nodes.get(node_id)
    if node is None or not _watchable(node) or value not in ("on", "off"):
        _stale(ctx)
        return
    on = value == "on"
    watches = ctx.state.watches | {node.tree} if on else ctx.state.watches - {node.tree}
    ctx.state = replace(ctx.state, watches=frozenset(watches))
    ctx.out.append(Watch(node.tree, on))
    ctx.out.append(Toast(ctx.ui("watch_on_done" if on else "watch_off_done")))
    _goto(ctx, node_id, replace_screen=True)  # the pressed screen, with the button turned over


def _on_forget_answer(ctx: _Ctx, answer: str) -> None:
    if answer == "yes":
        # Everything goes: the next message starts afresh, as from a new user.
        ctx.out.append(Forget())
        ctx.out.append(Say(ctx.ui("forget_done"), replace=True))
        ctx.state = State(user_id=ctx.state.user_id)
    elif answer == "no":
        ctx.out.append(Say(ctx.ui("forget_kept"), replace=True))
        if ctx.state.node is None:
            ctx.state = replace(ctx.state, node=_MAIN)
        _show(ctx)
    else:
        _stale(ctx)


def _on_rate(ctx: _Ctx, parts: tuple[str, ...]) -> None:
    # Forged data must not reach the database: a case number fits in 12 digits, stars in one.
    if not (parts[1].isascii() and parts[1].isdigit() and len(parts[1]) <= 12 and parts[2] in "12345"):
        _stale(ctx)
        return
    case_id, stars = int(parts[1]), int(parts[2])
    if not 1 <= stars <= 5:
        _stale(ctx)
        return
    ctx.out.append(Rate(case_id, stars))
    ctx.out.append(Toast(ctx.ui("rate_thanks")))
    ctx.out.append(Say(ctx.ui("rate_thanks"), replace=True))
    if ctx.state.node is None:
        ctx.state = replace(ctx.state, node=_MAIN)
    _show(ctx)


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


def _open_case(ctx: _Ctx, event: Text | Media) -> None:
    path, topic, citizenship, urgent = case_facts(ctx.content, ctx.state)
    text = event.text.strip() if isinstance(event, Text) else None
    kind = "text" if isinstance(event, Text) else event.kind
    ctx.state = replace(ctx.state, handoff="case")
    ctx.out.append(OpenCase(text, kind, event.ref, path, topic, citizenship, urgent))


def _goto(ctx: _Ctx, node_id: str, replace_screen: bool) -> None:
    """Open ``node_id`` (if the content has it) from wherever the user is; Back returns there."""
    if node_id in ctx.content.nodes and ctx.state.node != node_id:
        stack = (*ctx.state.stack, ctx.state.node or _MAIN)[-MAX_STACK:]
        ctx.state = replace(ctx.state, node=node_id, stack=stack)
    _show(ctx, replace_screen=replace_screen)


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


def _typed_question(ctx: _Ctx, text: str, found: list[Match]) -> None:
    """Free text: offer the best matching answers, or say honestly that nothing matched."""
    if ctx.state.node is None:
        ctx.state = replace(ctx.state, node=_MAIN)
    matches = [m for m in found if not m.danger and m.node in ctx.content.nodes]
    version = ctx.content.version
    rows: list[tuple[Button, ...]] = [
        (Button(_node_label(ctx, m.node), f"g|{version}|{m.node}"),) for m in matches
    ]
    if _PERSON in ctx.content.nodes and all(m.node != _PERSON for m in matches):
        rows.append((Button(_node_label(ctx, _PERSON), f"g|{version}|{_PERSON}"),))
    here = ctx.state.node or _MAIN
    nav = [Button(ctx.ui("menu"), "m")]
    if here != _MAIN:  # back to the screen the user was on: nothing is lost
        nav.insert(0, Button(ctx.ui("back"), f"g|{version}|{here}"))
    rows.append(tuple(nav))
    if matches:
        ctx.out.append(Say(ctx.ui("did_you_mean"), tuple(rows)))
    else:
        ctx.out.append(Unmatched(text.strip()[:200], ctx.state.lang))
        ctx.out.append(Say(ctx.ui("no_match"), tuple(rows)))


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


def _on_preview(ctx: _Ctx, arg: str) -> None:
    """An admin's /preview LANG, /preview off, or /preview (which languages there are)."""
    arg = arg.strip().lower()
    content = ctx.content
    if ctx.state.node is None:
        ctx.state = replace(ctx.state, node=_MAIN)
    if arg == "off":
        lang = ctx.state.lang if ctx.state.lang in content.offered else DEFAULT_LANG
        ctx.state = replace(ctx.state, preview=None, lang=lang)
        ctx.out.append(Say(ctx.ui("admin.preview_off")))
        _show(ctx)
        return
    if arg not in content.languages:
        lines = [ctx.ui("admin.preview_usage")]
        for lang in content.languages:
            texts, concepts = content.missing(lang)
            if lang in content.offered:
                lines.append(ctx.ui("admin.preview_offered").format(lang=lang))
            else:
                line = ctx.ui("admin.preview_incomplete")
                lines.append(line.format(lang=lang, texts=len(texts), concepts=len(concepts)))
        ctx.out.append(Say("\n".join(lines)))
        return
    ctx.state = replace(ctx.state, preview=arg)
    ctx.out.append(Say(ctx.ui("admin.preview_on").format(lang=arg), _language_rows(ctx)))


def _show(ctx: _Ctx, replace_screen: bool = False) -> None:
    node = ctx.content.nodes[ctx.state.node or _MAIN]
    ctx.out.append(Say(_node_text(ctx, node), _node_buttons(ctx, node), replace=replace_screen))


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


# --- Personal deadlines (a short form, then dates and reminders) ----------------------------

_CHOICES = {
    "cit": ("kg", "uz"),
    "prev": ("yes", "no"),
    "more": ("yes", "no"),
    "permit": ("yes", "no"),
    "contract": ("yes", "no"),
}
_LABELS = {"kg": "dl_kg", "uz": "dl_uz", "yes": "dl_yes", "no": "dl_no"}


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


def topic_name(content: Content, lang: str, tree: str, today: dt.date) -> str:
    """A topic (tree) as the main menu names it, without its emoji: «Регистрация и сроки»."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True), today)
    return _topic(ctx, tree)


def _topic(ctx: _Ctx, tree: str) -> str:
    entry = ctx.content.trees.get(tree)
    label = _node_label(ctx, entry) if entry in ctx.content.nodes else tree
    return re.sub(r"^[^\w«(]+", "", label).strip() or label


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


def screen(content: Content, lang: str, node_id: str, today: dt.date) -> tuple[Say, list[Output]]:
    """Render one node as a user of ``lang`` would see it (for checks and previews)."""
    ctx = _Ctx(content, State(user_id=0, lang=lang, lang_chosen=True, node=node_id), today)
    node = content.nodes[node_id]
    say = Say(_node_text(ctx, node), _node_buttons(ctx, node))
    return say, ctx.out


# --- Wage claims (the questionnaire lives in bot/claims/flow.py) ----------------------------


def _claim(ctx: _Ctx, event: Press | Text | Media) -> None:
    """The wage-claim questionnaire: a hook into bot.claims.flow, which is pure too."""
    from bot.claims import flow

    facts = ctx.content.claims
    if facts is None:
        _stale(ctx)
        return
    talk = flow.Talk(ctx.ui, ctx.render, ctx.state.lang, ctx.today, facts)
    step, answers = ctx.state.claim_step, ctx.state.claim
    if isinstance(event, Press):
        result = flow.on_press(step, answers, event.data, talk)
    else:
        assert step is not None
        result = flow.on_text(step, answers, event.text if isinstance(event, Text) else None, talk)
    if result.stale:
        _stale(ctx)
        return
    ctx.state = replace(ctx.state, claim_step=result.step, claim=() if result.make else result.answers)
    if result.toast:
        ctx.out.append(Toast(result.toast))
    for screen_ in result.screens:
        rows = tuple(tuple(Button(label, data) for label, data in row) for row in screen_.rows)
        ctx.out.append(Say(screen_.text, rows, replace=screen_.replace))
    if result.make:
        ctx.out.append(MakeDocuments(result.answers, ctx.state.lang, result.attach))
        if result.attach:
            _claim_to_operator(ctx, result.answers)
    if result.left:
        _show(ctx)


def _claim_to_operator(ctx: _Ctx, answers: tuple[tuple[str, str], ...]) -> None:
    """The user asked to give the answers to an operator: they become the case's description."""
    from bot.claims import flow
    from bot.claims.questions import Claim

    claim = Claim.from_answers(answers)
    if claim is None or ctx.content.claims is None:
        return
    ru = flow.Talk(lambda key: ctx.word(f"ui.{key}", "ru"), ctx.render, "ru", ctx.today, ctx.content.claims)
    text = ctx.content.ops("claim_answers") + "\n" + "\n".join(flow.answer_lines(ru, claim))
    text = html.unescape(text)  # the case card escapes descriptions itself
    if ctx.state.handoff == "case":
        ctx.out.append(Relay(None, "text", text))
        return
    path, _, _, _ = case_facts(ctx.content, ctx.state)
    citizenship = claim.citizenship if claim.citizenship in ("kg", "uz") else None
    ctx.state = replace(ctx.state, handoff="case")
    ctx.out.append(OpenCase(text, "text", None, path, "wages", citizenship, False))


# --- Privacy: the first-start notice and /mydata -------------------------------------------


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
