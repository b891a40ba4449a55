"""Storage: a repository layer over SQLite (WAL, versioned migrations; see connection.py) or
PostgreSQL (``postgresql://`` URL; postgres.py).

The database is the source of truth for where each user is in a tree. Handlers talk to
:class:`Storage` only through its methods. Database errors are converted to :class:`StorageError`.

One module per concern: ``base`` (connection, transactions, migrations), ``schema`` (the
migrations), ``users``, ``cases``, ``outbox``, ``inbox``, ``reminders``, ``unmatched``, ``usage``,
``alerts`` (law-change alerts: watches and announced changes), ``reports`` (which weekly report
went to whom), ``coordination`` (several replicas on PostgreSQL: lane locks, the leader).
"""

from __future__ import annotations

from bot.storage.alerts import ALERT_KIND, ALERT_LANE, AlertsRepo, Announced
from bot.storage.base import StorageError, StoreBase, _serialised
from bot.storage.cases import Case, CasesRepo, CaseTimes
from bot.storage.coordination import CoordinationRepo, LaneBusy
from bot.storage.inbox import InboxItem, InboxRepo
from bot.storage.outbox import OutboxItem, OutboxRepo
from bot.storage.reminders import RemindersRepo
from bot.storage.reports import ReportsRepo
from bot.storage.schema import MIGRATIONS
from bot.storage.unmatched import UnmatchedRepo
from bot.storage.usage import Step, UsageRepo
from bot.storage.users import UsersRepo

__all__ = [
    "ALERT_KIND",
    "ALERT_LANE",
    "MIGRATIONS",
    "Announced",
    "Case",
    "CaseTimes",
    "InboxItem",
    "LaneBusy",
    "OutboxItem",
    "Step",
    "Storage",
    "StorageError",
]


@_serialised
class Storage(
    UsersRepo,
    CasesRepo,
    OutboxRepo,
    InboxRepo,
    RemindersRepo,
    UnmatchedRepo,
    UsageRepo,
    AlertsRepo,
    ReportsRepo,
    CoordinationRepo,
    StoreBase,
):
    """Users' states, cases, outbox, inbox, reminders in SQLite or PostgreSQL.

    Use ``async with Storage(path) as store:`` or open()/close().
    """
