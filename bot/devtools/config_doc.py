"""`python -m bot.devtools.config_doc [--check]`: write docs/配置参考.md from bot.settings.Settings.

Every field of the settings class gets a row: its name as in .env, type, default, allowed range
(from the field's constraints) and a Chinese description kept here. A field without a
description fails (tests/devtools/test_config_doc.py names it), so a new setting is documented
when it is added.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.settings import DEFAULT_DATA_DIR, PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

TARGET = PROJECT_ROOT / "docs" / "配置参考.md"
#: Fields of Settings that are not settings (nothing reads them from .env).
NOT_SETTINGS = frozenset({"notices"})

DESCRIPTIONS: dict[str, str] = {
    "host": "监听地址。只在本机使用时保持 `127.0.0.1`；改为 `0.0.0.0` 等非本机地址时必须设置 "
    "`ONEBOT_ACCESS_TOKEN`，否则机器人拒绝启动。必须是 IP 地址（`localhost` 按 `127.0.0.1`）",
    "port": "监听端口。QQ 客户端的反向 WebSocket 地址为 `ws://HOST:PORT/onebot/v11/ws`；"
    "办理进度公开网页也在这个端口（`http://HOST:PORT/`）",
    "onebot_access_token": "访问令牌，与 NapCat / Lagrange 中填写的 token 一致；不一致的连接被拒绝"
    "（HTTP 403）。也可写在地址里：`?access_token=…`",
    "onebot_secret": "HTTP 上报的签名密钥。为空时同端口的 HTTP 上报地址（`/onebot/v11/`、"
    "`/onebot/v11/http`）拒绝一切事件；只有客户端改用 HTTP POST 上报时才设置（事件须带正确的 "
    "`X-Signature`）",
    "superusers": '超级管理员 QQ 号，JSON 列表，如 `["123456"]`（也可用逗号分隔）。为空时启动'
    "日志给出一次性认领码，第一个私聊机器人发送 `认领 认领码` 的人成为超级管理员",
    "database_url": "数据库地址。为空时用 `DATA_DIR` 下的 SQLite 文件 `cppcc.db`；正式环境可用 "
    "`postgresql+asyncpg://用户:密码@主机:5432/库名`。启动时自动升级表结构",
    "bot_timezone": "机器人的时区：显示的时间、定时推送、夜间免打扰、工作日和“今天”、编号年度"
    "都按它（数据库存 UTC）。系统的 `TZ` 不影响机器人；`.env` 里旧的 `TZ=` 行仍然有效并提示改名",
    "log_level": "日志级别：`DEBUG`、`INFO`、`WARNING`、`ERROR`",
    "data_dir": "数据目录：界别表、类别词表、词典、节假日、协商形式、积分表等各县可改的配置文件，"
    "默认的 SQLite 数据库、导出文件（`exports/`）和缓存也在这里",
    "environment": "NoneBot 的环境名（读取 `.env.{ENVIRONMENT}`）；本项目只用 `.env`，一般不用改",
    "outbox_interval": "同一个机器人账号两条主动消息之间的间隔秒数（防 QQ 风控）。"
    "账号被限制时可调大，如 `3`",
    "outbox_jitter": "主动消息间隔的随机抖动秒数（加在 `OUTBOX_INTERVAL` 上）",
    "outbox_poll": "发件箱检查“别处写入的待发消息”（另一进程、直接改库）的间隔秒数；"
    "机器人自己排队的消息立即发送",
    "reminder_sweep_minutes": "期限提醒、评价提醒、联名提醒和错过的推送补发的检查间隔（分钟）；"
    "提醒只在工作日 08:00–21:00 发出",
    "discussion_sweep_seconds": "临时讨论组到时结束（发小结）和结束前 1 小时提醒的检查间隔（秒）",
    "intake_rate_per_minute": "每位委员每分钟最多提交几条 `#提案`、`#社情民意`、`#议题`",
    "answer_months": "交办后默认的答复时限（月）；交办时可另写时限，超过 6 个月须写理由",
    "board_public": "办理进度公开网页是否任何人可看；`false` 时每一页都要 `BOARD_TOKEN`。"
    "公开且设了 `BOARD_URL` 时，日报给每件新提案附上进度页链接",
    "board_token": "机关工作人员的网页令牌：机关页面和下载需要它（`BOARD_PUBLIC=false` 时每一页"
    "都要）；打开一次 `/?token=令牌` 后浏览器记住。为空时这些页面一律拒绝",
    "board_url": "进度公开网页对外的地址（如经反向代理的 `https://zx.example.gov.cn/`）；"
    "`网页` 命令、月报、日报和导出据此给出链接，为空时不带链接",
    "consult_remind_workdays": "交办后多少个工作日仍未记录与提案人的沟通（办理协商），"
    "提醒主办单位一次；`0` 不提醒",
    "lookback_date": "每年请承办单位“回头看”上一年 B 类答复的日期（`月-日`，如 `01-05`，"
    "遇节假日顺延）；留空为每年第一个工作日",
    "public_announce_minutes": "每隔多少分钟把公开网页上新的留言、议题建议和提案线索汇成一条发到机关群"
    "（等待审核；`评论` 查看）",
    "lease_seconds": "两个实例共用一个数据库时：定时任务（推送、提醒、讨论组检查）和每个账号的发件箱只由持有租约的"
    "实例执行；租约不续约多少秒后失效（另一实例随即接手）。`0` 关闭租约（只在单实例时）",
    "lease_renew_seconds": "租约续约间隔（秒），应明显小于 `LEASE_SECONDS`",
    "instance_name": "本实例在租约表中的名字；留空为“主机名:端口”。重启后名字不变，可立即收回自己的租约；"
    "两个实例必须不同",
    "duty_minimum_points": "本会要求委员每年至少达到的履职积分：`履职 统计` 把低于它的委员列给机关"
    "工作人员；`0` 不检查积分（没有提案、没有社情民意信息的委员总会列出）",
}

HEADER = """# 配置参考

