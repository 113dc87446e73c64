"""The Chinese texts of intake: replies to posts and record commands, invitations, staff notices.

Pure functions of records (no framework), shared by the intake and records plugins and by the
notifications the intake services queue. `public` means the text is shown in a members' group: a record
submitted privately is then never shown with its title or proposer (DESIGN §4: nothing sent
privately is echoed to a group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.clock import format_local
from bot.core.intake.results import (
    CosignOutcome,
    CosignResult,
    Overview,
    RecordDetail,
    SimilarRecord,
    SubmitResult,
)
from bot.core.models import Cosign, CosignStatus, Member, Record, RecordStatus, TimelineEntry
from bot.core.records.kinds import RecordKind
from bot.core.records.service import record_label, ref_text

if TYPE_CHECKING:
    from collections.abc import Sequence

QUERY_COMMANDS: dict[RecordKind, str] = {kind: f"查{kind.short_label}" for kind in RecordKind}
"""查提案 / 查民意 / 查议题."""
_KIND_ARG: dict[RecordKind, str] = {
    kind: "" if kind is RecordKind.PROPOSAL else f"{kind.short_label} " for kind in RecordKind
}
"""What goes before the number in 附议 / 撤回: nothing for a proposal, `民意 ` / `议题 `."""
NO_SUGGESTION_WARNING = (
    "提醒：正文中没有找到具体建议。提案应写明“情况、分析、建议”，没有具体建议的可能不予立案；"
    "可撤回后补充建议重新提交。"
)
TOPIC_NO_COSIGN = "议题不设联名，帖子里的 @ 和联名未作登记；赞同的委员可附议表示支持。"
EXCERPT = 300
TIMELINE_SHOWN = 15
ACTION_LABELS: dict[str, str] = {
    "submit": "提交",
    "cosign": "附议",
    "withdraw": "撤回",
    "accept": "立案",
    "reject": "不予立案",
    "merge": "并案",
    "merged_in": "并入",
    "convert": "转社情民意",
    "assign": "交办",
    "reassign": "调整交办",
    "deadline": "调整办理时限",
    "progress": "办理进展",
    "answer": "答复",
    "evaluate": "评价",
    "rehandle": "重新办理",
    "conclude": "办结",
    "key": "列为重点提案",
    "unkey": "取消重点",
    "assist_opinion": "会办意见",
    "supervise": "督办",
    "key_leader": "督办领导",
    "consult": "办理协商",
    "quality": "提案质量评价",
    "lookback": "回头看",
    "reopen": "重新办理",
    "excellent": "优秀提案",
    "unexcellent": "取消优秀提案",
    "adopt": "采用",
    "not_adopt": "未采用",
    "submit_up": "报送",
    "instruction": "批示",
    "instruct": "批示",
    "implement": "落实",
    "plan": "列入协商计划",
    "not_plan": "暂不列入协商计划",
    "activity": "协商活动",
    "result": "协商成果",
    "edit": "修改",
    "category": "调整类别",
}


def label(record: Record, year: int) -> str:
    """`提案第17号`, with the year when it is not the current one."""
    return record_label(record, current_year=year)


def query_command(record: Record, year: int) -> str:
    return f"{QUERY_COMMANDS[RecordKind(record.kind)]} {ref_text(record, year)}"


def cosign_command(record: Record, year: int) -> str:
    return f"附议 {_KIND_ARG[RecordKind(record.kind)]}{ref_text(record, year)}"


def withdraw_command(record: Record, year: int) -> str:
    return f"撤回 {_KIND_ARG[RecordKind(record.kind)]}{ref_text(record, year)}"


def cosign_noun(kind: RecordKind) -> str:
    """Proposals and opinion leads are co-signed (联名); topics are supported (支持)."""
    return "支持" if kind is RecordKind.TOPIC else "联名"


def person(name: str, sector: str | None) -> str:
    return f"{name}（{sector}）" if sector else name


def join_keywords(words: Sequence[str], limit: int = 255) -> str:
    out = ""
    for word in words:
        candidate = f"{out},{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def not_a_member(action: str = "附议") -> str:
    return (
        f"只有在册委员可以{action}。请先在委员群里发一句话，机器人会按群名片（如“农业界-张三”）"
        "自动登记；或请机关工作人员发送“委员 设置 @您 界别 您的界别”登记。"
    )


def unresolved_cosigner(name: str) -> str:
    return (
        f"委员名单中找不到唯一的“{name}”，未加入联名。请在帖子里用 @ 联名，或请其回复本消息“附议”。"
    )


def _hidden(record: Record, public: bool) -> bool:
    return public and record.source_kind == "private"


def _title(record: Record, public: bool) -> str:
    return "（私聊提交，不在群内显示）" if _hidden(record, public) else f"《{record.title}》"


# --------------------------------------------------------------------------- submission


def similar_line(item: SimilarRecord, year: int, *, public: bool) -> str:
    record = item.record
    kind = RecordKind(record.kind)
    number = kind.format_number(record.number, None if record.year == year else record.year)
    who = "" if _hidden(record, public) else f"（{record.proposer_name}）"
    title = "（私聊提交）" if _hidden(record, public) else f"《{record.title}》"
    head = f"与{number}{title}{who}相似"
    if record.status in (RecordStatus.SUBMITTED, RecordStatus.ACCEPTED):
        if kind is RecordKind.PROPOSAL:
            return f"{head}，可回复“{cosign_command(record, year)}”联名或申请并案"
        if kind is RecordKind.OPINION:
            return f"{head}，可回复“{cosign_command(record, year)}”联名"
        return f"{head}，可回复“{cosign_command(record, year)}”表示支持"
    status = RecordStatus(record.status).label
    return f"{head}（{status}），可发送“{query_command(record, year)}”查看办理情况"


def submit_reply(result: SubmitResult, year: int, *, private: bool) -> str:
    """The answer to a tagged post."""
    record = result.record
    kind = RecordKind(record.kind)
    if result.duplicate:
        return (
            f"您在24小时内已提交过相同内容，编号是{label(record, year)}《{record.title}》"
            f"（{RecordStatus(record.status).label}），不再重复登记。查看进度：{query_command(record, year)}"
        )
    lines = [f"已登记：{label(record, year)}《{record.title}》"]
    lines.append(f"提出人：{person(record.proposer_name, record.proposer_sector)}")
    if result.cosigners:
        names = "、".join(f"{c.name}（待确认）" for c in result.cosigners)
        lines.append(f"联名：{names}。已私信邀请，对方发送“{cosign_command(record, year)}”即确认")
    if record.category:
        lines.append(f"类别：{record.category}（机器人推测，审核时可调整）")
    if record.attachments:
        lines.append(f"附件：{len(record.attachments)}个（已保存）")
    lines.extend(result.warnings)
    if result.similar:
        lines.append("相似的已有" + kind.label + "：")
        # someone else's private submission is never shown with its title, even privately
        lines.extend(
            f"· {similar_line(s, year, public=not private or s.record.proposer_user_id != record.proposer_user_id)}"
            for s in result.similar
        )
    elif not result.similar_checked:
        lines.append("（相似内容检索正在准备中，本次未检查。可稍后发送“搜索 关键词”查找。）")
    tail = []
    if not private:
        verb = "表示支持" if kind is RecordKind.TOPIC else "联名"
        tail.append(f"其他委员可回复本消息“附议”{verb}")
    tail.append(f"查看进度：{query_command(record, year)}")
    if record.status == RecordStatus.SUBMITTED:
        tail.append(f"审核前可发送“{withdraw_command(record, year)}”撤回")
    lines.append("；".join(tail) + "。")
    if private:
        lines.append("（私聊提交的内容不会发到群里。）")
    return "\n".join(lines)


def invitation(record: Record, proposer: Member, year: int) -> str:
    kind = RecordKind(record.kind)
    return (
        f"{person(proposer.name, proposer.sector)}邀请您联名{kind.label}"
        f"{kind.format_number(record.number, None if record.year == year else record.year)}"
        f"《{record.title}》。\n同意请发送“{cosign_command(record, year)}”确认；不同意无需操作。"
        f"发送“{query_command(record, year)}”可查看内容。"
    )


def cosign_notice(record: Record, member: Member, confirmed: int, year: int) -> str:
    kind = RecordKind(record.kind)
    noun = cosign_noun(kind)
    return (
        f"{person(member.name, member.sector)}附议了您的{label(record, year)}《{record.title}》，"
        f"目前{noun}{confirmed}人。发送“{query_command(record, year)}”查看。"
    )


def staff_notice(
    record: Record, cosigners: Sequence[Cosign], similar: Sequence[SimilarRecord], year: int
) -> str:
    kind = RecordKind(record.kind)
    lines = [f"【待审核】{label(record, year)}《{record.title}》"]
    source = "私聊提交" if record.source_kind == "private" else "群聊提交"
    lines.append(f"提出人：{person(record.proposer_name, record.proposer_sector)}；{source}")
    if cosigners:
        lines.append("邀请联名：" + "、".join(c.name for c in cosigners))
    if record.category:
        lines.append(f"类别（推测）：{record.category}")
    if kind is RecordKind.PROPOSAL and not record.has_suggestion:
        lines.append("注意：正文中没有找到具体建议。")
    for item in similar:
        other = item.record
        lines.append(f"相似：{label(other, year)}《{other.title}》（{other.proposer_name}）")
    hint = f"查看全文：{query_command(record, year)}"
    if kind is RecordKind.PROPOSAL:
        n = ref_text(record, year)
        hint += f"；审核：立案 {n} ／ 不立案 {n} 理由 ／ 并案 {n} 到 编号"
    lines.append(hint)
    return "\n".join(lines)


# --------------------------------------------------------------------------- commands


def cosign_reply(result: CosignResult, year: int, *, public: bool = False) -> str:
    """`public`: the answer goes to a members' group (a private submission's title is left out)."""
    record = result.record
    kind = RecordKind(record.kind)
    noun = cosign_noun(kind)
    name = label(record, year) + ("" if _hidden(record, public) else f"《{record.title}》")
    if result.outcome is CosignOutcome.ALREADY:
        return f"您已附议过{name}，已计入（目前{noun}{result.confirmed}人），无需重复。"
    if result.outcome is CosignOutcome.CONFIRMED:
        return f"已确认联名{name}，目前联名{result.confirmed}人。"
    if kind is RecordKind.TOPIC:
        return f"已记录您对{name}的支持，目前支持{result.confirmed}人。"
    return f"已附议{name}，您已列为联名人，目前联名{result.confirmed}人。"


def _cosign_summary(kind: RecordKind, cosigns: Sequence[Cosign]) -> list[str]:
    confirmed = [c.name for c in cosigns if c.status == CosignStatus.CONFIRMED]
    pending = [c.name for c in cosigns if c.status == CosignStatus.PENDING]
    noun = cosign_noun(kind)
    lines = []
    if confirmed:
        lines.append(f"{noun}（{len(confirmed)}人）：{'、'.join(confirmed)}")
    if pending:
        lines.append(f"待确认联名：{'、'.join(pending)}")
    if not lines:
        lines.append(f"{noun}：暂无")
    return lines


def _action(entry: TimelineEntry) -> str:
    if entry.action in ACTION_LABELS:
        return ACTION_LABELS[entry.action]
    if entry.to_status:
        try:
            return RecordStatus(entry.to_status).label
        except ValueError:
            pass
    return "记录"


def detail_text(detail: RecordDetail, year: int, *, full: bool = False) -> str:
    """`查提案` and the like. `full`: the whole body (a private chat with someone allowed to read
    the record; the reply is then sent in several messages when long). Otherwise (a group) the
    body stops after :data:`EXCERPT` characters, saying how to get the rest privately."""
    record = detail.record
    kind = RecordKind(record.kind)
    lines = [f"{label(record, year)}《{record.title}》"]
    lines.append(f"状态：{RecordStatus(record.status).label}")
    lines.append(f"提出人：{person(record.proposer_name, record.proposer_sector)}")
    lines.extend(_cosign_summary(kind, detail.cosigns))
    if record.category:
        lines.append(f"类别：{record.category}")
    if record.keywords:
        lines.append(f"关键词：{record.keywords.replace(',', '、')}")
    source = {"private": "私聊", "staff": "机关录入"}.get(record.source_kind, "群聊")
    lines.append(f"提交时间：{format_local(record.created_at)}（{source}）")
    if kind is RecordKind.PROPOSAL and not record.has_suggestion:
        lines.append("注意：正文中没有找到具体建议。")
    if record.attachments:
        lines.append(f"附件：{len(record.attachments)}个")
    if record.body:
        body = record.body
        if not full and len(body) > EXCERPT:
            body = (
                body[:EXCERPT] + f"……（全文共{len(body)}字，请私聊机器人发送"
                f"“{query_command(record, year)}”查看全文）"
            )
        lines.append(f"内容：{body}")
    entries = detail.timeline
    lines.append("办理进程" + ("（含内部记录）" if detail.internal else "") + "：")
    if len(entries) > TIMELINE_SHOWN:
        lines.append(f"（共{len(entries)}条，显示最近{TIMELINE_SHOWN}条）")
        entries = entries[-TIMELINE_SHOWN:]
    for entry in entries:
        who = f"（{entry.actor_name}）" if entry.actor_name else ""
        note = f"：{entry.detail}" if entry.detail else ""
        inner = "〔内部〕" if not entry.public else ""
        lines.append(f"· {format_local(entry.at)} {inner}{_action(entry)}{who}{note}")
    return "\n".join(lines)


def hidden_in_group(record: Record, year: int) -> str:
    return f"{label(record, year)}是私聊提交的，不在群里显示。请私聊机器人发送“{query_command(record, year)}”查看。"


def private_cosign_refused(record: Record, year: int) -> str:
    return (
        f"{label(record, year)}是委员私聊提交的，只有提出人邀请的联名委员可以确认联名。"
        f"如需联名，请与提出人联系，由其在提交时写明“联名：@您”；也可以自己另提一件。"
    )


def private_to_others(record: Record, year: int) -> str:
    return (
        f"{label(record, year)}是委员私聊提交的，只有提出人、联名委员、机关工作人员和承办单位"
        "联系人可以查看。如需了解，请联系机关工作人员。"
    )


def _line(record: Record, year: int) -> str:
    status = RecordStatus(record.status).label
    return f"· {label(record, year)}《{record.title}》{status}"


def mine_text(overview: Overview, year: int) -> str:
    lines: list[str] = []
    if overview.submitted:
        more = (
            f"（共{overview.submitted_total}件，显示最近{len(overview.submitted)}件）"
            if overview.submitted_total > len(overview.submitted)
            else ""
        )
        lines.append(f"我提交的{more}：")
        lines.extend(_line(r, year) for r in overview.submitted)
    if overview.hidden_private:
        lines.append(
            f"另有{overview.hidden_private}件私聊提交的不在群里显示，请私聊机器人发送“我的”查看。"
        )
    if overview.cosigned:
        lines.append("我附议的：")
        lines.extend(_line(r, year) for r in overview.cosigned)
    if overview.invitations:
        lines.append("待我确认的联名邀请：")
        lines.extend(
            f"· {label(r, year)}《{r.title}》（{r.proposer_name}邀请），同意请发送“{cosign_command(r, year)}”"
            for r in overview.invitations
        )
    if overview.awaiting_evaluation:
        lines.append("待我评价的答复：")
        for record, answer in overview.awaiting_evaluation:
            n = ref_text(record, year)
            lines.append(
                f"· {label(record, year)}《{record.title}》已答复（{answer.category}类），"
                f"请发送“评价 {n} 满意｜基本满意｜不满意 [意见]”"
            )
    if not lines:
        return (
            "您还没有提交或附议过提案、社情民意、议题，也没有待办事项。"
            "发送“帮助 提案”查看怎么提交。"
        )
    return "\n".join(lines)


def search_text(query: str, records: Sequence[Record], more: bool, year: int) -> str:
    if not records:
        return (
            f"没有找到含“{query[:30]}”的提案、社情民意或议题。可以换个关键词，"
            "或用空格分开多个词，例如：搜索 农村 污水"
        )
    head = f"含“{query[:30]}”的记录（最新{len(records)}件{'，还有更早的' if more else ''}）："
    lines = [head]
    for record in records:
        lines.append(
            f"· {label(record, year)}《{record.title}》{record.proposer_name} · "
            f"{RecordStatus(record.status).label} · {format_local(record.created_at, with_time=False)}"
        )
    lines.append("查看详情：查提案 编号（社情民意用“查民意 编号”，议题用“查议题 编号”）")
    return "\n".join(lines)
