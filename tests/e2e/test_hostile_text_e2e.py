"""Hostile text through the real process (issue 17 items 8, 15): a lone surrogate sent as
JSON `"\\ud800"`, a U+2028 line separator, a zero-width space before a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from bot.devtools.onebot_sim import OneBotSimulator

GROUP = 559001
ZHANG = 20001
TITLE = "关于加快推进农村生活污水治理的建议"
BODY = (
    "我县农村生活污水处理设施覆盖率低，部分乡镇污水管网建设滞后。"
    "建议：一是加大财政投入；二是建立长效运维机制。"
)


async def test_hostile_text_is_cleaned_at_the_edge(sim: OneBotSimulator) -> None:
    sim.add_group(GROUP, "县政协全体委员")
    sim.add_member(GROUP, ZHANG, card="农业界-张三")
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=15)

    post_id = await sim.post_group_message(GROUP, ZHANG, f"#提案 {TITLE}\ud800\u2028{BODY}")
    confirmation = await sim.wait_for_sent(lambda m: m.reply_id == post_id, timeout=30)
    assert confirmation.text.startswith(f"已登记：提案第1号《{TITLE}\ufffd》")

    search_id = await sim.post_group_message(GROUP, ZHANG, "搜索 污水\ud800")
    found = await sim.wait_for_sent(lambda m: m.reply_id == search_id, timeout=15)
    assert found.text.startswith("没有找到含“污水\ufffd”")

    query_id = await sim.post_group_message(GROUP, ZHANG, "\u200b查提案 1")
    shown = await sim.wait_for_sent(lambda m: m.reply_id == query_id, timeout=15)
    assert shown.text.startswith(f"提案第1号《{TITLE}\ufffd》")
    assert f"内容：{BODY}" in shown.text
    assert not [m for m in sim.sent if "出错" in m.text]
