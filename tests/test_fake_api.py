"""The fake Bot API itself, spoken to over HTTP like a bot would (no PTB here).

These pin down the group, topic and copy behaviour the operators' relay will rely on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fake_api import BOT_USER, FakeTelegram

GROUP = -1001
OPERATOR = 50
MIGRANT = 7


@pytest.fixture
def fake() -> FakeTelegram:
    fake = FakeTelegram()
    fake.user(MIGRANT)
    fake.group(GROUP, members=[OPERATOR])
    return fake


@pytest.fixture
async def client(fake: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=fake.transport, base_url="http://fake-bot-api.invalid") as client:
        yield client


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> dict[str, Any]:
    """The whole answer, ok or not."""
    response = await client.post(f"/bot123:T/{method}", json=params)
    body = response.json()
    assert response.status_code == (200 if body["ok"] else body["error_code"])
    return body


async def ok(client: httpx.AsyncClient, method: str, **params: Any) -> Any:
    body = await call(client, method, **params)
    assert body["ok"], body
    return body["result"]


async def error(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, str]:
    body = await call(client, method, **params)
    assert not body["ok"], body
    return body["error_code"], body["description"]


async def new_topic(client: httpx.AsyncClient, name: str = "Case 1") -> int:
    return (await ok(client, "createForumTopic", chat_id=GROUP, name=name))["message_thread_id"]


async def test_create_topic_in_a_forum(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    first = await ok(client, "createForumTopic", chat_id=GROUP, name="Case 1")
    second = await ok(client, "createForumTopic", chat_id=GROUP, name="Case 2")
    assert first == {"message_thread_id": 2, "name": "Case 1", "icon_color": 7322096}
    assert second["message_thread_id"] > 2
    assert fake.topics(GROUP) == {2: "Case 1", second["message_thread_id"]: "Case 2"}


async def test_create_topic_needs_a_forum_and_a_name(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    fake.group(-1002, forum=False)
    assert await error(client, "createForumTopic", chat_id=-1002, name="x") == (
        400,
        "Bad Request: the chat is not a forum",
    )
    assert await error(client, "createForumTopic", chat_id=GROUP, name=" ") == (
        400,
        "Bad Request: TOPIC_TITLE_EMPTY",
    )
    assert await error(client, "createForumTopic", chat_id=GROUP, name="x" * 129) == (
        400,
        "Bad Request: TOPIC_TITLE_TOO_LONG",
    )


async def test_send_into_a_topic(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    topic = await new_topic(client)
    msg = await ok(
        client,
        "sendMessage",
        chat_id=GROUP,
        text="<b>New case</b>",
        parse_mode="HTML",
        message_thread_id=topic,
    )
    assert msg["chat"]["type"] == "supergroup" and msg["from"]["id"] == BOT_USER["id"]
    assert msg["message_thread_id"] == topic and msg["is_topic_message"] is True
    # Telegram's quirk: a topic message that is no reply "replies" to the topic's creation.
    assert msg["reply_to_message"]["forum_topic_created"]["name"] == "Case 1"
    await ok(client, "sendMessage", chat_id=GROUP, text="in General")
    assert [m["text"] for m in fake.group_messages(GROUP, topic)] == ["New case"]
    assert [m["text"] for m in fake.group_messages(GROUP)] == ["New case", "in General"]


async def test_deleted_or_unknown_topic_is_not_found(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    topic = await new_topic(client)
    fake.delete_topic(GROUP, topic)
    not_found = (400, "Bad Request: message thread not found")
    assert await error(client, "sendMessage", chat_id=GROUP, text="hi", message_thread_id=topic) == not_found
    assert await error(client, "sendMessage", chat_id=GROUP, text="hi", message_thread_id=99) == not_found
    assert await error(client, "sendMessage", chat_id=GROUP, text="hi", message_thread_id=1) == not_found
    photo = fake.send_photo(MIGRANT)
    assert (
        await error(
            client,
            "copyMessage",
            chat_id=GROUP,
            from_chat_id=MIGRANT,
            message_id=photo,
            message_thread_id=topic,
        )
        == not_found
    )
    assert fake.topics(GROUP) == {}


async def test_copy_a_migrants_photo_into_a_topic(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    topic = await new_topic(client)
    photo = fake.send_photo(MIGRANT, caption="my contract")
    result = await ok(
        client, "copyMessage", chat_id=GROUP, from_chat_id=MIGRANT, message_id=photo, message_thread_id=topic
    )
    copied = fake.group_messages(GROUP, topic)[-1]
    assert result == {"message_id": copied["message_id"]}
    assert copied["photo"][-1]["file_id"] == "photo320" and copied["caption"] == "my contract"
    assert fake.sent[-1]["method"] == "copyMessage" and fake.sent[-1]["from_chat_id"] == MIGRANT


async def test_copy_an_operators_answer_to_the_migrant(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    topic = await new_topic(client)
    answer = fake.group_text(GROUP, OPERATOR, "Bring your passport <please>", thread_id=topic)
    update = fake.updates[-1]["message"]
    assert update["from"]["id"] == OPERATOR and update["message_thread_id"] == topic
    await ok(client, "copyMessage", chat_id=MIGRANT, from_chat_id=GROUP, message_id=answer)
    got = fake.last(MIGRANT)
    assert got["text"] == "Bring your passport <please>"
    assert got["html"] == "Bring your passport &lt;please&gt;"
    assert "message_thread_id" not in got


async def test_copy_of_a_missing_message(client: httpx.AsyncClient) -> None:
    assert await error(client, "copyMessage", chat_id=MIGRANT, from_chat_id=GROUP, message_id=999) == (
        400,
        "Bad Request: message to copy not found",
    )


async def test_operator_command_and_reply(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    topic = await new_topic(client)
    card = await ok(client, "sendMessage", chat_id=GROUP, text="case card", message_thread_id=topic)
    fake.group_text(GROUP, OPERATOR, "/close@joldosh_test_bot now", reply_to=card["message_id"])
    msg = fake.updates[-1]["message"]
    assert msg["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert msg["reply_to_message"]["message_id"] == card["message_id"]
    assert msg["message_thread_id"] == topic  # a reply lands in its message's topic


async def test_reply_parameters(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    question = fake.send_text(MIGRANT, "When?")
    msg = await ok(
        client, "sendMessage", chat_id=MIGRANT, text="Tomorrow", reply_parameters={"message_id": question}
    )
    assert msg["reply_to_message"]["text"] == "When?"
    legacy = await ok(client, "sendMessage", chat_id=MIGRANT, text="Again", reply_to_message_id=question)
    assert legacy["reply_to_message"]["message_id"] == question
    assert await error(
        client, "sendMessage", chat_id=MIGRANT, text="x", reply_parameters={"message_id": 999}
    ) == (
        400,
        "Bad Request: message to be replied not found",
    )


async def test_blocked_and_never_started_users_get_403(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    fake.block(MIGRANT)
    assert await error(client, "sendMessage", chat_id=MIGRANT, text="hi") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    # The operator is a group member who never opened a private chat with the bot.
    assert await error(client, "sendMessage", chat_id=OPERATOR, text="hi") == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    fake.send_text(OPERATOR, "/start")
    await ok(client, "sendMessage", chat_id=OPERATOR, text="hi")


async def test_get_chat(client: httpx.AsyncClient) -> None:
    group = await ok(client, "getChat", chat_id=GROUP)
    assert (group["type"], group["title"], group["is_forum"]) == ("supergroup", "Operators", True)
    user = await ok(client, "getChat", chat_id=MIGRANT)
    assert (user["type"], user["first_name"]) == ("private", "Test")
    assert await error(client, "getChat", chat_id=-999) == (400, "Bad Request: chat not found")


async def test_unknown_method_is_404(client: httpx.AsyncClient) -> None:
    assert await error(client, "sendPoll", chat_id=MIGRANT, question="x") == (404, "Not Found")


async def upload(client: httpx.AsyncClient, filename: str, data: bytes, **params: Any) -> dict[str, Any]:
    """sendDocument as PTB sends an upload: multipart, the file in its own part."""
    fields = {key: str(value) for key, value in params.items()}
    files = {"document": (filename, data, "application/pdf")}
    response = await client.post("/bot123:T/sendDocument", data=fields, files=files)
    return response.json()


async def test_send_document_keeps_the_upload(fake: FakeTelegram, client: httpx.AsyncClient) -> None:
    body = await upload(
        client, "claim.pdf", b"%PDF-1.7 ...", chat_id=MIGRANT, caption="<b>Claim</b>", parse_mode="HTML"
    )
    assert body["ok"], body
    document = body["result"]["document"]
    assert document["file_name"] == "claim.pdf" and document["mime_type"] == "application/pdf"
    assert document["file_size"] == len(b"%PDF-1.7 ...")
    (sent,) = [m for m in fake.sent if m["method"] == "sendDocument"]
    assert sent["upload"].data == b"%PDF-1.7 ..." and sent["caption"] == "Claim"
    # A file Telegram already has can be sent again by its id; an id it never gave cannot.
    again = await ok(client, "sendDocument", chat_id=MIGRANT, document=document["file_id"])
    assert again["document"]["file_id"] == document["file_id"]
    assert await error(client, "sendDocument", chat_id=MIGRANT, document="made-up") == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )


async def test_send_document_refuses_what_telegram_refuses(
    fake: FakeTelegram, client: httpx.AsyncClient
) -> None:
    empty = await upload(client, "claim.pdf", b"", chat_id=MIGRANT)
    assert (empty["error_code"], empty["description"]) == (400, "Bad Request: file must be non-empty")
    assert await error(client, "sendDocument", chat_id=MIGRANT) == (
        400,
        "Bad Request: there is no document in the request",
    )
    long = await upload(client, "claim.pdf", b"x", chat_id=MIGRANT, caption="x" * 1025)
    assert long["error_code"] == 400
    fake.block(MIGRANT)
    blocked = await upload(client, "claim.pdf", b"x", chat_id=MIGRANT)
    assert blocked["error_code"] == 403
    assert [m for m in fake.sent if m["method"] == "sendDocument"] == []
