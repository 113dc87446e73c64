"""`make demo`: the real bot plays the whole day over the simulator; every step got the reply
it expects, the transcript holds each of those replies, and the export was written."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from bot.devtools.demo import play
from bot.devtools.demo.transcript import Transcript

#: What each part of the day must have shown (a fragment of the reply or notice).
DAY = (
    "导入完成：新增 5 人",
    "已将本群设为界别群（农业界）",
    "已登记：提案第1号",
    "已登记：提案第2号",
    "私聊提交的内容不会发到群里",
    "已登记：社情民意信息第1号",
    "已附议提案第1号",
    "与第1号《关于加快推进农村生活污水治理的建议》（张三）相似",
    "立案：3件，完成3件",
    "并入提案第1号",
    "已交办提案第1号",
    "【办理协商】",
    "A类（已解决或基本解决）",
    "已记录您对提案第1号的评价：满意",
    "已建立临时讨论组D1",
    "【讨论小结】D1",
    "讨论D1已转为提案",
    "已确认联名提案第5号",
    "日报",
    "立案率",
    "已生成导出文件",
)


def sheets(path: Path) -> list[str]:
    assert path.suffix == ".xlsx"
    return list(load_workbook(path, read_only=True).sheetnames)


async def test_the_demo_plays_the_day(tmp_path: Path) -> None:
    result = await play(tmp_path / "demo", Transcript())
    text = result.transcript.text()
    replies = "\n".join(step.reply for step in result.steps)
    missing = [fragment for fragment in DAY if fragment not in replies]
    assert not missing, f"steps without their reply: {missing}"
    for step in result.steps:
        assert step.expect in step.reply, step.label
        for line in step.reply.splitlines():
            assert line.strip() in text, f"{step.label}: {line!r} not in the transcript"
    if result.faked_clock:  # the next morning's reminder needs the clock moved on
        assert "【办理提醒】县教育局：提案第2号" in text
    assert "\033[" not in text  # no colours when the output is not a terminal
    assert "提案办理情况汇总" in sheets(Path(result.export_path))
    assert result.board_url.startswith("http://127.0.0.1:")
