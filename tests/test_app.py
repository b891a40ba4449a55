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
        }
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()
