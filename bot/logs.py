"""Quiet logs that never carry secrets: one line per event that matters at INFO.

* A filter on the root logger's handlers masks anything that looks like a bot token
  (``<digits>:<30+ characters>``): PTB and httpx put the token in Bot API URLs, and exceptions
  about failed requests may repeat them.
* Third-party loggers that chatter (APScheduler's "Running job ..." every few seconds, httpx's
  request lines) or dump payloads at DEBUG (PTB's Bot API calls and updates, aiosqlite's
  statements with their parameters: users' texts) are held at a floor whatever LOG_LEVEL says.
* Our own code logs ids, numbers and reasons, never what a person wrote or was sent.
"""

from __future__ import annotations

import logging
import re

__all__ = ["QUIET_LOGGERS", "SecretFilter", "TOKEN_RE", "mask", "setup_logging"]

TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_MASK = "<token>"
#: Logger -> the lowest level it may log at (its records carry texts, URLs or timer chatter).
QUIET_LOGGERS = {
    "httpx": logging.WARNING,  # "HTTP Request: POST https://api.telegram.org/bot<token>/..."
    "httpcore": logging.WARNING,  # request and response bytes at DEBUG
    "apscheduler": logging.WARNING,  # "Running job ..." for every run of every timed job
    "aiosqlite": logging.WARNING,  # every statement with its parameters at DEBUG
    "telegram": logging.INFO,  # Bot API calls with their parameters and results, updates at DEBUG
}


def mask(text: str) -> str:
    """``text`` with every bot token replaced by ``<token>``."""
    return TOKEN_RE.sub(_MASK, text)


class SecretFilter(logging.Filter):
    """Masks bot tokens in a record's message, its exception and its stack (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record: leave it to the formatter
            return True
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install_filter(logger: logging.Logger | None = None) -> None:
    """Put the secret filter on every handler of ``logger`` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter())


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr at ``level`` (LOG_LEVEL), with the noisy loggers held at their floor."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(numeric)
    install_filter(root)
    for name, floor in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
