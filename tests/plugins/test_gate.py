"""The gate: senders in members' groups are put on the roster; a sector group teaches the sector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind
from bot.core.people.members import MemberUpdate
from bot.nb.registry import registry
from tests.utils import GROUP, SELF_ID, SUPERUSER, expect_silence, group_message, make_bot, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def bind(services: Services, kind: ChannelKind, sector: str | None = None) -> None:
    await services.channels.bind(str(GROUP), kind, sector=sector, bound_by=SUPERUSER)


async def test_new_sender_in_sector_group_gets_its_sector(app: App, services: Services) -> None:
    await bind(services, ChannelKind.SECTOR, "农业界")
    await expect_silence(app, group_message("大家好", user_id=20001, card="张三🌾"))
    member = await services.members.get("20001")
    assert member is not None
    assert (member.name, member.sector, member.source) == ("张三", "农业界", "group_card")
    assert member.is_member


async def test_sector_group_beats_the_card(app: App, services: Services) -> None:
    await bind(services, ChannelKind.SECTOR, "农业界")
    await expect_silence(app, group_message("大家好", user_id=20001, card="教育界-张三"))
    member = await services.members.get("20001")
    assert member is not None
    assert member.sector == "农业界"


async def test_known_member_without_sector_learns_it(app: App, services: Services) -> None:
    await services.members.register_from_card("20001", "张三")
    await bind(services, ChannelKind.SECTOR, "教育界")
    await expect_silence(app, group_message("大家好", user_id=20001, card="张三"))
    member = await services.members.get("20001")
    assert member is not None
    assert member.sector == "教育界"


async def test_known_member_keeps_their_data(app: App, services: Services) -> None:
    await services.members.update("20001", MemberUpdate(sector="农业界", title="常委", name="张三"))
    await bind(services, ChannelKind.SECTOR, "教育界")
    await expect_silence(app, group_message("大家好", user_id=20001, card="教育界-张老三"))
    member = await services.members.get("20001")
    assert member is not None
    assert (member.name, member.sector, member.title) == ("张三", "农业界", "常委")


async def test_unknown_sender_in_whole_group_registered_from_card(
    app: App, services: Services
) -> None:
    await bind(services, ChannelKind.WHOLE)
    await expect_silence(app, group_message("我的天", user_id=20001, card="李四（教育界）"))
    await expect_silence(app, group_message("收到", user_id=20002, card="", nickname="王五😀"))
    first = await services.members.get("20001")
    second = await services.members.get("20002")
    assert first is not None
    assert (first.name, first.sector) == ("李四", "教育界")
    assert second is not None
    assert (second.name, second.sector) == ("王五", None)


async def test_guest_becomes_member_and_may_then_use_member_commands(
    app: App, services: Services
) -> None:
    """A guest's first words in a bound group register them before the command runs."""
    await bind(services, ChannelKind.WHOLE)
    assert await services.members.get("20001") is None
    event = group_message("帮助 不存在", user_id=20001, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "没有“不存在”的说明。可以查看的主题："
                + "、".join(t.name for t in registry.topics() if t.name != "帮助")
                + "。",
            ),
            result={"message_id": 1},
        )
    identity = await services.members.identify("20001")
    assert identity.is_member
    assert identity.name == "张三"


@pytest.mark.parametrize("kind", [ChannelKind.STAFF, ChannelKind.UNIT])
async def test_staff_and_unit_groups_register_nobody(
    app: App, services: Services, kind: ChannelKind
) -> None:
    await bind(services, kind)
    await expect_silence(app, group_message("大家好", user_id=20001, card="农业界-张三"))
    assert await services.members.get("20001") is None


async def test_unbound_group_registers_nobody(app: App, services: Services) -> None:
    await expect_silence(app, group_message("大家好", user_id=20001, card="农业界-张三"))
    assert await services.members.get("20001") is None


async def test_superuser_and_the_bot_are_not_registered(app: App, services: Services) -> None:
    await bind(services, ChannelKind.SECTOR, "农业界")
    await expect_silence(app, group_message("大家好", user_id=SUPERUSER, card="农业界-管理员"))
    await expect_silence(app, group_message("日报", user_id=SELF_ID, card="政协履职助手"))
    assert await services.members.get(SUPERUSER) is None
    assert await services.members.get(SELF_ID) is None


async def test_rebinding_to_a_sector_group_teaches_known_senders(
    app: App, services: Services
) -> None:
    await bind(services, ChannelKind.WHOLE)
    await expect_silence(app, group_message("大家好", user_id=20001, card="张三"))
    assert (await services.members.get("20001")).sector is None  # type: ignore[union-attr]
    await bind(services, ChannelKind.SECTOR, "农业界")
    await expect_silence(app, group_message("还是我", user_id=20001, card="张三"))
    assert (await services.members.get("20001")).sector == "农业界"  # type: ignore[union-attr]


async def test_registration_failure_does_not_drop_the_message(
    app: App, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bind(services, ChannelKind.WHOLE)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.members, "register_from_card", broken)
    event = group_message("本群", user_id=20001, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "本群是全体群。本群委员可以发 #提案、#社情民意、#议题，工作日每天 09:00 推送日报。",
            ),
            result={"message_id": 1},
        )
    monkeypatch.undo()
    # the next message tries again
    await expect_silence(app, group_message("大家好", user_id=20001, card="农业界-张三"))
    assert (await services.members.get("20001")) is not None


async def test_speaking_in_a_bound_group_remembers_the_route(app: App, services: Services) -> None:
    """The gate notes the group a member speaks in (a route for temporary sessions); not in an
    unbound group."""
    await bind(services, ChannelKind.WHOLE)
    await expect_silence(app, group_message("大家好", user_id=20001, card="张三"))
    await expect_silence(app, group_message("大家好", user_id=20002, group_id=GROUP + 1))
    assert services.contacts.knows("20001", str(GROUP))
    assert not services.contacts.knows("20002", str(GROUP + 1))
