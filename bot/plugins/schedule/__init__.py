"""推送: digests (日报 / 周报 / 月报) on their schedules, and the periodic reminder sweep.

Schedules live in the database (`digest_schedule`); at start they are registered with the
scheduler under explicit job ids (``digest:daily`` ...), replaced whenever staff change them. Each
run is idempotent (bot/core/schedule/digests/), so the cron job, the periodic sweep's catch-up and a
restart never send a digest twice. The sweep (``reminders:sweep``, every REMINDER_SWEEP_MINUTES)
also runs once shortly after start: reminders, digests missed while the bot was down, and the
failure report to staff.

The jobs are registered by a ``services ready`` hook (bot/nb/lifecycle.py), never by a start-up
hook of this plugin: NoneBot's plugin order changes from run to run, and the services may not
exist yet when this plugin's own start-up hook runs. `推送` reports the jobs the scheduler
really holds.

With two instances on one database, every instance registers the jobs, but only the holder of
the ``schedules`` lease runs them (bot/core/leases.py, bot/nb/leases.py); a job firing on the
other does nothing. An instance that takes the lease over runs the catch-up sweep at once.
"""

from __future__ import annotations

from datetime import timedelta

from nonebot import require
from nonebot.log import logger

require("nonebot_plugin_apscheduler")
from apscheduler.triggers.cron import CronTrigger  # noqa: E402
from apscheduler.triggers.date import DateTrigger  # noqa: E402
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

from bot.core.clock import format_local, local_zone  # noqa: E402
from bot.core.delivery.sender import status_counts  # noqa: E402
from bot.core.errors import InvalidInput  # noqa: E402
from bot.core.leases import SCHEDULES  # noqa: E402
from bot.core.models import CHANNEL_LABELS, DigestKind, DigestSchedule  # noqa: E402
from bot.core.people.identity import Role  # noqa: E402
from bot.core.schedule.digests import (  # noqa: E402
    CHANNEL_OF,
    SCHEDULE_WORDS,
    TARGET_WORDS,
    DigestOutcome,
    parse_kind,
    parse_time,
)
from bot.core.services import Services  # noqa: E402
from bot.nb.context import CommandContext  # noqa: E402
from bot.nb.leases import add_interval_job, runs_here  # noqa: E402
from bot.nb.lifecycle import on_services_ready  # noqa: E402
from bot.nb.meta import plugin_meta  # noqa: E402
from bot.nb.registry import Where, registry  # noqa: E402
from bot.nb.runtime import get_services  # noqa: E402
from bot.plugins.schedule import housekeeping  # noqa: E402, F401  (the daily prune job)

__plugin_meta__ = plugin_meta(
    "推送",
    "日报、周报、月报的定时推送，以及期限提醒、评价提醒、联名提醒",
    "推送；推送 设置 日报 09:00；推送 关闭 周报；推送 开启 周报；推送 立即 日报",
)

USAGE = "推送；推送 设置 日报 09:00；推送 关闭 周报；推送 开启 周报；推送 立即 日报｜周报｜月报"
SWEEP_JOB = "reminders:sweep"
STARTUP_JOB = "startup:catch-up"
#: Seconds after start before the first sweep (let the OneBot client connect first).
STARTUP_DELAY = 5
#: Seconds after taking the ``schedules`` lease over from another instance before the sweep.
TAKEOVER_DELAY = 1

registry.describe_topic(
    "推送",
    "日报（工作日发到全体群）、周报（每周第一个工作日发到各界别群）、月报（每月第一个工作日发到"
    "机关群）。没有新内容时不发送；晚上 9 点到早上 8 点不推送、不提醒。"
    "承办单位在期限前 14、7、3、1 个工作日（重点提案另加 30 个工作日）收到提醒，逾期后每 3 个"
    "工作日提醒一次，逾期事项每周报机关群一次；提案人答复后 5、10 个工作日未评价会收到提醒。"
    "交办后 15 个工作日（可设置）仍未记录与提案人沟通的，提醒主办单位一次；"
    "每年第一个工作日（可设置）请承办单位回头看上一年答复为B类的提案。",
)


def job_id(kind: DigestKind) -> str:
    return f"digest:{kind.value}"


def schedule_digest(schedule: DigestSchedule) -> None:
    """(Re)register one digest's cron job from its schedule; an off schedule has no job."""
    kind = DigestKind(schedule.kind)
    jid = job_id(kind)
    if scheduler.get_job(jid) is not None:
        scheduler.remove_job(jid)
    if not schedule.enabled:
        return
    scheduler.add_job(
        run_digests,
        CronTrigger(hour=schedule.hour, minute=schedule.minute, timezone=local_zone()),
        kwargs={"reason": f"{schedule.hour:02d}:{schedule.minute:02d} schedule"},
        id=jid,
        name=f"{kind.label} {schedule.hour:02d}:{schedule.minute:02d}",
        replace_existing=True,
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
    )


