"""Shared set-up for the workflow tests: people, units, proposals, and what the outbox holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.models import (
    Cosign,
    CosignStatus,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.people.members import MemberUpdate
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor, write_timeline
from bot.core.workflow.common import Requester
from tests.utils import GROUP_ID, SUPERUSER, outbox_rows, outbox_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.services import Services

STAFF = "30001"
PROPOSER = "20001"
COSIGNER = "20002"
MEMBER = "20009"  # a member who is neither proposer nor co-signer
EDU_CONTACT = "40001"  # 县教育局
FIN_CONTACT = "40002"  # 县财政局
OUTSIDER = "50001"  # nobody: not on the roster

EDU = "县教育局"
FIN = "县财政局"
HOUSING = "县住建局"  # no contact person

TITLE = "关于加快推进农村生活污水治理的建议"
BODY = "我县农村生活污水处理设施覆盖率低。\n建议：一是统筹规划；二是加大投入。"

__all__ = ["SUPERUSER", "outbox"]


async def setup_people(services: Services) -> dict[str, Unit]:
    """Staff, members, and three units (教育局 and 财政局 with a contact each, 住建局 without)."""
    await services.members.set_staff(STAFF, True, display_name="王秘书")
    await services.members.update(PROPOSER, MemberUpdate(sector="农业界", name="张三"))
    await services.members.update(COSIGNER, MemberUpdate(sector="农业界", name="李四"))
    await services.members.update(MEMBER, MemberUpdate(sector="经济界", name="赵六"))
    units: dict[str, Unit] = {}
    for name in (EDU, FIN, HOUSING):
        units[name], _ = await services.units.add(name)
    await services.units.set_contact(units[EDU], EDU_CONTACT, "教育局小刘")
    await services.units.set_contact(units[FIN], FIN_CONTACT, "财政局小陈")
    return units


async def add_record(
    services: Services,
    *,
    kind: RecordKind = RecordKind.PROPOSAL,
    user_id: str = PROPOSER,
    name: str = "张三",
    title: str = TITLE,
    body: str = BODY,
    status: RecordStatus | None = None,
    cosigners: Sequence[tuple[str, str]] = (),
    private: bool = False,
) -> Record:
    """A record as a group post made it (``private``: as a private message made it)."""
    record = await services.records.create(
        Record(
            kind=kind,
            year=0,
            number=0,
            proposer_user_id=user_id,
            proposer_name=name,
            proposer_sector="农业界",
            source_group_id=None if private else GROUP_ID,
            source_kind="private" if private else "group",
            title=title,
            body=body,
            category="生态文明建设",
        ),
        actor=Actor(user_id, name, "private" if private else f"group:{GROUP_ID}"),
    )
    if cosigners:
        async with services.db.session() as session:
            for cosigner_id, cosigner_name in cosigners:
                session.add(
                    Cosign(
                        record_id=record.id or 0,
                        user_id=cosigner_id,
                        name=cosigner_name,
                        status=CosignStatus.CONFIRMED,
                        created_at=services.clock.now(),
                        confirmed_at=services.clock.now(),
                    )
                )
            await session.commit()
    if status is not None and status != RecordStatus.SUBMITTED:
        record = await force_status(services, record, status)
    return record


async def force_status(services: Services, record: Record, status: RecordStatus) -> Record:
    """Put a record into a state directly, past the state machine (for refusal tests): a
    fixture, not a change (no change hooks)."""
    return await write_directly(services, record, "test", to_status=status, public=False)


async def add_note(
    services: Services,
    record: Record,
    detail: str,
    *,
    action: str = "note",
    actor: Actor | None = None,
    public: bool = False,
) -> Record:
    """A timeline entry without a state change (an internal note), written directly."""
    return await write_directly(services, record, action, actor=actor, detail=detail, public=public)


async def write_directly(
    services: Services,
    record: Record,
    action: str,
    *,
    to_status: RecordStatus | None = None,
    actor: Actor | None = None,
    detail: str = "",
    public: bool = True,
) -> Record:
    """Change a record's row and write its timeline entry in the database, bypassing the
    state machine (test set-up only: the bot changes records through records.change)."""
    async with services.db.session() as session:
        fresh = await session.get(Record, record.id)
        assert fresh is not None
        before = fresh.status
        if to_status is not None:
            fresh.status = to_status
        fresh.updated_at = services.clock.now()
        session.add(fresh)
        write_timeline(
            session,
            fresh,
            action=action,
            actor=actor or Actor.system(),
            at=fresh.updated_at,
            from_status=before,
            to_status=to_status,
            detail=detail,
            public=public,
        )
        await session.commit()
        await session.refresh(fresh)
        return fresh


async def requester(services: Services, user_id: str, source: str = "private") -> Requester:
    return Requester(await services.members.identify(user_id, f"用户{user_id}"), source)


outbox = outbox_rows  # (the workflow tests' name for it)


async def private_texts(services: Services, user_id: str) -> list[str]:
    """What was queued one-to-one for `user_id`, oldest first."""
    return [
        outbox_text(m)
        for m in await outbox(services)
        if m.target_type == "private" and m.target_id == user_id
    ]


async def group_texts(services: Services, group_id: str) -> list[str]:
    return [
        outbox_text(m)
        for m in await outbox(services)
        if m.target_type == "group" and m.target_id == group_id
    ]


async def timeline(services: Services, record: Record) -> list[TimelineEntry]:
    return await services.records.timeline(record.id or 0, include_internal=True)


async def reload(services: Services, record: Record) -> Record:
    return await services.records.get(record.id or 0)


async def timeline_actions(services: Services, record: Record) -> list[str]:
    return [entry.action for entry in await timeline(services, record)]


async def latest_entry(services: Services, record: Record) -> TimelineEntry:
    async with services.db.session() as session:
        rows = await session.exec(
            select(TimelineEntry)
            .where(TimelineEntry.record_id == record.id)
            .order_by(col(TimelineEntry.id).desc())
        )
        entry = rows.first()
    assert entry is not None
    return entry
