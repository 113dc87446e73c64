"""统计 through the NoneBot pipeline: staff get every figure and the tables, members the short
public version; the figures are the hand-counted year's (tests/stats_data.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.utils import MEMBER, STAFF, STAFF_GROUP, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from tests.stats_data import Year


async def test_staff_gets_every_figure_privately(app: App, year: Year) -> None:
    text = await say(app, private_message("统计 2026", user_id=STAFF))
    assert text.startswith("2026年提案和社情民意信息办理统计")
    for figure in (
        "收到提案 7 件（不含撤回 1 件）：立案 5 件（含并案 1 件），立案率 71.4%（5/7）",
        "不予立案 1 件，待审查 1 件",
        "交办 4 件：已答复 3 件，办复率 75.0%（3/4）；按期答复 1 件，按期答复率 33.3%（1/3）",
        "已办结 1 件，办结率 25.0%（1/4）；当前逾期未答复 1 件；重新办理 1 件",
        "A类 2 件（66.7%）、B类 1 件（33.3%）、C类 0 件（0.0%）",
        "满意率 100.0%（2/2），其中满意 2 件（100.0%）",
        "初次满意率 50.0%（1/2）",
        "平均答复用时 11.5 个工作日",
        "社情民意信息 6 件：采用 4 件，采用率 66.7%（4/6）；报送 3 件，获批示 2 件，已落实 1 件",
    ):
        assert figure in text


async def test_units_table_in_the_staff_group(app: App, year: Year) -> None:
    text = await say(app, group_message("统计 单位", user_id=STAFF, group_id=STAFF_GROUP))
    lines = text.splitlines()
    assert lines[0] == "2026年承办单位办理情况（主办）"
    assert lines[2:5] == [
        "· 县教育局：3｜2/1｜0｜1/1/1｜50.0%（1/2）｜12.3",
        "· 县住建局：1｜0/0｜1｜0/0/0｜—（0/0）｜—",
        "· 县财政局：1｜0/1｜0｜1/0/0｜100.0%（1/1）｜9.0",
    ]


async def test_one_unit_sector_or_category(app: App, year: Year) -> None:
    finance = await say(app, private_message("统计 单位 县财政局", user_id=STAFF))
    assert finance.startswith("2026年提案办理统计（单位：县财政局）")
    assert "交办 2 件：已答复 2 件" in finance  # P1 (会办) and P2
    assert "社情民意" not in finance
    sector = await say(app, private_message("统计 界别 经济", user_id=STAFF))
    assert "（界别：经济界）" in sector
    assert "当前逾期未答复 1 件" in sector
    category = await say(app, private_message("统计 类别 社会建设", user_id=STAFF))
    assert "收到提案 3 件" in category
    table = await say(app, private_message("统计 界别", user_id=STAFF))
    assert "· 农业界：6｜4｜3｜100.0%｜33.3%｜100.0%｜0" in table


async def test_members_get_the_public_version(app: App, year: Year) -> None:
    text = await say(app, group_message("统计", user_id=MEMBER))
    assert text.splitlines()[0] == "2026年提案办理情况"
    assert "立案 5 件（立案率 71.4%）" in text
    assert "满意率 100.0%（评价 2 件）" in text
    for hidden in ("县教育局", "逾期", "私聊"):
        assert hidden not in text
    # staff in a members' group: the public version too
    assert (await say(app, group_message("统计", user_id=STAFF))) == text
    refusal = await say(app, private_message("统计 单位", user_id=MEMBER))
    assert refusal.startswith("分项统计（界别、单位、类别）由机关工作人员在机关群或私聊查看")


async def test_bad_input_says_what_to_type(app: App, year: Year) -> None:
    unknown = await say(app, private_message("统计 明年的", user_id=STAFF))
    assert unknown.startswith("看不懂“明年的”。用法：统计 [年份]")
    sector = await say(app, private_message("统计 界别 火星界", user_id=STAFF))
    assert sector.startswith("没有“火星界”这个界别。可用的界别：")
    category = await say(app, private_message("统计 类别 天文", user_id=STAFF))
    assert category.startswith("没有“天文”这个类别。可用的类别：")
    unit = await say(app, private_message("统计 单位 县火星局", user_id=STAFF))
    assert unit.startswith("没有“县火星局”这个单位")
    far = await say(app, private_message("统计 2099", user_id=STAFF))
    assert far == "年份“2099”不对。例如：统计 2026"
    empty = await say(app, private_message("统计 2020 单位", user_id=STAFF))
    assert empty == "2020年还没有交办给承办单位的提案。"


async def test_help_states_the_definitions(app: App, year: Year) -> None:
    text = await say(app, private_message("帮助 统计", user_id=STAFF))
    for definition in ("立案率 = 立案 ÷ 收到", "办复率 = 已答复 ÷ 交办", "初次满意率"):
        assert definition in text
