"""履职报告, 导出 履职, 导出 报告 through the NoneBot pipeline (who may, where, bad input; the
.docx queued through the outbox as a file part and read back), and the practice figures in
统计 and 履职 统计. The year: tests/practice_data.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from docx import Document

from tests.practice_data import PUBLIC_TITLE, ZHANG_POINTS, PracticeYear, practice_year
from tests.utils import (
    MEMBER,
    STAFF,
    STAFF_GROUP,
    group_message,
    outbox_rows,
    private_message,
    say,
)
from tests.workflow_utils import EDU_CONTACT, PROPOSER, requester

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.models import OutboxMessage, Unit
    from bot.core.services import Services


@pytest.fixture
async def practice(services: Services, units: dict[str, Unit]) -> PracticeYear:
    staff = await requester(services, str(STAFF), f"group:{STAFF_GROUP}")
    edu = await requester(services, EDU_CONTACT)
    return await practice_year(services, staff, edu, await requester(services, PROPOSER))


def document_text(row: OutboxMessage) -> str:
    [part] = row.parts
    assert part["type"] == "file"
    assert part["name"] == Path(part["path"]).name
    assert str(part["path"]) in part["fallback"]
    return "\n".join(p.text for p in Document(part["path"]).paragraphs)


async def test_member_gets_the_duty_report_privately(
    app: App, services: Services, practice: PracticeYear
) -> None:
    reply = await say(app, private_message("履职报告 2026", user_id=MEMBER))
    assert reply.startswith("张三（农业界） 2026年度履职报告\n【提案 2 件】")
    assert f"【履职积分 {ZHANG_POINTS} 分】" in reply
    assert "Word 文件（可打印）随后私聊发给您：张三-2026年度履职报告-" in reply
    [row] = await outbox_rows(services, purpose="duty_report")
    assert (row.target_type, row.target_id) == ("private", str(MEMBER))
    text = document_text(row)
    assert text.startswith("张三（农业界） 2026年度履职报告")
    assert f"提案第1号《{PUBLIC_TITLE}》（重点提案、优秀提案）" in text
    assert row.parts[0]["fallback"].startswith("履职报告的 Word 文件未能通过 QQ 发送")


async def test_duty_report_refusals(app: App, services: Services, practice: PracticeYear) -> None:
    group = await say(app, group_message("履职报告", user_id=MEMBER))
    assert group == "“履职报告”请在私聊机器人使用。"
    odd = await say(app, private_message("履职报告 很多", user_id=MEMBER))
    assert odd == "看不懂“很多”。用法：履职报告 [年份]，例如：履职报告 2026"
    staff = await say(app, private_message("履职报告", user_id=STAFF))
    assert staff == "履职报告只为委员生成。机关工作人员导出全体委员的履职档案请用：导出 履职 2026"
    assert await outbox_rows(services, purpose="duty_report") == []


async def test_staff_export_every_members_record(
    app: App, services: Services, practice: PracticeYear
) -> None:
    event = group_message("导出 履职 2026", user_id=STAFF, group_id=STAFF_GROUP)
    reply = await say(app, event)
    assert reply.startswith("已生成2026年度委员履职档案（3 人），正在上传到本群文件：")
    [row] = await outbox_rows(services, purpose="export_duty")
    assert (row.target_type, row.target_id) == ("group", str(STAFF_GROUP))
    text = document_text(row)
    assert text.startswith("2026年度委员履职档案\n共 3 人")
    assert text.count("年度履职报告") == 3
    member = await say(app, private_message("导出 履职", user_id=MEMBER))
    assert member.startswith("“导出”仅限政协机关工作人员使用")
    odd = await say(app, private_message("导出 履职 全部", user_id=STAFF))
    assert odd == "看不懂“全部”。用法：导出 履职 [年份]，例如：导出 履职 2026"


async def test_staff_export_the_annual_report_draft(
    app: App, services: Services, practice: PracticeYear
) -> None:
    reply = await say(app, private_message("导出 报告 2026", user_id=STAFF))
    assert reply.startswith("已生成2026年度提案工作情况报告（草稿，数字与“统计 2026”一致")
    assert "正在私聊发给您：2026年度提案工作情况报告草稿-" in reply
    [row] = await outbox_rows(services, purpose="export_report")
    assert (row.target_type, row.target_id) == ("private", str(STAFF))
    text = document_text(row)
    assert "一、提案提交和立案情况" in text
    assert "共收到委员提案 2 件" in text
    assert "办理协商：2 件次答复中，答复前与提案人沟通的 1 件次（50.0%）" in text
    odd = await say(app, private_message("导出 报告 明年", user_id=STAFF))
    assert odd == "看不懂“明年”。用法：导出 报告 [年份]，例如：导出 报告 2026"
    group = await say(app, group_message("导出 报告", user_id=STAFF))
    assert group == "“导出”请在私聊机器人、机关群使用。"


async def test_stats_and_duty_table_show_the_practice(
    app: App, services: Services, practice: PracticeYear, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = await say(app, private_message("统计 2026", user_id=STAFF))
    assert "· 办理协商：答复 2 件次，答复前记录了与提案人沟通的 1 件次（50.0%）" in full
    public = await say(app, private_message("统计 2026", user_id=MEMBER))
    assert "办理协商" not in public
    monkeypatch.setattr(services, "config", replace(services.config, duty_minimum_points=10))
    table = await say(app, group_message("履职 统计", user_id=STAFF, group_id=STAFF_GROUP))
    assert "【需关注】（不在委员群公布）" in table
    assert "· 没有提案（第一提案人）2 人：李四、赵六" in table
    assert "· 积分低于本会最低要求 10 分的 2 人：赵六（2 分）、李四（3 分）" in table
