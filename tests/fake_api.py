"""An in-process fake of the Telegram Bot API, strict about Telegram's limits.

It plugs into python-telegram-bot through httpx's transport seam::

    fake = FakeTelegram()
    request = HTTPXRequest(httpx_kwargs={"transport": fake.transport})
    app = ApplicationBuilder().token("1:T").request(request).get_updates_request(...).build()

Tests then play the user (``fake.send_text(7, "/start")``, ``fake.press(7, message_id, data)``)
and read what the bot did (``fake.screen(7)``, ``fake.sent``, ``fake.errors``). Like Telegram,
it rejects: empty or too long texts (4096 characters after entity parsing, in UTF-16 units),
malformed HTML, callback_data over 64 bytes, edits that change nothing ("message is not
modified"), a callback query answered twice, sends to a user who blocked the bot or never started
it (403) and to unknown chats. ``fail_next`` injects any error once (e.g. 429 with retry_after).
``sendPhoto`` takes a known file id or a multipart upload that is a real PNG or JPEG within
Telegram's limits (10 MB, width + height ≤ 10000, sides at most 1:20), and a caption of at most
1024 characters after entity parsing; ``fake.sent`` keeps the uploaded bytes (``upload``).
``sendDocument`` takes a known file id or a multipart upload with a file name, not empty and at
most 50 MB, and a caption of at most 1024 characters; ``fake.sent`` keeps what was uploaded
(``document`` as Telegram describes it, ``upload`` the file name, MIME type and bytes).

Operators' supergroups: ``fake.group(-1001, members=[50])`` registers a (forum) supergroup where the
bot is an admin; ``fake.group_text(-1001, 50, "/take", thread_id=2)`` plays an operator; the bot
may ``createForumTopic``, send or ``copyMessage`` into topics, and ``fake.delete_topic`` plays an
admin deleting a topic (then "message thread not found"). Read with ``fake.group_messages`` and
``fake.topics``.

As in Telegram, a topic's thread id is the message id of its "topic created" service message (so a
fresh group's first topic is 2; 1 stands for the group's own creation and General cannot be
targeted by id), and every message in a topic that is not a reply carries ``reply_to_message`` =
that service message. Deleting a topic deletes its messages (``fake.sent`` keeps the history).

Nothing here opens a socket: every request is answered by :meth:`FakeTelegram._handle`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import mimetypes
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import httpx

__all__ = ["BOT_USER", "ApiError", "FakeTelegram", "Upload", "image_size", "parse_telegram_html"]
__all__ = ["BOT_USER", "ApiError", "FakeTelegram", "Upload", "parse_telegram_html"]

BOT_USER = {
    "id": 1000,
    "is_bot": True,
    "first_name": "Joldosh",
    "username": "joldosh_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "link_preview_options",
    "reply_parameters",
}
_ALLOWED_TAGS = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(),
    "s": set(), "strike": set(), "del": set(), "tg-spoiler": set(), "span": {"class"},
    "a": {"href"}, "code": {"class"}, "pre": set(), "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}  # fmt: skip
# Telegram's six topic icon colours; the first is what a topic gets when none is given.
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
# What copyMessage carries over from the source message.
_COPIED = ("text", "html", "entities", "photo", "voice", "document", "sticker", "location", "caption",
           "caption_html", "caption_entities")  # fmt: skip
_MEDIA = ("photo", "voice", "document")  # the kinds copyMessage may give a new caption
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of a message"
)


class ApiError(Exception):
    """An error the fake answers with, exactly as Telegram would."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


class _StrictHtml(HTMLParser):
    """Telegram's HTML parse mode: a small tag set, balanced, entities only where allowed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"')
        for name, _ in attrs:
            if name not in _ALLOWED_TAGS[tag]:
                raise ApiError(400, f"Bad Request: can't parse entities: unexpected attribute {name}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise ApiError(400, f'Bad Request: can\'t parse entities: unsupported tag "{tag}/"')

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise ApiError(400, "Bad Request: can't parse entities: unescaped < or >")
        if "&" in data:
            raise ApiError(400, "Bad Request: can't parse entities: unescaped &")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        table = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in table:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported entity &{name};")
        self.text.append(table[name])

    def handle_charref(self, name: str) -> None:
        self.text.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))

    def unknown_decl(self, data: str) -> None:
        raise ApiError(400, "Bad Request: can't parse entities: unexpected declaration")

    handle_comment = handle_decl = handle_pi = unknown_decl  # type: ignore[assignment]


def parse_telegram_html(text: str) -> str:
    """Return the visible text of ``text``, or raise ApiError like Telegram's HTML mode."""
    parser = _StrictHtml()
    parser.feed(text)
    # HTMLParser keeps an unterminated "<..." in its buffer instead of reporting it.
    if parser.rawdata:
        raise ApiError(400, "Bad Request: can't parse entities: unclosed start tag")
    parser.close()
    if parser.stack:
        raise ApiError(400, f"Bad Request: can't parse entities: can't find end tag \"{parser.stack[-1]}\"")
    return "".join(parser.text)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


