"""委员 未加好友: staff see who could not be reached one-to-one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.delivery.outbox import Target
from bot.core.models import OutboxMessage, OutboxStatus
from tests.discussion_helpers import STAFF_ID, WANG, ZHANG, four_members
from tests.utils import GROUP, ReplyTo, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_staff_list_who_cannot_be_reached(app: App, services: Services) -> None:
    await four_members(services)
    empty = private_message("委员 未加好友", user_id=STAFF_ID)
    await say(app, empty, "最近30天没有私聊联系不上的人。")
    await services.outbox.enqueue(Target.private(WANG), "联名邀请：……", purpose="cosign_invite")
    async with services.db.session() as session:
        row = (await session.exec(select(OutboxMessage))).one()
        row.status = OutboxStatus.FAILED
        session.add(row)
        await session.commit()
    await services.fallback.run()
    event = private_message("委员 未加好友", user_id=STAFF_ID)
    answer = await say(app, event, ReplyTo(event, "最近30天私聊联系不上的有 1 人"))
    assert f"· 王五（QQ {WANG}）：1条未送达，最近 " in answer
    in_members_group = group_message("委员 未加好友", user_id=STAFF_ID, group_id=GROUP)
    await say(app, in_members_group, "“委员 未加好友”请在机关群或私聊机器人使用。")
    member = private_message("委员 未加好友", user_id=ZHANG)
    await say(app, member, ReplyTo(member, "“委员”仅限政协机关工作人员使用"))
