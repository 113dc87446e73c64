"""The confirmation of a stored post could not be sent: the member is not told 登记出错; the
confirmation goes again through the outbox, and its message id becomes the confirmation link
(so that replying 附议 to it finds the record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import ActionFailed, NetworkError

from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.models import ChannelKind, OutboxStatus, Record
from tests.intake_helpers import LIFT, LIFT_TITLE, outbox_rows, outbox_text, register
from tests.utils import (
    GROUP,
    SELF_ID,
    SUPERUSER,
    group_message,
    make_bot,
    private_message,
    reply_of,
    reply_to,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.delivery.chunks import Chunk
    from bot.core.delivery.claims import QueuedMessage
    from bot.core.services import Services

CARD = "农业界-张三"


class Client:
    """Plays the chat client for the outbox sender: answers each call with a message id."""

    platform = "qq"
    account = SELF_ID

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    async def send(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        self.sent.append((message.target_type, message.target_id, chunk.text))
        return str(8000 + len(self.sent))


async def drain(services: Services, client: Client) -> None:
    sender = OutboxSender(services.db, services.clock, client, RateLimiter(0))
    try:
        while await sender.step():
            pass
    finally:
        await sender.close()


def confirmation_text(category: str) -> str:
    return (
        f"已登记：提案第1号《{LIFT_TITLE}》\n提出人：张三（农业界）\n"
        f"类别：{category}（机器人推测，审核时可调整）\n"
        "其他委员可回复本消息“附议”联名；查看进度：查提案 1；审核前可发送“撤回 1”撤回。"
    )


@pytest.mark.parametrize(
    "failure",
    [NetworkError("WebSocket call api send_msg timeout"), ActionFailed(retcode=1200)],
    ids=["no-answer-in-30s", "client-error"],
)
async def test_failed_confirmation_is_queued_again_and_linked_when_sent(
    app: App, services: Services, failure: Exception
) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    assert services.intake.lexicon is not None
    category = services.intake.lexicon.classify(LIFT, title=LIFT_TITLE).category
    event = group_message(f"#提案 {LIFT_TITLE}\n{LIFT}", user_id=20001, card=CARD)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, reply_of(event, confirmation_text(category)), exception=failure)
        # and nothing else: no "登记时出错了" for a post that was stored
    async with services.db.session() as session:
        record = await session.get(Record, 1)
    assert record is not None
    assert record.number == 1
    [queued] = [m for m in await outbox_rows(services) if m.purpose == "confirmation"]
    assert (queued.target_type, queued.target_id, queued.bot_id) == ("group", str(GROUP), SELF_ID)
    assert queued.record_id == record.id
    assert queued.parts[0] == {"type": "mention", "user_id": "20001"}
    assert outbox_text(queued) == "（补发）" + confirmation_text(category)

    client = Client()
    await drain(services, client)
    assert [text for kind, target, text in client.sent if kind == "group"] == [
        "（补发）" + confirmation_text(category)
    ]
    sent = next(m for m in await outbox_rows(services) if m.purpose == "confirmation")
    assert sent.status == OutboxStatus.SENT
    # replying 附议 to the re-sent confirmation finds the record
    linked = await services.records.by_message(str(sent.sent_message_id))
    assert linked is not None
    assert linked.id == record.id

    await register(services, "20002", "李四")
    cosign = group_message(
        "附议", user_id=20002, reply=reply_to(int(sent.sent_message_id or 0), "（补发）已登记")
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, cosign)
        ctx.should_call_send(
            cosign,
            reply_of(cosign, f"已附议提案第1号《{LIFT_TITLE}》，您已列为联名人，目前联名1人。"),
            result={"message_id": 9001},
        )


async def test_private_confirmation_is_queued_privately(app: App, services: Services) -> None:
    await register(services, "20001", "张三")
    event = private_message(f"#提案 {LIFT_TITLE}\n{LIFT}", user_id=20001)
    assert services.intake.lexicon is not None
    category = services.intake.lexicon.classify(LIFT, title=LIFT_TITLE).category
    text = (
        confirmation_text(category).replace("其他委员可回复本消息“附议”联名；", "")
        + "\n（私聊提交的内容不会发到群里。）"
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event, reply_of(event, text), exception=NetworkError("WebSocket call api timeout")
        )
    [queued] = [m for m in await outbox_rows(services) if m.purpose == "confirmation"]
    assert (queued.target_type, queued.target_id, queued.via_group_id) == ("private", "20001", None)
    assert queued.parts == [{"type": "text", "text": "（补发）" + text}]
