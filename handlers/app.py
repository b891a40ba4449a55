"""Build and run the Telegram application: one place that registers every handler."""

from __future__ import annotations

import datetime as dt
import gc
import importlib.util
import logging
import sys
from collections.abc import Callable
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.alerts import Alerts
from bot.config import Settings
from bot.content.loader import ContentStore
from bot.desk import Desk
from bot.hours import OperatorHours
from bot.i18n import DEFAULT_LANG
from bot.privacy import Privacy
from bot.publish import Publisher
from bot.reminders import Reminders
from bot.service import Dialogue
from bot.storage import Storage
from handlers.admin import ADMIN_COMMANDS, PUBLISHER_KEY, on_admin_command
from handlers.courier import Courier
from handlers.dialogue import (
    COMMANDS,
    DIALOGUE_KEY,
    on_button,
    on_command,
    on_media,
    on_start,
    on_text,
)
from handlers.intake import CURRENT, InboxQueue, Intake, RawUpdates
from handlers.leader import ELECTION_SECONDS, LEADER_KEY, Leader, leader_only
from handlers.operators import (
    COURIER_KEY,
    DESK_KEY,
    OPERATOR_COMMANDS,
    SETTINGS_KEY,
    on_operators_message,
)
from handlers.privacy import (
    PRIVACY_KEY,
    RETENTION_SECONDS,
    _forget_inactive,
    forget_inactive,
)
from handlers.report import WEEKLY_REPORT_KEY, WeeklyReport, schedule_weekly_report, send_weekly_report
from handlers.transport import JsonRequest

__all__ = [
    "build_application",
    "run_bot",
    "send_reminders",
    "reload_content",
    "send_alerts",
    "forget_inactive",
    "CONTENT_RELOAD_SECONDS",
    "OUTBOX_SECONDS",
    "SWEEP_SECONDS",
    "REMINDER_SECONDS",
]

log = logging.getLogger(__name__)

#: How often the bot looks for edited content files (it keeps the last good set on errors).
CONTENT_RELOAD_SECONDS = 60.0
#: How often undelivered case messages are retried (each update also delivers at once).
OUTBOX_SECONDS = 5.0
#: How often unclaimed cases are looked for.
SWEEP_SECONDS = 60.0
#: How often due reminders are looked for.
REMINDER_SECONDS = 60.0
#: How long finished updates are remembered (Telegram resends only unconfirmed ones, soon).
INBOX_KEEP = dt.timedelta(days=1)
REMINDERS_KEY = "reminders"
ALERTS_KEY = "alerts"
INTAKE_KEY = "intake"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def mark_missing_modules() -> None:
    """Remember once that the optional ``sniffio`` is not installed.

    httpcore (under httpx, under PTB) tries ``import sniffio`` on every request; when it is missing,
    every try searches the whole import path again: about 7% of the CPU of an update in the
    benchmark. ``None`` in ``sys.modules`` makes the import fail at once, as Python documents.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


async def _register_commands(app: Application, content: ContentStore) -> None:
    """Publish the command list in each language (Telegram shows it in the "/" menu)."""
    current = content.current
    for lang in (None, *current.languages):
        words = current.words.get(lang or DEFAULT_LANG, {})
        ru = current.words[DEFAULT_LANG]
        commands = [
            BotCommand(name, (words.get(f"ui.commands.{name}") or ru[f"ui.commands.{name}"])[:256])
            for name in ("start", *COMMANDS)
        ]
        try:
            await app.bot.set_my_commands(commands, language_code=lang)
        except TelegramError as exc:
            log.warning("could not set commands for %s: %s", lang or "default", exc)


async def _register_operator_commands(app: Application, content: ContentStore, chat_id: int) -> None:
    """The operators' commands in their group's "/" menu (words: content/ru/ops.yaml)."""
    ops = content.current.ops
    commands = [BotCommand(name, ops(f"commands.{name}")) for name in OPERATOR_COMMANDS]
    try:
        await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.warning("could not set the operators' commands (is the bot in the group?): %s", exc)


async def _deliver_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pick up what is due: retries whose time has come, updates left by a failed attempt."""
    context.application.bot_data[COURIER_KEY].kick()
    context.application.bot_data[INTAKE_KEY].kick()


