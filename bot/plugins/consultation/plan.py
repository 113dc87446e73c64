"""列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 [责任人 @张三] 时限 2027-06-30 — staff
take a topic into the year's consultation plan (services.consultation.plan)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.consultation.parsing import PLAN_USAGE, PlanSpec, parse_plan
from bot.core.workflow.common import Outcome, Requester
from bot.nb.context import CommandContext
from bot.nb.sections import TOPIC_HANDLING
from bot.nb.steps import one_record


@TOPIC_HANDLING.command(
    "列入计划",
    usage="列入计划 3 形式 牵头 … 责任 … 时限 …",
    summary="把议题列入年度协商计划",
    details=(
        f"用法：{PLAN_USAGE}。协商形式：常委会议协商、专题协商、主席会议视察、主席约谈、对口协商、界别协商、"
        "提案办理协商、调研。计划按形式分别编号（如 专题协商第2项），年度取完成时限所在年份。"
        "责任部门是已登记的承办单位时，其联系人会收到通知和时限提醒；@ 的责任人也会收到。"
        "委员私聊提交的议题，写上“题目 …”后才在群里和公开页面显示。"
    ),
)
async def plan_command(ctx: CommandContext) -> None:
    person_id = ctx.mentions[0] if ctx.mentions else None

    async def step(ref: str, by: Requester, spec: PlanSpec) -> Outcome:
        if person_id is not None and not spec.person:
            spec = replace(spec, person=(await ctx.display_name(person_id))[:40])
        return await ctx.services.consultation.plan(ref, by, spec, person_id=person_id)

    forms = ctx.services.consultation.forms
    await one_record(ctx, step, usage=PLAN_USAGE, parse=lambda text: parse_plan(text, forms))
