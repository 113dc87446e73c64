"""Members: group cards, registration from a card, updates, staff, identities and roles."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput, NotFound
from bot.core.models import Member
from bot.core.people.identity import Role
from bot.core.people.members import CardInfo, MemberUpdate, parse_card

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("农业界-张三", CardInfo("张三", "农业界")),
        ("张三（农业界）", CardInfo("张三", "农业界")),
        ("张三(民革)", CardInfo("张三", "中国国民党革命委员会")),
        ("张三", CardInfo("张三", None)),
        ("教育界 李四", CardInfo("李四", "教育界")),
        ("教育界　李四", CardInfo("李四", "教育界")),  # full-width space
        ("农业界—张三", CardInfo("张三", "农业界")),
        ("农业界｜张三", CardInfo("张三", "农业界")),
        ("农业界_张三", CardInfo("张三", "农业界")),
        ("【农业界】张三", CardInfo("张三", "农业界")),
        ("农业界张三", CardInfo("张三", "农业界")),
        ("张三（农业界 常委）", CardInfo("张三", "农业界")),
        ("常委-张三-农业界", CardInfo("张三", "农业界")),
        ("民进 王五", CardInfo("王五", "中国民主促进会")),
        ("医卫界-赵六", CardInfo("赵六", "医药卫生界")),
        ("农业-张三", CardInfo("张三", "农业界")),  # alias without 界
        # nicknames with emoji and decorations
        ("🌾张三🌾", CardInfo("张三", None)),
        ("✌️张三", CardInfo("张三", None)),
        ("农业界-张三🌸", CardInfo("张三", "农业界")),
        ("张三🌸（农业界）", CardInfo("张三", "农业界")),
        ("张三 ✨ 农业界", CardInfo("张三", "农业界")),
        ("👨‍👩‍👧张三", CardInfo("张三", None)),  # zero-width joiner sequence
        ("~张三~", CardInfo("张三", None)),
        # minority names keep their middle dot; a dot next to a sector still separates
        ("买买提·艾力", CardInfo("买买提·艾力", None)),
        ("农业界·张三", CardInfo("张三", "农业界")),
        ("少数民族界-买买提·艾力", CardInfo("买买提·艾力", "少数民族界")),
        # nothing usable
        ("🌸🌸", CardInfo("", None)),
        ("", CardInfo("", None)),
        ("   ", CardInfo("", None)),
        ("农业界", CardInfo("", "农业界")),
        # a name that merely contains an alias is not a sector
        ("李九三", CardInfo("李九三", None)),
        # staff and unit contacts: the organisation is not the name (issue 9 item 7)
        ("机关-陈干事", CardInfo("陈干事", None)),
        ("县教育局-刘明", CardInfo("刘明", None)),
        ("刘明（县教育局）", CardInfo("刘明", None)),
        ("县人民医院 王芳", CardInfo("王芳", None)),
        ("政协办公室-王五", CardInfo("王五", None)),
        ("县财政局｜张局", CardInfo("张局", None)),
        ("李文科", CardInfo("李文科", None)),  # a given name ending like 科室
        ("县教育局", CardInfo("县教育局", None)),  # nothing else on the card
    ],
)
def test_parse_card(card: str, expected: CardInfo, services: Services) -> None:
    assert parse_card(card, services.sectors) == expected


def test_parse_card_limits_the_name(services: Services) -> None:
    assert len(parse_card("张" * 100, services.sectors).name) == 64


async def test_register_new_sender_from_card(services: Services, clock: FakeClock) -> None:
    member, created = await services.members.register_from_card("20001", "农业界-张三🌾", "阿三")
    assert created
    assert (member.name, member.sector, member.source) == ("张三", "农业界", "group_card")
    assert member.is_member
    assert member.active
    assert not member.is_staff
    assert member.created_at == clock.now()
    stored = await services.members.get("20001")
    assert stored is not None
    assert stored.name == "张三"


async def test_register_falls_back_to_nickname_then_id(services: Services) -> None:
    by_nick, _ = await services.members.register_from_card("20001", "", "教育界-李四")
    assert (by_nick.name, by_nick.sector) == ("李四", "教育界")
    emoji_card, _ = await services.members.register_from_card("20002", "🌸🌸", "王五")
    assert emoji_card.name == "王五"
    nothing, _ = await services.members.register_from_card("20003", "", "")
    assert nothing.name == "20003"


async def test_sector_group_teaches_the_sector(services: Services) -> None:
    member, created = await services.members.register_from_card(
        "20001", "张三", sector_hint="教育界"
    )
    assert created
    assert member.sector == "教育界"
    # the group's sector wins over what the card says
    other, _ = await services.members.register_from_card(
        "20002", "农业界-李四", sector_hint="教育界"
    )
    assert other.sector == "教育界"


async def test_existing_member_keeps_their_data(services: Services, clock: FakeClock) -> None:
    await services.members.update("20001", MemberUpdate(sector="农业界", title="常委", name="张三"))
    before = await services.members.get("20001")
    assert before is not None
    clock.advance(timedelta(minutes=5))
    _member, created = await services.members.register_from_card(
        "20001", "教育界-张老三", sector_hint="教育界"
    )
    assert not created
    after = await services.members.get("20001")
    assert after is not None
    assert (after.name, after.sector, after.title) == ("张三", "农业界", "常委")
    assert after.updated_at == before.updated_at


async def test_existing_member_without_sector_learns_it(services: Services) -> None:
    await services.members.register_from_card("20001", "张三")
    member, created = await services.members.register_from_card(
        "20001", "张三", sector_hint="农业界"
    )
    assert not created
    assert member.sector == "农业界"
    assert (await services.members.get("20001")).sector == "农业界"  # type: ignore[union-attr]


async def test_staff_only_person_is_not_made_a_member(services: Services) -> None:
    await services.members.set_staff("30001", True, display_name="王秘书")
    member, created = await services.members.register_from_card(
        "30001", "农业界-王秘书", sector_hint="农业界"
    )
    assert not created
    assert not member.is_member
    assert member.sector is None


async def test_concurrent_first_messages_register_once(services: Services) -> None:
    results = await asyncio.gather(
        *(services.members.register_from_card("20001", "农业界-张三") for _ in range(5))
    )
    assert sum(created for _, created in results) == 1
    assert {member.id for member, _ in results} == {results[0][0].id}
    assert len(await services.members.list_members()) == 1


async def test_update_creates_and_changes(services: Services) -> None:
    member = await services.members.update(
        "20001", MemberUpdate(sector="农业"), display_name="农业界-张三🌸"
    )
    assert (member.name, member.sector, member.source) == ("张三", "农业界", "command")
    member = await services.members.update("20001", MemberUpdate(title="常委", committee="提案委"))
    assert (member.sector, member.title, member.committee) == ("农业界", "常委", "提案委")


async def test_update_rejects_unknown_sector(services: Services) -> None:
    await services.members.update("20001", MemberUpdate(sector="农业界"), display_name="张三")
    with pytest.raises(InvalidInput) as info:
        await services.members.update("20001", MemberUpdate(sector="火星界"))
    assert "没有“火星界”这个界别" in str(info.value)
    assert "农业界" in str(info.value)
    assert (await services.members.get("20001")).sector == "农业界"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        await services.members.update("20002", MemberUpdate(sector="火星界"))
    assert await services.members.get("20002") is None


async def test_set_and_remove_staff(services: Services) -> None:
    staff = await services.members.set_staff("30001", True, display_name="王秘书🌟")
    assert staff.is_staff
    assert not staff.is_member
    assert staff.name == "王秘书"
    assert [m.user_id for m in await services.members.list_staff()] == ["30001"]
    assert await services.members.list_members() == []
    removed = await services.members.set_staff("30001", False)
    assert not removed.is_staff
    assert await services.members.list_staff() == []


async def test_removing_someone_who_is_not_staff(services: Services) -> None:
    with pytest.raises(NotFound, match="不是机关工作人员"):
        await services.members.set_staff("30009", False, display_name="路人")
    assert await services.members.get("30009") is None
    await services.members.register_from_card("20001", "农业界-张三")
    with pytest.raises(NotFound, match="张三 不是机关工作人员"):
        await services.members.set_staff("20001", False)
    member = await services.members.get("20001")
    assert member is not None
    assert member.is_member
    assert not member.is_staff


async def test_list_members_by_sector(services: Services) -> None:
    await services.members.register_from_card("20001", "农业界-张三")
    await services.members.register_from_card("20002", "教育界-李四")
    await services.members.register_from_card("20003", "王五")
    assert [m.name for m in await services.members.list_members("农业界")] == ["张三"]
    assert len(await services.members.list_members()) == 3


async def test_identify_roles(services: Services) -> None:
    from tests.utils import SUPERUSER

    await services.members.register_from_card("20001", "农业界-张三")
    await services.members.set_staff("30001", True, display_name="王秘书")
    unit, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "刘联络")

    guest = await services.members.identify("29999", "路人")
    member = await services.members.identify("20001")
    staff = await services.members.identify("30001")
    contact = await services.members.identify("40001")
    boss = await services.members.identify(SUPERUSER)

    assert guest.roles() == []
    assert guest.name == "路人"
    assert guest.has(Role.ANYONE)
    assert not guest.has(Role.MEMBER)
    assert member.roles() == [Role.MEMBER]
    assert member.name == "张三"
    assert member.has(Role.MEMBER)
    assert not member.has(Role.STAFF)
    assert staff.roles() == [Role.STAFF]
    assert staff.has(Role.MEMBER)
    assert staff.has(Role.UNIT_CONTACT)
    assert staff.has(Role.STAFF)
    assert not staff.has(Role.SUPERUSER)
    assert contact.roles() == [Role.UNIT_CONTACT]
    assert contact.has(Role.UNIT_CONTACT)
    assert not contact.has(Role.MEMBER)
    assert boss.has(Role.SUPERUSER)
    assert boss.has(Role.STAFF)
    assert boss.has(Role.MEMBER)


async def test_inactive_member_has_no_member_role(services: Services) -> None:
    member, _ = await services.members.register_from_card("20001", "农业界-张三")
    async with services.db.session() as session:
        stored = await session.get(Member, member.id)
        assert stored is not None
        stored.active = False
        session.add(stored)
        await session.commit()
    identity = await services.members.identify("20001")
    assert not identity.has(Role.MEMBER)
    assert await services.members.list_members() == []
