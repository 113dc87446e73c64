"""`python -m bot`: run the bot, or manage its database and roster.

python -m bot                       start the bot (waits for a OneBot V11 client)
python -m bot db upgrade            bring the database schema up to date
python -m bot db backup PATH        consistent copy of the SQLite database, also while running
python -m bot members import FILE   import the roster (.xlsx/.csv) [--skip-bad]
python -m bot members export FILE   export the roster
python -m bot export [--year 2026] FILE   the year's proposals, figures, units, duty points (.xlsx)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

    from bot.settings import Settings


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """`python -m bot` (run): Ctrl-C without a KeyboardInterrupt traceback.

    Before any event loop runs (imports, NoneBot, plugins; the database is opened later, by the
    server's start-up) the process ends at once: an exception raised at an arbitrary point there
    can surface as another error's traceback (e.g. inside a class body). With a loop running,
    it is Ctrl-C as usual: uvicorn owns it while serving (a clean shutdown) and raises it again
    once done, which ends `run` normally (see main)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        print("已中断，机器人未启动。Interrupted during start-up.", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(130)
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="政协履职助手 — CPPCC duty assistant for QQ groups (NoneBot2, OneBot V11).",
        epilog="设置项见 .env.example；环境变量优先于 .env。Settings: see .env.example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="启动机器人（默认）/ start the bot")

    db = sub.add_parser("db", help="数据库：upgrade 升级结构，backup 备份 / database tools")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="把数据库结构升级到最新 / apply migrations")
    backup = db_sub.add_parser("backup", help="备份 SQLite 数据库（运行中也可）/ back up SQLite")
    backup.add_argument("path", type=Path, help="备份文件路径 / target file")

    members = sub.add_parser("members", help="委员名单导入导出 / roster import and export")
    m_sub = members.add_subparsers(dest="members_command", metavar="ACTION", required=True)
    imp = m_sub.add_parser("import", help="从 .xlsx/.csv 导入（列：姓名, QQ, 界别, 职务, 专委会）")
    imp.add_argument("file", type=Path)
    imp.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，导入其余行")
    exp = m_sub.add_parser("export", help="导出为 .xlsx/.csv")
    exp.add_argument("file", type=Path)

    export = sub.add_parser("export", help="导出年度提案办理情况 .xlsx / export a year to .xlsx")
    export.add_argument(
        "--year", type=int, default=None, help="年份，默认今年 / default: this year"
    )
    export.add_argument("file", type=Path, help="导出文件（.xlsx）/ target .xlsx file")
    return parser


async def _with_services(settings: Settings, action):  # type: ignore[no-untyped-def]
    from bot.core.services import Services

    services = Services(settings.core_config())
    try:
        # Only what the roster needs: the schema and the sectors (not the text engine, which
        # takes seconds to load and is of no use to a one-off command).
        await services.db.upgrade()
        await services.sectors.seed()
        return await action(services)
    finally:
        await services.db.dispose()


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.db import backup_sqlite, upgrade_database

    url = settings.resolved_database_url()
    if args.db_command == "upgrade":
        try:
            asyncio.run(upgrade_database(url))
        except Exception as exc:  # unreachable server, wrong password, broken file...
            print(f"数据库升级失败：{exc}", file=sys.stderr)
            return 1
        print("数据库结构已是最新。Database schema is up to date.")
        return 0
    # No upgrade here: a backup is what one takes *before* upgrading.
    try:
        target = backup_sqlite(url, args.path)
    except (ValueError, OSError, sqlite3.Error) as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 1
    print(f"已备份到 {target}。Backed up to {target}.")
    return 0


def _members(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.people.roster import RosterFileError

    if args.members_command == "import":
        if not args.file.exists():
            print(f"找不到文件：{args.file}", file=sys.stderr)
            return 1

        async def do_import(services):  # type: ignore[no-untyped-def]
            return await services.roster.import_file(args.file, skip_bad=args.skip_bad)

        try:
            report = asyncio.run(_with_services(settings, do_import))
        except RosterFileError as exc:
            print(f"无法导入：{exc}", file=sys.stderr)
            return 1
        for error in report.skipped:
            print(f"  {error}", file=sys.stderr)
        if not report.imported:
            print(
                f"名单有 {len(report.skipped)} 行错误，未导入任何数据。请改正后重试，"
                "或加 --skip-bad 跳过错误行。",
                file=sys.stderr,
            )
            return 1
        skipped = f"，跳过 {len(report.skipped)} 行错误" if report.skipped else ""
        print(f"导入完成：新增 {report.created} 人，更新 {report.updated} 人{skipped}。")
        return 0

    async def do_export(services):  # type: ignore[no-untyped-def]
        return await services.roster.export_file(args.file)

    try:
        count = asyncio.run(_with_services(settings, do_export))
    except RosterFileError as exc:
        print(f"无法导出：{exc}", file=sys.stderr)
        return 1
    print(f"已导出 {count} 位委员到 {args.file}。")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    if args.file.suffix.lower() != ".xlsx":
        print(
            f"只能导出为 .xlsx 文件，例如：export --year 2026 {args.file.stem}.xlsx",
            file=sys.stderr,
        )
        return 1

    async def do_export(services):  # type: ignore[no-untyped-def]
        year = args.year or services.records.current_year()
        return await services.export.export(year, args.file)

    try:
        result = asyncio.run(_with_services(settings, do_export))
    except OSError as exc:
        print(f"无法导出：{exc}", file=sys.stderr)
        return 1
    print(
        f"已导出{result.year}年：提案 {result.proposals} 件、社情民意信息 {result.opinions} 件、"
        f"议题 {result.topics} 件、委员 {result.members} 人，文件：{result.path}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    # Imported here, after the Ctrl-C handler is in place (see the end of this file).
    from bot.settings import SettingsError, load_settings

    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command in ("db", "members", "export"):
        # One-off commands stop where Ctrl-C finds them (their transactions roll back).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        one_off = {"db": _db, "members": _members, "export": _export}[args.command]
        try:
            return one_off(args, settings)
        except KeyboardInterrupt:
            print("已中断。Interrupted.", file=sys.stderr)
            return 130
    try:
        settings.check_safe_to_listen()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    from bot.app import run

    try:
        run(settings)  # returns after a clean shutdown on Ctrl-C
    except KeyboardInterrupt:  # Ctrl-C outside the server (e.g. work before it starts)
        print("已中断。Interrupted.", file=sys.stderr)
        return 130
    print("机器人已停止。Bot stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, _on_ctrl_c)
    sys.exit(main())
