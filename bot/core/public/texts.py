"""The chat texts of public engagement: the staff announcement, the pending list, approved
comments, the 提案选题参考 list. User text is quoted as text, never as markup."""

from __future__ import annotations

from bot.core.clock import format_local
from bot.core.models import CommentTarget, PublicComment, PublicTip

PUBLIC = "网民"
SNIPPET = 60


def public_name(name: str) -> str:
    """How a member of the public is named: what they gave, or 网民."""
    name = name.strip()
    return f"{name}（网民）" if name and not name.isdigit() else PUBLIC


def _snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def comment_line(comment: PublicComment) -> str:
    what = {
        CommentTarget.TOPIC: "议题留言",
        CommentTarget.PLAN: "协商计划留言",
        CommentTarget.SUGGESTION: "议题建议",
    }.get(CommentTarget(comment.target), "留言")
    head = f"《{_snippet(comment.title, 30)}》" if comment.title else ""
    on = f"（议题记录{comment.record_id}）" if comment.record_id and not comment.title else ""
    return f"{comment.id}. {what}{on}{head}：{_snippet(comment.body)}——{public_name(comment.name)}"


def tip_line(tip: PublicTip) -> str:
    category = f"［{tip.category}］" if tip.category else ""
    return (
        f"L{tip.id}. {category}{_snippet(tip.matter, 40)}（{_snippet(tip.place, 20)}）："
        f"{_snippet(tip.suggestion)}"
    )


def announcement(comments: list[PublicComment], tips: list[PublicTip], limit: int) -> str:
    total = len(comments) + len(tips)
    lines = [f"网页新收到{total}条待审核的公众留言与线索："]
    shown = [*map(comment_line, comments), *map(tip_line, tips)]
    lines += shown[:limit]
    if total > limit:
        lines.append(f"……另有{total - limit}条，发送“评论”查看全部。")
    lines.append("审核：评论 通过 12 13｜评论 隐藏 12（线索写 L5）。通过后才在网页上显示。")
    return "\n".join(lines)


def pending_text(comments: list[PublicComment], tips: list[PublicTip], limit: int = 40) -> str:
    if not comments and not tips:
        return "目前没有待审核的公众留言或线索。"
    lines = [f"待审核：留言{len(comments)}条，提案线索{len(tips)}条。"]
    shown = [*map(comment_line, comments), *map(tip_line, tips)]
    lines += shown[:limit]
    if len(shown) > limit:
        lines.append(f"……另有{len(shown) - limit}条，审核后再发“评论”查看。")
    lines.append("审核：评论 通过 12 13｜评论 隐藏 12（线索写 L5）。")
    return "\n".join(lines)


def comments_text(comments: list[PublicComment]) -> str:
    if not comments:
        return "网民留言：暂无（审核通过后显示）。"
    lines = [f"网民留言（{len(comments)}条，已审核）："]
    for c in comments:
        lines.append(f"· {public_name(c.name)}（{format_local(c.created_at, False)}）：{c.body}")
    return "\n".join(lines)


def tips_text(tips: list[PublicTip], category: str, categories: list[str]) -> str:
    scope = f"“{category}”类" if category else ""
    if not tips:
        return f"提案选题参考：暂无{scope}已审核的群众提案线索。" + (
            f"可选类别：{'、'.join(categories)}。" if categories else ""
        )
    lines = [f"提案选题参考（群众提案线索{scope}，共{len(tips)}条，新的在前）："]
    for tip in tips:
        taken = "（已有委员据此提出提案）" if tip.taken_record_id else ""
        lines.append(tip_line(tip) + taken)
    lines.append("据线索写提案时，在提案末尾另起一行写“线索 L编号”，例如：线索 L3")
    return "\n".join(lines)


def rating_line(year: int, satisfied: int, basic: int, unsatisfied: int) -> str:
    """统计's line for the public's ratings: counted apart from the members' evaluations."""
    total = satisfied + basic + unsatisfied
    if not total:
        return f"· 网民满意度（公开网页上的公众评价，与委员评价分开统计）：{year}年暂无评价"
    rate = (satisfied + basic) / total * 100
    return (
        f"· 网民满意度（公开网页上的公众评价，与委员评价分开统计）：满意率 {rate:.1f}%"
        f"（满意 {satisfied}、基本满意 {basic}、不满意 {unsatisfied}，共 {total} 人次）"
    )
