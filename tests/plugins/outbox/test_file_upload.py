"""Files through the outbox: upload_group_file / upload_private_file, and the fallback text
when the client refuses files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import ActionFailed, Message, MessageSegment

from bot.core.delivery.chunks import FileChunk, plan
from bot.core.delivery.outbox import Target, file_part
from bot.core.models import OutboxStatus
from tests.plugins.outbox.test_sender import MEMBER, drain, make_sender, only_row
from tests.utils import GROUP, make_bot

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

PATH = "/srv/bot/data/exports/2026.xlsx"
FALLBACK = "导出文件未能通过 QQ 发送。文件已保存在服务器：" + PATH


def test_a_file_is_one_upload() -> None:
    assert plan([file_part(PATH, "2026.xlsx", FALLBACK)], as_forward=False) == [
        FileChunk(PATH, "2026.xlsx", FALLBACK)
    ]


async def test_group_file_upload(app: App, services: Services) -> None:
    await services.outbox.enqueue(
        Target.group(str(GROUP)), [file_part(PATH, "2026.xlsx", FALLBACK)]
    )
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "upload_group_file", {"group_id": GROUP, "file": PATH, "name": "2026.xlsx"}, None
        )
        await drain(make_sender(bot, services))
    assert (await only_row(services)).status == OutboxStatus.SENT


async def test_refused_upload_sends_where_the_file_is(app: App, services: Services) -> None:
    await services.outbox.enqueue(Target.private(MEMBER), [file_part(PATH, "2026.xlsx", FALLBACK)])
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "upload_private_file",
            {"user_id": int(MEMBER), "file": PATH, "name": "2026.xlsx"},
            exception=ActionFailed(status="failed", retcode=1404, message="不支持的Api"),
        )
        ctx.should_call_api("get_friend_list", {}, [{"user_id": int(MEMBER), "nickname": "张三"}])
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "message": Message(MessageSegment.text(FALLBACK))},
            {"message_id": 5},
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.sent_message_id) == (OutboxStatus.SENT, "5")
