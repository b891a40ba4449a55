"""Button data: short ASCII action strings (at most 64 bytes, Telegram's callback_data limit).

The table of actions is in the package's docstring (``bot/engine/__init__.py``).
"""

from __future__ import annotations


def _opt_action(version: str, node: str, option: str) -> str:
    return f"o|{version}|{node}|{option}"


def _back_action(version: str, node: str) -> str:
    return f"b|{version}|{node}"


def parse_action(data: str) -> tuple[str, ...] | None:
    """Split an action string into its parts; None if it is not one of ours."""
    parts = tuple(data.split("|"))
    kind = parts[0] if parts else ""
    sizes = {"o": 4, "b": 3, "m": 1, "p": 1, "l": 2, "h": 3, "hx": 1, "r": 3, "g": 3, "x": 2, "w": 3}
    expected = sizes.get(kind)
    if kind == "f" and len(parts) in (2, 3):
        expected = len(parts)
    if expected is None or len(parts) != expected or not all(parts):
        return None
    return parts
