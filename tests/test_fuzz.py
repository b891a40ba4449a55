"""Property-based fuzz: updates of every shape, hostile or odd, through the real Application.

Hypothesis draws sequences of actions by a few users (and strangers): texts with control
characters, right-to-left marks and 4,096 characters, commands with junk, forged and oversized
button data, presses of real buttons, edited messages, stickers, photos, voices, locations,
documents, channel posts, messages in unknown groups and in the operators' group. After each
sequence: no update raised an unhandled exception (the intake logs every one it rolled back),
and Telegram refused no call the bot made (the fake Bot API is strict like Telegram).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.bot_harness import running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

USERS = (11, 12, 13)
LANGS = {11: "ru", 12: "ky", 13: "uz"}
OPS = -1001
OPERATOR = 501
STRANGE_GROUP = -1777
CHANNEL = -1009
#: Examples x actions per example: at least 2,000 updates per run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
ACTIONS = 90

_odd = st.sampled_from(
    ["\u202e", "\u200f", "\x00", "\x07", "\ufeff", "<b>", "</i>", "&amp;", "&", "<", "|", "\n", "🆘"]
    + ["ʻ", "\u0000"]
)
_words = st.sampled_from(
    ["паспорт", "забрали", "не платят", "pasportimni", "oylik", "айлык", "төлқұжат", "полиция"]
    + ["/", "1", "99"]
)
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(_odd, _words, st.text(max_size=8)), max_size=12).map(" ".join),
    st.integers(1, 4096).map(lambda n: ("я" * n)[:4096]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3000, max_size=4096),
)
commands = st.one_of(
    st.sampled_from(
        ["/start", "/menu", "/language", "/help", "/cancel", "/help_me", "/end", "/reminders", "/forget"]
        + ["/mydata"]
    ),
    st.tuples(st.sampled_from(["/start", "/menu", "/end", "/x"]), st.text(max_size=70)).map(" ".join),
    st.text(max_size=40).map(lambda t: "/" + t),
)
forged = st.one_of(
    st.text(min_size=1, max_size=64),
    st.text(min_size=65, max_size=300),
    st.sampled_from(["r|99999999999999999999|5", "r|1|9", "r|-1|3", "o|x|main|reg", "b|||", "x|yes"])
    | st.sampled_from(["hx", "f|"]),
    st.tuples(st.sampled_from(["o", "b", "r", "f", "l", "h", "g", "x"]), st.text(max_size=30)).map("|".join),
)

actions = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(USERS), texts),
    st.tuples(st.just("command"), st.sampled_from(USERS), commands),
    st.tuples(st.just("tap"), st.sampled_from(USERS), st.integers(0, 30)),
    st.tuples(st.just("tap"), st.sampled_from(USERS), st.integers(0, 30)),
    st.tuples(st.just("forge"), st.sampled_from(USERS), forged),
    st.tuples(
        st.just("media"),
        st.sampled_from(USERS),
        st.sampled_from(["photo", "sticker", "voice", "location", "document"]),
    ),
    st.tuples(st.just("edited"), st.sampled_from(USERS), texts),
    st.tuples(st.just("channel"), st.just(0), texts),
    st.tuples(st.just("strange_group"), st.sampled_from(USERS), st.one_of(commands, texts)),
    st.tuples(st.just("operator"), st.just(OPERATOR), st.one_of(commands, texts, st.just("/claim"))),
)


def _screen(fake: FakeTelegram, user: int) -> dict[str, Any] | None:
    try:
        return fake.screen(user)
    except AssertionError:
        return None


def apply(fake: FakeTelegram, action: tuple[str, int, Any]) -> None:
    kind, user, arg = action
    if kind == "text":
        fake.send_text(user, arg or ".")
    elif kind == "command":
        fake.send_text(user, arg)
    elif kind in ("tap", "forge"):
        screen = _screen(fake, user)
        if screen is None:
            fake.send_text(user, "/start")
            return
        buttons = fake.buttons(screen)
        data = buttons[arg % len(buttons)][1] if kind == "tap" else arg
        fake.press(user, screen["message_id"], data)
    elif kind == "media":
        getattr(fake, f"send_{arg}")(user)
    elif kind == "edited":
        chat = fake._chat(user)
        msg = fake._new_message(chat, chat.user, {"text": arg or "."})
        msg["edit_date"] = msg["date"] + 5
        fake._push({"edited_message": msg})
    elif kind == "channel":
        chat = {"id": CHANNEL, "type": "channel", "title": "News"}
        fake._push({"channel_post": {"message_id": 1, "date": 1796400000, "chat": chat, "text": arg or "."}})
    elif kind == "strange_group":
        chat = {"id": STRANGE_GROUP, "type": "supergroup", "title": "Somewhere"}
        sender = fake._chat(user).user
        message = {"message_id": 1, "date": 1796400000, "chat": chat, "from": sender, "text": arg or "."}
        fake._push({"message": message})
    elif kind == "operator":
        fake.group_text(OPS, OPERATOR, arg or ".")


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


async def _run(sequence: list[tuple[str, int, Any]]) -> tuple[FakeTelegram, list[str]]:
    fake = FakeTelegram()
    for user in USERS:
        fake.user(user, language_code=LANGS[user])
    fake.group(OPS, forum=True, members=[OPERATOR])
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "db.sqlite3"
            async with running_bot(fake, db, REAL_CONTENT, operators_chat_id=OPS) as bot:
                for i, action in enumerate(sequence):
                    apply(fake, action)
                    if i % 10 == 9:  # let buttons appear, so taps reach deep screens
                        await bot.settle(timeout=60)
                await bot.settle(timeout=60)
    finally:
        logging.getLogger().removeHandler(errors)
    return fake, errors.records


def _refused(fake: FakeTelegram) -> list[tuple[str, str]]:
    return [e for e in fake.errors if not e[1].startswith("Forbidden")]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    phases=(Phase.explicit, Phase.generate),  # bounded in time: a failure is reported unshrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(actions, min_size=ACTIONS, max_size=ACTIONS))
def test_no_update_raises_and_telegram_refuses_nothing(sequence: list[tuple[str, int, Any]]) -> None:
    fake, errors = asyncio.run(asyncio.wait_for(_run(sequence), 120))
    assert errors == [], errors
    assert _refused(fake) == [], _refused(fake)
