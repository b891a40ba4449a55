"""Two replicas on one PostgreSQL database, behind a load balancer, in webhook mode (issue 17).

Real processes, as deployed: two ``python -m bot run`` replicas in webhook mode on loopback ports,
a round-robin proxy in front of them (tests/proxy.py; nginx in deploy/), the fake Bot API served
over HTTP, and a fresh PostgreSQL schema. A pusher plays Telegram: it posts every update the fake
produces to the proxy (one chat's updates one after another, chats in parallel) and posts some of
them a second time straight to a replica, as Telegram does when it did not get an answer in time.

- Users with open cases write numbered messages and operators answer: every message reaches the
  other side once, in order, although both replicas take updates and both couriers drain the one
  outbox.
- The replica that runs the timed work is SIGKILLed: the other takes over within seconds and sends
  the reminders that came due, none lost, none sent twice.

Skipped, saying why, when no PostgreSQL server answers (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
import socket
import sys
import time
from pathlib import Path

import pytest

from bot.engine.model import State
from bot.storage import Storage
from tests import proxy
from tests.conftest import pg_schema_url
from tests.fake_api import FakeTelegram
from tests.fake_server import WebhookPusher, serve
from tests.test_kill import Bot, texts, until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

OPS = -1001
OPERATOR = 501
SECRET = "replica-test-secret"
PATH = "telegram"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replica(Bot):
    """One ``python -m bot run`` in webhook mode on its own port, sharing the database (started,
    SIGKILLed and stopped as tests/test_kill.py's bot process)."""

    def __init__(self, name: str, api_url: str, db_url: str, log: Path) -> None:
        super().__init__(api_url, Path("unused"), log)
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env.pop("DATABASE_PATH", None)
        self.env.update(
            {
                "DATABASE_URL": db_url,
                # Telegram calls the public address (the load balancer, set by the test); its
                # path is each replica's local path too.
                "WEBHOOK_URL": f"{self.url}/{PATH}",
                "WEBHOOK_SECRET": SECRET,
                "PORT": str(self.port),
            }
        )

    async def start(self) -> None:
        await super().start()
        assert self.proc is not None
        deadline = time.monotonic() + 60
        while True:  # ready when its webhook port accepts connections (after post_init)
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                if self.proc.returncode is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"{self.name} did not start:\n{self.log.read_text()[-3000:]}"
                    ) from None
                await asyncio.sleep(0.1)


def has_button(fake: FakeTelegram, user: int, label: str) -> bool:
    try:
        return any(label in text for text, _ in fake.buttons(fake.screen(user)))
    except AssertionError:
        return False


async def open_case(fake: FakeTelegram, user: int) -> int:
    """The user starts the bot, picks Russian and hands a case to the operators; its topic."""
    fake.send_text(user, "/start")
    await until(lambda: has_button(fake, user, "Русский"), 60, f"{user}: the language picker")
    fake.tap(user, "Русский")
    await until(lambda: has_button(fake, user, "Поговорить с человеком"), 30, f"{user}: the main menu")
    fake.tap(user, "Поговорить с человеком")
    await until(lambda: has_button(fake, user, "Да, передать"), 30, f"{user}: the hand-off offer")
    fake.tap(user, "Да, передать человеку")
    await until(lambda: "что случилось" in (fake.last(user).get("text") or ""), 30, f"{user}: the question")
    before = set(fake.topics(OPS))
    fake.send_text(user, f"Работодатель не платит, пишет {user}")
    await until(lambda: any(f"{user}" in t for t in texts(fake.group_messages(OPS))), 30, f"{user}: the case")
    for thread in fake.topics(OPS):
        if thread not in before and any(
            f"пишет {user}" in t for t in texts(fake.group_messages(OPS, thread))
        ):
            return thread
    for thread in fake.topics(OPS):  # opened meanwhile with another user's: find it by its messages
        if any(f"пишет {user}" in t for t in texts(fake.group_messages(OPS, thread))):
            return thread
    raise AssertionError(f"{user}: no topic")


def order_and_count(stream: list[str], tokens: list[str]) -> tuple[list[str], list[str]]:
    """(tokens seen more than once, tokens seen out of order) in the messages ``stream``."""
    words = [w for text in stream for w in text.split()]
    wanted = set(tokens)
    seen = [w for w in words if w in wanted]
    twice = sorted({t for t in seen if seen.count(t) > 1})
    firsts = list(dict.fromkeys(seen))
    out_of_order = [] if firsts == [t for t in tokens if t in firsts] else firsts
    return twice, out_of_order


