"""PTB's HTTPX transport, sending Bot API calls as a JSON body instead of a URL-encoded form.

PTB posts every call without a file as ``application/x-www-form-urlencoded``: each parameter
JSON-encoded on its own, then percent-encoded byte by byte. A screen of this bot is 1-4 KB of
Cyrillic text and a keyboard, so every non-ASCII byte becomes three: encoding one ``sendMessage``
took about 150 µs, against 35 µs for the same call as one UTF-8 JSON body (measured in
docs/BENCHMARKS.md). The Bot API takes ``application/json`` as well as forms
(https://core.telegram.org/bots/api#making-requests). Calls that upload a file stay
``multipart/form-data`` (PTB's own path).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

__all__ = ["JsonRequest"]

_JSON = "application/json"
#: Bot API calls under way at once (each on its own connection).
IN_FLIGHT = 8


class JsonRequest(HTTPXRequest):
    """:class:`~telegram.request.HTTPXRequest` that sends the parameters as one JSON body, at most
    ``in_flight`` calls at a time (the others wait their turn here).

    The courier delivers to many chats at once. httpcore's connection pool looks at every
    connection it holds, some of them for every other one, each time a request starts or ends:
    with dozens of connections open, that bookkeeping was a quarter of the bot's CPU at full
    load (docs/BENCHMARKS.md). A few connections carry far more than Telegram's 30 messages a
    second allows (a call takes tens of milliseconds).
    """

    __slots__ = ("_in_flight",)

    def __init__(self, *, in_flight: int = IN_FLIGHT, **kwargs: Any) -> None:
        kwargs.setdefault("connection_pool_size", in_flight)  # a connection for each call in flight
        super().__init__(**kwargs)
        self._in_flight = asyncio.Semaphore(in_flight)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with self._in_flight:
            return await self._do_request(*args, **kwargs)

    async def _do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await HTTPXRequest.do_request(
                self, url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        if self._client.is_closed:
            raise RuntimeError("This HTTPXRequest is not initialized!")
        default = self._client.timeout
        timeout = httpx.Timeout(
            connect=default.connect if isinstance(connect_timeout, DefaultValue) else connect_timeout,
            read=default.read if isinstance(read_timeout, DefaultValue) else read_timeout,
            write=default.write if isinstance(write_timeout, DefaultValue) else write_timeout,
            pool=default.pool if isinstance(pool_timeout, DefaultValue) else pool_timeout,
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
        try:
            res = await self._client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": _JSON},
                timeout=timeout,
                content=body.encode(),
            )
        except httpx.TimeoutException as err:  # as PTB's HTTPXRequest reports them
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut(
                    message=(
                        "Pool timeout: All connections in the connection pool are occupied. "
                        "Request was *not* sent to Telegram."
                    )
                ) from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return res.status_code, res.content
