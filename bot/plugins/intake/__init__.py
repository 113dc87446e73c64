"""#提案 / #社情民意 / #议题: tagged posts in member groups and private chats become records.

One `on_message` matcher (priority 5, before the command router) whose async rule looks at the
first visible character only, so ordinary chatter costs next to nothing. A re-delivered message
(same bot, same message id) is handled once. In the staff and unit groups tagged posts are
politely refused with a pointer to where they belong; unbound groups never get here (gate).
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import ActionFailed, Bot, GroupMessageEvent, MessageEvent
from nonebot.log import logger
from nonebot.typing import T_State

from bot.core.intake import TEMPLATES, detect_tag
from bot.core.intake import texts as intake_texts
from bot.core.intake.near_tags import NearTag, near_tag, near_tag_hint
from bot.core.intake.results import Source
from bot.core.intake.segments import Segment, TextSeg
from bot.core.intake.throttle import RateLimited
from bot.core.models import ChannelKind
from bot.core.people.identity import Identity, Role
from bot.core.records.kinds import RecordKind
from bot.nb.context import CommandContext
from bot.nb.entry import once_admitted
from bot.nb.message import reply_message
from bot.nb.meta import plugin_meta
from bot.nb.registry import Command, Where, registry
from bot.nb.rules import on_every_message
from bot.nb.runtime import get_services
from bot.nb.segments import may_be_tagged, to_segments
from bot.plugins.intake.confirm import confirm

__plugin_meta__ = plugin_meta(
    "提案登记",
    "委员在群里或私聊发 #提案、#社情民意、#议题，机器人编号登记、提示相似内容、收集联名",
    "#提案 标题⏎正文（情况、分析、建议）⏎联名：@委员",
)

SEGMENTS_KEY = "cppcc_intake_segments"
HINT_KEY = "cppcc_intake_near_tag"
MEMBER_GROUPS = (ChannelKind.WHOLE, ChannelKind.SECTOR)
STAFF_TOPIC_HINT = "机关工作人员录入议题请发送：议题 录入 议题名称⏎说明"
WRONG_PLACE = (
    "机关群、承办单位群不受理{tag}。请委员在全体群、界别群发送，或私聊机器人发送：\n{template}"
)

registry.describe_topic(
    "提案",
    "在全体群、界别群或私聊机器人发送（第一行是标题，其余是正文）：\n"
    f"{TEMPLATES[RecordKind.PROPOSAL]}\n"
    "机器人登记编号（每年从第1号起），推测类别，提示今年和去年相似的提案；被 @ 的委员会收到私信，"
    "回复“附议 编号”确认联名。其他委员回复机器人的登记消息“附议”即可联名。"
    "一事一案；正文应有“情况、分析、建议”，没有具体建议的可能不予立案。"
    "标签也可以写成 ＃提案、【提案】、#提案：。私聊提交的不会发到群里。",
)
registry.describe_topic(
    "社情民意",
    "发送：\n"
    f"{TEMPLATES[RecordKind.OPINION]}\n"
    "也可写 #民意、#社情民意信息。其他委员可发送“附议 民意 编号”联名。",
)
registry.describe_topic(
    "议题",
    f"建议协商议题：{TEMPLATES[RecordKind.TOPIC]}\n"
    "议题不设联名；赞同的委员回复登记消息“附议”或发送“附议 议题 编号”表示支持。",
)

_SUMMARIES = {
    RecordKind.PROPOSAL: "提交提案：第一行标题，其余正文；可写“联名：@委员”",
    RecordKind.OPINION: "报送社情民意信息：标题、情况、建议",
    RecordKind.TOPIC: "建议协商议题",
}
_USAGES = {
    RecordKind.PROPOSAL: "#提案 标题⏎正文",
    RecordKind.OPINION: "#社情民意 标题⏎正文",
    RecordKind.TOPIC: "#议题 内容",
}
_TOPICS = {RecordKind.PROPOSAL: "提案", RecordKind.OPINION: "社情民意", RecordKind.TOPIC: "议题"}


def _strip_slash(segments: list[Segment]) -> list[Segment]:
    """`/#提案 …`, `／＃提案：…` (typed with the command prefix) without the `/`."""
    for index, seg in enumerate(segments):
        if isinstance(seg, TextSeg) and seg.text.strip():
            text = seg.text.lstrip()
            if text[:1] in {"/", "／"}:
                return [*segments[:index], TextSeg(text[1:]), *segments[index + 1 :]]
            return segments
    return segments


async def post_command(ctx: CommandContext) -> None:
    """The same post reached through the router (e.g. typed as `/#提案 …`)."""
    await submit_post(ctx, _strip_slash(to_segments(ctx.event.get_message())))


for _kind in RecordKind:
    registry.add(
        Command(
            name=_kind.tag,
            handler=post_command,
            usage=_USAGES[_kind],
            summary=_SUMMARIES[_kind],
            topic=_TOPICS[_kind],
            role=Role.ANYONE,
            where=Where.MEMBER_GROUP | Where.PRIVATE,
            # no details: the topic's introduction shows the format (once)
        )
    )


async def _tagged(event: MessageEvent, state: T_State) -> bool:
    message = event.get_message()
    if not may_be_tagged(message):
        return False
    segments = _strip_slash(to_segments(message))
    if detect_tag(segments) is None:
        return await _mistyped(event, segments, state)
    state[SEGMENTS_KEY] = segments
    return True


async def _mistyped(event: MessageEvent, segments: list[Segment], state: T_State) -> bool:
    """`#提按 …`: worth a hint, privately and in members' groups (not in staff or unit groups)."""
    near = near_tag(segments)
    if near is None:
        return False
    if isinstance(event, GroupMessageEvent):
        binding = await get_services().channels.get(str(event.group_id))
        if binding is None or ChannelKind(binding.kind) not in MEMBER_GROUPS:
            return False
    state[HINT_KEY] = near
    return True


