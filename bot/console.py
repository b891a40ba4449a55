"""The terminal adapter: the same engine as the Telegram bot, in a console.

Each message is printed as plain text with its buttons numbered. Type a number, a button's
label or a command (/menu, /language, /help, /cancel, /back, /start, /help_me, /end). Works with a pipe too:
one input per line, and the program ends at the end of input::

    printf '1\\n2\\n' | python -m bot console --lang ky

Files the bot makes (the wage-claim documents) are written to a folder (``--files``, by default
``./joldosh-documents``) and their paths printed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TextIO

from bot.claims.render import File
from bot.engine import Button, Command, Event, Press, Say, Start, State, Text, Toast
from bot.html import to_plain
from bot.service import Dialogue

__all__ = ["CONSOLE_USER", "DEFAULT_FILES", "run_console"]

CONSOLE_USER = 1
_RULE = "─" * 40
#: Where the console writes files the bot sends (documents).
DEFAULT_FILES = Path("joldosh-documents")
_COMMANDS = {"menu", "language", "help", "cancel", "back", "help_me", "end", "reminders", "forget", "mydata"}


def _norm(label: str) -> str:
    """Casefold and drop emoji and punctuation, so "регистрация" matches "📝 Регистрация"."""
    kept = (ch for ch in unicodedata.normalize("NFKC", label) if unicodedata.category(ch)[0] in "LNZ")
    return re.sub(r"\s+", " ", "".join(kept)).strip().casefold()


def _event_for(line: str, buttons: list[Button]) -> Event:
    if line.startswith("/"):
        name, _, arg = line[1:].partition(" ")
        name = name.lower()
        if name == "start":
            return Start(payload=arg.strip() or None)
        if name in _COMMANDS:
            return Command(name)
        return Text(line)
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        return Press(buttons[int(line) - 1].data)
    wanted = _norm(line)
    for button in buttons:
        if wanted and _norm(button.label) == wanted:
            return Press(button.data)
    return Text(line)


def _save(item: File, folder: Path) -> Path:
    """Write a file the bot sent into ``folder``; an existing file of that name is kept (-2, -3...)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / item.name
    stem, suffix, n = path.stem, path.suffix, 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    path.write_bytes(item.data)
    return path.resolve()


def _print_outputs(
    outputs: list, out: TextIO, buttons: list[Button], files: Path = DEFAULT_FILES
) -> list[Button]:
    for item in outputs:
        if isinstance(item, File):
            path = _save(item, files)
            caption = to_plain(item.caption).strip()
            out.write(f"{_RULE}\n📎 {caption}\n{path}\n" if caption else f"{_RULE}\n📎 {path}\n")
            continue
        if isinstance(item, Toast):
            continue  # the same words come as a message too; a toast is Telegram's pop-up
        if isinstance(item, Say):
            out.write(f"{_RULE}\n{to_plain(item.text).strip()}\n")
            flat = [b for row in item.buttons for b in row]
            if flat:
                buttons = flat
                out.write("\n")
                for i, b in enumerate(flat, start=1):
                    out.write(f"  {i}. {to_plain(b.label)}\n")
    out.flush()
    return buttons


async def run_console(
    dialogue: Dialogue,
    infile: TextIO,
    outfile: TextIO,
    lang: str | None = None,
    interactive: bool = False,
    files: Path = DEFAULT_FILES,
) -> int:
    """Chat in the terminal until the end of input. Returns the exit code."""
    if lang:
        await dialogue.storage.save_user(State(user_id=CONSOLE_USER, lang=lang, lang_chosen=True))
    _, outputs = await dialogue.process(CONSOLE_USER, Start())
    buttons = _print_outputs(outputs, outfile, [], files)
    while True:
        if interactive:
            outfile.write("> ")
            outfile.flush()
        line = infile.readline()
        if not line:
            if interactive:
                outfile.write("\n")
            return 0
        line = line.strip()
        if not line:
            continue
        if not interactive:
            outfile.write(f"> {line}\n")
        _, outputs = await dialogue.process(CONSOLE_USER, _event_for(line, buttons))
        buttons = _print_outputs(outputs, outfile, buttons, files)
