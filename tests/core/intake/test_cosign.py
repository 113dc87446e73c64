"""CosignService (bot/core/intake/cosign.py): invitations from a post, 附议, topic support."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake.results import CosignOutcome
from bot.core.intake.segments import MentionSeg, TextSeg
from bot.core.models import (
    CosignStatus,
    RecordStatus,
)
from tests.intake_helpers import (
    GROUP,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    cosign_line,
    group_source,
    outbox_rows,
    outbox_text,
    post,
    register,
)
from tests.workflow_utils import write_directly

if TYPE_CHECKING:
    from bot.core.services import Services


async def test_invited_cosigners_are_pending_and_told_privately(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    await register(services, "20003", "王五")
    segments = (
        post(SEWAGE_TITLE, SEWAGE)
        + cosign_line(("20002", ""), ("20001", "张三"))
        + [TextSeg("\n联名：王五、赵六")]
    )
    result = await services.intake.submit(segments, identity=zhang, source=group_source())
    assert [(c.user_id, c.name, c.status) for c in result.cosigners] == [
        ("20002", "李四", CosignStatus.PENDING),
        ("20003", "王五", CosignStatus.PENDING),
    ]
    assert any("赵六" in w for w in result.warnings)
    invites = [m for m in await outbox_rows(services) if m.purpose == "cosign_invite"]
    assert sorted((m.target_type, m.target_id, m.via_group_id) for m in invites) == [
        ("private", "20002", GROUP),
        ("private", "20003", GROUP),
    ]
    assert "附议 1" in outbox_text(invites[0])
    assert "张三" in outbox_text(invites[0])

    confirmed = await services.cosigns.cosign(result.record, li, source="private")
    assert confirmed.outcome is CosignOutcome.CONFIRMED
    assert confirmed.confirmed == 1
    again = await services.cosigns.cosign(result.record, li, source="private")
    assert again.outcome is CosignOutcome.ALREADY
    assert again.confirmed == 1


async def test_unknown_cosigner_name_comes_from_the_resolver(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    asked: list[str] = []

    async def resolve(user_id: str) -> str | None:
        asked.append(user_id)
        return "群名片赵六"

    result = await services.intake.submit(
        post(LIFT_TITLE, LIFT) + cosign_line(("20066", "")),
        identity=zhang,
        source=group_source(),
        resolve_name=resolve,
    )
    assert asked == ["20066"]
    # not on the roster: named in the warning by the resolved name, and not invited (9.6)
    assert result.cosigners == []
    assert any(w.startswith("群名片赵六还不在委员名单中，未邀请联名。") for w in result.warnings)


async def test_cosign_rules(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    wang = await register(services, "20003", "王五")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record

    with pytest.raises(InvalidInput, match="您是提案第1号的提出人"):
        await services.cosigns.cosign(record, zhang, source="private")
    guest = await services.members.identify("29999", "路人")
    with pytest.raises(PermissionDenied, match="只有在册委员"):
        await services.cosigns.cosign(record, guest, source="private")

    added = await services.cosigns.cosign(record, li, source=f"group:{GROUP}")
    assert added.outcome is CosignOutcome.ADDED
    assert added.confirmed == 1
    assert (
        await services.cosigns.cosign(record, li, source="private")
    ).outcome is CosignOutcome.ALREADY
    assert (await services.cosigns.cosign(record, wang, source="private")).confirmed == 2
    cosigns = await services.cosigns.for_record(record.id or 0)
    assert [(c.name, c.invited, c.status) for c in cosigns] == [
        ("李四", False, CosignStatus.CONFIRMED),
        ("王五", False, CosignStatus.CONFIRMED),
    ]
    timeline = await services.records.timeline(record.id or 0, include_internal=False)
    assert [e.action for e in timeline] == ["submit", "cosign", "cosign"]
    notices = [m for m in await outbox_rows(services) if m.purpose == "cosign_notice"]
    assert [m.target_id for m in notices] == ["20001", "20001"]

    assigned = await write_directly(services, record, "assign", to_status=RecordStatus.ASSIGNED)
    zhao = await register(services, "20004", "赵六")
    with pytest.raises(InvalidInput, match=r"已交办.*已不能附议"):
        await services.cosigns.cosign(assigned, zhao, source="private")


async def test_topic_support_counts_but_takes_no_invitations(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    result = await services.intake.submit(
        [TextSeg("#议题 关于推进城乡供水一体化的协商议题 "), MentionSeg("20002", "李四")],
        identity=zhang,
        source=group_source(),
    )
    assert result.cosigners == []
    assert any("议题不设联名" in w for w in result.warnings)
    support = await services.cosigns.cosign(result.record, li, source="private")
    assert support.outcome is CosignOutcome.ADDED
    assert support.confirmed == 1
