"""The case desk: hand-off of a migrant's question to hotline operators, without Telegram.

The engine decides *that* a case opens, a message is relayed or a case closes (``OpenCase``,
``Relay``, ``CloseCase``, ``Rate``). The desk turns those into rows: the case in the database and
every message to deliver in the outbox, written in the same transaction, before anything is sent.
A courier (``handlers/courier.py``) delivers the outbox to Telegram with retries, so nothing is
lost on errors or restarts. Operators' actions (claim, close, note, reply) come in through the
desk too. Texts for operators are Russian; texts for the user are in the user's language.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.content.loader import ContentStore
from bot.engine import (
    CONSULATE_CONTACTS,
    CaseClosed,
    CloseCase,
    OpenCase,
    Output,
    Rate,
    Relay,
    Say,
    State,
    contacts_text,
)
from bot.hours import KZ_TZ, OperatorHours
from bot.i18n import DEFAULT_LANG
from bot.storage import Case, Storage

if TYPE_CHECKING:
    from bot.service import Dialogue

__all__ = ["Desk"]

log = logging.getLogger(__name__)

#: Numbers to call now, whatever the situation; the consulate is added by citizenship.
_CALL_NOW = ("c112", "c102", "c111")
#: A longer description is cut on the card and follows it in full (the card stays one message).
CARD_DESCRIPTION_LIMIT = 1500


class Desk:
    """Opens, relays and closes cases; everything it decides is written to the database first."""

    def __init__(
        self,
        storage: Storage,
        content: ContentStore,
        *,
        hours: OperatorHours,
        operators: bool,
        now: Callable[[], dt.datetime],
        unclaimed: dt.timedelta = dt.timedelta(minutes=30),
    ) -> None:
        self.storage = storage
        self.content = content
        self.hours = hours
        self.operators = operators
        self.now = now
        self.unclaimed = unclaimed
        self.dialogue: Dialogue | None = None  # set by Dialogue, which runs CaseClosed through the engine

    # --- the migrant's side ----------------------------------------------------------------------

    async def apply(self, state: State, outputs: list[Output]) -> list[Output]:
        """Carry out the engine's case outputs; return what the user should see instead of them."""
        shown: list[Output] = []
        for out in outputs:
            if isinstance(out, OpenCase):
                shown.extend(await self._open(state, out))
            elif isinstance(out, Relay):
                await self._relay(state, out)
            elif isinstance(out, CloseCase):
                await self._close_by_user(state)
            elif isinstance(out, Rate):
                await self._rate(state, out)
            else:
                shown.append(out)
        return shown

    async def _open(self, state: State, out: OpenCase) -> list[Output]:
        outbox: list[tuple[str, str, dict[str, Any]]] = [("ops", "card", {})]
        if out.description and len(out.description) > CARD_DESCRIPTION_LIMIT:
            outbox.append(("ops", "relay", {"text": out.description}))
        if out.ref is not None and out.kind != "text":
            outbox.append(("ops", "copy", {"from_chat": state.user_id, "message_id": out.ref}))
        case_id = await self.storage.create_case(
            user_id=state.user_id,
            lang=state.lang,
            citizenship=out.citizenship,
            topic=out.topic,
            path=out.path,
            urgent=out.urgent,
            description=out.description,
            kind=out.kind,
            outbox=outbox,
        )
        log.info("case %s opened (topic %s, urgent %s)", case_id, out.topic, out.urgent)
        lang = state.lang
        if not self.operators:
            text = self._ui(lang, "case_no_operators").format(case=case_id)
            return [Say(text + "\n\n" + self.call_now(lang, out.citizenship))]
        if not self.hours.is_open(self.now()):
            text = self._ui(lang, "case_offhours").format(case=case_id, hours=self.hours.describe(lang))
            return [Say(text + "\n\n" + self.call_now(lang, out.citizenship))]
        return [Say(self._ui(lang, "case_opened").format(case=case_id))]

    async def _relay(self, state: State, out: Relay) -> None:
        case = await self.storage.open_case_of(state.user_id)
        if case is None:
            log.warning("user %s relayed a message without an open case", state.user_id)
            return
        if out.text:
            # Words are relayed as words (quick messages are merged into one for the operators,
            # whose group Telegram limits to about 20 messages a minute).
            await self.storage.enqueue(case.case_id, "ops", "relay", {"text": out.text})
        elif out.ref is not None:  # a photo, voice, document...: copied as it is
            payload = {"from_chat": state.user_id, "message_id": out.ref}
            await self.storage.enqueue(case.case_id, "ops", "copy", payload)

    async def _close_by_user(self, state: State) -> None:
        case = await self.storage.open_case_of(state.user_id)
        if case is None:
            return
        await self.storage.close_case(case.case_id, "user")
        await self.storage.enqueue(
            case.case_id, "ops", "text", {"text": self._ops("user_closed", case=case.case_id)}
        )

    async def _rate(self, state: State, out: Rate) -> None:
        # Only the user's own closed case can be rated: nobody sees or touches another's case.
        if await self.storage.rate(out.case_id, state.user_id, out.stars):
            await self.storage.enqueue(
                out.case_id,
                "ops",
                "text",
                {"text": self._ops("user_rated", stars="⭐" * out.stars, case=out.case_id)},
            )

    def call_now(self, lang: str, citizenship: str | None) -> str:
        ids = (*_CALL_NOW, *CONSULATE_CONTACTS.get(citizenship or "", ()))
        content = self.content.current
        ids = tuple(i for i in ids if i in content.contacts)
        return (
            self._ui(lang, "case_call_now")
            + "\n"
            + contacts_text(content, lang, ids, self._today(), title=False)
        )

    # --- the operators' side -----------------------------------------------------------------

    async def claim(self, case: Case, operator_id: int, name: str) -> bool:
        """An operator takes the case; the user is told someone joined."""
        if not await self.storage.claim(case.case_id, operator_id, name):
            return False
        await self._to_user(case, self._ui(case.lang, "case_claimed").format(case=case.case_id))
        return True

    async def reply(self, case: Case, chat_id: int, message_id: int, text: str | None) -> None:
        """Relay an operator's message to the user: text with a label, anything else as a copy.

        The first answer's time is kept on the case (the weekly report's time to first reply).
        """
        await self.storage.mark_first_reply(case.case_id)
        if text is not None:
            label = self._ui(case.lang, "operator_says")
            await self._to_user(case, f"{label}\n{html.escape(text)}")
        else:
            await self.storage.enqueue(
                case.case_id, "user", "copy", {"from_chat": chat_id, "message_id": message_id}
            )

    async def close_by_operator(self, case: Case) -> bool:
        """Close the case; the user is told in their language and may rate the help."""
        if not await self.storage.close_case(case.case_id, "operator"):
            return False
        if self.dialogue is not None:
            _, outputs = await self.dialogue.process(case.user_id, CaseClosed(case.case_id))
            for out in outputs:
                if isinstance(out, Say):
                    buttons = [[[b.label, b.data] for b in row] for row in out.buttons]
                    await self.storage.enqueue(
                        case.case_id, "user", "text", {"text": out.text, "buttons": buttons}
                    )
        return True

    async def note(self, case: Case, operator_id: int, text: str) -> None:
        await self.storage.add_note(case.case_id, operator_id, text)

    async def sweep(self) -> int:
        """Ping the operators about cases nobody claimed in time; reassure the user once."""
        if not self.operators or not self.hours.is_open(self.now()):
            return 0
        pinged = 0
        now = self.now()
        for case in await self.storage.open_cases():
            if case.status != "open" or now - case.created_at < self.unclaimed:
                continue
            if case.pinged_at is not None and now - case.pinged_at < self.unclaimed:
                continue
            minutes = int((now - case.created_at).total_seconds() // 60)
            async with self.storage.transaction():  # the pings and "pinged" together, or not at all
                await self.storage.enqueue(
                    case.case_id,
                    "ops",
                    "text",
                    {"text": self._ops("waiting", case=case.case_id, minutes=minutes)},
                )
                if case.pinged_at is None and not case.user_blocked:
                    text = self._ui(case.lang, "case_waiting").format(case=case.case_id)
                    await self._to_user(case, text + "\n\n" + self.call_now(case.lang, case.citizenship))
                await self.storage.mark_pinged(case.case_id)
            pinged += 1
        return pinged

    # --- texts for operators (content/ru/ops.yaml) ---------------------------------------------------------

    def card(self, case: Case) -> str:
        """The case card: what an operator needs at a glance. Never the user's phone number."""
        content = self.content.current
        ops = self._ops
        ru = content.words[DEFAULT_LANG]
        lines = []
        if case.urgent:
            lines.append(ops("urgent"))
        lines.append(ops("case_title", case=case.case_id))
        lang_name = ru.get("ui.language_name") if case.lang == DEFAULT_LANG else None
        lang_name = lang_name or content.words.get(case.lang, {}).get("ui.language_name", case.lang)
        citizenship = ru.get(f"ops.citizenship.{case.citizenship}") or ops("citizenship_unknown")
        lines.append(ops("card_lang", lang=html.escape(lang_name), citizenship=html.escape(citizenship)))
        lines.append(ops("card_topic", topic=html.escape(self.topic_label(case.topic))))
        lines.append(ops("card_path", path=html.escape(" → ".join(self.path_labels(case.path)))))
        if case.description and len(case.description) > CARD_DESCRIPTION_LIMIT:
            short = case.description[:CARD_DESCRIPTION_LIMIT].rstrip()
            lines.append(ops("card_description_long", text=html.escape(short)))
        elif case.description:
            lines.append(ops("card_description", text=html.escape(case.description)))
        else:
            kind = ru.get(f"ops.kind.{case.kind}", case.kind)
            lines.append(ops("card_description_kind", kind=html.escape(kind)))
        local = case.created_at.astimezone(KZ_TZ)
        lines.append(ops("card_created", time=f"{local:%d.%m.%Y %H:%M}"))
        lines.append(ops("card_howto"))
        return "\n".join(lines)

    def topic_name(self, case: Case) -> str:
        """A forum topic's name (1-128 characters)."""
        mark = "🆘 " if case.urgent else ""
        return f"{mark}№{case.case_id} · {case.lang} · {self.topic_label(case.topic)}"[:128]

    def topic_label(self, topic: str) -> str:
        content = self.content.current
        entry = content.trees.get(topic)
        main = content.nodes.get("main")
        if entry and main:
            for opt in main.options:
                if opt.to == entry:
                    label = content.words[DEFAULT_LANG].get(f"node.main.opt.{opt.id}")
                    if label:
                        return label
        if topic == "main":
            return self._ops("topic_person")
        return topic

    def path_labels(self, path: tuple[str, ...]) -> list[str]:
        content = self.content.current
        ru = content.words[DEFAULT_LANG]
        labels = []
        for parent, child in zip(path, path[1:], strict=False):
            node = content.nodes.get(parent)
            opt = next((o for o in node.options if o.to == child), None) if node else None
            labels.append(ru.get(f"node.{parent}.opt.{opt.id}", child) if opt else child)
        return labels or [self._ops("path_main")]

    async def summary(self) -> str:
        """The open cases with their age and status, for /cases."""
        cases = await self.storage.open_cases()
        if not cases:
            return self._ops("no_open_cases")
        now = self.now()
        lines = [self._ops("open_cases", count=len(cases))]
        for case in cases:
            minutes = int((now - case.created_at).total_seconds() // 60)
            if minutes < 120:
                age = self._ops("age_minutes", n=minutes)
            else:
                age = self._ops("age_hours", n=minutes // 60)
            who = (
                self._ops("claimed_by", name=html.escape(case.operator_name or ""))
                if case.status == "claimed"
                else self._ops("unclaimed")
            )
            mark = "🆘 " if case.urgent else ""
            blocked = self._ops("user_blocked_mark") if case.user_blocked else ""
            topic = html.escape(self.topic_label(case.topic))
            lines.append(f"{mark}№{case.case_id} · {age} · {who} · {topic}{blocked}")
        return "\n".join(lines)

    # --- helpers ------------------------------------------------------------------------------

    async def _to_user(self, case: Case, text: str) -> None:
        await self.storage.enqueue(case.case_id, "user", "text", {"text": text})

    def _ops(self, key: str, /, **values: object) -> str:
        return self.content.current.ops(key, **values)

    def _ui(self, lang: str, key: str) -> str:
        found = self.content.current.word(lang, f"ui.{key}")
        return found.text if found else key

    def _today(self) -> dt.date:
        return self.now().astimezone(KZ_TZ).date()
