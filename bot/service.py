"""The loop every adapter shares: load the user's state, run the engine, save, return outputs."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable

from bot.claims.service import Paperwork
from bot.content.loader import ContentStore
from bot.desk import Desk
from bot.engine import (
    Event,
    MissingWords,
    OpenCase,
    Output,
    Press,
    SetReminders,
    State,
    Text,
    Unmatched,
    Watch,
    handle,
    parse_action,
)
from bot.hours import KZ_TZ
from bot.privacy import Privacy
from bot.reminders import Reminders
from bot.storage import Step, Storage, StorageError

__all__ = ["KZ_TZ", "Dialogue"]

log = logging.getLogger(__name__)


def _today() -> dt.date:
    return dt.datetime.now(KZ_TZ).date()


class Dialogue:
    """Runs events through the engine with the user's stored state."""

    def __init__(
        self,
        storage: Storage,
        content: ContentStore,
        today: Callable[[], dt.date] = _today,
        desk: Desk | None = None,
        reminders: Reminders | None = None,
        privacy: Privacy | None = None,
    ) -> None:
        self.storage = storage
        self.content = content
        self.today = today
        #: Hand-off to operators; without one, case outputs are dropped (console without a group).
        self.desk = desk
        if desk is not None:
            desk.dialogue = self
        #: Personal deadline reminders; without one, reminder outputs are dropped.
        self.reminders = reminders
        #: /mydata, /forget and the first-start notice: always on, whatever the adapter.
        self.privacy = privacy or Privacy(storage, content)
        #: Wage-claim documents: always on (the console writes them to a folder).
        self.paperwork = Paperwork(content)
        #: (language, key) -> how often a missing text fell back to Russian.
        self.fallbacks: Counter[tuple[str, str]] = Counter()

    async def state_of(self, user_id: int) -> State:
        state = await self.storage.load_user(user_id)  # with the topics watched (law-change alerts)
        return state if state is not None else State(user_id=user_id)

    async def process(self, user_id: int, event: Event) -> tuple[State, list[Output]]:
        """Apply ``event`` for ``user_id``; the new state is saved before outputs are returned."""
        state = await self.state_of(user_id)
        new_state, outputs = handle(self.content.current, state, event, self.today())
        await self.storage.save_user(new_state)
        await self._count(state, new_state, event, outputs)
        # First: the documents take the place of MakeDocuments, before a case opens with them.
        outputs = self.paperwork.apply(outputs, self.today())  # type: ignore[assignment]
        if self.desk is not None:
            outputs = await self.desk.apply(new_state, outputs)
        if self.reminders is not None:
            outputs = await self.reminders.apply(new_state, outputs)
        # Last: /forget deletes the state just saved, and everything else about the user.
        outputs = await self.privacy.apply(new_state, outputs)
        shown: list[Output] = []
        for out in outputs:
            if isinstance(out, Unmatched):
                await self.storage.record_unmatched(out.text, out.lang, user_id=user_id)
            elif isinstance(out, Watch):
                await self.storage.set_watch(user_id, out.tree, out.on)
            elif isinstance(out, MissingWords):
                if not self.fallbacks[(out.lang, out.key)]:
                    log.warning("missing %s text for %s: showing Russian", out.lang, out.key)
                self.fallbacks[(out.lang, out.key)] += 1
            else:
                shown.append(out)
        return new_state, shown

    async def _count(self, old: State, new: State, event: Event, outputs: list[Output]) -> None:
        """Usage counters for editors (no user id is stored with them); never fails the update."""
        action = parse_action(event.data) if isinstance(event, Press) else None
        step = Step(
            day=self.today().isoformat(),
            lang=new.lang,
            old=old.node,
            new=new.node,
            back=action is not None and action[0] == "b",
            handoff=any(isinstance(o, OpenCase) for o in outputs),
            reminders=any(isinstance(o, SetReminders) for o in outputs),
            # A typed question ends where it leads at once (danger), or where the suggestion
            # button pressed after it leads ("g" actions; a law-change alert's button too).
            typed=new.node != old.node
            and (isinstance(event, Text) or (action is not None and action[0] == "g")),
        )
        try:
            await self.storage.count_step(new.user_id, step)
        except StorageError:
            log.exception("usage counters failed; the update goes on")
