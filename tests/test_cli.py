"""`python -m bot`: help, the listen safety check, db upgrade/backup, roster import/export."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.db import Database, upgrade_database
from bot.core.models import Member
from bot.settings import PROJECT_ROOT
from tests import dbutil

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

HEADER = ["姓名", "QQ", "界别", "职务", "专委会"]
# Settings that must not leak from the machine running the tests into the bot under test.
_OURS = {
    "HOST",
    "PORT",
    "ONEBOT_ACCESS_TOKEN",
    "SUPERUSERS",
    "DATABASE_URL",
    "DATA_DIR",
    "ENVIRONMENT",
    "LOG_LEVEL",
    "TZ",
}


def run_bot(*args: str, database_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k.upper() not in _OURS}
    environ.update(
        {
            "CPPCC_ENV_FILE": "",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHONIOENCODING": "utf-8",
        }
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """SQLite in tmp_path, or a fresh PostgreSQL database when TEST_DATABASE_URL says so."""
    url = await dbutil.create_database(tmp_path)
    yield url
    await dbutil.drop_database(url)


async def stored_members(url: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    db = Database(url)
    try:
        async with db.session() as session:
            rows = (await session.exec(select(Member))).all()
    finally:
        await db.dispose()
    return sorted((m.user_id, m.name, m.sector, m.title, m.committee) for m in rows)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_help_lists_subcommands(sqlite_url: str) -> None:
    result = run_bot("--help", database_url=sqlite_url)
    assert result.returncode == 0
    for word in ("run", "db", "members", "政协履职助手"):
        assert word in result.stdout
    db_help = run_bot("db", "--help", database_url=sqlite_url)
    assert db_help.returncode == 0
    assert "upgrade" in db_help.stdout
    assert "backup" in db_help.stdout
    members_help = run_bot("members", "--help", database_url=sqlite_url)
    assert "import" in members_help.stdout
    assert "export" in members_help.stdout


@pytest.mark.parametrize("args", [(), ("run",)])
def test_refuses_public_host_without_token(sqlite_url: str, args: tuple[str, ...]) -> None:
    result = run_bot(*args, database_url=sqlite_url, HOST="0.0.0.0", ONEBOT_ACCESS_TOKEN="")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "HOST=0.0.0.0 不是本机回环地址" in result.stderr
    assert "ONEBOT_ACCESS_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_host_name_with_token_is_refused_before_nonebot(sqlite_url: str) -> None:
    # NoneBot wants an IP address: a host name reached it and ended in a pydantic traceback.
    result = run_bot(database_url=sqlite_url, HOST="bot.example.org", ONEBOT_ACCESS_TOKEN="t")
    assert result.returncode == 2
    assert "HOST=bot.example.org" in result.stderr
    assert "0.0.0.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_reported_clearly(sqlite_url: str) -> None:
    result = run_bot("db", "upgrade", database_url=sqlite_url, PORT="eighty")
    assert result.returncode == 2
    assert "配置有误" in result.stderr
    assert "PORT='eighty'" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_is_idempotent(database_url: str) -> None:
    for _ in range(2):
        result = run_bot("db", "upgrade", database_url=database_url)
        assert result.returncode == 0, result.stderr
        assert "数据库结构已是最新" in result.stdout


def test_db_upgrade_failure_is_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_bot("db", "upgrade", database_url=f"sqlite+aiosqlite:///{blocker}/sub/db.db")
    assert result.returncode == 1
    assert "数据库升级失败" in result.stderr


async def test_db_backup_while_another_connection_writes(sqlite_url: str, tmp_path: Path) -> None:
    await upgrade_database(sqlite_url)
    source = tmp_path / "cli.db"
    insert = (
        "INSERT INTO member (platform, user_id, name, is_member, is_staff, active, source,"
        " created_at, updated_at) VALUES ('qq', ?, ?, 1, 0, 1, 'roster',"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.executemany(insert, [("100001", "张三"), ("100002", "李四")])
        writer.execute("BEGIN IMMEDIATE")  # a write in progress while the backup runs
        writer.execute(insert, ("100003", "未提交"))
        result = run_bot("db", "backup", str(tmp_path / "bak" / "copy.db"), database_url=sqlite_url)
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert result.returncode == 0, result.stderr
    assert "已备份到" in result.stdout
    with sqlite3.connect(tmp_path / "bak" / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = [r[0] for r in copy.execute("SELECT name FROM member ORDER BY user_id")]
    assert names == ["张三", "李四"]


def test_db_backup_does_not_upgrade(sqlite_url: str, tmp_path: Path) -> None:
    """A backup is taken before an upgrade; it must not change the database it copies."""
    source = tmp_path / "cli.db"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE old_table (x INTEGER)")
        conn.execute("INSERT INTO old_table VALUES (1)")
    result = run_bot("db", "backup", str(tmp_path / "copy.db"), database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(source) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"old_table"}
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT x FROM old_table").fetchall() == [(1,)]


def test_db_backup_errors(sqlite_url: str, tmp_path: Path) -> None:
    missing = run_bot("db", "backup", str(tmp_path / "copy.db"), database_url=sqlite_url)
    assert missing.returncode == 1
    assert "数据库文件不存在" in missing.stderr
    postgres = run_bot(
        "db", "backup", str(tmp_path / "copy.db"), database_url="postgresql+asyncpg://u:p@h/db"
    )
    assert postgres.returncode == 1
    assert "pg_dump" in postgres.stderr
    assert "Traceback" not in missing.stderr + postgres.stderr


async def test_members_import_refuses_a_file_with_errors(database_url: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "名单.csv",
        [HEADER, ["张三", "123456789", "农业界", "", ""], ["李四", "12", "火星界", "", ""]],
    )
    refused = run_bot("members", "import", str(path), database_url=database_url)
    assert refused.returncode == 1
    assert "第3行：" in refused.stderr
    assert "QQ 号“12”不正确" in refused.stderr
    assert "未导入任何数据" in refused.stderr
    assert "--skip-bad" in refused.stderr
    assert await stored_members(database_url) == []  # nothing was stored

    skipped = run_bot("members", "import", str(path), "--skip-bad", database_url=database_url)
    assert skipped.returncode == 0, skipped.stderr
    assert "导入完成：新增 1 人，更新 0 人，跳过 1 行错误。" in skipped.stdout
    assert "第3行：" in skipped.stderr


async def test_members_import_gb18030_and_export_round_trip(
    database_url: str, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "名单.csv",
        [
            [*HEADER, "备注"],
            ["张三", "123456789", "农业界", "常委", "提案委", "无"],
            ["李四", "234567890", "教育", "", "", ""],
        ],
        encoding="gb18030",
    )
    imported = run_bot("members", "import", str(source), database_url=database_url)
    assert imported.returncode == 0, imported.stderr
    assert "导入完成：新增 2 人，更新 0 人。" in imported.stdout

    before = await stored_members(database_url)
    assert before == [
        ("123456789", "张三", "农业界", "常委", "提案委"),
        ("234567890", "李四", "教育界", None, None),
    ]

    target = tmp_path / "导出.xlsx"
    exported = run_bot("members", "export", str(target), database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    assert f"已导出 2 位委员到 {target}。" in exported.stdout
    again = run_bot("members", "import", str(target), database_url=database_url)
    assert "导入完成：新增 0 人，更新 2 人。" in again.stdout
    assert await stored_members(database_url) == before

    csv_target = tmp_path / "导出.csv"
    assert run_bot("members", "export", str(csv_target), database_url=database_url).returncode == 0
    with csv_target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        HEADER,
        ["张三", "123456789", "农业界", "常委", "提案委"],
        ["李四", "234567890", "教育界", "", ""],
    ]


def test_members_import_bad_files(sqlite_url: str, tmp_path: Path) -> None:
    missing = run_bot("members", "import", str(tmp_path / "none.csv"), database_url=sqlite_url)
    assert missing.returncode == 1
    assert "找不到文件" in missing.stderr
    (tmp_path / "名单.xls").write_bytes(b"old excel")
    wrong = run_bot("members", "import", str(tmp_path / "名单.xls"), database_url=sqlite_url)
    assert wrong.returncode == 1
    assert "只支持 .xlsx 或 .csv" in wrong.stderr
    bad_export = run_bot("members", "export", str(tmp_path / "x.pdf"), database_url=sqlite_url)
    assert bad_export.returncode == 1
    assert "只能导出为 .xlsx 或 .csv" in bad_export.stderr
    assert "Traceback" not in missing.stderr + wrong.stderr + bad_export.stderr
