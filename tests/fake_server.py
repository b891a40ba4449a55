"""Serve the fake Bot API over HTTP on loopback, for a bot running in another process.

The same :class:`~tests.fake_api.FakeTelegram` that tests use in-process answers real HTTP
requests (tornado, which PTB's webhook extra already installs), so ``python -m bot run`` with
``BOT_API_BASE_URL=http://127.0.0.1:<port>/bot`` talks to it exactly as to Telegram.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.fake_api import FakeTelegram

__all__ = ["serve"]


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


@asynccontextmanager
async def serve(fake: FakeTelegram) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1 (a free port); yields the base URL for BOT_API_BASE_URL."""
    app = tornado.web.Application([(r"/(.*)", _Handler, {"fake": fake})])
    server = tornado.httpserver.HTTPServer(app)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        server.stop()
        await server.close_all_connections()
