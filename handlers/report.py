"""The weekly report for admins: every Monday at 09:00 (Kazakhstan time) a picture and a few lines.

The job only queues (``bot.report.queue_weekly_report``: one outbox ``photo`` item per admin, in one
transaction, never twice for a week and an admin); the courier uploads the pictures. So a crash
after queueing loses nothing (the courier sends on restart) and a second run sends nothing. If the
bot was down at 09:00 on Monday, the report goes out when it starts again (a catch-up run at start).
Admins (``ADMIN_IDS``) must have started the bot once, or Telegram refuses to write to them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram.ext import Application, ContextTypes, JobQueue

from bot.content.loader import ContentStore
from bot.hours import KZ_TZ
from bot.report import REPORT_TIME, queue_weekly_report
from bot.storage import Storage
from handlers.courier import Courier
from handlers.leader import leader_only
from handlers.operators import COURIER_KEY

__all__ = ["MONDAY", "WEEKLY_REPORT_KEY", "WeeklyReport", "schedule_weekly_report", "send_weekly_report"]

log = logging.getLogger(__name__)

#: PTB's days of the week (since v20): 0 is Sunday, 1 Monday ... 6 Saturday.
MONDAY = 1
WEEKLY_REPORT_KEY = "weekly_report"
#: The catch-up run waits this long after start (the bot first delivers what a crash left).
CATCH_UP_SECONDS = 60.0


@dataclass(frozen=True)
class WeeklyReport:
    """What the job needs: where to read, the words, who gets it, and the clock."""

    storage: Storage
    content: ContentStore
    admins: frozenset[int]
    now: Callable[[], dt.datetime]


async def send_weekly_report(app: Application) -> int:
    """Queue the report due now for every admin who has not had it, and deliver; return how many."""
    report: WeeklyReport = app.bot_data[WEEKLY_REPORT_KEY]
    if not report.admins:
        return 0
    queued = await queue_weekly_report(report.storage, report.content.current, report.admins, report.now())
    if queued:
        courier: Courier = app.bot_data[COURIER_KEY]
        await courier.flush()
    return len(queued)


async def _weekly_report(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_weekly_report(context.application)


async def _weekly_report_catch_up(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_weekly_report(context.application)


def schedule_weekly_report(job_queue: JobQueue) -> None:
    """Every Monday at 09:00 Kazakhstan time, and once soon after start (if a Monday was missed)."""
    job_queue.run_daily(leader_only(_weekly_report), time=REPORT_TIME.replace(tzinfo=KZ_TZ), days=(MONDAY,))
    job_queue.run_once(leader_only(_weekly_report_catch_up), when=CATCH_UP_SECONDS)
