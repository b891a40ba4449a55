"""The real Application's wiring: what runs on its own in production."""

from __future__ import annotations

from pathlib import Path

from telegram.request import HTTPXRequest

from bot.config import Settings
from handlers.app import build_application
from tests.bot_harness import TOKEN
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram


async def test_production_schedules_every_background_job(tmp_path: Path) -> None:
    fake = FakeTelegram()
    settings = Settings(bot_token=TOKEN, database_path=tmp_path / "db.sqlite3", content_dir=REAL_CONTENT)
    app = build_application(
        settings,
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        rate_limiter=False,
    )
    await app.initialize()
    try:
        assert app.post_init is not None
        await app.post_init(app)
        assert app.job_queue is not None
        names = {job.callback.__name__ for job in app.job_queue.jobs()}
        assert names == {
            "_reload_content",
            "_deliver_outbox",
            "_sweep_cases",
            "_prune_inbox",
            "_send_reminders",
            "_forget_inactive",
            "_weekly_report",
            "_weekly_report_catch_up",
        }
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


async def test_webhook_answers_only_after_the_update_is_written_down(tmp_path: Path) -> None:
    """Webhook mode: Telegram gets its HTTP 200 only once the update is in the inbox table."""
    import asyncio
    import socket
    import sqlite3

    import httpx
    from telegram import Update

    fake = FakeTelegram()
    fake.user(7, language_code="ru")
    db = tmp_path / "db.sqlite3"
    settings = Settings(bot_token=TOKEN, database_path=db, content_dir=REAL_CONTENT)
    app = build_application(
        settings,
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport}),
        rate_limiter=False,
        background_jobs=False,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url="https://bot.example/hook",
        secret_token="s3cret",
        allowed_updates=Update.ALL_TYPES,
    )
    await app.start()
    try:
        fake.send_text(7, "/start")
        update = fake.updates[-1]
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/hook"
            refused = await client.post(url, json=update)
            assert refused.status_code == 403  # no secret: rejected, nothing written
            secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            answer = await client.post(url, json=update, headers=secret)
        assert answer.status_code == 200
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT update_id FROM inbox").fetchall() == [(update["update_id"],)]
        for _ in range(500):  # and it is processed: the user gets the language picker
            if any(m.get("reply_markup") for m in fake.bot_messages(7)):
                break
            await asyncio.sleep(0.01)
        assert "Русский" in [label for label, _ in fake.buttons(fake.screen(7))]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