async def test_two_replicas_deliver_every_message_once_in_order(tmp_path: Path) -> None:
    # The operators' group takes about 20 messages a minute (Telegram's limit, kept by PTB's rate
    # limiter): few messages from users, more from operators (to private chats, no such limit).
    users = list(range(2001, 2005))
    per_user, per_operator = 4, 10
    rng = random.Random(17)
    fake = FakeTelegram()
    for user in users:
        fake.user(user, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with pg_schema_url() as db_url, serve(fake) as api_url:
        replicas = [Replica(n, api_url, db_url, tmp_path / f"{n}.log") for n in ("a", "b")]
        async with proxy.serve([r.url for r in replicas]) as (lb_url, lb_log):
            for replica in replicas:
                replica.env["WEBHOOK_URL"] = f"{lb_url}/{PATH}"  # what they tell Telegram to call
                await replica.start()
            assert fake.webhook is not None and fake.webhook["url"] == f"{lb_url}/{PATH}"
            pusher = WebhookPusher(fake, resend=[f"{r.url}/{PATH}" for r in replicas], dup=0.3, rng=rng)
            pushing = asyncio.create_task(pusher.run())
            try:
                threads = dict(
                    zip(users, await asyncio.gather(*(open_case(fake, u) for u in users)), strict=True)
                )

                async def talk(user: int) -> None:
                    turns = ["user"] * per_user + ["op"] * per_operator
                    rng.shuffle(turns)  # who speaks when; each side's messages stay in their order
                    count = {"user": 0, "op": 0}
                    for who in turns:
                        token = f"u{user}{'m' if who == 'user' else 'o'}{count[who]:02d}"
                        count[who] += 1
                        if who == "user":
                            fake.send_text(user, token)
                        else:
                            fake.group_text(OPS, OPERATOR, token, thread_id=threads[user])
                        await asyncio.sleep(rng.uniform(0.0, 0.05))

                await asyncio.gather(*(talk(u) for u in users))

                def arrived(user: int) -> bool:
                    relayed = " ".join(texts(fake.group_messages(OPS, threads[user]))).split()
                    answered = " ".join(texts(fake.bot_messages(user))).split()
                    return all(f"u{user}m{i:02d}" in relayed for i in range(per_user)) and all(
                        f"u{user}o{i:02d}" in answered for i in range(per_operator)
                    )

                try:
                    await until(lambda: all(arrived(u) for u in users), 90, "every message to arrive")
                except AssertionError:
                    missing = {}
                    for u in users:
                        relayed = " ".join(texts(fake.group_messages(OPS, threads[u]))).split()
                        answered = " ".join(texts(fake.bot_messages(u))).split()
                        lost = [f"u{u}m{i:02d}" for i in range(per_user) if f"u{u}m{i:02d}" not in relayed]
                        lost += [
                            f"u{u}o{i:02d}" for i in range(per_operator) if f"u{u}o{i:02d}" not in answered
                        ]
                        if lost:
                            missing[u] = lost
                    logs = "\n".join(r.log.read_text()[-2000:] for r in replicas)
                    raise AssertionError(f"messages lost: {missing}; logs:\n{logs}") from None
                await asyncio.sleep(1.0)  # anything sent twice would arrive now
            finally:
                pushing.cancel()
                await pusher.close()
                for replica in replicas:
                    await replica.stop()

    problems = []
    for user in users:
        mine = [f"u{user}m{i:02d}" for i in range(per_user)]
        ops = [f"u{user}o{i:02d}" for i in range(per_operator)]
        twice, disorder = order_and_count(texts(fake.group_messages(OPS, threads[user])), mine)
        twice2, disorder2 = order_and_count(texts(fake.bot_messages(user)), ops)
        if twice or disorder or twice2 or disorder2:
            problems.append(f"{user}: twice {twice + twice2}, out of order {disorder + disorder2}")
    assert not problems, "\n".join(problems)
    assert pusher.duplicates > 10, "the test must resend updates to another replica"
    served = {backend for backend, _ in lb_log}
    assert served == {r.url for r in replicas}, f"both replicas must take updates: {served}"
    print(
        f"2 replicas: {len(users)} users, {pusher.duplicates} updates sent twice; each reply once, in order"
    )


async def test_killing_the_scheduler_replica_hands_reminders_over(tmp_path: Path) -> None:
    users = list(range(3001, 3007))
    fake = FakeTelegram()
    for user in users:
        fake.user(user, language_code="ru")
    fake.group(OPS, forum=True, members=[OPERATOR])
    today = dt.datetime.now(dt.UTC).date()

    async def remind(store: Storage, first_day: int) -> None:
        """Two reminders due now per user (deadlines on distinct days, so none supersedes another)."""
        send_at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat(timespec="seconds")
        for user in users:
            days = [first_day, first_day + 1]
            rows = [("reg", (today + dt.timedelta(days=d)).isoformat(), 1, send_at) for d in days]
            await store.db.executemany(
                "INSERT INTO reminders (user_id, kind, due, days_before, send_at) VALUES (?, ?, ?, ?, ?)",
                [(user, *row) for row in rows],
            )
            await store.db.commit()

    async with pg_schema_url() as db_url, serve(fake) as api_url:
        store = await Storage(db_url).open()
        try:
            for user in users:
                await store.save_user(
                    dataclasses.replace(State(user), lang="ru", lang_chosen=True, reminders=True)
                )
            await remind(store, 10)  # due before anyone starts: the first leader sends them
            a, b = (Replica(n, api_url, db_url, tmp_path / f"{n}.log") for n in ("a", "b"))
            await a.start()  # first up: the leader
            await b.start()
            try:
                await until(
                    lambda: all(len(fake.bot_messages(u)) == 2 for u in users), 30, "the first reminders"
                )
                assert "now runs the timed work" not in b.log.read_text()
                await remind(store, 20)  # due now; the leader's next sweep is a minute away
                await a.kill()
                killed = time.monotonic()
                try:
                    await until(
                        lambda: all(len(fake.bot_messages(u)) >= 4 for u in users), 30, "the takeover"
                    )
                except AssertionError:
                    raise AssertionError(f"no takeover; log of b:\n{b.log.read_text()[-3000:]}") from None
                took = time.monotonic() - killed
                await asyncio.sleep(2 * 2.0 + 1)  # two more elections: nothing may be sent again
            finally:
                await a.stop()
                await b.stop()
            unsent = await store.db.execute("SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL")
            left = (await unsent.fetchone())[0]
        finally:
            await store.close()

    assert "now runs the timed work" in b.log.read_text()
    assert left == 0
    for user in users:
        got = texts(fake.bot_messages(user))
        assert len(got) == 4, f"{user}: {len(got)} reminders, expected 4 (none lost, none twice): {got}"
        assert len(set(got)) == 4, f"{user}: a reminder was sent twice: {got}"
    assert took < 15, f"the takeover took {took:.1f} s"
    print(f"scheduler replica killed: the other took over and sent the due reminders in {took:.1f} s")
