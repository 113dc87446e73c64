"""进展: from the unit group or privately; not from a members' group; content required."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.core.workflow.parsing import AssignSpec
from bot.nb.registry import registry
from bot.plugins.router import where_hint
from tests.utils import MEMBER_GROUP, UNIT_GROUP, group_message, private_message, say
from tests.workflow_utils import EDU, EDU_CONTACT, STAFF, add_record, requester

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def assigned(services: Services) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await services.proposals.assign("1", await requester(services, STAFF), AssignSpec(EDU))


async def test_progress_from_the_unit_group(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        group_message(
            "进展 1 已到现场调研，正在制定方案", user_id=EDU_CONTACT, group_id=UNIT_GROUP
        ),
        "已记录提案第1号的办理进展。提案人发送“查提案 1”可以看到。",
    )
    entry = (await services.records.timeline(1, include_internal=False))[-1]
    assert entry.detail == "县教育局：已到现场调研，正在制定方案"
    assert entry.source == f"group:{UNIT_GROUP}"


async def test_progress_not_in_members_group(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    command = registry.get("进展")
    assert command is not None
    await say(
        app,
        group_message("进展 1 已调研", user_id=EDU_CONTACT, group_id=MEMBER_GROUP),
        f"“进展”请在{where_hint(command.where)}使用。",
    )


async def test_progress_needs_content(app: App, services: Services, units: dict[str, Unit]) -> None:
    await assigned(services)
    await say(
        app,
        private_message("进展 1", user_id=EDU_CONTACT),
        "请写上进展内容。例如：进展 1 已到现场调研，正在制定方案",
    )
