"""End to end: a migrant's case handed to operators in a supergroup, and answers relayed back.

The real PTB Application runs against the fake Bot API with an operators' group (forum or not).
Time is a controllable clock, so working hours and unclaimed-case pings are deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.desk import Desk
from handlers.courier import Courier
from tests.bot_harness import RunningBot, running_bot
from tests.conftest import REAL_CONTENT
from tests.fake_api import FakeTelegram

USER = 7
OTHER_USER = 8
OPS = -1001
OPERATOR = 501
STRANGER = 502  # in the group, but not in OPERATOR_IDS
MONDAY_NOON = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # 12:00 in Almaty
SATURDAY_NOON = dt.datetime(2026, 11, 28, 7, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_NOON)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    fake.user(OTHER_USER, language_code="ky")
    yield fake
    unanswered = [q.id for q in fake.queries.values() if not q.answered]
    assert unanswered == [], "every callback query must be answered"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "joldosh.sqlite3"


def ops_bot(fake: FakeTelegram, db: Path, clock: Clock, **overrides: Any):
    settings: dict[str, Any] = {"operators_chat_id": OPS}
    settings.update(overrides)
    return running_bot(fake, db, REAL_CONTENT, now=clock, **settings)


async def open_case(
    fake: FakeTelegram, bot: RunningBot, text: str = "Работодатель не платит 2 месяца", user: int = USER
) -> None:
    """The migrant walks to 'talk to a person', agrees and describes the problem."""
    fake.send_text(user, "/start")
    await bot.settle()
    fake.tap(user, "Русский")
    await bot.settle()
    fake.tap(user, "Поговорить с человеком")
    await bot.settle()
    fake.tap(user, "Да, передать человеку")
    await bot.settle()
    fake.send_text(user, text)
    await bot.settle()


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


def no_rejections(fake: FakeTelegram) -> None:
    assert [e for e in fake.errors if not e[1].startswith("Forbidden")] == [], fake.errors


async def test_forum_round_trip_with_text_and_photo(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        # The user is told the case number; the group has a topic with the card.
        assert "№1" in fake.last(USER)["text"] and "/end" in fake.last(USER)["text"]
        ((thread, name),) = fake.topics(OPS).items()
        assert name.startswith("№1 · ru")
        card = fake.group_messages(OPS, thread)[0]["text"]
        assert "Вопрос №1" in card and "Работодатель не платит 2 месяца" in card
        assert "Путь: 💬 Поговорить с человеком" in card and "Язык: Русский" in card
        # The user sends a photo: it is copied into the topic.
        fake.send_photo(USER, caption="паспорт")
        await bot.settle()
        assert any("photo" in m for m in fake.group_messages(OPS, thread))
        # The operator answers in the topic: the user gets it, and learns someone joined.
        fake.group_text(OPS, OPERATOR, "Здравствуйте! Где вы сейчас?", thread_id=thread)
        await bot.settle()
        mine = texts(fake.bot_messages(USER))
        assert any("Оператор взял ваш вопрос №1" in t for t in mine)
        assert "Здравствуйте! Где вы сейчас?" in mine[-1] and "Оператор:" in mine[-1]
        # A photo from the operator reaches the user too.
        fake.group_photo(OPS, OPERATOR, thread_id=thread, caption="Вот адрес центра")
        await bot.settle()
        assert "photo" in fake.last(USER)
        # The user's text goes on to the operators.
        fake.send_text(USER, "Я в Алматы")
        await bot.settle()
        assert "👤 Пользователь (№1):\nЯ в Алматы" in texts(fake.group_messages(OPS, thread))
    no_rejections(fake)


async def test_non_forum_group_uses_a_card_and_replies(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=False, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        card = fake.group_messages(OPS)[0]
        assert "Вопрос №1" in card["text"] and fake.topics(OPS) == {}
        fake.send_text(USER, "ещё подробности")
        await bot.settle()
        relayed = fake.group_messages(OPS)[-1]
        assert relayed["text"] == "👤 Пользователь (№1):\nещё подробности"
        assert relayed["reply_to_message"]["message_id"] == card["message_id"]
        # The operator replies to the relayed message: it reaches the user.
        fake.group_text(OPS, OPERATOR, "Поняла, помогу", reply_to=relayed["message_id"])
        await bot.settle()
        assert "Поняла, помогу" in fake.last(USER)["text"]
        # A message in the group that is not about a case is left alone.
        before = len(fake.bot_messages(USER))
        fake.group_text(OPS, OPERATOR, "Коллеги, кто на смене?")
        await bot.settle()
        assert len(fake.bot_messages(USER)) == before
    no_rejections(fake)


async def test_claim_note_cases_close_and_rating(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        fake.group_text(OPS, OPERATOR, "/claim", thread_id=thread)
        await bot.settle()
        assert "Оператор взял ваш вопрос №1" in fake.last(USER)["text"]
        assert "взял(а)" in fake.group_messages(OPS, thread)[-1]["text"]
        fake.group_text(OPS, OPERATOR, "/note проверить адрес работодателя", thread_id=thread)
        await bot.settle()
        assert not any("проверить адрес" in t for t in texts(fake.bot_messages(USER)))
        clock.advance(15)
        fake.group_text(OPS, OPERATOR, "/cases")
        await bot.settle()
        summary = fake.group_messages(OPS)[-1]["text"]
        assert "№1 · 15 мин" in summary and "у Operator501" in summary
        fake.group_text(OPS, OPERATOR, "/close", thread_id=thread)
        await bot.settle()
        closing = fake.last(USER)
        assert "закрыл ваш вопрос" in closing["text"] and len(fake.buttons(closing)) == 5
        fake.tap(USER, "⭐⭐⭐⭐⭐")
        await bot.settle()
        assert "Спасибо за оценку" in texts(fake.bot_messages(USER))[-2]
        assert "⭐⭐⭐⭐⭐ Оценка вопроса №1." in texts(fake.group_messages(OPS, thread))
        case = await bot.app.bot_data["desk"].storage.get_case(1)
        assert case.status == "closed" and case.rating == 5
        # After closing, the user's text is no longer relayed.
        relayed = len(fake.group_messages(OPS, thread))
        fake.send_text(USER, "спасибо")
        await bot.settle()
        assert len(fake.group_messages(OPS, thread)) == relayed
    no_rejections(fake)


async def test_user_closes_with_end(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        fake.send_text(USER, "/end")
        await bot.settle()
        assert "Вы закрыли вопрос" in texts(fake.bot_messages(USER))[-2]
        assert "🔒 Пользователь закрыл вопрос №1." in texts(fake.group_messages(OPS, thread))
        fake.group_text(OPS, OPERATOR, "Вы тут?", thread_id=thread)
        await bot.settle()
        assert "закрыт" in fake.group_messages(OPS, thread)[-1]["text"]
        assert "Вы тут?" not in texts(fake.bot_messages(USER))[-1]
    no_rejections(fake)


async def test_off_hours_says_so_gives_numbers_and_keeps_the_case(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    clock.now = SATURDAY_NOON
    async with ops_bot(fake, db, clock, operator_hours="Mon-Fri 09:00-18:00") as bot:
        await open_case(fake, bot)
        answer = fake.last(USER)["text"]
        assert "операторы не работают" in answer and "пн–пт 09:00–18:00" in answer
        assert "112" in answer and "102" in answer and "№1" in answer
        # The case waits in the group for the morning.
        (thread,) = fake.topics(OPS)
        assert "Вопрос №1" in fake.group_messages(OPS, thread)[0]["text"]
    no_rejections(fake)


async def test_without_operators_group_the_case_is_kept_and_delivered_later(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    async with running_bot(fake, db, REAL_CONTENT, now=clock) as bot:
        await open_case(fake, bot)
        answer = fake.last(USER)["text"]
        assert "не можем передать" in answer and "112" in answer and "№1" in answer
    # The group is configured later: the kept case arrives, once.
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await bot.settle()
    ((thread, _),) = fake.topics(OPS).items()
    cards = [t for t in texts(fake.group_messages(OPS, thread)) if "Вопрос №1" in t]
    assert len(cards) == 1
    no_rejections(fake)


async def test_unclaimed_case_pings_the_group_and_reassures_the_user_once(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock, unclaimed_minutes=30) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        desk: Desk = bot.app.bot_data["desk"]
        courier: Courier = bot.app.bot_data["courier"]

        async def sweep() -> None:
            await desk.sweep()
            await courier.flush()

        clock.advance(10)
        await sweep()
        assert not any("ждёт" in t for t in texts(fake.group_messages(OPS, thread)))
        clock.advance(21)
        await sweep()
        assert "⏰ Вопрос №1 ждёт 31 мин. Никто не взял: /claim" in texts(fake.group_messages(OPS, thread))
        waiting = [t for t in texts(fake.bot_messages(USER)) if "дольше обычного" in t]
        assert len(waiting) == 1 and "112" in waiting[0]
        clock.advance(31)
        await sweep()
        pings = [t for t in texts(fake.group_messages(OPS, thread)) if "ждёт" in t]
        assert len(pings) == 2  # the group is pinged again ...
        assert (
            len([t for t in texts(fake.bot_messages(USER)) if "дольше обычного" in t]) == 1
        )  # ... the user not
    no_rejections(fake)


async def test_deleted_topic_is_recreated_and_remapped(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        (old,) = fake.topics(OPS)
        fake.delete_topic(OPS, old)
        fake.send_text(USER, "вы меня слышите?")
        await bot.settle()
        ((new, name),) = fake.topics(OPS).items()
        assert new != old and name.startswith("№1")
        in_topic = texts(fake.group_messages(OPS, new))
        assert "Вопрос №1" in in_topic[0] and "👤 Пользователь (№1):\nвы меня слышите?" in in_topic
        fake.group_text(OPS, OPERATOR, "Да, слышу", thread_id=new)
        await bot.settle()
        assert "Да, слышу" in fake.last(USER)["text"]
    assert [e for e in fake.errors if "thread not found" not in e[1]] == []


async def test_user_who_blocked_the_bot_marks_the_case(fake: FakeTelegram, db: Path, clock: Clock) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        fake.block(USER)
        fake.group_text(OPS, OPERATOR, "Ответьте, пожалуйста", thread_id=thread)
        await bot.settle()
        assert any("заблокировал бота" in t for t in texts(fake.group_messages(OPS, thread)))
        fake.group_text(OPS, OPERATOR, "/cases")
        await bot.settle()
        assert "пользователь заблокировал бота" in fake.group_messages(OPS)[-1]["text"]
    no_rejections(fake)


async def test_restart_between_case_creation_and_delivery_delivers_once(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    fake.fail_next("createForumTopic", 502, "Bad Gateway")
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        assert fake.topics(OPS) == {}  # not delivered: Telegram failed
        assert "№1" in fake.last(USER)["text"]  # but the user's case is safe
    clock.advance(1)
    async with ops_bot(fake, db, clock) as bot:
        await bot.settle()
        await bot.app.bot_data["courier"].flush()  # a second flush must not send it again
    ((thread, _),) = fake.topics(OPS).items()
    cards = [t for t in texts(fake.group_messages(OPS, thread)) if "Вопрос №1" in t]
    assert len(cards) == 1


async def test_operator_commands_elsewhere_or_from_strangers_do_nothing(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR, STRANGER])
    fake.group(-2002, forum=False, members=[OPERATOR])  # another group the bot is in
    async with ops_bot(fake, db, clock, operator_ids=frozenset({OPERATOR})) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        fake.group_text(OPS, STRANGER, "/close", thread_id=thread)  # in the group, not an operator
        fake.group_text(-2002, OPERATOR, "/cases")  # an operator, in another chat
        fake.send_text(USER, "/close")  # the migrant tries an operator command
        await bot.settle()
        desk: Desk = bot.app.bot_data["desk"]
        case = await desk.storage.get_case(1)
        assert case is not None and case.status == "open"
        assert fake.group_messages(-2002) == []
        # A migrant can never act on another migrant's case.
        fake.send_text(OTHER_USER, "/start")
        await bot.settle()
        other_msg = fake.last(OTHER_USER)["message_id"]
        fake.press(OTHER_USER, other_msg, "r|1|1")
        await bot.settle()
        case = await desk.storage.get_case(1)
        assert case is not None and case.rating is None
        assert not any("Оценка" in t for t in texts(fake.group_messages(OPS, thread)))
    no_rejections(fake)


async def test_a_description_with_danger_words_shows_urgent_help_and_marks_the_case(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot, text="хозяин забрал паспорт и не отпускает домой")
        mine = texts(fake.bot_messages(USER))
        # urgent help first (held and documents taken: the "locked" screen, it covers both) ...
        assert any("102" in t and ("паспорт" in t or "документ" in t) for t in mine[-2:])
        assert "№1" in mine[-1]  # ... and the case is open
        ((thread, name),) = fake.topics(OPS).items()
        assert name.startswith("🆘 №1")
        assert "🆘 <b>СРОЧНО</b>" in fake.group_messages(OPS, thread)[0]["html"]
    no_rejections(fake)


async def test_a_long_operator_answer_reaches_the_user_in_parts(
    fake: FakeTelegram, db: Path, clock: Clock
) -> None:
    fake.group(OPS, forum=True, members=[OPERATOR])
    async with ops_bot(fake, db, clock) as bot:
        await open_case(fake, bot)
        (thread,) = fake.topics(OPS)
        # As long as Telegram lets an operator write: with the "Operator:" label it no longer fits.
        long_answer = "\n\n".join(f"Шаг {i}: " + "подробное объяснение " * 18 for i in range(1, 12))
        long_answer = long_answer[:4085] + " Шаг 15:"
        assert 4085 < len(long_answer) <= 4096
        fake.group_text(OPS, OPERATOR, long_answer, thread_id=thread)
        await bot.settle()
        received = "".join(texts(fake.bot_messages(USER)))
        assert "Шаг 1:" in received and "Шаг 15:" in received
    no_rejections(fake)