async def register_jobs(services: Services) -> None:
    for schedule in (await services.digests.schedules()).values():
        schedule_digest(schedule)
    for jid in (SWEEP_JOB, STARTUP_JOB):
        if scheduler.get_job(jid) is not None:
            scheduler.remove_job(jid)
    add_interval_job(
        scheduler,
        sweep,
        seconds=services.config.reminder_sweep_minutes * 60,
        job_id=SWEEP_JOB,
        name="提醒与补发",
    )
    schedule_catch_up(services, STARTUP_DELAY)


def schedule_catch_up(services: Services, delay: float) -> None:
    """The one-off sweep after a start (or a takeover of the schedules): reminders and digests
    missed meanwhile, the failure report."""
    scheduler.add_job(
        sweep,
        DateTrigger(run_date=services.clock.now() + timedelta(seconds=delay)),
        id=STARTUP_JOB,
        name="启动后补发",
        replace_existing=True,
        misfire_grace_time=3600,
    )


def job_summary() -> str:
    """The jobs the scheduler holds, for the start-up log (``digest:daily 09:00, ...``)."""
    parts = []
    for job in sorted(scheduler.get_jobs(), key=lambda j: j.id):
        parts.append(f"{job.id} ({job.name})" if job.name else job.id)
    return ", ".join(parts) or "none"


@on_services_ready
async def _register(services: Services) -> None:
    await register_jobs(services)
    logger.info(f"schedule: registered jobs: {job_summary()}")

    async def lease_changed(name: str, held: bool) -> None:
        # taken (over) after the start-up sweep ran, on the other instance's watch: catch up now
        if name == SCHEDULES and held and scheduler.get_job(STARTUP_JOB) is None:
            schedule_catch_up(services, TAKEOVER_DELAY)

    services.leases.on_change(lease_changed)
    await services.leases.want(SCHEDULES)


async def run_digests(reason: str = "schedule") -> list[DigestOutcome]:
    """Every digest that is due now (idempotent): the cron jobs, and the sweep's catch-up."""
    if not runs_here(f"digests ({reason})"):
        return []
    outcomes = await get_services().digests.run_due()
    for outcome in outcomes:
        logger.info(
            f"digest {outcome.kind.value} {outcome.period} -> {outcome.group_id}: "
            f"{outcome.status} ({reason})"
        )
    return outcomes


async def sweep() -> None:
    """The periodic job: reminders, catch-up of missed digests, failure report to staff."""
    if not runs_here("reminder sweep"):
        return
    services = get_services()
    try:
        report = await services.reminders.sweep(proceed=lambda: services.leases.holds(SCHEDULES))
        if report.total or report.stopped:
            logger.info(f"reminder sweep: {report}")
    except Exception:
        logger.exception("reminder sweep failed")
    try:
        await run_digests("catch-up")
    except Exception:
        logger.exception("digest catch-up failed")
    if not runs_here("failure report"):
        return
    try:
        await services.outbox_reports.report()
    except Exception:
        logger.exception("outbox failure report failed")


# ---------------------------------------------------------------------- 推送


@registry.command(
    "推送",
    usage="推送 [设置 日报 09:00｜关闭 周报｜开启 周报｜立即 日报]",
    summary="查看或设置日报、周报、月报的推送（机关工作人员）",
    topic="推送",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
    details=f"用法：{USAGE}。推送时间须在 08:00–20:59 之间。",
)
async def push_command(ctx: CommandContext) -> None:
    words = ctx.words
    if not words or words[0] in {"查看", "列表", "状态"}:
        await show(ctx)
        return
    action, rest = words[0], words[1:]
    if action in {"设置", "设为", "改为", "时间"}:
        if len(rest) < 2:
            raise InvalidInput("请写明哪种推送和时间，例如：推送 设置 日报 09:00")
        kind, at = parse_kind(rest[0]), parse_time(rest[1])
        schedule = await ctx.services.digests.update_schedule(kind, by=ctx.user_id, at=at)
        schedule_digest(schedule)
        state = "" if schedule.enabled else f"（目前已关闭，发送“推送 开启 {kind.label}”开启）"
        await ctx.reply(
            f"已将{kind.label}改为{SCHEDULE_WORDS[kind]} {at:%H:%M} 推送到{TARGET_WORDS[kind]}{state}。"
        )
    elif action in {"开启", "打开", "启用", "关闭", "停止", "停用"}:
        if not rest:
            raise InvalidInput(f"请写明哪种推送，例如：推送 {action} 周报")
        kind = parse_kind(rest[0])
        enabled = action in {"开启", "打开", "启用"}
        schedule = await ctx.services.digests.update_schedule(kind, by=ctx.user_id, enabled=enabled)
        schedule_digest(schedule)
        if enabled:
            await ctx.reply(
                f"已开启{kind.label}：{SCHEDULE_WORDS[kind]} {schedule.hour:02d}:"
                f"{schedule.minute:02d} 推送到{TARGET_WORDS[kind]}。"
            )
        else:
            await ctx.reply(f"已关闭{kind.label}推送。发送“推送 开启 {kind.label}”可恢复。")
    elif action in {"立即", "马上", "现在"}:
        if not rest:
            raise InvalidInput("请写明哪种推送，例如：推送 立即 日报")
        await run_now(ctx, parse_kind(rest[0]))
    else:
        raise InvalidInput(f"不认识“{action[:20]}”。用法：{USAGE}")


