"""履职报告 and 导出 报告 over the simulator against the real bot process: the member's record
as a reply and the .docx uploaded one-to-one; the annual report draft uploaded to the staff
group; both files open with python-docx and hold the figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document

from tests.e2e.conftest import SUPERUSER
from tests.e2e.test_stats_e2e import MEMBER_GROUP, PROPOSER, STAFF, STAFF_GROUP, TIMEOUT, sim
from tests.e2e.test_workflow_e2e import at, in_group, privately, text

if TYPE_CHECKING:
    from bot.devtools.onebot_sim import OneBotSimulator

__all__ = ["sim"]  # the fixture: the bot process and a connected simulator
TITLE = "关于加快推进农村生活污水治理的建议"


def paragraphs(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


async def test_duty_report_and_annual_report(sim: OneBotSimulator) -> None:
    await in_group(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, [text("管理员 添加 "), at(STAFF)])
    await in_group(sim, STAFF_GROUP, STAFF, "单位 添加 县教育局")
    posted = await in_group(
        sim,
        MEMBER_GROUP,
        PROPOSER,
        f"#提案 {TITLE}\n我县农村污水处理设施覆盖率低。\n建议：一是统筹规划。",
    )
    assert "第1号" in posted.text
    await in_group(sim, STAFF_GROUP, STAFF, "立案 1")
    await in_group(sim, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")
    await in_group(sim, STAFF_GROUP, STAFF, "答复 1 B 已列入明年计划")

    report = await privately(sim, PROPOSER, "履职报告")
    assert report.text.startswith("张三（农业界） ")
    assert f"· 提案第1号《{TITLE}》：已答复；县教育局答复B类" in report.text
    upload = await sim.wait_for_call("upload_private_file", timeout=TIMEOUT)
    assert upload.params["user_id"] == PROPOSER
    mine = Path(str(upload.params["file"]))
    assert "一、提案 1 件" in paragraphs(mine)

    draft = await in_group(sim, STAFF_GROUP, STAFF, "导出 报告")
    assert "正在上传到本群文件" in draft.text
    group_upload = await sim.wait_for_call("upload_group_file", timeout=TIMEOUT)
    assert group_upload.params["group_id"] == STAFF_GROUP
    office = Path(str(group_upload.params["file"]))
    body = paragraphs(office)
    assert "共收到委员提案 1 件" in body
    assert "B类 1 件（占 100.0%）" in body
    # the bot writes under its DATA_DIR (the repository's data/exports here): leave nothing
    for path in (mine, office):
        path.unlink()
