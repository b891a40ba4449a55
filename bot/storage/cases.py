"""Cases handed to the operators: the case, its messages in the operators' group, notes, rating."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from bot.storage.base import StorageError, StoreBase, _time


@dataclass(frozen=True)
class Case:
    """A migrant's question handed to the operators."""

    case_id: int
    user_id: int
    status: str
    lang: str
    citizenship: str | None
    topic: str
    path: tuple[str, ...]
    urgent: bool
    description: str | None
    kind: str
    thread_id: int | None
    card_id: int | None
    operator_id: int | None
    operator_name: str | None
    rating: int | None
    user_blocked: bool
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    closed_at: dt.datetime | None
    pinged_at: dt.datetime | None


@dataclass(frozen=True)
class CaseTimes:
    """When a case was opened, taken, first answered and closed, and how it was rated (for reports).

    No user id and no words: only what the weekly report counts.
    """

    case_id: int
    lang: str
    topic: str
    urgent: bool
    rating: int | None
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    closed_at: dt.datetime | None


_CASE_COLUMNS = (
    "case_id, user_id, status, lang, citizenship, topic, path, urgent, description, kind, thread_id,"
    " card_id, operator_id, operator_name, rating, user_blocked, created_at, claimed_at, closed_at,"
    " pinged_at"
)


def _case(row: Any) -> Case:
    return Case(
        case_id=row[0],
        user_id=row[1],
        status=row[2],
        lang=row[3],
        citizenship=row[4],
        topic=row[5],
        path=tuple(json.loads(row[6])),
        urgent=bool(row[7]),
        description=row[8],
        kind=row[9],
        thread_id=row[10],
        card_id=row[11],
        operator_id=row[12],
        operator_name=row[13],
        rating=row[14],
        user_blocked=bool(row[15]),
        created_at=dt.datetime.fromisoformat(row[16]),
        claimed_at=_time(row[17]),
        closed_at=_time(row[18]),
        pinged_at=_time(row[19]),
    )


