"""Roster files: import (.xlsx/.csv, UTF-8/GB18030), row errors, refusal, export round trip."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

import pytest
from openpyxl import Workbook, load_workbook

from bot.core.people.members import MemberUpdate
from bot.core.people.roster import RosterFileError, RowError, read_roster

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.models import Member
    from bot.core.services import Services

HEADER = ["姓名", "QQ", "界别", "职务", "专委会"]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


async def members_by_qq(services: Services) -> dict[str, Member]:
    return {m.user_id: m for m in await services.members.list_members()}


def snapshot(members: dict[str, Member]) -> dict[str, tuple[object, ...]]:
    return {
        qq: (m.name, m.sector, m.title, m.committee, m.is_member, m.active, m.updated_at)
        for qq, m in members.items()
    }


async def test_import_xlsx_with_extra_columns(services: Services, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [
            ["序号", "姓名", "性别", "QQ", "界别", "职务", "专委会", "备注"],
            [1, "张三", "男", 123456789, "农业界", "常委", "提案委", "x"],
            [2, "李四", "女", "234567890", "教育", None, None, None],
            [3, "王五", "男", 345678901.0, "", "", "", ""],
        ],
    )
    report = await services.roster.import_file(path)
    assert report.imported
    assert (report.created, report.updated) == (3, 0)
    assert report.skipped == []
    members = await members_by_qq(services)
    assert (members["123456789"].name, members["123456789"].sector) == ("张三", "农业界")
    assert (members["123456789"].title, members["123456789"].committee) == ("常委", "提案委")
    assert members["234567890"].sector == "教育界"  # alias resolved
    assert members["345678901"].sector is None
    assert all(m.source == "roster" and m.is_member for m in members.values())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
async def test_import_csv_encodings(services: Services, tmp_path: Path, encoding: str) -> None:
    path = write_csv(
        tmp_path / "名单.csv",
        [
            HEADER,
            ["张三", "123456789", "农业界", "常委", ""],
            ["欧阳娜娜", "234567890", "", "", ""],
        ],
        encoding=encoding,
    )
    report = await services.roster.import_file(path)
    assert report.imported
    assert report.created == 2
    members = await members_by_qq(services)
    assert members["123456789"].name == "张三"
    assert members["123456789"].title == "常委"
    assert members["234567890"].name == "欧阳娜娜"


def test_each_bad_row_is_reported_by_line(services: Services, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            ["张三", "123456789", "农业界", "", ""],  # line 2: fine
            ["", "223456789", "", "", ""],  # line 3: no name
            ["李四", "abc", "", "", ""],  # line 4: bad QQ
            ["王五", "", "", "", ""],  # line 5: no QQ
            ["赵六", "323456789", "火星界", "", ""],  # line 6: unknown sector
            ["", "", "", "", ""],  # line 7: blank, skipped silently
            ["孙七", "123456789", "", "", ""],  # line 8: duplicate of line 2
            ["周八", "423456789", "", "常" * 65, ""],  # line 9: title too long
        ],
    )
    read = read_roster(path, services.sectors)
    assert [e.line for e in read.errors] == [3, 4, 5, 6, 8, 9]
    messages = {e.line: str(e) for e in read.errors}
    assert messages[3] == "第3行：姓名为空"
    assert "QQ 号“abc”不正确" in messages[4]
    assert "QQ 号为空" in messages[5]
    assert "界别“火星界”不在界别表中" in messages[6]
    assert "与第2行重复" in messages[8]
    assert "职务过长" in messages[9]
    assert [r.line for r in read.rows] == [2]


async def test_file_with_errors_imports_nothing(services: Services, tmp_path: Path) -> None:
    await services.members.update(
        "123456789", MemberUpdate(sector="教育界", title="委员", name="张三")
    )
    before = snapshot(await members_by_qq(services))
    path = write_csv(
        tmp_path / "bad.csv",
        [HEADER, ["张老三", "123456789", "农业界", "常委", ""], ["李四", "12", "", "", ""]],
    )
    report = await services.roster.import_file(path)
    assert not report.imported
    assert report.skipped == [RowError(3, "QQ 号“12”不正确（应为5到12位数字）")]
    assert snapshot(await members_by_qq(services)) == before


async def test_skip_bad_imports_the_good_rows(services: Services, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [HEADER, ["张三", "123456789", "农业界", "", ""], ["李四", "12", "", "", ""]],
    )
    report = await services.roster.import_file(path, skip_bad=True)
    assert report.imported
    assert report.created == 1
    assert [e.line for e in report.skipped] == [3]
    assert list(await members_by_qq(services)) == ["123456789"]


async def test_import_updates_and_keeps_what_the_file_leaves_blank(
    services: Services, tmp_path: Path
) -> None:
    await services.members.register_from_card("123456789", "张三", sector_hint="农业界")
    await services.members.register_from_card("999999999", "不在名单里的人")
    path = write_csv(
        tmp_path / "update.csv",
        [["姓名", "QQ", "职务"], ["张三丰", "123456789", "常委"], ["李四", "234567890", ""]],
    )
    report = await services.roster.import_file(path)
    assert (report.created, report.updated) == (1, 1)
    members = await members_by_qq(services)
    zhang = members["123456789"]
    assert (zhang.name, zhang.sector, zhang.title) == ("张三丰", "农业界", "常委")
    assert members["999999999"].name == "不在名单里的人"  # people not in the file are untouched


async def test_header_below_a_title_row_and_padded(services: Services, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "titled.csv",
        [
            ["某某县政协第十届委员名单", "", ""],
            [],
            ["姓　名", " QQ号 ", "所属界别"],
            ["张　三", "１２３４５６７８９", "农业界"],
            ["李四", "234567890.0", ""],
        ],
    )
    read = read_roster(path, services.sectors)
    assert read.errors == []
    assert [(r.line, r.name, r.user_id, r.sector) for r in read.rows] == [
        (4, "张三", "123456789", "农业界"),
        (5, "李四", "234567890", None),
    ]


@pytest.mark.parametrize(
    ("name", "rows", "message"),
    [
        ("empty.csv", [], "文件是空的"),
        ("noqq.csv", [["姓名", "电话"], ["张三", "138"]], "表头缺少列：QQ"),
        ("roster.txt", [HEADER], "只支持 .xlsx 或 .csv"),
    ],
)
async def test_unreadable_files(
    services: Services, tmp_path: Path, name: str, rows: list[list[str]], message: str
) -> None:
    path = write_csv(tmp_path / name, rows)
    with pytest.raises(RosterFileError, match=message):
        await services.roster.import_file(path)
    assert await services.members.list_members() == []


async def test_broken_xlsx(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(RosterFileError, match="无法打开 Excel 文件"):
        await services.roster.import_file(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_export_round_trips(services: Services, tmp_path: Path, suffix: str) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [
            HEADER,
            ["张三", "123456789", "农业界", "常委", "提案委"],
            ["李四", "234567890", "", "", ""],
            ['=HYPERLINK("http://x")', "345678901", "教育界", "", ""],
            ["买买提·艾力", "456789012", "少数民族界", "委员", ""],
        ],
    )
    assert (await services.roster.import_file(source)).created == 4
    before = snapshot(await members_by_qq(services))

    exported = tmp_path / f"out{suffix}"
    assert await services.roster.export_file(exported) == 4
    report = await services.roster.import_file(exported)
    assert report.imported
    assert (report.created, report.updated) == (0, 4)
    after = snapshot(await members_by_qq(services))
    assert {qq: v[:6] for qq, v in after.items()} == {qq: v[:6] for qq, v in before.items()}


async def test_export_never_writes_formulas(services: Services, tmp_path: Path) -> None:
    await services.members.update("123456789", MemberUpdate(name='=HYPERLINK("http://x")'))
    path = tmp_path / "out.xlsx"
    await services.roster.export_file(path)
    sheet = load_workbook(path).worksheets[0]
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x")'
    csv_path = tmp_path / "out.csv"
    await services.roster.export_file(csv_path)
    with csv_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADER
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


async def test_export_only_active_members(services: Services, tmp_path: Path) -> None:
    await services.members.register_from_card("123456789", "农业界-张三")
    await services.members.set_staff("30001", True, display_name="王秘书")
    path = tmp_path / "out.csv"
    assert await services.roster.export_file(path) == 1
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows == [HEADER, ["张三", "123456789", "农业界", "", ""]]


async def test_export_refuses_other_formats(services: Services, tmp_path: Path) -> None:
    with pytest.raises(RosterFileError, match=r"\.xlsx 或 \.csv"):
        await services.roster.export_file(tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
