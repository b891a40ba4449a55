"""Serve the fake Bot API over HTTP on loopback, for a bot running in another process.

The same :class:`~tests.fake_api.FakeTelegram` that tests use in-process answers real HTTP
requests (tornado, which PTB's webhook extra already installs), so ``python -m bot run`` with
``BOT_API_BASE_URL=http://127.0.0.1:<port>/bot`` talks to it exactly as to Telegram.

In webhook mode :class:`WebhookPusher` plays Telegram's side of a webhook: it POSTs every update
to the URL the bot set with ``setWebhook`` (with its secret token) until answered with 200.

Standalone, for trying a deployment without a real token (docker-compose.yml, profile ``fake``)::

    python -m tests.fake_server --port 8081 --users 1,2,3
    curl -d 'паспорт забрали' http://127.0.0.1:8081/_user/1/text    # user 1 writes to the bot
    curl http://127.0.0.1:8081/_user/1                              # what the bot sent user 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.fake_api import FakeTelegram

__all__ = ["WebhookPusher", "serve"]


class _Handler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def _answer(self) -> None:
        request = httpx.Request(
            self.request.method or "POST",
            self.request.full_url(),
            headers={k: v for k, v in self.request.headers.get_all() if k.lower() != "host"},
            content=self.request.body,
        )
        try:
            response = await self.fake._handle(request)
        except httpx.HTTPError:  # an injected network fault: drop the connection
            self.request.connection.close()
            return
        self.set_status(response.status_code)
        self.set_header("Content-Type", "application/json")
        self.finish(response.content)

    async def post(self, _path: str) -> None:
        await self._answer()

    async def get(self, _path: str) -> None:
        await self._answer()


class _Control(tornado.web.RequestHandler):
    """The standalone fake's own endpoints: a user writes; what the bot sent a user."""

    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    def post(self, user: str) -> None:
        self.fake.send_text(int(user), self.request.body.decode("utf-8"))
        self.finish({"ok": True})

    def get(self, user: str) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(self.fake.bot_messages(int(user)), ensure_ascii=False, indent=1))


def chat_of(update: dict[str, Any]) -> int:
    """The chat an update belongs to (Telegram keeps one chat's updates in order)."""
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return int(update["message"]["chat"]["id"])


class WebhookPusher:
    """Telegram's side of a webhook: every update of ``fake`` is POSTed to the URL the bot set with
    ``setWebhook`` (``url`` overrides it) with its secret token, until answered with 200; one
    chat's updates one after another, chats in parallel. With ``resend`` URLs, a share ``dup`` of
    the updates is POSTed once more, at the same time, to one of them (as Telegram resends an update
    whose answer came too late, and a load balancer sends it to another replica)."""

    def __init__(
        self,
        fake: FakeTelegram,
        url: str | None = None,
        *,
        resend: list[str] | None = None,
        dup: float = 0.0,
        rng: random.Random | None = None,
    ) -> None:
        self.fake = fake
        self.url = url
        self.resend = resend or []
        self.dup = dup
        self.rng = rng or random.Random(0)
        self.duplicates = 0
        self._seen = 0
        self._queues: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._client = httpx.AsyncClient(timeout=30)

    async def run(self) -> None:
        while True:
            while self._seen < len(self.fake.updates) and (self.url or self.fake.webhook):
                update = self.fake.updates[self._seen]
                self._seen += 1
                chat = chat_of(update)
                if chat not in self._queues:
                    self._queues[chat] = asyncio.Queue()
                    self._tasks.append(asyncio.create_task(self._chat(self._queues[chat])))
                self._queues[chat].put_nowait(update)
            await asyncio.sleep(0.005)

    async def _post(self, url: str, update: dict[str, Any]) -> None:
        hook = self.fake.webhook or {}
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
        body = json.dumps(update)
        while True:
            try:
                response = await self._client.post(url, content=body, headers=headers)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)

    async def _chat(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            update = await queue.get()
            url = self.url or str((self.fake.webhook or {})["url"])
            posts = [self._post(url, update)]
            if self.resend and self.rng.random() < self.dup:
                self.duplicates += 1
                posts.append(self._post(self.rng.choice(self.resend), update))
            await asyncio.wait_for(asyncio.gather(*posts), 60)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()


@asynccontextmanager
async def serve(fake: FakeTelegram, port: int = 0, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve ``fake`` on ``host`` (a free port); yields the base URL for BOT_API_BASE_URL."""
    app = tornado.web.Application(
        [(r"/_user/(-?\d+)(?:/text)?", _Control, {"fake": fake}), (r"/(.*)", _Handler, {"fake": fake})]
    )
    server = tornado.httpserver.HTTPServer(app)
    sockets = tornado.netutil.bind_sockets(port, host)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        server.stop()
        await server.close_all_connections()


async def _main(port: int, users: list[int]) -> None:
    fake = FakeTelegram()
    for user in users:
        fake.user(user, language_code="ru")
    async with serve(fake, port, "0.0.0.0") as url:  # noqa: S104 - a container's port
        print(f"fake Bot API at {url}; users {users}", flush=True)
        pusher = WebhookPusher(fake)
        await pusher.run()


if __name__ == "__main__":
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--users", default="1,2,3", help="user ids, comma-separated")
    args = parser.parse_args()
    asyncio.run(_main(args.port, [int(u) for u in args.users.split(",")]))