async def _prune_inbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget finished updates after a day (kept that long so a resent update is not run twice)."""
    intake: Intake = context.application.bot_data[INTAKE_KEY]
    await intake.storage.inbox_prune(INBOX_KEEP)


async def send_reminders(app: Application) -> int:
    """Queue every due reminder once (marked sent in the same transaction) and deliver them.

    The outbox retries network failures; a user who blocked the bot gets nothing more.
    """
    reminders: Reminders = app.bot_data[REMINDERS_KEY]
    queued = 0
    for item in await reminders.due():
        async with reminders.storage.transaction():
            if not await reminders.storage.reminder_sent(item.id):
                continue  # another sweep took it
            await reminders.storage.send_later(
                item.user_id, "say", {"text": item.text, "buttons": [[[item.button, "f|show"]]]}
            )
        queued += 1
    courier: Courier = app.bot_data[COURIER_KEY]
    if queued:
        await courier.flush()
    return queued


async def _send_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_reminders(context.application)


async def send_alerts(app: Application) -> int:
    """Announce the law changes whose day has come, once each, and start sending them.

    Run on start and after each content reload check (every minute, so a change's day is noticed
    without an edit). The courier sends alerts from their own lane, paced; this does not wait.
    """
    leader: Leader | None = app.bot_data.get(LEADER_KEY)
    if leader is not None and not leader.held:
        return 0  # the replica that runs the timed work announces them
    alerts: Alerts = app.bot_data[ALERTS_KEY]
    queued = await alerts.announce()
    if queued:
        app.bot_data[COURIER_KEY].kick()
    return queued


async def _sweep_cases(context: ContextTypes.DEFAULT_TYPE) -> None:
    desk: Desk = context.application.bot_data[DESK_KEY]
    if await desk.sweep():
        await _deliver_outbox(context)


async def reload_content(app: Application) -> int:
    """Pick up edited content; tell the admins once what was published or refused (outbox)."""
    publisher: Publisher = app.bot_data[PUBLISHER_KEY]
    leader: Leader | None = app.bot_data.get(LEADER_KEY)
    # Every replica reloads its own copy; the one that runs the timed work tells the admins.
    _, queued = await publisher.reload(tell_admins=leader is None or leader.held)
    if queued:
        app.bot_data[COURIER_KEY].kick()
    await send_alerts(app)  # a new change, or a change whose day has come
    return queued


async def _reload_content(context: ContextTypes.DEFAULT_TYPE) -> None:
    await reload_content(context.application)


async def _elect(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Several replicas: try to become the one that runs the timed work; when this replica just
    became it, run what is due at once (the previous leader may have died with work due)."""
    app = context.application
    leader: Leader = app.bot_data[LEADER_KEY]
    was = leader.held
    if await leader.check() and not was:
        await on_elected(app)


async def on_elected(app: Application) -> None:
    """The timed work a new leader does at once: reminders, unclaimed cases, alerts, a missed report."""
    for name, work in (
        ("reminders", send_reminders),
        ("unclaimed cases", _sweep_now),
        ("law-change alerts", send_alerts),
        ("weekly report", send_weekly_report),
    ):
        try:
            await work(app)
        except Exception:  # noqa: BLE001 - one failing piece must not keep the others from running
            log.exception("%s: could not run after becoming the leader", name)


async def _sweep_now(app: Application) -> None:
    desk: Desk = app.bot_data[DESK_KEY]
    if await desk.sweep():
        app.bot_data[COURIER_KEY].kick()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hand a handler's error to the intake: it rolls the update back and apologises to the user."""
    outcome = CURRENT.get()
    if outcome is not None and outcome.error is None:
        outcome.error = context.error
        return
    log.error("error outside an update (%s)", type(context.error).__name__, exc_info=context.error)


