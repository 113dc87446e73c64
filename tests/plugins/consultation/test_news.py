"""#动态 and 撤回动态 by chat command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.core.models import NewsStatus, Unit
from tests.utils import MEMBER_GROUP, STAFF_GROUP, group_message, private_message, say
from tests.workflow_utils import PROPOSER, STAFF

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_post_with_images_and_withdraw(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    message = Message(
        [
            MessageSegment.text("#动态 县政协召开专题协商会\n会议围绕农村人居环境整治开展协商。"),
            MessageSegment("image", {"file": "a.jpg", "url": "http://img.example/a.jpg"}),
        ]
    )
    await say(
        app,
        group_message(message, user_id=STAFF, group_id=STAFF_GROUP),
        "已发布第1号政协动态《县政协召开专题协商会》（含图片1张），将在下一期日报中刊登。"
        "如需撤回，请发送：撤回动态 1",
    )
    (item,) = await services.news.published()
    assert item.body == "会议围绕农村人居环境整治开展协商。"
    assert item.images == [{"kind": "image", "name": "a.jpg", "url": "http://img.example/a.jpg"}]
    assert item.source == f"group:{STAFF_GROUP}"
    await say(
        app,
        private_message("撤回动态 1", user_id=STAFF),
        "已撤回第1号政协动态《县政协召开专题协商会》，日报和公开页面不再显示。",
    )
    await say(app, private_message("撤回动态 1", user_id=STAFF), "第1号动态已经撤回了。")
    assert await services.news.published() == []


async def test_post_refusals(app: App, services: Services, units: dict[str, Unit]) -> None:
    await say(
        app,
        private_message("#动态", user_id=STAFF),
        "请写上动态的标题和正文。用法：#动态 标题⏎正文（可附图片）",
    )
    await say(
        app,
        private_message("＃动态 " + "长" * 101, user_id=STAFF),
        "标题超过100字。第一行写标题，正文从第二行开始。",
    )
    await say(
        app,
        private_message("#动态 标题\n" + "字" * 5001, user_id=STAFF),
        "正文超过5000字（现在5001字），请精简后再发。",
    )
    await say(
        app,
        group_message("#动态 标题\n正文", user_id=PROPOSER, group_id=MEMBER_GROUP),
        "“#动态”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。发送“帮助”查看您可以使用的命令。",
    )
    await say(
        app,
        group_message("#动态 标题\n正文", user_id=STAFF, group_id=MEMBER_GROUP),
        "“#动态”请在私聊机器人、机关群使用。",
    )
    await say(
        app,
        private_message("撤回动态 abc", user_id=STAFF),
        "“abc”不是动态编号。用法：撤回动态 5（编号见发布时的回复）",
    )
    await say(app, private_message("撤回动态 9", user_id=STAFF), "没有第9号动态。")
    assert await services.news.published() == []


async def test_withdrawal_records_who_and_accepts_第N号(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await say(app, private_message("#政协动态 标题\n正文", user_id=STAFF))
    await say(app, private_message("撤回动态 第1号", user_id=STAFF))
    async with services.db.session() as session:
        from bot.core.models import NewsItem

        item = await session.get(NewsItem, 1)
    assert item is not None
    assert (item.status, item.withdrawn_by) == (NewsStatus.WITHDRAWN, "王秘书")
