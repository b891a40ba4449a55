"""A small round-robin reverse proxy on loopback: what nginx does in deploy/nginx.conf, for tests.

Each request goes to the next replica in turn; a replica that refuses the connection (dead, or not
started yet) is skipped and the next one tried, as nginx's ``proxy_next_upstream error`` does.
Headers (Telegram's secret token among them) and the body are passed on unchanged.

    python -m tests.proxy --listen 8443 http://127.0.0.1:8081 http://127.0.0.1:8082
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

__all__ = ["serve"]


class _Forward(tornado.web.RequestHandler):
    def initialize(
        self, backends: list[str], turn: itertools.count, client: httpx.AsyncClient, log: list
    ) -> None:  # type: ignore[type-arg]
        self.backends = backends
        self.turn = turn
        self.client = client
        self.log = log

    async def post(self, path: str) -> None:
        headers = {
            k: v for k, v in self.request.headers.get_all() if k.lower() not in ("host", "content-length")
        }
        start = next(self.turn)
        for i in range(len(self.backends)):
            backend = self.backends[(start + i) % len(self.backends)]
            try:
                response = await self.client.post(
                    f"{backend}/{path}", content=self.request.body, headers=headers
                )
            except httpx.TransportError:
                continue  # that replica is down: the next one
            self.log.append((backend, response.status_code))
            self.set_status(response.status_code)
            self.finish(response.content)
            return
        self.set_status(502)
        self.finish(b"no replica answered")


@asynccontextmanager
async def serve(backends: list[str], port: int = 0) -> AsyncIterator[tuple[str, list[tuple[str, int]]]]:
    """Proxy to ``backends`` on 127.0.0.1; yields (its base URL, a log of (backend, status))."""
    log: list[tuple[str, int]] = []
    async with httpx.AsyncClient(timeout=30) as client:
        app = tornado.web.Application(
            [
                (
                    r"/(.*)",
                    _Forward,
                    {"backends": backends, "turn": itertools.count(), "client": client, "log": log},
                )
            ]
        )
        server = tornado.httpserver.HTTPServer(app)
        sockets = tornado.netutil.bind_sockets(port, "127.0.0.1")
        server.add_sockets(sockets)
        try:
            yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}", log
        finally:
            server.stop()
            await server.close_all_connections()


async def _main(port: int, backends: list[str]) -> None:
    async with serve(backends, port) as (url, _):
        print(f"proxying {url} -> {', '.join(backends)}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listen", type=int, default=8443)
    parser.add_argument("backends", nargs="+")
    args = parser.parse_args()
    asyncio.run(_main(args.listen, args.backends))
