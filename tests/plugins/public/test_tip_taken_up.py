"""`#提案 … 线索 L1`: a proposal written from an approved public tip is linked to it; the tip
then shows it was taken up (线索, the board); an unknown tip is named and the post registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.records.service import Actor
from tests.public_data import PublicData, tips
from tests.utils import MEMBER_GROUP, group_message, private_message, say
from tests.workflow_utils import PROPOSER, STAFF

if TYPE_CHECKING:
    import httpx
    from nonebug import App

    from bot.core.services import Services

TIP = {
    "matter": "学校周边交通拥堵",
    "place": "城关一小",
    "suggestion": "错峰放学",
    "category": "",
    "name": "",
    "contact": "",
}
POST = (
    "#提案 关于缓解城关一小周边交通拥堵的建议\n"
    "上下学高峰时段学校周边道路拥堵严重。\n建议：一是错峰放学，二是增设临时停车位。\n"
)


async def test_a_proposal_from_a_tip_is_linked(
    app: App, client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    await services.public.tip("198.51.100.9", TIP, [])
    await services.moderation.review(["L1"], approve=True, actor=Actor(STAFF, "王秘书"))
    reply = await say(app, group_message(POST + "线索 L1", user_id=PROPOSER, group_id=MEMBER_GROUP))
    assert "已关联群众提案线索L1《学校周边交通拥堵》。" in reply
    [tip] = await tips(services)
    assert tip.taken_record_id is not None
    record = await services.records.get(tip.taken_record_id)
    assert "线索" not in record.body  # the line is taken out of the proposal's text
    listing = await say(app, private_message("线索", user_id=PROPOSER))
    assert "（已有委员据此提出提案）" in listing
    assert "已被委员采用为提案" in (await client.get("/tips")).text


async def test_an_unknown_tip_is_named_and_the_proposal_registered(
    app: App, services: Services, data: PublicData
) -> None:
    await services.public.tip("198.51.100.9", TIP, [])  # pending: not yet a reference
    reply = await say(
        app, group_message(POST + "线索：L1", user_id=PROPOSER, group_id=MEMBER_GROUP)
    )
    assert "没有找到已审核的群众提案线索L1，未关联" in reply
    assert "关于缓解城关一小周边交通拥堵的建议" in reply
    [tip] = await tips(services)
    assert tip.taken_record_id is None
