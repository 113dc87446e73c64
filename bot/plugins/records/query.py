"""查提案 17 / 查民意 5 / 查议题 3: a record, its status, co-signers and timeline.

Privately, those allowed to read the record get its whole text. A long one arrives as several
ordinary messages (split on line boundaries by ``ctx.reply``), not as a forward message: a reply
then quotes the command and reads in order in every client and in a temporary session (群临时
会话), where forward messages are not supported; a body is at most 10,000 characters, i.e. at
most seven messages. In a group the text stops after an excerpt, saying how to get the rest.
"""

from __future__ import annotations

from bot.core.intake import texts
from bot.core.models import RecordStatus
from bot.core.people.identity import Role
from bot.core.public import texts as public_texts
from bot.core.public.queries import approved_comments
from bot.core.records.kinds import RecordKind
from bot.nb.context import CommandContext
from bot.nb.registry import Command, Handler, Where, registry
from bot.plugins.records.common import hides_private

_SUMMARIES = {
    RecordKind.PROPOSAL: "查看提案的状态、联名人和办理进程",
    RecordKind.OPINION: "查看社情民意信息的状态和进程",
    RecordKind.TOPIC: "查看议题的状态和支持情况",
}
_TOPICS = {RecordKind.PROPOSAL: "提案", RecordKind.OPINION: "社情民意", RecordKind.TOPIC: "议题"}
DETAILS = (
    "编号写 17、第17号，往年的写 2025-17。委员看到公开的办理步骤；机关工作人员和承办该件的"
    "单位联系人还能看到内部记录。私聊机器人查询可看到全文，群里只显示开头部分。"
    "私聊提交的只能在私聊（或机关群）中查看，且只有提出人、联名委员、"
    "机关工作人员和承办单位联系人可以查看。"
)


def _handler(kind: RecordKind) -> Handler:
    async def query_record(ctx: CommandContext) -> None:
        services = ctx.services
        year = services.records.current_year()
        record = await services.queries.resolve(kind, ctx.args)
        if hides_private(ctx) and record.source_kind == "private":
            await ctx.reply(texts.hidden_in_group(record, year))
            return
        if not await services.queries.may_view(record, ctx.identity):
            await ctx.reply(texts.private_to_others(record, year))
            return
        detail = await services.queries.detail(record, ctx.identity)
        # privately: the whole text (split into several messages by ctx.reply when long)
        text = texts.detail_text(detail, year, full=ctx.is_private)
        if kind is RecordKind.TOPIC:
            text = _with_lines_after_status(text, await services.consultation.plan_summary(record))
            found = await approved_comments(services.db, record_id=record.id)
            text += "\n" + public_texts.comments_text(found)
        if record.status == RecordStatus.MERGED and record.merged_into_id is not None:
            target = await services.records.get(record.merged_into_id)
            text = (
                f"{texts.label(record, year)}已并入{texts.label(target, year)}一并办理，"
                f"办理情况请发送“{texts.query_command(target, year)}”。\n{text}"
            )
        await ctx.reply(text)

    return query_record


def _with_lines_after_status(text: str, extra: list[str]) -> str:
    """A topic's plan lines (协商计划 …) right after its status line."""
    if not extra:
        return text
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("状态：")), 0) + 1
    return "\n".join([*lines[:at], *extra, *lines[at:]])


for _kind, _name in texts.QUERY_COMMANDS.items():
    registry.add(
        Command(
            name=_name,
            handler=_handler(_kind),
            usage=f"{_name} 编号",
            summary=_SUMMARIES[_kind],
            topic=_TOPICS[_kind],
            role=Role.ANYONE,
            where=Where.ANYWHERE,
            details=DETAILS,
        )
    )
