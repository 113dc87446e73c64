"""Discussion test data: four members in the whole-body group, and shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message

from bot.core.discussions.rooms import Draft
from bot.core.models import ChannelKind
from tests.intake_helpers import register
from tests.utils import GROUP_ID, SUPERUSER, at, text

if TYPE_CHECKING:
    from bot.core.discussions.common import Room
    from bot.core.people.identity import Identity
    from bot.core.services import Services

ZHANG, LI, WANG, ZHAO = "20001", "20002", "20003", "20004"
NAMES = {ZHANG: "张三", LI: "李四", WANG: "王五", ZHAO: "赵六"}
STAFF_ID = "30001"
TOPIC = "农村污水治理"


async def four_members(services: Services) -> dict[str, Identity]:
    """The members' group bound, four members and a staff member on the roster."""
    await services.channels.bind(GROUP_ID, ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    people = {uid: await register(services, uid, name) for uid, name in NAMES.items()}
    await services.members.set_staff(STAFF_ID, True, display_name="王秘书")
    people[STAFF_ID] = await services.members.identify(STAFF_ID, "王秘书")
    return people


async def open_room(
    services: Services,
    creator: Identity,
    *invitees: str,
    topic: str = TOPIC,
    group_id: str | None = GROUP_ID,
) -> Room:
    draft = Draft(topic, list(invitees))
    return await services.discussions.rooms.create(creator, draft, origin_group_id=group_id)


def create_message(topic: str, *user_ids: str, tail: str = "") -> Message:
    """``#讨论 主题 @甲 @乙 [tail]`` as a group message."""
    message = Message(text(f"#讨论 {topic} "))
    for user_id in user_ids:
        message += at(user_id)
        message += text(" ")
    if tail:
        message += text(tail)
    return message
