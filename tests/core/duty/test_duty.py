"""Duty points (履职积分) of the hand-counted year: the default table, item by item."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.duty.table import DutyTableError, Source, load_table, parse_table
from bot.core.errors import InvalidInput
from bot.core.people.members import MemberUpdate
from tests.stats_data import COSIGNER, OTHER, PROPOSER, handled_year

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def _people(services: Services) -> list:  # type: ignore[type-arg]
    for user_id, name in (
        (PROPOSER, "张三"),
        (COSIGNER, "李四"),
        (OTHER, "王五"),
        ("20099", "赵六"),
    ):
        await services.members.update(user_id, MemberUpdate(sector="农业界", name=name))
    return await services.members.list_members()


async def test_points_item_by_item(services: Services, clock: FakeClock) -> None:
    year = await handled_year(services, clock)
    people = await _people(services)
    rows = {p.user_id: p for p in await services.duty.members(people, 2026)}
    mine = rows[PROPOSER]
    got = {name: (e.count, e.points) for name, e in mine.items.items()}
    assert got == {
        "提交提案": (5, 50),  # P1 P2 P3 P4 P8; P5 withdrawn, 2025's not this year
        "提案立案": (5, 75),  # merged P4 included
        "提交社情民意信息": (5, 50),  # O7 withdrawn
        "社情民意信息被采用": (4, 20),
        "社情民意信息获批示": (2, 20),  # O1 and O2; O4 was 落实 after 报送 only
        "提交协商议题": (1, 2),
    }
    assert mine.total == 217
    numbers = sorted(year.proposals[k].number for k in ("P1", "P2", "P3", "P4", "P8"))
    assert mine.items["提交提案"].reasons == [f"提案第{n}号" for n in numbers]  # one-to-one
    assert rows[COSIGNER].total == 3  # 联名 P1
    assert rows[OTHER].total == 30  # P6 (rejected) 10, P7 10, O5 (not adopted) 10
    assert rows["20099"].total == 0
    assert rows["20099"].items == {}


async def test_staff_record_items_of_the_table(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    people = await _people(services)
    item = await services.duty.record([PROPOSER, OTHER], "视察调研", 2026, count=2, note="河道")
    assert (item.name, item.points) == ("参加视察调研活动", 5)
    rows = {p.user_id: p for p in await services.duty.members(people, 2026)}
    assert rows[PROPOSER].total == 217 + 10
    assert rows[OTHER].items["参加视察调研活动"].reasons == ["机关登记 ×2（河道）"]
    with pytest.raises(InvalidInput, match="可登记的项目：参加全体会议（半天）、参加视察调研活动"):
        await services.duty.record([PROPOSER], "提交提案", 2026)
    with pytest.raises(InvalidInput, match="次数"):
        await services.duty.record([PROPOSER], "参加全体会议", 2026, count=0)


async def test_a_provider_counts_discussions(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.duty, "_providers", {})  # the session's services: undone after
    await handled_year(services, clock)
    people = await _people(services)

    async def discussions(year: int, user_ids: object) -> list[tuple[str, str]]:
        return [(COSIGNER, f"讨论组D1（{year}）")]

    services.duty.provide(Source.DISCUSSION, discussions)
    rows = {p.user_id: p for p in await services.duty.members(people, 2026)}
    assert rows[COSIGNER].items["参加临时讨论"].reasons == ["讨论组D1（2026）"]
    assert rows[COSIGNER].total == 3 + 1


def test_table_file_is_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    default = load_table(tmp_path)  # no county file: the bundled default
    assert default.by_source()[Source.PROPOSAL].points == 10
    assert default.by_source()[Source.PROPOSAL_ACCEPTED].points == 15
    (tmp_path / "duty_points.toml").write_text(
        '[[item]]\nname = "提交提案"\npoints = 12\nsource = "proposal"\n'
        '[[item]]\nname = "无故缺席会议"\npoints = -30\n',
        encoding="utf-8",
    )
    county = load_table(tmp_path)
    assert [(i.name, i.points, i.recorded) for i in county.items] == [
        ("提交提案", 12, False),
        ("无故缺席会议", -30, True),
    ]
    for text, message in (
        ('[[item]]\nname = "a"\npoints = "十"\n', "points 要写整数"),
        ('[[item]]\nname = "a"\npoints = 1\nsource = "mars"\n', "不认识的来源“mars”"),
        ('[[item]]\nname = "a"\npoints = 1\n[[item]]\nname = "a"\npoints = 2\n', "写了两次"),
        ("item = 3", "没有积分项目"),
        ("[[item]\n", "格式错误"),
    ):
        with pytest.raises(DutyTableError, match=message):
            parse_table(text)
