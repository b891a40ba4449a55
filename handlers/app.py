"""Build and run the Telegram application: one place that registers every handler."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from urllib.parse import urlparse

from telegram import BotCommand, Update
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

from bot.config import Settings
from bot.content.loader import ContentStore
from bot.i18n import DEFAULT_LANG
from bot.service import Dialogue
from bot.storage import Storage
from handlers.dialogue import (
    COMMANDS,
    DIALOGUE_KEY,
    on_button,
    on_command,
    on_media,
    on_start,
    on_text,
)

__all__ = ["build_application", "run_bot", "CONTENT_RELOAD_SECONDS"]

log = logging.getLogger(__name__)

#: How often the bot looks for edited content files (it keeps the last good set on errors).
CONTENT_RELOAD_SECONDS = 60.0


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


async def _reload_content(context: ContextTypes.DEFAULT_TYPE) -> None:
    dialogue: Dialogue = context.application.bot_data[DIALOGUE_KEY]
    dialogue.content.reload()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error first, then tell the user politely."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    dialogue: Dialogue | None = context.application.bot_data.get(DIALOGUE_KEY)
    text = "Что-то пошло не так. Попробуйте ещё раз или нажмите /menu."
    if dialogue is not None and update.effective_user is not None:
        try:
            state = await dialogue.state_of(update.effective_user.id)
            found = dialogue.content.current.word(state.lang, "ui.error")
            text = found.text if found else text
        except Exception:  # noqa: BLE001 - the storage may be what failed; keep the default
            log.debug("could not look up the user's language for the error message")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.debug("could not tell the user about the error")


def build_application(
    settings: Settings,
    *,
    content: ContentStore | None = None,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    today: Callable[[], dt.date] | None = None,
    rate_limiter: bool = True,
) -> Application:
    """Create the Application with every handler; storage opens in post_init.

    ``request``/``updates_request`` let tests inject a fake Bot API; ``today`` a fixed clock.
    """
    content = content or ContentStore(settings.content_dir)
    storage = Storage(settings.database_path)

    async def post_init(app: Application) -> None:
        await storage.open()
        kwargs = {"today": today} if today else {}
        app.bot_data[DIALOGUE_KEY] = Dialogue(storage, content, **kwargs)
        await _register_commands(app, content)
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                _reload_content, interval=CONTENT_RELOAD_SECONDS, first=CONTENT_RELOAD_SECONDS
            )

    async def post_shutdown(app: Application) -> None:
        await storage.close()

    builder = (
        ApplicationBuilder()
        .token(settings.bot_token or "")
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()

    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=private))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_command))
    app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_media))
    app.add_error_handler(_on_error)
    return app


def run_bot(settings: Settings) -> None:
    """Run until stopped: webhook mode when WEBHOOK_URL is set, long polling otherwise."""
    app = build_application(settings)
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