#: Telegram's limits for an uploaded photo (sendPhoto): size, width + height, and side ratio.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDES = 10_000
PHOTO_MAX_RATIO = 20
#: The sizes Telegram keeps of a photo (the longest side), the last one being the compressed photo.
_PHOTO_SIZES = (90, 320, 800, 1280)


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content_type: str
    data: bytes


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG image, None if ``data`` is neither (or is broken)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return (width, height) if width and height and data.endswith(b"IEND\xaeB`\x82") else None
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):  # start of frame: height, then width
                height = int.from_bytes(data[i + 5 : i + 7], "big")
                width = int.from_bytes(data[i + 7 : i + 9], "big")
                return (width, height) if width and height else None
            i += 2 + length
    return None


#: Telegram's limit for a file a bot uploads (sendDocument).
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class _Query:
    id: str
    chat_id: int
    answered: bool = False
    text: str | None = None


@dataclass
class _Chat:
    """A chat of any type: ``chat`` is Telegram's Chat object; ``user`` is set for private chats."""

    chat: dict[str, Any]
    user: dict[str, Any] | None = None
    started: bool = True  # private chats: has the user ever started the bot?
    members: set[int] = field(default_factory=set)  # groups: user ids of the members
    topics: dict[int, str] = field(default_factory=dict)  # forums: live topics, thread id -> name
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def id(self) -> int:
        return self.chat["id"]

    @property
    def is_forum(self) -> bool:
        return bool(self.chat.get("is_forum"))


def _command_entities(text: str) -> list[dict[str, Any]]:
    """A leading "/command" (or "/command@bot") gets a bot_command entity, as in Telegram."""
    if not text.startswith("/"):
        return []
    return [{"type": "bot_command", "offset": 0, "length": _utf16_len(text.split()[0])}]


