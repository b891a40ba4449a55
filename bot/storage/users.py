"""Users: where each user is in the trees, their deadlines answers, whether they blocked the bot."""

from __future__ import annotations

import json
import logging
import sqlite3

from bot.engine import State
from bot.storage.base import StorageError, StoreBase

log = logging.getLogger(__name__)


def _claim_json(state: State) -> str:
    """The claim questionnaire's step and answers; '{}' when there is none (nothing kept)."""
    if state.claim_step is None and not state.claim:
        return "{}"
    answers = [list(p) for p in state.claim]
    return json.dumps({"step": state.claim_step, "answers": answers}, ensure_ascii=False)


class UsersRepo(StoreBase):
    """Users' states."""

    async def load_user(self, user_id: int) -> State | None:
        """The stored state of a user, or None for someone we have never seen."""
        try:
            # One statement for the state and the topics watched (law-change alerts: a row each).
            async with self.db.execute(
                "SELECT u.lang, u.lang_chosen, u.node, u.stack, u.handoff, u.deadlines, u.tree,"
                " u.preview, u.claim, w.tree FROM users u"
                " LEFT JOIN watches w ON w.user_id = u.user_id WHERE u.user_id = ?",
                (user_id,),
            ) as cur:
                rows = await cur.fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot load user: {exc}") from exc
        if not rows:
            return None
        row = rows[0]
        try:
            stack = tuple(str(n) for n in json.loads(row[3]))
        except (ValueError, TypeError):
            log.warning("user %s has a damaged back-stack; starting it afresh", user_id)
            stack = ()
        try:
            dl = json.loads(row[5] or "{}")
            form = dl.get("form")
            draft = tuple((str(k), str(v)) for k, v in dl.get("draft", []))
            answers = tuple((str(k), str(v)) for k, v in dl.get("answers", []))
            reminders = bool(dl.get("reminders", False))
        except (ValueError, TypeError, AttributeError):
            log.warning("user %s has damaged deadline answers; starting them afresh", user_id)
            form, draft, answers, reminders = None, (), (), False
        try:
            saved = json.loads(row[8] or "{}")
            claim_step = saved.get("step")
            claim = tuple((str(k), str(v)) for k, v in saved.get("answers", []))
        except (ValueError, TypeError, AttributeError):
            log.warning("user %s has damaged claim answers; starting them afresh", user_id)
            claim_step, claim = None, ()
        return State(
            user_id=user_id,
            lang=row[0],
            lang_chosen=bool(row[1]),
            node=row[2],
            stack=stack,
            handoff=row[4],
            form=form,
            draft=draft,
            answers=answers,
            reminders=reminders,
            tree=row[6],
            preview=row[7],
            claim_step=claim_step,
            claim=claim,
            watches=frozenset(r[9] for r in rows if r[9] is not None),
        )

    async def save_user(self, state: State) -> None:
        """Insert or update a user's state and last-seen time."""
        now = self._clock().isoformat(timespec="seconds")
        try:
            await self.db.execute(
                """
                INSERT INTO users (user_id, lang, lang_chosen, node, stack, handoff, deadlines,
                                   tree, preview, claim, created_at, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    lang = excluded.lang, lang_chosen = excluded.lang_chosen, node = excluded.node,
                    stack = excluded.stack, handoff = excluded.handoff, deadlines = excluded.deadlines,
                    tree = excluded.tree, preview = excluded.preview, claim = excluded.claim,
                    last_seen = excluded.last_seen, blocked = 0
                """,
                (
                    state.user_id,
                    state.lang,
                    int(state.lang_chosen),
                    state.node,
                    json.dumps(list(state.stack)),
                    state.handoff,
                    json.dumps(
                        {
                            "form": state.form,
                            "draft": [list(p) for p in state.draft],
                            "answers": [list(p) for p in state.answers],
                            "reminders": state.reminders,
                        },
                        ensure_ascii=False,
                    ),
                    state.tree,
                    state.preview,
                    _claim_json(state),
                    now,
                    now,
                ),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save user: {exc}") from exc

    async def user_times(self, user_id: int) -> tuple[str, str] | None:
        """(created_at, last_seen) of a user, as ISO strings."""
        async with self.db.execute(
            "SELECT created_at, last_seen FROM users WHERE user_id = ?", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1]) if row else None

    async def set_blocked(self, user_id: int) -> None:
        """The user blocked the bot: drop their reminders; nothing more is sent until they write."""
        try:
            await self.db.execute("UPDATE users SET blocked = 1 WHERE user_id = ?", (user_id,))
            await self.db.execute(
                "UPDATE reminders SET dropped = 'blocked'"
                " WHERE user_id = ? AND sent_at IS NULL AND dropped IS NULL",
                (user_id,),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot mark a user blocked: {exc}") from exc

    async def is_blocked(self, user_id: int) -> bool:
        rows = await self._rows("SELECT blocked FROM users WHERE user_id = ?", (user_id,))
        return bool(rows and rows[0][0])
