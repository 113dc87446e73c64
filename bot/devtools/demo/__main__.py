"""`python -m bot.devtools.demo [--keep] [--dir DIR]`: play the demo day and print it."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bot.devtools.demo.runner import play, report
from bot.devtools.demo.stage import DemoError
from bot.devtools.demo.transcript import Transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.devtools.demo",
        description="演示：真实的机器人在临时数据库上过完一天 / the bot plays a day.",
    )
    parser.add_argument("--keep", action="store_true", help="演示后机器人继续运行，Ctrl-C 结束")
    parser.add_argument("--dir", type=Path, default=None, help="临时文件夹（默认新建）")
    args = parser.parse_args(argv)
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="cppcc-demo-"))
    print(f"演示：临时数据库和文件在 {workdir}", flush=True)
    try:
        result = asyncio.run(play(workdir, Transcript.to_stdout(), keep=args.keep))
    except DemoError as exc:
        print(f"\n演示失败 / demo failed: {exc}", file=sys.stderr)
        print(f"机器人日志 / the bot's log: {workdir / 'bot' / 'bot.log'}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n演示结束，机器人已停止。Demo over, the bot is stopped.")
        return 0
    if args.keep:
        print("\n演示结束，机器人已停止。Demo over, the bot is stopped.")
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