def _quoted(message: dict[str, Any]) -> dict[str, Any]:
    """A message as it appears in ``reply_to_message``: without its own ``reply_to_message``."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


class FakeTelegram:
    """A Telegram Bot API server living inside the test process."""

    def __init__(self) -> None:
        self.transport = httpx.MockTransport(self._handle)
        self.chats: dict[int, _Chat] = {}
        self.blocked: set[int] = set()
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []  # every successful call that showed something
        self.errors: list[tuple[str, str]] = []  # (method, description) of every rejected call
        self.calls: list[str] = []  # every method called, in order
        self.queries: dict[str, _Query] = {}
        self.commands: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.files: dict[str, list[dict[str, Any]]] = {}  # photo file id -> the photo's sizes
        self._documents: dict[str, dict[str, Any]] = {}  # file id -> a document the bot uploaded
        self._query_ids = itertools.count(1)
        self._failures: dict[str, list[ApiError | str]] = {}
        self.pushed_at: dict[int, float] = {}  # update id -> when the user sent it (monotonic)
        self.timeline: list[tuple[float, str, int | None]] = []  # (when, method, chat) of each success
        self.faults: list[tuple[str, str]] = []  # (method, fault) of every injected network fault
        self._fetched_upto = 0
        self._confirmed = 0
        self._new_update: asyncio.Event | None = None
        self._last_call = time.monotonic()

    # --- the user's side ----------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        language_code: str | None = "ru",
        started: bool = True,
    ) -> dict:
        """Register a user with a private chat (chat id == user id).

        ``started=False``: the user never started the bot, so sends to them fail with 403 until
        they write to it (any ``send_*`` below counts as starting the bot).
        """
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        self.chats[user_id] = _Chat(chat, user, started=started)
        return user

    def group(
        self, chat_id: int, title: str = "Operators", forum: bool = True, members: Iterable[int] = ()
    ) -> dict:
        """Register a supergroup (negative id, e.g. -1001) where the bot is an admin.

        Members not yet known are registered as users who never started the bot. Returns the
        chat object (``is_forum`` is present only when true, as in Telegram).
        """
        assert chat_id < 0, "group chat ids are negative"
        chat: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        for member in members:
            if member not in self.chats:
                self.user(member, first_name=f"Operator{member}", started=False)
        # Message 1 stands for the group's creation: the first topic gets thread id 2.
        self.chats[chat_id] = _Chat(chat, members=set(members), next_id=itertools.count(2))
        return chat

    def block(self, user_id: int) -> None:
        """The user blocks the bot: every send to them fails with 403 from now on."""
        self.blocked.add(user_id)

    def _chat(self, user_id: int) -> _Chat:
        if user_id not in self.chats:
            assert user_id > 0, f"unknown group {user_id}: register it with fake.group()"
            self.user(user_id)
        return self.chats[user_id]

    def _group(self, chat_id: int) -> _Chat:
        chat = self.chats.get(chat_id)
        assert chat is not None and chat.user is None, f"unknown group {chat_id}"
        return chat

    def _push(self, update: dict[str, Any]) -> int:
        update["update_id"] = next(self._update_ids)
        self.pushed_at[update["update_id"]] = time.monotonic()
        self.updates.append(update)
        if self._new_update is not None:
            self._new_update.set()
        return update["update_id"]

    @staticmethod
    def _new_message(
        chat: _Chat,
        sender: dict[str, Any],
        content: dict[str, Any],
        thread_id: int | None = None,
        reply: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a new message in ``chat``; thread and reply must already be checked."""
        msg: dict[str, Any] = {
            "message_id": next(chat.next_id),
            "date": int(time.time()),
            "chat": dict(chat.chat),
            "from": sender,
        }
        if thread_id is None and reply is not None:
            thread_id = reply.get("message_thread_id")  # a reply goes into its message's topic
        if thread_id is not None:
            msg["message_thread_id"] = thread_id
            msg["is_topic_message"] = True
            if reply is None:  # Telegram's quirk: the topic's "created" message stands in
                reply = chat.messages.get(thread_id)
        if reply is not None:
            msg["reply_to_message"] = _quoted(reply)
        msg.update(content)
        chat.messages[msg["message_id"]] = msg
        return msg

    def _user_message(self, user_id: int, **content: Any) -> int:
        """The user sends a message to the bot (which starts it); returns the message id."""
        chat = self._chat(user_id)
        chat.started = True
        assert chat.user is not None
        msg = self._new_message(chat, chat.user, content)
        self._push({"message": msg})
        return msg["message_id"]

    def send_text(self, user_id: int, text: str) -> int:
        """The user sends text; a leading "/command" gets a bot_command entity, as in Telegram.

        Every ``send_*`` returns the new message's id (in the user's private chat).
        """
        content: dict[str, Any] = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        return self._user_message(user_id, **content)

    def send_photo(self, user_id: int, caption: str | None = None) -> int:
        sizes = [
            {"file_id": f"photo{w}", "file_unique_id": f"u{w}", "width": w, "height": w, "file_size": w * 10}
            for w in (90, 320)
        ]
        self.files.update({each["file_id"]: sizes for each in sizes})
        extra = {"caption": caption} if caption else {}
        return self._user_message(user_id, photo=sizes, **extra)

    def send_document(self, user_id: int, file_name: str = "scan.pdf", caption: str | None = None) -> int:
        document = {
            "file_id": f"doc-{file_name}", "file_unique_id": f"du-{file_name}", "file_name": file_name,
            "mime_type": mimetypes.guess_type(file_name)[0] or "application/octet-stream",
            "file_size": 12345,
        }  # fmt: skip
        self._documents[document["file_id"]] = document
        extra = {"caption": caption} if caption else {}
        return self._user_message(user_id, document=document, **extra)

    def send_sticker(self, user_id: int) -> int:
        sticker = {
            "file_id": "sticker1", "file_unique_id": "su1", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False,
        }  # fmt: skip
        return self._user_message(user_id, sticker=sticker)

    def send_voice(self, user_id: int) -> int:
        voice = {"file_id": "voice1", "file_unique_id": "vu1", "duration": 3, "mime_type": "audio/ogg"}
        return self._user_message(user_id, voice=voice)

    def send_location(self, user_id: int) -> int:
        location = {"latitude": 43.2389, "longitude": 76.8897}
        return self._user_message(user_id, location=location)

    # --- the operators' side ------------------------------------------------------------------

    def _operator_message(
        self, chat_id: int, from_user: int, thread_id: int | None, reply_to: int | None, **content: Any
    ) -> int:
        chat = self._group(chat_id)
        assert from_user in chat.members, f"user {from_user} is not a member of group {chat_id}"
        assert thread_id is None or thread_id in chat.topics, f"no live topic {thread_id} in {chat_id}"
        reply = None
        if reply_to is not None:
            reply = chat.messages.get(reply_to)
            assert reply is not None, f"no message {reply_to} in group {chat_id}"
            assert thread_id is None or reply.get("message_thread_id") == thread_id, "reply in another topic"
        sender = self.chats[from_user].user
        assert sender is not None
        msg = self._new_message(chat, sender, content, thread_id, reply)
        self._push({"message": msg})
        return msg["message_id"]

    def group_text(
        self,
        chat_id: int,
        from_user: int,
        text: str,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        """An operator writes in the group (in a topic if ``thread_id``); returns the message id.

        ``reply_to`` is a message id in that group; a reply to a topic message lands in that topic.
        """
        content: dict[str, Any] = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        return self._operator_message(chat_id, from_user, thread_id, reply_to, **content)

    def group_photo(
        self,
        chat_id: int,
        from_user: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
        caption: str | None = None,
    ) -> int:
        """An operator sends a photo in the group; returns the message id."""
        sizes = [
            {"file_id": f"op-photo{w}", "file_unique_id": f"uop{w}", "width": w, "height": w,
             "file_size": w * 10}
            for w in (90, 320)
        ]  # fmt: skip
        self.files.update({each["file_id"]: sizes for each in sizes})
        extra = {"caption": caption} if caption else {}
        return self._operator_message(chat_id, from_user, thread_id, reply_to, photo=sizes, **extra)

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes a topic and with it its messages; sends into it now fail."""
        chat = self._group(chat_id)
        assert thread_id in chat.topics, f"no live topic {thread_id} in {chat_id}"
        del chat.topics[thread_id]
        for message_id in [i for i, m in chat.messages.items() if m.get("message_thread_id") == thread_id]:
            del chat.messages[message_id]

    def press(self, user_id: int, message_id: int, data: str) -> str:
        """The user presses a button of a bot message; returns the callback query id."""
        chat = self._chat(user_id)
        message = chat.messages[message_id]
        qid = f"q{next(self._query_ids)}"
        self.queries[qid] = _Query(qid, user_id)
        self._push(
            {
                "callback_query": {
                    "id": qid,
                    "from": chat.user,
                    "chat_instance": f"ci{user_id}",
                    "data": data,
                    "message": message,
                }
            }
        )
        return qid

    def fail_next(self, method: str, code: int, description: str, retry_after: int | None = None) -> None:
        """Make the next call of ``method`` fail with this error."""
        self._failures.setdefault(method, []).append(ApiError(code, description, retry_after))

    def fault_next(self, method: str, fault: str) -> None:
        """Make the next call of ``method`` fail on the network, as a real connection can.

        ``connect``: refused before Telegram saw it; ``timeout``: no answer in time (nothing done);
        ``drop_after``: Telegram did the call, then the connection dropped before the answer came.
        """
        assert fault in ("connect", "timeout", "drop_after"), fault
        self._failures.setdefault(method, []).append(fault)

    # --- reading what the bot did ---------------------------------------------------------------

    def bot_messages(self, user_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first, as they look now (after edits).

        Service messages (a topic's creation) are left out.
        """
        chat = self._chat(user_id)
        return [
            m
            for m in chat.messages.values()
            if m["from"]["id"] == BOT_USER["id"] and "forum_topic_created" not in m
        ]

    def group_messages(self, chat_id: int, thread_id: int | None = None) -> list[dict[str, Any]]:
        """The bot's messages in a group, oldest first; with ``thread_id`` only those in that topic."""
        self._group(chat_id)
        return [
            m
            for m in self.bot_messages(chat_id)
            if thread_id is None or m.get("message_thread_id") == thread_id
        ]

    def topics(self, chat_id: int) -> dict[int, str]:
        """The group's live topics: thread id -> name."""
        return dict(self._group(chat_id).topics)

    def last(self, user_id: int) -> dict[str, Any]:
        """The bot's newest message in a chat (edits update messages in place)."""
        messages = self.bot_messages(user_id)
        assert messages, f"the bot has sent nothing to {user_id}"
        return messages[-1]

    def screen(self, user_id: int) -> dict[str, Any]:
        """The last message with a keyboard: what the user would tap next."""
        for msg in reversed(self.bot_messages(user_id)):
            if msg.get("reply_markup"):
                return msg
        raise AssertionError(f"no message with buttons in chat {user_id}")

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
        """(text, callback_data) of every inline button of a message."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def tap(self, user_id: int, label: str) -> str:
        """Press the button whose text contains ``label`` on the user's current screen."""
        msg = self.screen(user_id)
        for text, data in self.buttons(msg):
            if label in text:
                return self.press(user_id, msg["message_id"], data)
        raise AssertionError(f"no button {label!r} in {self.buttons(msg)}")

    def answered(self, query_id: str) -> bool:
        return self.queries[query_id].answered

    @property
    def fetched(self) -> int:
        """How many updates the bot has fetched so far."""
        return self._fetched_upto

    async def wait_fetched(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched every update enqueued so far."""
        deadline = time.monotonic() + timeout
        while self._fetched_upto < len(self.updates):
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not fetch its updates")
            await asyncio.sleep(0.005)

    async def wait_confirmed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (by asking for a later offset) every update so far."""
        deadline = time.monotonic() + timeout
        while self.updates and self._confirmed <= self.updates[-1]["update_id"]:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not confirm its updates")
            await asyncio.sleep(0.005)

    # --- the Bot API ----------------------------------------------------------------------------

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        params = self._params(request)
        self.calls.append(method)
        if method != "getUpdates":
            self._last_call = time.monotonic()
        try:
            failures = self._failures.get(method)
            fault = failures.pop(0) if failures else None
            if isinstance(fault, ApiError):
                raise fault
            if fault == "connect":
                self.faults.append((method, fault))
                raise httpx.ConnectError("connection refused (injected)", request=request)
            if fault == "timeout":
                self.faults.append((method, fault))
                raise httpx.ReadTimeout("timed out (injected)", request=request)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                return httpx.Response(404, json={"ok": False, "error_code": 404, "description": "Not Found"})
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            chat_key = params.get("chat_id")
            if chat_key is None and method == "answerCallbackQuery":
                query = self.queries.get(str(params.get("callback_query_id")))
                chat_key = query.chat_id if query is not None else None
            with contextlib.suppress(TypeError, ValueError):
                chat_key = int(chat_key) if chat_key is not None else None
            self.timeline.append((time.monotonic(), method, chat_key))
            if fault == "drop_after":
                self.faults.append((method, fault))
                raise httpx.ReadError("dropped after the call was done (injected)", request=request)
        except ApiError as err:
            self.errors.append((method, err.description))
            body: dict[str, Any] = {"ok": False, "error_code": err.code, "description": err.description}
            if err.retry_after is not None:
                body["parameters"] = {"retry_after": err.retry_after}
            return httpx.Response(err.code, json=body)
        return httpx.Response(200, json={"ok": True, "result": result})

    @staticmethod
    def _params(request: httpx.Request) -> dict[str, Any]:
        ctype = request.headers.get("content-type", "")
        raw: dict[str, Any] = {}
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + request.content
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None:  # a file upload: kept as it came
                    raw[name] = Upload(filename, part.get_content_type(), payload)
                else:
                    raw[name] = payload.decode("utf-8", "replace")
        elif request.content:
            if ctype.startswith("application/json"):
                raw = json.loads(request.content)
            else:
                raw = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
        params = {}
        for key, value in raw.items():
            if key in _JSON_FIELDS and isinstance(value, str):
                value = json.loads(value)
            params[key] = value
        return params

    def _known(self, params: dict[str, Any], key: str = "chat_id") -> _Chat:
        try:
            chat_id = int(params[key])
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: chat not found") from exc
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self.chats[chat_id]

    def _target(self, params: dict[str, Any]) -> _Chat:
        """The chat the bot writes to: known, and not a user who blocked or never started the bot."""
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: chat not found") from exc
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        chat = self._known(params)
        if chat.user is not None and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    @staticmethod
    def _thread(chat: _Chat, params: dict[str, Any]) -> int | None:
        """The checked ``message_thread_id``: a live topic of a forum (General, 1, is not one)."""
        raw = params.get("message_thread_id")
        if raw is None or raw == "":
            return None
        try:
            thread_id = int(raw)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: message thread not found") from exc
        if not chat.is_forum or thread_id not in chat.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        return thread_id

    def _reply(self, chat: _Chat, params: dict[str, Any]) -> dict[str, Any] | None:
        """The message replied to, from ``reply_parameters`` or the legacy ``reply_to_message_id``.

        Only replies within the same chat are modelled (not ``reply_parameters.chat_id``).
        """
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None or message_id == "":
            return None
        message = chat.messages.get(int(message_id))
        if message is None:
            if _flag(reply.get("allow_sending_without_reply", params.get("allow_sending_without_reply"))):
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return message

    @staticmethod
    def _visible(params: dict[str, Any], key: str = "text", limit: int = 4096) -> str:
        text = params.get(key, "")
        if not text or not str(text).strip():
            raise ApiError(400, "Bad Request: message text is empty")
        visible = parse_telegram_html(text) if params.get("parse_mode") == "HTML" else text
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(visible) > limit:
            what = "message caption" if key == "caption" else "message"
            raise ApiError(400, f"Bad Request: {what} is too long")
        return visible

    @staticmethod
    def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if not markup:
            return None
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if sum(len(r) for r in rows) > 100:
            raise ApiError(400, "Bad Request: too many buttons")
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}  # fmt: skip

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        for cmd in params["commands"]:
            name, desc = cmd.get("command", ""), cmd.get("description", "")
            valid = 1 <= len(name) <= 32 and name == name.lower() and name.replace("_", "").isalnum()
            if not valid or not 1 <= len(desc) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[(scope, params.get("language_code") or None)] = params["commands"]
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = (params.get("scope") or {}).get("type", "default")
        return self.commands.get((scope, params.get("language_code") or None), [])

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        # Like Telegram: asking for ``offset`` confirms every update before it, for good.
        self._confirmed = max(self._confirmed, int(params.get("offset") or 0))
        offset = self._confirmed
        timeout = float(params.get("timeout") or 0)
        if self._new_update is None:
            self._new_update = asyncio.Event()
        pending = [u for u in self.updates if u["update_id"] >= offset]
        if not pending and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=min(timeout, 0.5))
            pending = [u for u in self.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        batch = pending[:limit]
        if batch:
            self._fetched_upto = max(self._fetched_upto, batch[-1]["update_id"])
        return batch

    def _bot_message(
        self,
        chat: _Chat,
        params: dict[str, Any],
        method: str,
        extra: dict[str, Any] | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """Check thread, reply and keyboard, then store the bot's message and record it in ``sent``."""
        thread_id = self._thread(chat, params)
        reply = self._reply(chat, params)
        markup = self._markup(params)
        if markup:
            content["reply_markup"] = markup
        msg = self._new_message(chat, BOT_USER, content, thread_id, reply)
        self.sent.append({"method": method, "chat_id": chat.id, **(extra or {}), **msg})
        return msg

    def _caption(self, params: dict[str, Any]) -> dict[str, Any]:
        """``caption`` (visible text) and ``caption_html`` (as sent) of a media message."""
        if not params.get("caption"):
            return {}
        visible = self._visible(params, "caption", 1024)
        return {"caption": visible, "caption_html": params["caption"]}

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        visible = self._visible(params)
        return self._bot_message(chat, params, "sendMessage", text=visible, html=params.get("text"))

    def _photo(self, params: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The photo of a sendPhoto: a file id Telegram knows, or an upload that is a real image
        within Telegram's limits. Returns its sizes and, for an upload, what was uploaded."""
        value = params.get("photo")
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, str) and value:
            if value not in self.files:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            return copy.deepcopy(self.files[value]), {}
        if not isinstance(value, Upload) or not value.data:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if len(value.data) > PHOTO_MAX_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        size = image_size(value.data)
        if size is None:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > PHOTO_MAX_SIDES or max(width, height) > PHOTO_MAX_RATIO * min(width, height):
            raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        number = next(self._file_ids)
        sizes = []
        for side in _PHOTO_SIZES:
            scale = min(1.0, side / max(width, height))
            w, h = max(1, round(width * scale)), max(1, round(height * scale))
            if not sizes or (w, h) != (sizes[-1]["width"], sizes[-1]["height"]):
                sizes.append({"file_id": f"sent-photo{number}-{side}", "file_unique_id": f"sp{number}-{side}",
                              "width": w, "height": h, "file_size": len(value.data)})  # fmt: skip
        for each in sizes:
            self.files[each["file_id"]] = sizes
        upload = {"filename": value.filename, "data": value.data, "width": width, "height": height}
        return sizes, {"upload": upload}

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        photo, extra = self._photo(params)
        caption = self._caption(params)
        return self._bot_message(chat, params, "sendPhoto", extra, photo=photo, **caption)

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        """A file: one Telegram already has (its file id) or a multipart upload with a file name."""
        chat = self._target(params)
        value = params.get("document")
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        extra: dict[str, Any] = {}
        if isinstance(value, str) and value:
            if value not in self._documents:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            document = copy.deepcopy(self._documents[value])
        elif isinstance(value, Upload):
            if not value.data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(value.data) > DOCUMENT_MAX_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            if not value.filename.strip():
                raise ApiError(400, "Bad Request: there is no document in the request")
            number = len(self._documents) + 1
            document = {
                "file_id": f"sent-doc{number}", "file_unique_id": f"sd{number}", "file_name": value.filename,
                "mime_type": mimetypes.guess_type(value.filename)[0] or value.content_type,
                "file_size": len(value.data),
            }  # fmt: skip
            self._documents[document["file_id"]] = document
            extra["upload"] = value
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = self._caption(params)
        return self._bot_message(chat, params, "sendDocument", extra, document=document, **caption)

    def _api_copyMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        source_chat = self._known(params, "from_chat_id")
        try:
            source = source_chat.messages.get(int(params.get("message_id", 0)))
        except (TypeError, ValueError):
            source = None
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        if "forum_topic_created" in source:
            raise ApiError(400, "Bad Request: message can't be copied")
        content = {key: copy.deepcopy(source[key]) for key in _COPIED if key in source}
        if "text" in content:
            content.setdefault("html", html.escape(content["text"], quote=False))
        if "caption" in content:
            content.setdefault("caption_html", html.escape(content["caption"], quote=False))
        if "caption" in params and any(kind in content for kind in _MEDIA):
            for key in ("caption", "caption_html", "caption_entities"):
                content.pop(key, None)
            content.update(self._caption(params))  # an empty caption removes it
        extra = {"from_chat_id": source_chat.id, "from_message_id": source["message_id"]}
        msg = self._bot_message(chat, params, "copyMessage", extra, **content)
        return {"message_id": msg["message_id"]}

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._known(params)
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {**chat.chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    def _api_createForumTopic(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._known(params)
        if not chat.is_forum:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        name = str(params.get("name") or "").strip()
        if not name:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY")
        if len(name) > 128:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_TOO_LONG")
        color = int(params.get("icon_color") or TOPIC_COLORS[0])
        if color not in TOPIC_COLORS:  # Telegram's exact answer here is unverified
            raise ApiError(400, "Bad Request: invalid icon_color specified")
        topic = {"message_thread_id": next(chat.next_id), "name": name, "icon_color": color}
        thread_id = topic["message_thread_id"]
        chat.topics[thread_id] = name
        chat.messages[thread_id] = {
            "message_id": thread_id, "date": int(time.time()), "chat": dict(chat.chat), "from": BOT_USER,
            "message_thread_id": thread_id, "is_topic_message": True,
            "forum_topic_created": {"name": name, "icon_color": color},
        }  # fmt: skip
        return topic

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        visible = self._visible(params)
        markup = self._markup(params)
        msg = chat.messages.get(int(params.get("message_id", 0)))
        if msg is None or msg["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg.get("html") == params.get("text") and msg.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        msg.update(text=visible, html=params.get("text"), edit_date=int(time.time()))
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        self.sent.append({"method": "editMessageText", "chat_id": chat.id, **msg})
        return msg

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        markup = self._markup(params)
        msg = chat.messages.get(int(params.get("message_id", 0)))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        return msg

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self._target(params)
        if chat.messages.pop(int(params.get("message_id", 0)), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query = self.queries.get(str(params.get("callback_query_id")))
        if query is None or query.answered:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.answered, query.text = True, text
        return True

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True