intake = on_every_message(_tagged, priority=5)  # handled by _take (below)


async def _take(bot: Bot, event: MessageEvent, state: T_State, identity: Identity) -> None:
    services = get_services()
    near: NearTag | None = state.get(HINT_KEY)
    if near is not None:
        await bot.send(event, reply_message(event, near_tag_hint(near)))
        return
    segments: list[Segment] = state[SEGMENTS_KEY]
    match = detect_tag(segments)
    assert match is not None
    kind = match.kind
    command = registry.get(kind.tag)
    assert command is not None
    ctx = await CommandContext.open(bot, event, services, identity, command)
    binding = ctx.binding
    if binding is not None and ChannelKind(binding.kind) in (ChannelKind.STAFF, ChannelKind.UNIT):
        text = WRONG_PLACE.format(tag=kind.tag, template=TEMPLATES[kind])
        if kind is RecordKind.TOPIC and identity.is_staff:
            text += f"\n{STAFF_TOPIC_HINT}"
        await ctx.reply(text)
        return
    await ctx.guarded(
        submit_post(ctx, segments),
        failed="intake failed",
        sorry="抱歉，登记时出错了，已记录。请稍后重发，或联系机关工作人员。",
    )


async def submit_post(ctx: CommandContext, segments: list[Segment]) -> None:
    services = ctx.services
    event = ctx.event
    if ctx.group_id is None:
        source = Source.private(str(event.message_id))
    else:
        sector = (
            ctx.binding.sector
            if ctx.binding is not None and ctx.binding.kind == ChannelKind.SECTOR
            else None
        )
        source = Source.group(ctx.group_id, str(event.message_id), sector=sector)

    async def resolve_name(user_id: str) -> str | None:
        if ctx.group_id is None:
            return None
        try:
            info = await ctx.bot.get_group_member_info(
                group_id=int(ctx.group_id), user_id=int(user_id), no_cache=False
            )
        except (ActionFailed, ValueError):
            return None
        return str(info.get("card") or info.get("nickname") or "") or None

    try:
        result = await services.intake.submit(
            segments,
            identity=ctx.identity,
            source=source,
            ignore_ids=[ctx.bot.self_id],
            resolve_name=resolve_name,
        )
    except RateLimited as exc:
        if not exc.quiet:
            await ctx.reply(exc.message)
        return
    if result.mentions_all:
        logger.warning(f"a post by {ctx.user_id} held an @全体成员; it was not repeated")
    year = services.records.current_year()
    text = intake_texts.submit_reply(result, year, private=ctx.group_id is None)
    await confirm(ctx, result.record, text)  # stored: a failed send is queued again, not an error


intake.handle()(once_admitted(_take))
