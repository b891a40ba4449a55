"""The engine itself: ``handle`` and what it does for each kind of event."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

from bot.content.model import Content
from bot.engine.actions import parse_action
from bot.engine.deadlines import (
    _form_answer,
    _on_form_press,
    _show_results,
)
from bot.engine.model import (
    _DEADLINES,
    _MAIN,
    _PERSON,
    MAX_STACK,
    Button,
    CaseClosed,
    CloseCase,
    Command,
    Event,
    Forget,
    MakeDocuments,
    Media,
    OpenCase,
    Output,
    Press,
    Preview,
    PrivacyNotice,
    Rate,
    Relay,
    Say,
    ShowMyData,
    Start,
    State,
    Text,
    Toast,
    Unmatched,
    Watch,
)
from bot.engine.screens import (
    _Ctx,
    _go_back,
    _go_menu,
    _goto,
    _language_rows,
    _node_label,
    _notice_then_screen,
    _offered,
    _profile,
    _removed,
    _show,
    _stale,
    _topic_start,
    _watchable,
    case_facts,
)
from bot.i18n import DEFAULT_LANG, guess_language
from bot.typed.matcher import Match, second_urgent


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
        # A message that tells two dangers ("забрал паспорт и угрожает убить"): the first urgent
        # screen opens (urgent_order), the second is its first button.
        _goto(ctx, danger, replace_screen=False, also=second_urgent(found))
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


def _open_case(ctx: _Ctx, event: Text | Media) -> None:
    path, topic, citizenship, urgent = case_facts(ctx.content, ctx.state)
    text = event.text.strip() if isinstance(event, Text) else None
    kind = "text" if isinstance(event, Text) else event.kind
    ctx.state = replace(ctx.state, handoff="case")
    ctx.out.append(OpenCase(text, kind, event.ref, path, topic, citizenship, urgent))


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