def build_application(
    settings: Settings,
    *,
    content: ContentStore | None = None,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    today: Callable[[], dt.date] | None = None,
    now: Callable[[], dt.datetime] = _utcnow,
    rate_limiter: bool = True,
    background_jobs: bool = True,
    warm: bool = False,
) -> Application:
    """Create the Application with every handler; storage opens in post_init.

    ``request``/``updates_request`` let tests inject a fake Bot API; ``today`` and ``now`` a
    controllable clock; ``background_jobs=False`` leaves the timed jobs (content reload, outbox
    retries, unclaimed cases, reminders, the weekly report) to the test, which runs the same
    functions explicitly. ``warm``: build now what typed questions would otherwise build on the
    first question that needs it (``Matcher.warm``: about 0.15 s, in the event loop, out of reach
    of ``gc.freeze``); the running bot does, tests need not.
    """
    mark_missing_modules()
    content = content or ContentStore(settings.content_dir)
    if warm:
        content.current.matcher.warm()
    storage = Storage(settings.database, clock=now)
    hours = OperatorHours.parse(settings.operator_hours)

    async def post_init(app: Application) -> None:
        await storage.open()
        desk = Desk(
            storage,
            content,
            hours=hours,
            operators=settings.operators_chat_id is not None,
            now=now,
            unclaimed=dt.timedelta(minutes=settings.unclaimed_minutes),
        )
        kwargs = {"today": today} if today else {}
        reminders = Reminders(storage, content, now)
        app.bot_data[REMINDERS_KEY] = reminders
        app.bot_data[ALERTS_KEY] = Alerts(storage, content, now)
        privacy = Privacy(storage, content, retention_days=settings.retention_days, now=now)
        app.bot_data[PRIVACY_KEY] = privacy
        app.bot_data[DIALOGUE_KEY] = Dialogue(
            storage, content, desk=desk, reminders=reminders, privacy=privacy, **kwargs
        )
        app.bot_data[DESK_KEY] = desk
        app.bot_data[SETTINGS_KEY] = settings
        app.bot_data[PUBLISHER_KEY] = Publisher(storage, content, settings.admin_ids)
        courier = Courier(app.bot, storage, desk, settings.operators_chat_id)
        app.bot_data[COURIER_KEY] = courier
        app.bot_data[WEEKLY_REPORT_KEY] = WeeklyReport(storage, content, settings.admin_ids, now)
        intake = Intake(app, storage, courier, content, raw=raw)
        app.bot_data[INTAKE_KEY] = intake
        queue.intake = intake
        await _register_commands(app, content)
        if settings.operators_chat_id is not None:
            await _register_operator_commands(app, content, settings.operators_chat_id)
        leader = Leader(storage)
        app.bot_data[LEADER_KEY] = leader
        await leader.check()
        intake.kick()  # updates a crash left unprocessed
        try:
            await send_alerts(app)  # law changes whose day came while the bot was down
        except Exception:  # noqa: BLE001 - never keep the bot from starting; the next check retries
            log.exception("law-change alerts could not be announced on start")
        courier.kick()  # and what it left undelivered
        if app.job_queue is not None and background_jobs:
            app.job_queue.run_repeating(
                _reload_content, interval=CONTENT_RELOAD_SECONDS, first=CONTENT_RELOAD_SECONDS
            )
            app.job_queue.run_repeating(_deliver_outbox, interval=OUTBOX_SECONDS, first=OUTBOX_SECONDS)
            # The timed work runs on one replica only (handlers/leader.py; always this one with SQLite).
            once = leader_only
            app.job_queue.run_repeating(once(_sweep_cases), interval=SWEEP_SECONDS, first=SWEEP_SECONDS)
            app.job_queue.run_repeating(once(_prune_inbox), interval=3600.0, first=SWEEP_SECONDS)
            app.job_queue.run_repeating(once(_send_reminders), interval=REMINDER_SECONDS, first=5.0)
            app.job_queue.run_repeating(
                once(_forget_inactive), interval=RETENTION_SECONDS, first=SWEEP_SECONDS
            )
            schedule_weekly_report(app.job_queue)  # Mondays 09:00, Kazakhstan time (leader only)
            if storage.is_postgres:
                app.job_queue.run_repeating(_elect, interval=ELECTION_SECONDS, first=ELECTION_SECONDS)

    async def post_shutdown(app: Application) -> None:
        intake: Intake | None = app.bot_data.get(INTAKE_KEY)
        if intake is not None:
            await intake.close()
        courier: Courier | None = app.bot_data.get(COURIER_KEY)
        if courier is not None:
            await courier.close()
        await storage.close()

    queue = InboxQueue()  # updates are written to the database before Telegram is told
    builder = (
        ApplicationBuilder()
        .update_queue(queue)
        .token(settings.bot_token or "")
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # Bot API calls as JSON bodies, a few at a time (handlers/transport.py).
    builder = builder.request(request if request is not None else JsonRequest())
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    raw = RawUpdates()
    updates_request = getattr(app.bot, "_request", (None,))[0]  # PTB keeps (getUpdates', others')
    if updates_request is not None:
        raw.watch(updates_request)

    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=private))
    app.add_handler(CommandHandler(list(ADMIN_COMMANDS), on_admin_command, filters=private))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_command))
    app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_media))
    if settings.operators_chat_id is not None:
        operators = filters.Chat(settings.operators_chat_id) & ~filters.StatusUpdate.ALL
        app.add_handler(MessageHandler(operators, on_operators_message))
    app.add_error_handler(_on_error)
    return app


def run_bot(settings: Settings, *, rate_limiter: bool = True) -> None:
    """Run until stopped: webhook mode when WEBHOOK_URL is set, long polling otherwise.

    ``rate_limiter=False`` only for the benchmark's capacity run (scripts/bench.py).
    """
    app = build_application(settings, rate_limiter=rate_limiter, warm=True)
    # Everything loaded so far (the content and its typed-question index: about 200,000 objects)
    # lives as long as the process: keep it out of the garbage collector's full passes, which
    # otherwise stop the bot for about 50 ms now and then (the benchmark's p99).
    gc.freeze()
    if settings.webhook_url:
        log.info("starting webhook on port %s", settings.port)
        app.run_webhook(
            listen="0.0.0.0",  # noqa: S104 - the container's port is what is published
            port=settings.port,
            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
