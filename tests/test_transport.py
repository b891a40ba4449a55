"""The bot's Bot API transport (handlers/transport.py): calls as JSON bodies, uploads as multipart."""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from handlers.transport import JsonRequest
from tests.fake_api import FakeTelegram

TOKEN = "123456:TRANSPORT-token"
FAKE_API = "http://fake-bot-api.invalid"  # never reached: every request goes to a mock transport


class Recorder(httpx.AsyncBaseTransport):
    """Hands every request to the fake Bot API and keeps it (method, content type, body)."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.seen: list[tuple[str, str, bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.seen.append((request.url.path.rsplit("/", 1)[-1], request.headers.get("content-type", ""), body))
        return await self.fake.transport.handle_async_request(request)


async def test_calls_go_as_json_and_the_fake_reads_them_as_telegram_would() -> None:
    fake = FakeTelegram()
    fake.user(7)
    recorder = Recorder(fake)
    async with Bot(TOKEN, request=JsonRequest(httpx_kwargs={"transport": recorder})) as bot:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Айлык 💸 төлөнбөй жатат", callback_data="n:pay")]]
        )
        sent = await bot.send_message(
            7,
            "<b>Башкы меню</b>: кайсы суроо? «ө ү ң» &amp; 2 &lt; 3",
            parse_mode="HTML",
            reply_markup=keyboard,
        )
    method, ctype, body = recorder.seen[-1]
    assert method == "sendMessage"
    assert ctype == "application/json"
    payload = json.loads(body)
    assert payload["chat_id"] == 7
    assert payload["reply_markup"] == {
        "inline_keyboard": [[{"text": "Айлык 💸 төлөнбөй жатат", "callback_data": "n:pay"}]]
    }
    assert "Башкы меню".encode() in body  # UTF-8 as it is, not escaped: smaller and cheaper
    assert sent.text == "Башкы меню: кайсы суроо? «ө ү ң» & 2 < 3"  # the entities parsed by the fake
    shown = fake.screen(7)
    assert fake.buttons(shown) == [("Айлык 💸 төлөнбөй жатат", "n:pay")]


async def test_uploads_stay_multipart() -> None:
    fake = FakeTelegram()
    fake.user(7)
    recorder = Recorder(fake)
    async with Bot(TOKEN, request=JsonRequest(httpx_kwargs={"transport": recorder})) as bot:
        await bot.send_document(7, io.BytesIO(b"%PDF-1.4 claim"), filename="claim.pdf", caption="Арыз")
    method, ctype, _ = recorder.seen[-1]
    assert method == "sendDocument"
    assert ctype.startswith("multipart/form-data")
    assert fake.sent[-1]["upload"].filename == "claim.pdf"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (httpx.ReadTimeout("slow"), TimedOut),
        (httpx.PoolTimeout("full"), TimedOut),
        (httpx.ConnectError("down"), NetworkError),
    ],
)
async def test_network_faults_become_ptb_errors(fault: Exception, error: type[Exception]) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise fault

    request = JsonRequest(httpx_kwargs={"transport": httpx.MockTransport(fail)})
    data = RequestData([RequestParameter.from_input("chat_id", 7)])
    await request.initialize()
    try:
        with pytest.raises(error):
            await request.post(f"{FAKE_API}/bot{TOKEN}/sendMessage", data)
    finally:
        await request.shutdown()


async def test_at_most_in_flight_calls_at_once() -> None:
    now, most = 0, 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal now, most
        now += 1
        most = max(most, now)
        await asyncio.sleep(0.01)
        now -= 1
        return httpx.Response(200, json={"ok": True, "result": True})

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await slow(request)

    request = JsonRequest(httpx_kwargs={"transport": Slow()}, in_flight=2)
    await request.initialize()
    try:
        data = RequestData([RequestParameter.from_input("chat_id", 7)])
        url = f"{FAKE_API}/bot{TOKEN}/sendChatAction"
        results = await asyncio.gather(*(request.post(url, data) for _ in range(10)))
    finally:
        await request.shutdown()
    assert results == [True] * 10
    assert most == 2