NOT_REGISTERED = "定时任务没有登记，不会按时进行：请重启机器人，并把启动日志交给技术人员"


def registration_state(schedule: DigestSchedule) -> str:
    """On or off, as the scheduler holds it (not only as the database says)."""
    if not schedule.enabled:
        return "已关闭"
    if scheduler.get_job(job_id(DigestKind(schedule.kind))) is None:
        return f"已开启，但{NOT_REGISTERED}"
    return "已开启"


def sweep_line() -> str:
    job = scheduler.get_job(SWEEP_JOB)
    what = "· 期限提醒、评价提醒和补发："
    if job is None:
        return what + NOT_REGISTERED
    minutes = int(job.trigger.interval.total_seconds() // 60)
    return f"{what}每 {minutes} 分钟检查一次"


async def show(ctx: CommandContext) -> None:
    services = ctx.services
    schedules = await services.digests.schedules()
    last = await services.digests.last_runs()
    lines = ["推送设置："]
    for kind in DigestKind:
        schedule = schedules[kind]
        groups = await services.channels.by_kind(CHANNEL_OF[kind])
        state = registration_state(schedule)
        where = (
            f"共 {len(groups)} 个群"
            if groups
            else f"尚未绑定{CHANNEL_LABELS[CHANNEL_OF[kind]]}（在群里发送：本群 设为 "
            f"{CHANNEL_LABELS[CHANNEL_OF[kind]]}{' 农业界' if kind is DigestKind.WEEKLY else ''}）"
        )
        line = (
            f"· {kind.label}：{SCHEDULE_WORDS[kind]} {schedule.hour:02d}:{schedule.minute:02d} "
            f"推送到{TARGET_WORDS[kind]}（{state}），{where}"
        )
        run = last[kind]
        if run is not None:
            what = "已发送" if run.status == "sent" else "没有新内容，未发送"
            line += f"；上次：{format_local(run.created_at)} {what}"
        lines.append(line)
    lines.append(sweep_line())
    counts = await status_counts(services.db)
    waiting = counts.get("pending", 0) + counts.get("sending", 0)
    failed = counts.get("failed", 0) + counts.get("uncertain", 0)
    if waiting or failed:
        lines.append(f"发件箱：待发送 {waiting} 条，未送达 {failed} 条。")
    lines.append(
        "没有新内容时不发送。修改请发送：推送 设置 日报 09:00；推送 关闭 周报；推送 开启 周报；"
        "立即推送：推送 立即 日报"
    )
    await ctx.reply("\n".join(lines))


async def run_now(ctx: CommandContext, kind: DigestKind) -> None:
    channel = CHANNEL_LABELS[CHANNEL_OF[kind]]
    groups = await ctx.services.channels.by_kind(CHANNEL_OF[kind])
    if not groups:
        hint = f"{channel} 农业界" if kind is DigestKind.WEEKLY else channel
        await ctx.reply(
            f"还没有绑定{channel}，{kind.label}无处可发。请在该群里发送：本群 设为 {hint}"
        )
        return
    outcomes = await ctx.services.digests.run_now(kind)
    sent = [o for o in outcomes if o.status == "sent"]
    empty = [o for o in outcomes if o.status == "empty"]
    if not sent:
        await ctx.reply(f"{kind.label}没有新内容，未发送。")
        return
    names = "、".join(o.group_name for o in sent)
    text = f"{kind.label}已生成，正在发送到 {len(sent)} 个群：{names}。"
    if empty:
        text += (
            f"另有 {len(empty)} 个群没有新内容，未发送：{'、'.join(o.group_name for o in empty)}。"
        )
    await ctx.reply(text)
