"""End to end: the wage-claim questionnaire in each language through the fake Bot API, ending in
two documents as PDF and DOCX whose text (read back from the files) holds every answer, the computed
amounts and the legal bases; afterwards the answers are nowhere in the database. Also: the files
survive a failed upload and a restart (sent once), the answers can go to an operator, and the
console writes the files to a folder."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdf
import pytest

from bot.claims.compute import compute, money
from bot.console import run_console
from bot.content.loader import ContentStore
from bot.service import Dialogue
from bot.storage import Storage
from tests.bot_harness import RunningBot, loaded_content, running_bot
from tests.conftest import REAL_CONTENT
from tests.db_inspect import database_text, rows
from tests.fake_api import FakeTelegram, Upload

USER = 7
OPS = -1001
OPERATOR = 50
TODAY = dt.date(2026, 12, 5)
NOW = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)  # 11:00 in Almaty
LANGUAGE_LABEL = {"ru": "Русский", "ky": "Кыргызча", "uz": "Oʻzbekcha", "kk": "Қазақша"}
#: Each language's way to type the things: a date, an amount, and a sign of a re-asked question.
TYPED = {
    "ru": {"start": "1 июня 2026", "pay": "200к", "bad_date": "Не понял дату", "negative": "меньше нуля"},
    "ky": {
        "start": "1-июнь 2026",
        "pay": "200 миң",
        "bad_date": "Датаны түшүнгөн жокмун",
        "negative": "нөлдөн аз",
    },
    "uz": {
        "start": "1-iyun 2026",
        "pay": "200 ming",
        "bad_date": "Sanani tushunmadim",
        "negative": "noldan kam",
    },
    "kk": {
        "start": "1 маусым 2026",
        "pay": "200 мың",
        "bad_date": "Күнді түсінбедім",
        "negative": "нөлден аз",
    },
}
NAME = "Эргешов Нурбек Асанович"
EMPLOYER = "ТОО «Строй-Алем» (прораб Болат)"
ADDRESS = "г. Алматы, ул. Райымбека, 200, стройка ЖК «Арман»"
JOB = "подсобный рабочий"
FIXED_JOB = "бетонщик"
NOTE = "ведомость с подписью бригадира"
CLAIM_LAWS = (
    "п. 1 ст. 113 Трудового кодекса Республики Казахстан",
    "п. 3 ст. 113 Трудового кодекса Республики Казахстан",
    "ст. 159 Трудового кодекса Республики Казахстан",
    "ст. 160 Трудового кодекса Республики Казахстан",
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.user(USER, language_code="ru")
    yield fake
    assert [q.id for q in fake.queries.values() if not q.answered] == []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "joldosh.sqlite3"


def bot_with(fake: FakeTelegram, db: Path, clock: Clock, **settings):
    return running_bot(fake, db, REAL_CONTENT, today=TODAY, now=clock, **settings)


async def choose(fake: FakeTelegram, bot: RunningBot, data: str) -> None:
    """Press the button whose callback data is (or ends with) ``data`` on the current screen."""
    msg = fake.screen(USER)
    found = next((d for _, d in fake.buttons(msg) if d == data or d.endswith(data)), None)
    assert found is not None, (data, fake.buttons(msg))
    fake.press(USER, msg["message_id"], found)
    await bot.settle()


async def answer(fake: FakeTelegram, bot: RunningBot, text: str) -> str:
    fake.send_text(USER, text)
    await bot.settle()
    return fake.last(USER)["text"]


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


async def fill_in(fake: FakeTelegram, bot: RunningBot, lang: str, *, cit: str = "kg") -> None:
    """A worker owed September and October: a bad date, a negative amount, one correction."""
    typed = TYPED[lang]
    await answer(fake, bot, "/start")
    fake.tap(USER, LANGUAGE_LABEL[lang])
    await bot.settle()
    await answer(fake, bot, "/start wages")
    await choose(fake, bot, f"|pay|{cit}")
    await choose(fake, bot, "|steps")
    await choose(fake, bot, "|pay_evid|next")
    await choose(fake, bot, "|pay_claim|doc")
    await choose(fake, bot, "c|go")
    await answer(fake, bot, NAME)
    await choose(fake, bot, f"c|a|cit|{cit}")
    await answer(fake, bot, EMPLOYER)
    await choose(fake, bot, "c|a|emp_id|?")
    await answer(fake, bot, ADDRESS)
    await answer(fake, bot, JOB)
    assert typed["bad_date"] in await answer(fake, bot, "31.02.2026")  # asked again, never an error
    await answer(fake, bot, typed["start"])
    assert typed["negative"] in await answer(fake, bot, "-200000")
    await answer(fake, bot, typed["pay"])
    await choose(fake, bot, "c|a|pay_how|verbal")
    await answer(fake, bot, "09.2026")
    await choose(fake, bot, "c|a|m_to|2026-10")
    await choose(fake, bot, "c|a|owed|auto")
    await choose(fake, bot, "c|t|msgs")
    await choose(fake, bot, "c|t|photos")
    await answer(fake, bot, NOTE)
    await choose(fake, bot, "c|d")
    # A person takes minutes over these questions; the test answers them faster than the flood
    # guard allows (30 updates in 10 s), so its count starts afresh here.
    bot.app.bot_data["intake"]._floods.clear()
    # A correction before the documents are made.
    await choose(fake, bot, "c|fix")
    await choose(fake, bot, "c|e|job")
    review = await answer(fake, bot, FIXED_JOB)
    assert FIXED_JOB in review and JOB not in review


def documents(fake: FakeTelegram) -> list[dict]:
    return [m for m in fake.sent if m["method"] == "sendDocument" and m["chat_id"] == USER]


def text_of(upload: Upload) -> str:
    if upload.filename.endswith(".pdf"):
        reader = pypdf.PdfReader(io.BytesIO(upload.data))
        return plain(" ".join(page.extract_text() for page in reader.pages))
    document = docx.Document(io.BytesIO(upload.data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return plain(" ".join(parts))


@pytest.mark.parametrize("lang", ["ru", "ky", "uz", "kk"])
async def test_questionnaire_in_each_language_ends_in_both_documents(
    fake: FakeTelegram, db: Path, lang: str
) -> None:
    async with bot_with(fake, db, Clock()) as bot:
        await fill_in(fake, bot, lang)
        assert NAME in await database_text(db)  # kept while the user answers...
        await choose(fake, bot, "c|make")
        sent = documents(fake)
    assert [m["document"]["file_name"] for m in sent] == [
        "pretenziya-rabotodatelyu.pdf",
        "pretenziya-rabotodatelyu.docx",
        "zhaloba-v-inspekciyu-truda.pdf",
        "zhaloba-v-inspekciyu-truda.docx",
    ]
    assert all(m["caption"] for m in sent)  # what each file is, in the user's language
    facts = loaded_content(REAL_CONTENT).claims
    assert facts is not None
    calc = compute(400_000, [(2026, 9), (2026, 10)], TODAY, facts.rules)
    amounts = [plain(money(calc.penalty)), plain(money(calc.total)), "400 000", "200 000"]
    answers = [NAME, EMPLOYER, ADDRESS, FIXED_JOB, "Кыргызская Республика", "не известно", "1 июня 2026 г"]
    answers += [
        "устная договорённость",
        "сентябрь, октябрь 2026 г",
        "переписка",
        "фотографии места работы",
        NOTE,
    ]
    for message in sent:
        text = text_of(message["upload"])
        for part in (*answers, *amounts):
            assert part in text, (message["document"]["file_name"], part)
        assert JOB not in text  # the corrected answer, not the first one
        assert "18% годовых" in text and "1,25" in text and "nationalbank.kz" in text
        laws = CLAIM_LAWS if "pretenziya" in message["document"]["file_name"] else CLAIM_LAWS[:2]
        for law in laws:
            assert law in text, (message["document"]["file_name"], law)
    # The explanation in the user's language: the amounts, how to deliver, the time limits.
    words = loaded_content(REAL_CONTENT).words[lang]
    explanation = plain(fake.last(USER)["text"])
    assert "eOtinish.kz" in explanation and "160" in explanation and "/forget" not in explanation
    assert plain(words["ui.claim.done.deleted"]) in explanation
    assert plain(money(calc.penalty)) in plain(" ".join(m.get("text", "") for m in fake.bot_messages(USER)))
    # ...and gone once the documents are sent: not in the state, the outbox, anywhere.
    stored = await database_text(db)
    for part in (NAME, EMPLOYER, ADDRESS, NOTE, FIXED_JOB):
        assert part not in stored
    assert await rows(db, "SELECT claim FROM users WHERE user_id = ?", (USER,)) == [("{}",)]
    assert fake.errors == []


async def test_documents_survive_a_failed_upload_and_a_restart_and_come_once(
    fake: FakeTelegram, db: Path
) -> None:
    clock = Clock()
    async with bot_with(fake, db, clock) as bot:
        await fill_in(fake, bot, "ru")
        fake.fail_next("sendDocument", 500, "Internal Server Error")
        msg = fake.screen(USER)
        fake.press(USER, msg["message_id"], next(d for _, d in fake.buttons(msg) if d == "c|make"))
        await fake.wait_confirmed()
        for _ in range(500):  # the update is processed, the first upload refused
            if ("sendDocument", "Internal Server Error") in fake.errors:
                break
            await asyncio.sleep(0.01)
        await bot.app.bot_data["intake"].idle()
        assert documents(fake) == []  # the first upload failed: waiting for its retry
        kinds = [r[0] for r in await rows(db, "SELECT kind FROM outbox WHERE chat_id = ?", (USER,))]
        assert kinds.count("document") == 4
    clock.now += dt.timedelta(minutes=1)
    async with bot_with(fake, db, clock) as bot:  # a restart: the courier picks up what was left
        await bot.settle()
        bot.app.bot_data["courier"].kick()
        await bot.settle()
    names = [m["document"]["file_name"] for m in documents(fake)]
    assert len(names) == 4 and len(set(names)) == 4  # each file once, none lost
    assert NAME not in await database_text(db)
    fake.errors.remove(("sendDocument", "Internal Server Error"))
    assert fake.errors == []


async def test_a_failure_while_making_the_documents_loses_nothing(
    fake: FakeTelegram, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.claims.service

    real = bot.claims.service.make_files
    calls = []

    def broken_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(bot.claims.service, "make_files", broken_once)
    async with bot_with(fake, db, Clock()) as bot:
        await fill_in(fake, bot, "kk")
        review = fake.screen(USER)
        await choose(fake, bot, "c|make")
        assert documents(fake) == []  # the update was rolled back and the user got an apology
        assert NAME in await database_text(db)  # the answers are still there
        bot.app.bot_data["intake"]._floods.clear()  # a person is slower than this test: no flood
        fake.press(USER, review["message_id"], "c|make")  # pressing again works
        await bot.settle()
    assert len(documents(fake)) == 4 and len(calls) == 2
    assert NAME not in await database_text(db)


async def test_answers_can_go_to_an_operator_with_the_documents(fake: FakeTelegram, db: Path) -> None:
    fake.group(OPS, members=[OPERATOR])
    async with bot_with(fake, db, Clock(), operators_chat_id=OPS) as bot:
        await fill_in(fake, bot, "uz", cit="uz")
        await choose(fake, bot, "c|makeop")
    assert len(documents(fake)) == 4
    card = plain(" ".join(m.get("text", "") for m in fake.group_messages(OPS)))
    assert NAME in card and EMPLOYER in card and "Ответы для претензии" in card
    ((description,),) = await rows(db, "SELECT description FROM cases WHERE user_id = ?", (USER,))
    ((claim,),) = await rows(db, "SELECT claim FROM users WHERE user_id = ?", (USER,))
    assert NAME in description and claim == "{}"  # kept with the case only
    said = plain(" ".join(m.get("text", "") for m in fake.bot_messages(USER)))
    assert "operatorga berildi" in said and "/forget" in said  # told where the answers went


async def test_console_writes_the_files_and_prints_their_paths(tmp_path: Path) -> None:
    lines = [
        "/start wages", "1", "1", "1", "3", "1",
        NAME, "1", EMPLOYER, "🤷 Не знаю", ADDRESS, JOB, "31.02.2026", "1.06.2026", "200 000",
        "2", "09.2026", "10.2026", "1", "1", "➡️ Готово", "✅ Сделать документы",
    ]  # fmt: skip
    out = io.StringIO()
    folder = tmp_path / "docs"
    async with Storage(":memory:") as storage:
        store = ContentStore(REAL_CONTENT, loaded_content(REAL_CONTENT))
        dialogue = Dialogue(storage, store, today=lambda: TODAY)
        code = await run_console(dialogue, io.StringIO("\n".join(lines) + "\n"), out, lang="ru", files=folder)
        state = await storage.load_user(1)
    assert code == 0
    printed = out.getvalue()
    assert "Не понял дату" in printed
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [
        "pretenziya-rabotodatelyu.docx",
        "pretenziya-rabotodatelyu.pdf",
        "zhaloba-v-inspekciyu-truda.docx",
        "zhaloba-v-inspekciyu-truda.pdf",
    ]
    for path in files:
        assert str(path.resolve()) in printed
        assert NAME in text_of(Upload(path.name, "", path.read_bytes()))
    assert state is not None and state.claim == () and state.claim_step is None
