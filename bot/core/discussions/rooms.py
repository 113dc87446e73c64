"""Opening, joining, leaving, listing and choosing discussions (``#讨论``, ``加入 D3``,
``退出 D3``, ``讨论``, ``讨论 D3``, ``进入 D3``)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from bot.core.delivery.outbox import OutboxService, Target
from bot.core.discussions import texts
from bot.core.discussions.common import (
    CLOSED_GRACE,
    DEFAULT_DURATION,
    MAX_PARTICIPANTS,
    MIN_PARTICIPANTS,
    PURPOSE,
    Room,
    check_duration,
    key_prefix,
    label,
    load_room,
    parse_duration,
)
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import (
    Discussion,
    DiscussionParticipant,
    DiscussionStatus,
    Member,
    Record,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.identity import Identity
    from bot.core.records.service import RecordService

_ABOUT = re.compile(r"第\s*(\d{1,5}(?:-\d{1,5})?)\s*号\s*(提案|社情民意信息|社情民意|议题)?")
_KINDS = {"提案": RecordKind.PROPOSAL, "社情民意信息": RecordKind.OPINION}
_KINDS |= {"社情民意": RecordKind.OPINION, "议题": RecordKind.TOPIC}
NOT_ON_ROSTER = (
    "{who}不在委员名单中，不能邀请。请核对姓名，或写QQ号；"
    "如其是委员，请其先在委员群里发一句话完成登记（机器人按群名片登记）。"
)


@dataclass
class Draft:
    """What ``#讨论`` asked for: the topic, whom (ids @-ed, names or QQ numbers typed), how long."""

    topic: str
    mentions: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    duration: timedelta = DEFAULT_DURATION


def parse_draft(words: Sequence[str], mentions: Sequence[str], *, private: bool) -> Draft:
    """``主题 [48小时]`` with @s in a group; ``主题 张三 10086 [3天]`` privately."""
    duration = DEFAULT_DURATION
    rest: list[str] = []
    for word in words:
        parsed = parse_duration(word.strip("[]［］()（）"))
        if parsed is not None:
            duration = check_duration(parsed)
        elif word.strip("[]［］、，,：:"):
            rest.append(word.strip("[]［］、，,：:"))
    if not rest:
        raise InvalidInput(f"请写讨论的主题。{texts.CREATE_USAGE}")
    if private and not mentions:
        topic, names = rest[0], [w for w in rest[1:] if w not in {"邀请", "参加", "和"}]
    else:
        topic, names = " ".join(rest), []
    return Draft(topic[:200], list(mentions), names, duration)


