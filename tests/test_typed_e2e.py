"""End to end: typed questions in each language, the danger jump, and the unmatched report."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.content import check
from bot.i18n import LANGS
from tests.bot_harness import RunningBot, running_bot
from tests.conftest import REAL_CONTENT
from tests.db_inspect import target
from tests.fake_api import FakeTelegram

USER = 7
LANGUAGE_LABEL = {"ru": "Русский", "ky": "Кыргызча", "uz": "Oʻzbekcha", "kk": "Қазақша"}
PHRASINGS = Path(__file__).parent / "data" / "phrasings"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    yield fake
    assert fake.errors == []
    assert [q.id for q in fake.queries.values() if not q.answered] == []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "joldosh.sqlite3"


async def start(fake: FakeTelegram, bot: RunningBot, lang: str = "ru") -> None:
    fake.send_text(USER, "/start")
    await bot.settle()
    fake.tap(USER, LANGUAGE_LABEL[lang])
    await bot.settle()


def first_wages_phrasing(lang: str) -> str:
    data = yaml.safe_load((PHRASINGS / f"{lang}.yaml").read_text(encoding="utf-8"))
    return next(text for text, topic in data["topics"] if topic == "wages")


@pytest.mark.parametrize("lang", LANGS)
async def test_a_typed_question_offers_the_right_answers(fake: FakeTelegram, db: Path, lang: str) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        await start(fake, bot, lang)
        fake.send_text(USER, first_wages_phrasing(lang))
        await bot.settle()
        offer = fake.last(USER)
        targets = [d.split("|")[2] for _, d in fake.buttons(offer) if d.startswith("g|")]
        assert targets and targets[0].startswith("pay"), targets
        assert "person" in targets  # talk to a person is always offered
        fake.press(USER, offer["message_id"], fake.buttons(offer)[0][1])
        await bot.settle()
        words = yaml.safe_load((REAL_CONTENT / lang / "wages.yaml").read_text(encoding="utf-8"))
        title = words[targets[0]]["text"].split("\n")[0].replace("<b>", "").replace("</b>", "")
        assert title[:12] in fake.last(USER)["text"]


async def test_danger_words_jump_to_urgent_help_from_inside_another_tree(
    fake: FakeTelegram, db: Path
) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        await start(fake, bot)
        fake.send_text(USER, "/start registration")
        await bot.settle()
        fake.tap(USER, "Кыргызстан")
        await bot.settle()
        fake.send_text(USER, "хозяин забрал паспорт и не отдает")
        await bot.settle()
        urgent = fake.last(USER)
        assert "паспорт" in urgent["text"] and "102" in urgent["text"]
        fake.tap(USER, "Назад")  # back to where the user was
        await bot.settle()
        assert "Гражданин Кыргызстана" in fake.last(USER)["text"]


async def test_a_message_telling_two_dangers_opens_one_screen_with_the_other_one_press_away(
    fake: FakeTelegram, db: Path
) -> None:
    words = yaml.safe_load((REAL_CONTENT / "ru" / "urgent.yaml").read_text(encoding="utf-8"))
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        await start(fake, bot)
        fake.send_text(USER, "хозяин забрал паспорт и говорит убью если уйдешь")
        await bot.settle()
        urgent = fake.last(USER)
        # Which of the two opens is the danger model's pick among the rules' screens (session 11);
        # the other one is the first button, and pressing it opens it.
        starts = {
            "sos_violence": "Бьют или угрожают? Звоните 102 или 112",
            "sos_passport": "В опасности — 102 или 112",
        }
        options = words["sos"]["options"]
        labels = {"sos_violence": options["violence"], "sos_passport": options["pass"]}
        opened = next(node for node, start in starts.items() if urgent["text"].startswith(start))
        other = ({"sos_violence", "sos_passport"} - {opened}).pop()
        first_label, first_data = fake.buttons(urgent)[0]
        assert first_data.endswith(f"|{other}") and first_label == labels[other]
        first_text = urgent["text"]  # the screen is edited in place when the button is pressed
        fake.press(USER, urgent["message_id"], first_data)
        await bot.settle()
        second = fake.last(USER)
        assert second["text"].startswith(starts[other])
        assert "паспорт" in first_text + second["text"]
        assert not any(d.endswith(f"|{opened}") for _, d in fake.buttons(second)[:1])
        # One danger told: no extra button, the screen's own buttons come first.
        fake.send_text(USER, "хозяин забрал паспорт и не отдает")
        await bot.settle()
        alone = fake.last(USER)
        assert not fake.buttons(alone)[0][1].startswith("g|")


#: The messages the issue quoted as missed ("I did not find an answer"), in the user's language.
ISSUE_EXAMPLES = [
    ("ky", "работодатель паспортумду кайтарып берген жок эки ай болду", "sos_passport", "102"),
    ("kk", "работодатель төлқұжатымды алып қойды сұрасам бермейді", "sos_passport", "102"),
    ("uz", "brigadir ketsang oyog'ingni sindiraman deyapti", "sos_violence", "102"),
    ("ky", "жумушчу 4-кабаттан кулап тушту кыймылдабай жатат", "sos_medical", "103"),
    ("uz", "ishchi 4-qavatdan yiqildi qimirlamayapti", "sos_medical", "103"),
    ("ru", "нас на ночь закрывают в вагончике на замок", "sos_locked", "102"),
    ("ru", "меня изнасиловал хозяин квартиры", "sos_sexual", "102"),
]


@pytest.mark.parametrize(("lang", "text", "node", "number"), ISSUE_EXAMPLES)
async def test_the_issues_examples_open_the_right_urgent_screen_with_numbers_first(
    fake: FakeTelegram, db: Path, lang: str, text: str, node: str, number: str
) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        await start(fake, bot, lang)
        fake.send_text(USER, text)
        await bot.settle()
        urgent = fake.last(USER)
        words = yaml.safe_load((REAL_CONTENT / lang / "urgent.yaml").read_text(encoding="utf-8"))
        first_line = words[node]["text"].split("\n")[0].replace("<b>", "").replace("</b>", "")
        assert urgent["text"].startswith(first_line) and number in first_line


async def test_unmatched_questions_are_counted_for_editors(
    fake: FakeTelegram, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running_bot(fake, db, REAL_CONTENT) as bot:
        await start(fake, bot)
        for _ in range(2):
            fake.send_text(USER, "Ксилофон абракадабра  99999999999")
            await bot.settle()
        assert "не нашёл ответа" in fake.last(USER)["text"]
    assert await asyncio.to_thread(check.report_unmatched, target(db)) == 0
    out = capsys.readouterr().out
    assert "    2  ru" in out and "ксилофон абракадабра #" in out  # no phone numbers kept
    # The user's id as a number of its own: the report's date ("2026-12-07") may hold its digits.
    assert not re.search(rf"(?<!\d){USER}(?!\d)", out.split("text", 1)[1])
