"""Shared by the intake tests: realistic posts, roster helpers, outbox inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.intake.results import Source
from bot.core.intake.segments import MentionSeg, Segment, TextSeg
from bot.core.people.members import MemberUpdate
from tests.utils import GROUP_ID, STAFF_GROUP_ID, outbox_rows, outbox_text

if TYPE_CHECKING:
    from bot.core.models import Record
    from bot.core.people.identity import Identity
    from bot.core.services import Services

__all__ = ["outbox_rows", "outbox_text"]  # (kept importable from here for the intake tests)

SEWAGE_TITLE = "关于加快推进农村生活污水治理的建议"
SEWAGE = (
    "我县农村生活污水处理设施覆盖率低，部分乡镇污水管网建设滞后，生活污水直排河道现象仍然"
    "存在，影响农村人居环境和群众身体健康。已建成的处理站点因缺少运维经费，部分设施闲置。"
    "建议：一是加大财政投入，统筹整合涉农资金，分年度推进污水管网和处理设施建设；二是建立"
    "长效运维机制，明确乡镇和村级管护责任，将运维经费纳入财政预算。"
)
SEWAGE_REWORDED_TITLE = "关于农村生活污水处理设施运维管护的建议"
SEWAGE_REWORDED = (
    "目前全县已建成农村污水处理站点百余座，但不少站点建成后无人管护，设备损坏后长期停运，"
    "污水未经处理直接排放，群众意见较大。原因在于运维资金没有保障，乡镇缺少专业技术人员。"
    "建议将农村污水处理设施运维经费列入县级财政预算，委托第三方专业公司统一运维，并建立考核机制。"
)
LIFT_TITLE = "关于推进老旧小区加装电梯的建议"
LIFT = (
    "城区老旧小区大多建于上世纪九十年代，没有电梯，老年人上下楼困难。加装电梯涉及低层住户利益，"
    "协调难度大，审批流程繁琐，资金筹措难。建议出台加装电梯补贴办法，简化审批流程，由街道和社区"
    "牵头协调住户意见。"
)
FOOD_TITLE = "关于加强校园食品安全监管的建议"
FOOD = (
    "近年来，我县中小学食堂和校园周边小卖部食品安全问题时有发生，部分学校食堂从业人员健康证"
    "过期，食材采购索证索票不规范。建议：一是市场监管部门加大对学校食堂的日常检查频次；二是推行"
    "明厨亮灶，实行食材统一配送；三是落实校领导陪餐制度。"
)
VAGUE_TITLE = "关于重视城区停车难问题的提案"
VAGUE = (
    "城区停车位严重不足，早晚高峰车辆乱停乱放，群众反映强烈，这个问题一直没有得到解决，影响很大。"
)


def post(title: str, body: str, tag: str = "#提案", *extra: Segment) -> list[Segment]:
    return [TextSeg(f"{tag} {title}\n{body}"), *extra]


def cosign_line(*people: tuple[str, str]) -> list[Segment]:
    """`联名：@甲 @乙` as segments (user id, name)."""
    segs: list[Segment] = [TextSeg("\n联名：")]
    for user_id, name in people:
        segs += [MentionSeg(user_id, name), TextSeg(" ")]
    return segs


async def register(
    services: Services, user_id: str, name: str, sector: str | None = "农业界"
) -> Identity:
    await services.members.update(user_id, MemberUpdate(sector=sector, name=name))
    return await services.members.identify(user_id, name)


_message_ids = iter(range(70_000, 80_000))
# the core intake tests speak of groups by their id strings, as the services do
GROUP = GROUP_ID
STAFF_GROUP = STAFF_GROUP_ID


def group_source() -> Source:
    """Where a post in the members' group comes from (a fresh message id each time)."""
    return Source.group(GROUP, str(next(_message_ids)))


async def submit(
    services: Services,
    identity: Identity,
    title: str,
    body: str,
    tag: str = "#提案",
    *,
    private: bool = False,
    group_id: int | str = GROUP,
) -> Record:
    """A record posted through the service (as the intake matcher would)."""
    message_id = str(next(_message_ids))
    source = Source.private(message_id) if private else Source.group(str(group_id), message_id)
    result = await services.intake.submit(post(title, body, tag), identity=identity, source=source)
    return result.record
