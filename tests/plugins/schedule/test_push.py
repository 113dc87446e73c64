"""推送: staff show and change the digest schedules, and send a digest now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.clock import DEFAULT_ZONE, FakeClock, set_local_zone
from bot.core.models import ChannelKind, DigestKind
from tests.core.schedule_data import add_record, set_local, text_of
from tests.utils import CHICAGO, GROUP, SUPERUSER, group_message, outbox_rows, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

STAFF = "30001"
WHOLE = "900101"


async def setup(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 11, 25, 10)
    await services.channels.bind(str(GROUP), ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    await services.members.set_staff(STAFF, True, display_name="王秘书")


def job(kind: DigestKind):  # type: ignore[no-untyped-def]
    from nonebot_plugin_apscheduler import scheduler

    return scheduler.get_job(f"digest:{kind.value}")


async def test_show_schedules(app: App, services: Services, clock: FakeClock) -> None:
    await setup(services, clock)
    await services.channels.bind(WHOLE, ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await say(
        app,
        group_message("推送", user_id=STAFF),
        "推送设置：\n"
        "· 日报：工作日 09:00 推送到全体群（已开启），共 1 个群\n"
        "· 周报：每周第一个工作日 09:00 推送到各界别群（已开启），尚未绑定界别群"
        "（在群里发送：本群 设为 界别群 农业界）\n"
        "· 月报：每月第一个工作日 09:00 推送到机关群（已开启），共 1 个群\n"
        "· 期限提醒、评价提醒和补发：每 5 分钟检查一次\n"
        "没有新内容时不发送。修改请发送：推送 设置 日报 09:00；推送 关闭 周报；推送 开启 周报；"
        "立即推送：推送 立即 日报",
    )


async def test_show_says_when_a_schedule_is_not_registered(
    app: App, services: Services, clock: FakeClock
) -> None:
    from nonebot_plugin_apscheduler import scheduler

    from bot.plugins.schedule import SWEEP_JOB, register_jobs

    await setup(services, clock)
    scheduler.remove_job("digest:daily")
    scheduler.remove_job(SWEEP_JOB)
    try:
        await say(
            app,
            group_message("推送", user_id=STAFF),
            "推送设置：\n"
            "· 日报：工作日 09:00 推送到全体群（已开启，但定时任务没有登记，不会按时进行：请重启"
            "机器人，并把启动日志交给技术人员），尚未绑定全体群（在群里发送：本群 设为 全体群）\n"
            "· 周报：每周第一个工作日 09:00 推送到各界别群（已开启），尚未绑定界别群"
            "（在群里发送：本群 设为 界别群 农业界）\n"
            "· 月报：每月第一个工作日 09:00 推送到机关群（已开启），共 1 个群\n"
            "· 期限提醒、评价提醒和补发：定时任务没有登记，不会按时进行：请重启机器人，并把启动日志"
            "交给技术人员\n"
            "没有新内容时不发送。修改请发送：推送 设置 日报 09:00；推送 关闭 周报；推送 开启 周报；"
            "立即推送：推送 立即 日报",
        )
    finally:
        await register_jobs(services)


async def test_the_session_start_registered_the_jobs() -> None:
    """The test session starts through the same services-ready hooks as `python -m bot`."""
    from nonebot_plugin_apscheduler import scheduler

    from bot.nb import lifecycle
    from bot.plugins.schedule import _register

    assert lifecycle.is_ready()
    assert _register in lifecycle.hooks()
    assert {job.id for job in scheduler.get_jobs()} >= {
        "digest:daily",
        "digest:weekly",
        "digest:monthly",
        "reminders:sweep",
    }


async def test_set_time_and_the_job_follows(app: App, services: Services, clock: FakeClock) -> None:
    await setup(services, clock)
    await say(
        app,
        group_message("推送 设置 日报 10:30", user_id=STAFF),
        "已将日报改为工作日 10:30 推送到全体群。",
    )
    schedule = (await services.digests.schedules())[DigestKind.DAILY]
    assert (schedule.hour, schedule.minute, schedule.updated_by) == (10, 30, STAFF)
    trigger = job(DigestKind.DAILY).trigger
    assert str(trigger.fields[5]) == "10"
    assert str(trigger.fields[6]) == "30"
    assert str(trigger.timezone) == "Asia/Shanghai"


@pytest.mark.usefixtures("chicago")
async def test_the_job_runs_in_the_configured_zone(
    app: App, services: Services, clock: FakeClock
) -> None:
    from bot.plugins.schedule import register_jobs

    await setup(services, clock)
    try:
        await say(
            app,
            group_message("推送 设置 日报 10:30", user_id=STAFF),
            "已将日报改为工作日 10:30 推送到全体群。",
        )
        assert str(job(DigestKind.DAILY).trigger.timezone) == CHICAGO
    finally:  # the jobs back in Beijing time, for the tests after this one
        set_local_zone(DEFAULT_ZONE)
        await register_jobs(services)


async def test_turn_off_and_on(app: App, services: Services, clock: FakeClock) -> None:
    await setup(services, clock)
    await say(
        app,
        private_message("推送 关闭 周报", user_id=STAFF),
        "已关闭周报推送。发送“推送 开启 周报”可恢复。",
    )
    assert not (await services.digests.schedules())[DigestKind.WEEKLY].enabled
    assert job(DigestKind.WEEKLY) is None
    await say(
        app,
        private_message("推送 开启 周报", user_id=STAFF),
        "已开启周报：每周第一个工作日 09:00 推送到各界别群。",
    )
    assert job(DigestKind.WEEKLY) is not None


async def test_send_now(app: App, services: Services, clock: FakeClock) -> None:
    await setup(services, clock)
    await say(
        app,
        group_message("推送 立即 日报", user_id=STAFF),
        "还没有绑定全体群，日报无处可发。请在该群里发送：本群 设为 全体群",
    )
    await services.channels.bind(
        WHOLE, ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER, group_name="县政协委员群"
    )
    await say(app, group_message("推送 立即 日报", user_id=STAFF), "日报没有新内容，未发送。")
    set_local(clock, 2026, 11, 25, 10, 5)
    await add_record(services, "关于农村公路养护的建议")
    set_local(clock, 2026, 11, 25, 10, 10)
    await say(
        app,
        group_message("推送 立即 日报", user_id=STAFF),
        "日报已生成，正在发送到 1 个群：县政协委员群。",
    )
    (row,) = await outbox_rows(services, "digest")
    assert row.target_id == WHOLE
    assert "关于农村公路养护的建议" in text_of(row)


async def test_refusals_say_what_to_type(app: App, services: Services, clock: FakeClock) -> None:
    await setup(services, clock)
    cases = {
        "推送 设置 日报 22:00": "推送时间须在 08:00 到 20:59 之间（晚上 9 点到早上 8 点不打扰委员），"
        "例如：推送 设置 日报 09:00",
        "推送 设置 日报": "请写明哪种推送和时间，例如：推送 设置 日报 09:00",
        "推送 立即 年报": "不认识“年报”，请写 日报、周报 或 月报，例如：推送 立即 日报",
        "推送 暂停": "不认识“暂停”。用法：推送；推送 设置 日报 09:00；推送 关闭 周报；"
        "推送 开启 周报；推送 立即 日报｜周报｜月报",
    }
    for text, answer in cases.items():
        await say(app, group_message(text, user_id=STAFF), answer)


async def test_members_cannot_change_schedules(
    app: App, services: Services, clock: FakeClock
) -> None:
    await setup(services, clock)
    await services.members.register_from_card("20001", "农业界-张三")
    await say(
        app,
        private_message("推送 关闭 日报", user_id="20001"),
        "“推送”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。发送“帮助”查看您可以使用的命令。",
    )
    assert (await services.digests.schedules())[DigestKind.DAILY].enabled