<!-- 此文件由 `python -m bot.devtools.config_doc` 根据 bot/settings.py 的 Settings 生成，请勿手改。
     Generated from bot.settings.Settings by `python -m bot.devtools.config_doc`: do not edit. -->

设置写在项目目录的 `.env` 文件里（复制 `.env.example` 修改），每行 `名称=值`；同名的环境变量优先于
`.env`（例如 systemd 单元文件里的 `Environment=`）。改动后重启机器人生效。值为空的行等于没写（用默认值），
只有 `ONEBOT_ACCESS_TOKEN`、`ONEBOT_SECRET`、`DATABASE_URL`、`SUPERUSERS` 的空值就是“不设置”。
设置有误时机器人不启动，并用中文说明哪一项错在哪里。

| 设置 | 类型 | 默认 | 范围 | 说明 |
| --- | --- | --- | --- | --- |
"""

FOOTER = """
其他配置文件（都在 `DATA_DIR` 下，改后重启生效）：`sectors.txt`（界别）、`categories.toml`（提案类别及
关键词）、`jieba_userdict.txt`（分词词典）、`stopwords.txt`、`holidays.toml`（法定节假日和调休，
chinese-calendar 只到 2026 年，以后每年按国务院通知补录）、`consultation_forms.txt`（协商形式）、
`duty_points.toml`（履职积分表）。
"""


def setting_fields() -> dict[str, FieldInfo]:
    return {n: f for n, f in Settings.model_fields.items() if n not in NOT_SETTINGS}


def env_name(field_name: str) -> str:
    return field_name.upper()


def _type(info: FieldInfo) -> str:
    names = {int: "整数", float: "数字", bool: "true/false", str: "文字", Path: "路径"}
    annotation = info.annotation
    if annotation in names:
        return names[annotation]  # type: ignore[index]
    return "JSON 列表" if "list" in str(annotation) else str(annotation)


def _default(info: FieldInfo) -> str:
    value: Any = info.get_default(call_default_factory=True)
    if value == DEFAULT_DATA_DIR:
        return "`data`（项目目录下）"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ("", [], None):
        return "（空）"
    return f"`{value}`"


def _range(info: FieldInfo) -> str:
    words = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    parts = []
    for item in info.metadata:
        for attr, sign in words.items():
            bound = getattr(item, attr, None)
            if bound is not None:
                parts.append(f"{sign} {bound}")
    return "，".join(parts)


def undocumented() -> list[str]:
    """Settings fields without a description here (their .env names)."""
    return [env_name(name) for name in setting_fields() if name not in DESCRIPTIONS]


def render() -> str:
    rows = []
    for name, info in setting_fields().items():
        text = DESCRIPTIONS.get(name, "（缺少说明）")
        cells = [f"`{env_name(name)}`", _type(info), _default(info), _range(info), text]
        rows.append("| " + " | ".join(cells) + " |")
    return HEADER + "\n".join(rows) + "\n" + FOOTER


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.config_doc")
    parser.add_argument("--check", action="store_true", help="只检查文件是否最新")
    args = parser.parse_args(argv)
    missing = undocumented()
    if missing:
        print(f"这些设置缺少说明（加到 DESCRIPTIONS）：{', '.join(missing)}", file=sys.stderr)
        return 1
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} 不是最新的：运行 python -m bot.devtools.config_doc", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"已写入 {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
