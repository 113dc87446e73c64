"""认领: the first person with the start-up log's code becomes superuser of a fresh install."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.models import SuperuserClaim
from bot.core.people.claims import NOT_AVAILABLE
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of, say

if TYPE_CHECKING:
    from collections.abc import Iterator

    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services

OWNER = "40001"
OTHER = "40002"
SUCCESS = (
    "认领成功，您已成为超级管理员。下一步：在委员群里发送“本群 设为 全体群”，在机关工作人员群里"
    "发送“本群 设为 机关群”；用“管理员 添加 @某人”任命机关工作人员。发送“帮助”查看全部命令。"
)


def wrong(left: int) -> str:
    return (
        "认领码不对。请核对机器人启动日志里“认领 ……”那一行的 6 位数字，再发送："
        f"认领 123456（10 分钟内还可以再试 {left} 次）"
    )


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def fresh_install(services: Services) -> Iterator[str]:
    """No superuser configured or claimed, as on a fresh install; the code of this 'start'."""
    configured = services.members.superusers
    services.members.superusers = frozenset()
    code = services.claims.open()
    assert code is not None
    assert len(code) == 6
    assert code.isdigit()
    yield code
    services.members.superusers = configured
    assert services.claims.open() is None


async def claimed_by(services: Services) -> list[str]:
    async with services.db.session() as session:
        return [row.user_id for row in (await session.exec(select(SuperuserClaim))).all()]


async def test_the_first_with_the_code_becomes_superuser_and_binds_a_group(
    app: App, services: Services, fresh_install: str
) -> None:
    code = fresh_install
    await say(app, private_message(f"认领 {other_than(code)}", user_id=OWNER), wrong(4))
    await say(app, private_message(f"认领 {code}", user_id=OWNER), SUCCESS)
    assert await claimed_by(services) == [OWNER]
    assert OWNER in services.members.superusers
    # one time only: nobody else, not even with the same code
    await say(app, private_message(f"认领 {code}", user_id=OTHER), NOT_AVAILABLE)
    # the new superuser binds an unbound group (the gate lets the binding command through)
    event = group_message("本群 设为 全体群", user_id=OWNER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "get_group_info", {"group_id": GROUP, "no_cache": False}, {"group_name": "县政协委员群"}
        )
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "已将本群设为全体群。本群委员可以发 #提案、#社情民意、#议题，工作日每天 09:00 推送日报。",
            ),
            result={"message_id": 1},
        )


async def test_not_available_once_a_superuser_is_configured(app: App, services: Services) -> None:
    assert services.claims.open() is None  # the test session configures SUPERUSER
    await say(app, private_message("认领 123456", user_id=OWNER), NOT_AVAILABLE)
    assert await claimed_by(services) == []


async def test_wrong_codes_are_limited(
    app: App, services: Services, clock: FakeClock, fresh_install: str
) -> None:
    code = fresh_install
    for left in (4, 3, 2, 1, 0):
        await say(app, private_message(f"认领 {other_than(code)}", user_id=OWNER), wrong(left))
    too_many = "认领码错误次数太多，请 10 分钟后再试。认领码在机器人启动日志里“认领 ……”那一行。"
    await say(app, private_message(f"认领 {code}", user_id=OWNER), too_many)
    await say(
        app,
        private_message("认领", user_id=OTHER),
        "请写上机器人启动日志里的 6 位认领码，例如：认领 123456",
    )
    clock.advance(timedelta(minutes=11))
    await say(app, private_message(f"认领：{code}。", user_id=OWNER), SUCCESS)


async def test_many_people_guessing_are_limited_together(
    app: App, services: Services, fresh_install: str
) -> None:
    code = fresh_install
    for n in range(20):
        await say(
            app, private_message(f"认领 {other_than(code)}", user_id=str(41000 + n)), wrong(4)
        )
    too_many = "认领码错误次数太多，请 10 分钟后再试。认领码在机器人启动日志里“认领 ……”那一行。"
    await say(app, private_message(f"认领 {code}", user_id=OWNER), too_many)
    assert await claimed_by(services) == []


async def test_only_privately(app: App, services: Services, fresh_install: str) -> None:
    await services.channels.bind(str(GROUP), "whole", sector=None, bound_by=SUPERUSER)
    await say(
        app,
        group_message(f"认领 {fresh_install}", user_id=OWNER, card="张三"),
        "“认领”请在私聊机器人使用。",
    )
    assert await claimed_by(services) == []


async def test_help_lists_it_only_while_a_claim_is_open(
    app: App, services: Services, fresh_install: str
) -> None:
    listing = "· 认领 123456 — 新装的机器人：用启动日志里的认领码成为超级管理员（私聊）"
    seen: list[str] = []
    for _ in range(2):
        event = private_message("帮助", user_id=OTHER)
        seen.append(await say(app, event))
        services.members.superusers = frozenset({SUPERUSER})  # somebody claimed it
    assert listing in seen[0]
    assert listing not in seen[1]
    assert "【开始使用】" not in seen[1]