class CasesRepo(StoreBase):
    """Cases and what belongs to them."""

    async def create_case(
        self,
        *,
        user_id: int,
        lang: str,
        citizenship: str | None,
        topic: str,
        path: tuple[str, ...],
        urgent: bool,
        description: str | None,
        kind: str,
        outbox: list[tuple[str, str, dict[str, Any]]],
    ) -> int:
        """Store a new case and its first outbox items in one transaction; return its number."""
        now = self._now()
        try:
            cur = await self.db.execute(
                "INSERT INTO cases (user_id, lang, citizenship, topic, path, urgent, description, kind,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    lang,
                    citizenship,
                    topic,
                    json.dumps(list(path)),
                    int(urgent),
                    description,
                    kind,
                    now,
                ),
            )
            case_id = int(cur.lastrowid or 0)
            for target, kind_, payload in outbox:
                await self._enqueue(case_id, target, kind_, payload, now)
            await self._commit()
        except sqlite3.Error as exc:
            await self._rollback()
            raise StorageError(f"cannot create case: {exc}") from exc
        return case_id

    async def get_case(self, case_id: int) -> Case | None:
        rows = await self._rows(f"SELECT {_CASE_COLUMNS} FROM cases WHERE case_id = ?", (case_id,))
        return _case(rows[0]) if rows else None

    async def open_case_of(self, user_id: int) -> Case | None:
        """The user's case that is not closed yet, if any."""
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE user_id = ? AND status != 'closed'"
            " ORDER BY case_id DESC LIMIT 1",
            (user_id,),
        )
        return _case(rows[0]) if rows else None

    async def case_by_thread(self, thread_id: int) -> Case | None:
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE thread_id = ? ORDER BY case_id DESC LIMIT 1",
            (thread_id,),
        )
        return _case(rows[0]) if rows else None

    async def case_by_message(self, chat_id: int, message_id: int) -> Case | None:
        """The case a message in the operators' group (card or relayed message) belongs to."""
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE case_id ="
            " (SELECT case_id FROM case_messages WHERE chat_id = ? AND message_id = ?)",
            (chat_id, message_id),
        )
        return _case(rows[0]) if rows else None

    async def map_message(self, chat_id: int, message_id: int, case_id: int) -> None:
        await self._run(
            "map a message",
            "INSERT OR REPLACE INTO case_messages (chat_id, message_id, case_id) VALUES (?, ?, ?)",
            (chat_id, message_id, case_id),
        )

    async def open_cases(self) -> list[Case]:
        rows = await self._rows(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE status != 'closed' ORDER BY case_id"
        )
        return [_case(r) for r in rows]

    async def set_thread(self, case_id: int, thread_id: int | None) -> None:
        await self._run(
            "set the topic", "UPDATE cases SET thread_id = ? WHERE case_id = ?", (thread_id, case_id)
        )

    async def set_card(self, case_id: int, message_id: int) -> None:
        await self._run(
            "set the card", "UPDATE cases SET card_id = ? WHERE case_id = ?", (message_id, case_id)
        )

    async def claim(self, case_id: int, operator_id: int, operator_name: str) -> bool:
        """Give an open, unclaimed case to an operator. False if it was not open and unclaimed."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET status = 'claimed', operator_id = ?, operator_name = ?, claimed_at = ?"
                " WHERE case_id = ? AND status = 'open'",
                (operator_id, operator_name, self._now(), case_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot claim: {exc}") from exc
        return cur.rowcount == 1

    async def close_case(self, case_id: int, closed_by: str) -> bool:
        """Close a case. False if it was already closed."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET status = 'closed', closed_at = ?, closed_by = ?"
                " WHERE case_id = ? AND status != 'closed'",
                (self._now(), closed_by, case_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot close: {exc}") from exc
        return cur.rowcount == 1

    async def rate(self, case_id: int, user_id: int, stars: int) -> bool:
        """Store the user's rating of their own closed case, once. False for anyone else's case
        and for a case rated already."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET rating = ? WHERE case_id = ? AND user_id = ? AND status = 'closed'"
                " AND rating IS NULL",
                (stars, case_id, user_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot rate: {exc}") from exc
        return cur.rowcount == 1

    async def add_note(self, case_id: int, operator_id: int, text: str) -> None:
        await self._run(
            "add a note",
            "INSERT INTO case_notes (case_id, operator_id, text, created_at) VALUES (?, ?, ?, ?)",
            (case_id, operator_id, text, self._now()),
        )

    async def notes(self, case_id: int) -> list[str]:
        rows = await self._rows("SELECT text FROM case_notes WHERE case_id = ? ORDER BY id", (case_id,))
        return [r[0] for r in rows]

    async def mark_blocked(self, case_id: int) -> None:
        await self._run("mark blocked", "UPDATE cases SET user_blocked = 1 WHERE case_id = ?", (case_id,))

    async def mark_first_reply(self, case_id: int) -> bool:
        """Note when an operator's first answer to the case was relayed (kept if already set).
        False if it was set before."""
        try:
            cur = await self.db.execute(
                "UPDATE cases SET first_reply_at = ? WHERE case_id = ? AND first_reply_at IS NULL",
                (self._now(), case_id),
            )
            await self._commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot note the first reply: {exc}") from exc
        return cur.rowcount == 1

    async def case_times(self, since: dt.datetime) -> list[CaseTimes]:
        """Every case opened, taken, answered or closed at ``since`` or later (read-only).

        Times are stored as UTC ISO strings, so ``since`` is compared in UTC.
        """
        bound = since.astimezone(dt.UTC).isoformat(timespec="seconds")
        rows = await self._rows(
            "SELECT case_id, lang, topic, urgent, rating, created_at, claimed_at, first_reply_at, closed_at"
            " FROM cases WHERE created_at >= ? OR claimed_at >= ? OR first_reply_at >= ? OR closed_at >= ?"
            " ORDER BY case_id",
            (bound, bound, bound, bound),
        )
        return [
            CaseTimes(
                case_id=r[0],
                lang=r[1],
                topic=r[2],
                urgent=bool(r[3]),
                rating=r[4],
                created_at=dt.datetime.fromisoformat(r[5]),
                claimed_at=_time(r[6]),
                first_reply_at=_time(r[7]),
                closed_at=_time(r[8]),
            )
            for r in rows
        ]

    async def mark_pinged(self, case_id: int) -> None:
        await self._run(
            "mark pinged", "UPDATE cases SET pinged_at = ? WHERE case_id = ?", (self._now(), case_id)
        )
