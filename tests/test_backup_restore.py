"""Backups restore (docs/部署指南.md, “备份与恢复”): the steps the guide gives, run as written.

SQLite: `python -m bot db backup FILE` while the database is in use, then the file copied back
in place of a lost database. PostgreSQL (with TEST_DATABASE_URL and pg_dump installed):
`pg_dump -Fc` and `pg_restore` into a new database.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import make_url

from tests import dbutil
from tests.test_cli import HEADER, run_bot, stored_members, write_csv

if TYPE_CHECKING:
    from pathlib import Path

ROSTER = [
    HEADER,
    ["张三", "123456789", "农业界", "常委", ""],
    ["李四", "987654321", "教育界", "", ""],
]
LATER = [HEADER, ["王五", "555666777", "经济界", "", ""]]


def import_roster(url: str, path: Path) -> None:
    result = run_bot("members", "import", str(path), database_url=url)
    assert result.returncode == 0, result.stderr
    assert "导入完成" in result.stdout


def exported_names(url: str, tmp_path: Path) -> list[str]:
    target = tmp_path / "export.csv"
    result = run_bot("members", "export", str(target), database_url=url)
    assert result.returncode == 0, result.stderr
    return sorted(line.split(",")[0] for line in target.read_text("utf-8-sig").splitlines()[1:])


async def test_sqlite_backup_restores_a_lost_database(tmp_path: Path) -> None:
    database = tmp_path / "data" / "cppcc.db"
    database.parent.mkdir()
    url = f"sqlite+aiosqlite:///{database}"
    import_roster(url, write_csv(tmp_path / "名单.csv", ROSTER))
    backup = tmp_path / "backups" / "cppcc-20260302.db"
    result = run_bot("db", "backup", str(backup), database_url=url)
    assert result.returncode == 0, result.stderr
    import_roster(url, write_csv(tmp_path / "later.csv", LATER))  # after the backup

    for lost in database.parent.glob("cppcc.db*"):  # the disk fails: the file and its WAL
        lost.unlink()
    shutil.copyfile(backup, database)  # the guide's restore: copy the backup back, then start

    upgraded = run_bot("db", "upgrade", database_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert exported_names(url, tmp_path) == ["张三", "李四"]  # Wang came after the backup
    stored = await stored_members(url)
    assert ("123456789", "张三", "农业界", "常委", None) in stored


def libpq(url: str) -> str:
    """The URL pg_dump and pg_restore take (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def dump_and_restore(source: str, target: str, dump: Path) -> None:
    """The guide's PostgreSQL backup (pg_dump -Fc) and restore (pg_restore into a new database)."""
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(source)], check=True)
    subprocess.run(["pg_restore", "--no-owner", "-d", libpq(target), str(dump)], check=True)


@pytest.mark.skipif(
    not dbutil.is_postgres() or shutil.which("pg_dump") is None,
    reason="PostgreSQL: set TEST_DATABASE_URL and install pg_dump / pg_restore",
)
async def test_postgres_dump_restores_into_a_new_database(tmp_path: Path) -> None:
    source = await dbutil.create_database(tmp_path)
    restored = await dbutil.create_database(tmp_path)
    try:
        import_roster(source, write_csv(tmp_path / "名单.csv", ROSTER))
        dump_and_restore(source, restored, tmp_path / "cppcc.dump")
        upgraded = run_bot("db", "upgrade", database_url=restored)
        assert upgraded.returncode == 0, upgraded.stderr
        assert exported_names(restored, tmp_path) == ["张三", "李四"]
    finally:
        await dbutil.drop_database(source)
        await dbutil.drop_database(restored)
