"""讨论转提案: a discussion drafted into a joint proposal through intake's own path.

The creator becomes the proposer and the other participants are named as co-signers, exactly
as if the creator had posted ``#提案 标题⏎正文⏎联名：@…`` privately: the same parser, checks,
numbering, invitations (they confirm with 附议) and staff notice (IntakeService.submit). The
timeline's submit entry says ``来自讨论组D3``; the discussion remembers the proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col

from bot.core.discussions.common import Room, label, load_room, messages_of
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake.results import Source, SubmitResult
from bot.core.intake.segments import MentionSeg, Segment, TextSeg
from bot.core.models import Discussion, DiscussionMessage, Record

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.db import Database
    from bot.core.intake.submit import IntakeService
    from bot.core.people.identity import Identity
    from bot.core.records.service import RecordService

_SUGGESTION = re.compile(r"^(建议|应当|应该|要|希望|一是|二是|三是|请|可以|可否|能否)|建议")
_MARKER = re.compile(r"\[(图片|文件[^\]]*)\]")


def is_suggestion(text: str) -> bool:
    return bool(_SUGGESTION.search(text.strip()))


def assemble_body(messages: Sequence[DiscussionMessage]) -> str:
    """情况 / 建议 from what was said: messages that suggest go under 建议, the rest under 情况."""
    situation: list[str] = []
    suggestions: list[str] = []
    for message in messages:
        text = _MARKER.sub("", message.text).strip()
        if not text:
            continue
        (suggestions if is_suggestion(text) else situation).append(text)
    parts = []
    if situation:
        parts.append("情况：\n" + "\n".join(situation))
    if suggestions:
        parts.append("建议：\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(suggestions, 1)))
    return "\n".join(parts)


def default_title(topic: str) -> str:
    """The topic as a proposal title: ``农村污水治理`` -> ``关于农村污水治理的建议``."""
    topic = topic.strip()
    if topic.startswith("关于") or len(topic) > 40:
        return topic
    return f"关于{topic}的建议"


def post_segments(room: Room, title: str, body: str, creator_id: str) -> list[Segment]:
    """The post the creator would have typed: ``#提案 标题⏎正文⏎联名：@…``."""
    segments: list[Segment] = [TextSeg(f"#提案 {title}\n{body}\n")]
    cosigners = [p for p in room.active if p.user_id != creator_id]
    if cosigners:
        segments.append(TextSeg("联名："))
        for person in cosigners:
            segments.extend([MentionSeg(person.user_id, person.name), TextSeg(" ")])
    return segments


@dataclass(eq=False)
class DiscussionProposals:
    db: Database
    intake: IntakeService
    records: RecordService

    async def convert(
        self, identity: Identity, number: int, title: str, *, message_id: str | None
    ) -> SubmitResult:
        async with self.db.session() as session:
            room = await load_room(session, number)
            messages = await messages_of(session, number)
            earlier = (
                await session.get(Record, room.discussion.proposal_id)
                if room.discussion.proposal_id
                else None
            )
        d = room.discussion
        if identity.user_id != d.creator_user_id:
            raise PermissionDenied(
                f"只有发起人{d.creator_name}可以把讨论{label(d)}转为提案。"
                "您可以请发起人发送“讨论转提案 " + label(d) + "”，转成后回复“附议”联名。"
            )
        if earlier is not None:
            raise InvalidInput(
                f"讨论{label(d)}已转为提案第{earlier.number}号《{earlier.title}》。"
                f"发送“查提案 {earlier.number}”查看。"
            )
        body = assemble_body(messages)
        if not body:
            raise InvalidInput(
                f"讨论{label(d)}还没有文字发言，无法整理成提案。"
                "请先在讨论中交流意见，或直接发送“#提案 标题⏎正文”提交。"
            )
        title = title.strip() or default_title(d.topic)
        source = Source(
            "private", None, message_id, platform=d.platform, origin=f"来自讨论组{label(d)}"
        )
        result = await self.intake.submit(
            post_segments(room, title, body, identity.user_id),
            identity=identity,
            source=source,
        )
        async with self.db.session() as session:
            await session.exec(  # type: ignore[call-overload]
                update(Discussion)
                .where(col(Discussion.id) == number)
                .values(proposal_id=result.record.id)
            )
            await session.commit()
        return result
