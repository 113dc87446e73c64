"""导出 through the NoneBot pipeline: staff only, in the staff group or privately; the file goes
through the outbox (an upload to the staff group, or privately to the asker)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from tests.utils import (
    MEMBER,
    STAFF,
    STAFF_GROUP,
    ReplyTo,
    group_message,
    outbox_rows,
    private_message,
    say,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services
    from tests.stats_data import Year


async def test_export_in_the_staff_group(app: App, services: Services, year: Year) -> None:
    event = group_message("导出 2026", user_id=STAFF, group_id=STAFF_GROUP)
    reply = await say(app, event, ReplyTo(event, starts_with="已生成导出文件（2026年：提案 8 件"))
    assert "正在上传到本群文件" in reply
    [row] = await outbox_rows(services, purpose="export")
    assert (row.target_type, row.target_id) == ("group", str(STAFF_GROUP))
    [part] = row.parts
    assert part["type"] == "file"
    assert part["fallback"].startswith("导出文件未能通过 QQ 发送")
    assert str(part["path"]) in part["fallback"]
    book = load_workbook(Path(part["path"]))
    assert book["提案办理情况汇总"].max_row == 9
    assert part["name"] == Path(part["path"]).name


async def test_export_privately_and_refusals(app: App, services: Services, year: Year) -> None:
    reply = await say(app, private_message("导出", user_id=STAFF))
    assert "正在私聊发给您" in reply
    [row] = await outbox_rows(services, purpose="export")
    assert (row.target_type, row.target_id) == ("private", str(STAFF))
    member = await say(app, private_message("导出", user_id=MEMBER))
    assert member.startswith("“导出”仅限政协机关工作人员使用")
    group = await say(app, group_message("导出", user_id=STAFF))
    assert group == "“导出”请在私聊机器人、机关群使用。"
    odd = await say(app, private_message("导出 全部", user_id=STAFF))
    assert odd == (
        "看不懂“全部”。用法：导出 [年份]，例如：导出 2026；"
        "Word 文件：导出 履职 [年份]、导出 报告 [年份]"
    )
    assert len(await outbox_rows(services, purpose="export")) == 1