@dataclass(eq=False)
class DiscussionRooms:
    db: Database
    clock: Clock
    outbox: OutboxService
    records: RecordService

    # ------------------------------------------------------------------ #讨论

    async def create(
        self, identity: Identity, draft: Draft, *, origin_group_id: str | None
    ) -> Room:
        creator = _roster_entry(identity)
        people = await self._people(draft, identity.platform)
        people = [m for m in people if m.user_id != identity.user_id]
        total = len(people) + 1
        if total < MIN_PARTICIPANTS:
            raise InvalidInput(f"讨论至少要有2位参加者，请邀请至少一位委员。{texts.CREATE_USAGE}")
        if total > MAX_PARTICIPANTS:
            raise InvalidInput(
                f"一个讨论最多{MAX_PARTICIPANTS}人（现在是{total}人）。"
                "请减少邀请的人数，或分成几个讨论。"
            )
        about = await self._about(identity, draft.topic)
        now = self.clock.now()
        async with self.db.session() as session:
            discussion = Discussion(
                platform=identity.platform,
                topic=draft.topic,
                creator_user_id=identity.user_id,
                creator_name=creator.name[:64],
                origin_group_id=origin_group_id,
                about_record_id=about.id if about else None,
                created_at=now,
                ends_at=now + draft.duration,
            )
            session.add(discussion)
            await session.flush()
            room = Room(discussion, [])
            for member in [creator, *people]:
                person = _participant(discussion, member, now)
                session.add(person)
                room.participants.append(person)
            await session.flush()
            for person in room.participants[1:]:
                await self._tell(
                    session, room, person.user_id, texts.invitation(room, creator.name)
                )
            await session.commit()
        return room

    async def _people(self, draft: Draft, platform: str) -> list[Member]:
        """The roster entries of those named; refuses anyone who is not on it."""
        ids = list(dict.fromkeys(draft.mentions))
        found = await self._by_ids(ids, platform)
        for user_id in ids:
            if user_id not in found:
                raise InvalidInput(NOT_ON_ROSTER.format(who=f"QQ {user_id}"))
        people = [found[i] for i in ids]
        for word in draft.names:
            people.append(await self._by_name(word, platform))
        unique: dict[str, Member] = {}
        for member in people:
            unique.setdefault(member.user_id, member)
        return list(unique.values())

    async def _by_ids(self, ids: list[str], platform: str) -> dict[str, Member]:
        if not ids:
            return {}
        async with self.db.session() as session:
            rows = await session.exec(
                select(Member).where(
                    Member.platform == platform, col(Member.user_id).in_(ids), Member.active
                )
            )
            return {m.user_id: m for m in rows.all()}

    async def _by_name(self, word: str, platform: str) -> Member:
        async with self.db.session() as session:
            column = Member.user_id if word.isdigit() else Member.name
            rows = list(
                (
                    await session.exec(
                        select(Member).where(
                            Member.platform == platform, column == word, Member.active
                        )
                    )
                ).all()
            )
        if not rows:
            raise InvalidInput(NOT_ON_ROSTER.format(who=f"“{word[:20]}”"))
        if len(rows) > 1:
            raise InvalidInput(f"名单中有{len(rows)}位“{word[:20]}”，请改写其QQ号。")
        return rows[0]

    async def _about(self, identity: Identity, topic: str) -> Record | None:
        """Staff link a discussion to a record: ``关于第17号提案``."""
        match = _ABOUT.search(topic)
        if match is None or not identity.is_staff:
            return None
        kind = _KINDS.get(match.group(2) or "提案", RecordKind.PROPOSAL)
        return await self.records.resolve(kind, match.group(1))

    async def _tell(self, session: AsyncSession, room: Room, user_id: str, text: str) -> None:
        d = room.discussion
        await self.outbox.enqueue(
            Target.private(user_id, d.platform),
            text,
            purpose=PURPOSE,
            # a key of its own (the prefix says which discussion: bot/core/discussions/reach.py)
            dedup_key=f"{key_prefix(d.id or 0)}note:{uuid.uuid4().hex[:16]}:u{user_id}",
            session=session,
        )

    # ------------------------------------------------------------------ 加入 / 退出

    async def join(self, identity: Identity, number: int, group_id: str | None) -> Room:
        member = _roster_entry(identity)
        now = self.clock.now()
        async with self.db.session() as session:
            room = await load_room(session, number)
            d = room.discussion
            _check_open(room)
            if room.is_active(identity.user_id):
                raise InvalidInput(f"您已在讨论{label(d)}中。私聊机器人发消息即可参与讨论。")
            if d.origin_group_id is None:
                raise PermissionDenied(
                    f"讨论{label(d)}是私聊发起的，只有被邀请的人可以参加。请联系发起人{d.creator_name}。"
                )
            if group_id != d.origin_group_id:
                raise PermissionDenied(f"请在发起讨论{label(d)}的群里发送“加入 {label(d)}”。")
            if len(room.active) >= MAX_PARTICIPANTS:
                raise InvalidInput(f"讨论{label(d)}已满{MAX_PARTICIPANTS}人，不能再加入。")
            person = room.participant(identity.user_id)
            if person is None:
                person = _participant(d, member, now)
                room.participants.append(person)
            person.left_at = None
            person.joined_at = now
            session.add(person)
            await session.flush()
            await self._tell(
                session, room, identity.user_id, texts.invitation(room, d.creator_name)
            )
            for other in room.active:
                if other.user_id != identity.user_id:
                    await self._tell(
                        session, room, other.user_id, texts.joined_notice(room, member.name)
                    )
            await session.commit()
        return room

    async def leave(self, identity: Identity, number: int) -> Room:
        now = self.clock.now()
        async with self.db.session() as session:
            room = await load_room(session, number)
            person = room.participant(identity.user_id)
            if person is None or person.left_at is not None:
                raise InvalidInput(f"您不在讨论{label(room.discussion)}中，不需要退出。")
            _check_open(room)
            person.left_at = now
            person.chosen_at = None
            session.add(person)
            for other in room.active:
                await self._tell(session, room, other.user_id, texts.left_notice(room, person.name))
            await session.commit()
        return room

    # ------------------------------------------------------------------ 讨论 / 讨论 D3 / 进入

    async def mine(self, user_id: str, platform: str = "qq") -> list[Room]:
        """The open discussions ``user_id`` takes part in, oldest first."""
        return [r for r in await self._rooms_of(user_id, platform) if r.is_open]

    async def show(
        self, identity: Identity, number: int, group_id: str | None, *, staff_group: bool = False
    ) -> Room:
        """讨论 D3: privately for its participants and staff; in a group only where it was
        opened (its topic and participants were announced there), or in the staff group."""
        async with self.db.session() as session:
            room = await load_room(session, number)
        d = room.discussion
        if group_id is not None and group_id != d.origin_group_id and not staff_group:
            raise PermissionDenied(
                f"讨论{label(d)}不是在本群发起的，请私聊机器人发送“讨论 {label(d)}”查看。"
            )
        in_origin = group_id is not None and group_id == d.origin_group_id
        if not (room.participant(identity.user_id) or identity.is_staff or in_origin):
            raise PermissionDenied(f"您没有参加讨论{label(d)}。发送“讨论”查看您参加的讨论。")
        return room

    async def choose(self, identity: Identity, number: int) -> Room:
        async with self.db.session() as session:
            room = await load_room(session, number)
            person = room.participant(identity.user_id)
            if person is None or person.left_at is not None:
                hint = (
                    f"在发起的群里发送“加入 {label(room.discussion)}”加入"
                    if room.discussion.origin_group_id
                    else "请联系发起人邀请您"
                )
                raise PermissionDenied(f"您不在讨论{label(room.discussion)}中。{hint}。")
            _check_open(room)
            person.chosen_at = self.clock.now()
            session.add(person)
            await session.commit()
        return room

    async def current(self, user_id: str, platform: str = "qq") -> tuple[Room | None, list[Room]]:
        """Where a participant's private message goes: (the room, []) when one is chosen or
        only one is open; (None, the open rooms) when they must choose; (None, [a room closed
        lately]) when none is open; (None, []) when they take part in none."""
        rooms = await self._rooms_of(user_id, platform, grace=CLOSED_GRACE)
        open_rooms = [r for r in rooms if r.is_open]
        if len(open_rooms) == 1:
            return open_rooms[0], []
        if open_rooms:
            chosen = [(r.participant(user_id).chosen_at, r) for r in open_rooms]  # type: ignore[union-attr]
            picked = [(at, r) for at, r in chosen if at is not None]
            if picked:
                return max(picked, key=lambda pair: pair[0])[1], []
            return None, open_rooms
        return None, rooms[-1:]

    async def takes_part(self, user_id: str, platform: str = "qq") -> bool:
        """Cheap check for the relay's rule: in an open (or lately closed) discussion."""
        async with self.db.session() as session:
            query = self._taking_part(user_id, platform, CLOSED_GRACE).limit(1)
            return (await session.exec(query)).first() is not None

    async def _rooms_of(
        self, user_id: str, platform: str, grace: timedelta | None = None
    ) -> list[Room]:
        async with self.db.session() as session:
            query = self._taking_part(user_id, platform, grace).order_by(col(Discussion.id))
            ids = list((await session.exec(query)).all())
            return [await load_room(session, number) for number in ids]

    def _taking_part(self, user_id: str, platform: str, grace: timedelta | None) -> Any:
        """The ids of the discussions ``user_id`` is in: open, or closed within ``grace``."""
        status = Discussion.status == DiscussionStatus.OPEN
        if grace is not None:
            status = status | (col(Discussion.closed_at) >= self.clock.now() - grace)
        return (
            select(DiscussionParticipant.discussion_id)
            .join(Discussion, col(Discussion.id) == col(DiscussionParticipant.discussion_id))
            .where(
                DiscussionParticipant.platform == platform,
                DiscussionParticipant.user_id == user_id,
                col(DiscussionParticipant.left_at).is_(None),
                status,
            )
        )


def _roster_entry(identity: Identity) -> Member:
    member = identity.member
    if member is None or not member.active:
        raise PermissionDenied(
            "您还不在委员名单中，暂时不能使用讨论组。请先在委员群里发一句话完成登记"
            "（机器人按群名片登记），或联系机关工作人员。"
        )
    return member


def _participant(discussion: Discussion, member: Member, now: datetime) -> DiscussionParticipant:
    return DiscussionParticipant(
        discussion_id=discussion.id or 0,
        platform=discussion.platform,
        user_id=member.user_id,
        name=member.name[:64],
        joined_at=now,
    )


def _check_open(room: Room) -> None:
    if not room.is_open:
        raise InvalidInput(texts.closed_refusal(room).replace("这条消息没有转发。", ""))
