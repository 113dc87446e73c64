"""履职 through the NoneBot pipeline: privately to the member only, the staff table, 登记."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.utils import (
    MEMBER,
    STAFF,
    STAFF_GROUP,
    at,
    group_message,
    outbox_rows,
    private_message,
    say,
    text,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services
    from tests.stats_data import Year


async def test_member_sees_own_points_privately(app: App, services: Services, year: Year) -> None:
    reply = await say(app, private_message("履职", user_id=MEMBER))
    lines = reply.splitlines()
    assert lines[0] == "张三 · 2026年履职积分：共 217 分"
    assert lines[1].startswith("· 提交提案 5 件 × 10 分 = 50 分：提案第")
    assert "· 提交协商议题 1 件 × 2 分 = 2 分：议题第" in reply
    assert (await say(app, private_message("履职 2025", user_id=MEMBER))).startswith(
        "张三 · 2025年履职积分：共 25 分"  # 2025's proposal, concluded: 10 + 15
    )
    assert await outbox_rows(services) == []  # a direct answer, nothing queued for groups


async def test_never_in_a_members_group(app: App, year: Year) -> None:
    reply = await say(app, group_message("履职", user_id=MEMBER))
    assert reply == "履职积分只私聊告诉本人：请私聊机器人发送“履职”。"
    table = await say(app, group_message("履职 统计", user_id=STAFF))
    assert table.startswith("“履职 统计”仅限机关工作人员在机关群或私聊使用")
    member_asks = await say(app, private_message("履职 统计", user_id=MEMBER))
    assert member_asks.startswith("“履职 统计”仅限机关工作人员")


async def test_staff_table_and_recording(app: App, year: Year) -> None:
    event = group_message(
        text("履职 登记 ") + at(MEMBER) + text(" 视察调研 2 河道治理"),
        user_id=STAFF,
        group_id=STAFF_GROUP,
    )
    recorded = await say(app, event)
    assert recorded == "已登记：张三 参加视察调研活动 2 次，每次 5 分（2026年）。"
    table = await say(app, group_message("履职 统计 农业界", user_id=STAFF, group_id=STAFF_GROUP))
    lines = table.splitlines()
    assert lines[0].startswith("2026年委员履职积分（农业界），1 人")
    assert lines[1].startswith("· 张三：227 分（提交提案 50、提案立案 75、")
    mine = await say(app, private_message("履职", user_id=MEMBER))
    assert "· 参加视察调研活动 2 次 × 5 分 = 10 分：机关登记 ×2（河道治理）" in mine


async def test_point_table_and_bad_input(app: App, year: Year) -> None:
    table = await say(app, private_message("履职 积分表", user_id=MEMBER))
    assert "· 提交提案：10 分（自动计分）" in table
    assert "· 参加全体会议（半天）：5 分（机关工作人员登记）" in table
    odd = await say(app, private_message("履职 很多", user_id=MEMBER))
    assert odd.startswith("看不懂“很多”。用法：履职 [年份]")
    nobody = await say(app, private_message("履职 登记 视察调研", user_id=STAFF))
    assert nobody == "请 @ 委员并写项目名称。用法：履职 登记 @委员 项目名称 [次数] [说明]"
    sector = await say(app, private_message("履职 统计 火星界", user_id=STAFF))
    assert sector.startswith("没有“火星界”这个界别。")
