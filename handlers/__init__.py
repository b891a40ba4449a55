"""Telegram adapters: turn updates into engine events and engine outputs into Bot API calls.

No tree logic lives here; see :mod:`bot.engine`.
"""
