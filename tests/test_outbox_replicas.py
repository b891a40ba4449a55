"""The outbox drained by two replicas at once (issue 17): every message sent once, in order per chat.

Two couriers, each with its own connection to one PostgreSQL schema (what two replicas are), drain
the same outbox at the same time while both queue into it: 10 users with 30 messages each. Each
destination is drained by whichever replica holds its lock (bot/storage/coordination.py); a
message is deleted right after Telegram accepted it, before the lock is let go. Skipped, saying
why, without PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.content.loader import ContentStore
from bot.desk import Desk
from bot.hours import OperatorHours
from bot.storage import Storage
from handlers.courier import Courier
from tests.bot_harness import TOKEN, loaded_content
from tests.conftest import REAL_CONTENT, pg_schema_url
from tests.fake_api import FakeTelegram

USERS = range(101, 111)
PER_USER = 30


async def _courier(fake: FakeTelegram, storage: Storage, content: ContentStore) -> Courier:
    bot = Bot(TOKEN, request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}))
    await bot.initialize()
    desk = Desk(
        storage,
        content,
        hours=OperatorHours.parse(None),
        operators=False,
        now=lambda: dt.datetime.now(dt.UTC),
    )
    return Courier(bot, storage, desk, None)


async def test_two_replicas_drain_one_outbox_once_and_in_order() -> None:
    fake = FakeTelegram()
    for user in USERS:
        fake.user(user, language_code="ru")
    content = ContentStore(REAL_CONTENT, loaded_content(REAL_CONTENT))
    async with pg_schema_url() as url, Storage(url) as a, Storage(url) as b:
        couriers = [await _courier(fake, a, content), await _courier(fake, b, content)]
        # Live traffic: each replica queues messages (as its updates would) and kicks its courier,
        # while the other replica's courier is draining the same destinations.
        for i in range(PER_USER):
            for n, user in enumerate(USERS):
                store, courier = (a, couriers[0]) if (i + n) % 2 else (b, couriers[1])
                await store.send_later(user, "say", {"text": f"u{user} n{i:02d}", "buttons": []})
                courier.kick()
            await asyncio.sleep(0.01)
        await asyncio.wait_for(asyncio.gather(*(c.flush() for c in couriers)), 60)
        assert await a.pending_count() == 0
        sent_by = [c.sent for c in couriers]

    for user in USERS:
        got = [m["text"] for m in fake.bot_messages(user)]
        assert got == [f"u{user} n{i:02d}" for i in range(PER_USER)], got
    assert sum(sent_by) == len(USERS) * PER_USER
    assert all(sent_by), f"both replicas must have delivered some: {sent_by}"


async def test_a_replica_connects_again_when_postgresql_drops_its_connection() -> None:
    """The server ends the replica's session (a restart, a network cut): the next statement
    connects again; the leader's lock, gone with the session, is taken again."""
    async with pg_schema_url() as url, Storage(url) as store:
        await store.send_later(101, "say", {"text": "before", "buttons": []})
        assert await store.leader_try()
        pid = (await store._rows("SELECT pg_backend_pid()"))[0][0]
        async with Storage(url) as admin:
            await admin._rows("SELECT pg_terminate_backend(?)", (pid,))
        await asyncio.sleep(0.2)
        await store.send_later(101, "say", {"text": "after", "buttons": []})  # connects again
        assert await store.pending_count() == 2
        assert await store.leader_try()  # the role is taken again on the new session
        async with store.transaction():  # and transactions work
            await store.send_later(101, "say", {"text": "in a transaction", "buttons": []})
        assert await store.pending_count() == 3
