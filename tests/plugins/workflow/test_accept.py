"""立案: one, several, a range; the category; refusals that say what to type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.nb.registry import registry
from bot.plugins.router import where_hint
from tests.utils import MEMBER_GROUP, STAFF_GROUP, group_message, say
from tests.workflow_utils import PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def test_accept_one_with_category(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services)
    await say(
        app,
        group_message("立案 1 社会建设", user_id=STAFF, group_id=STAFF_GROUP),
        f"已立案：提案第1号{T}，类别：社会建设。已通知提案人张三。下一步：交办 1 主办 单位名称",
    )
    record = await services.records.get(1)
    assert (record.status, record.category) == (RecordStatus.ACCEPTED, "社会建设")
    entry = (await services.records.timeline(1, include_internal=True))[-1]
    assert (entry.actor_user_id, entry.source) == (STAFF, f"group:{STAFF_GROUP}")
    assert len(await private_texts(services, PROPOSER)) == 1


async def test_accept_several_reports_each(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    for _ in range(3):
        await add_record(services)
    await say(
        app,
        group_message("立案 3", user_id=STAFF, group_id=STAFF_GROUP),
        f"已立案：提案第3号{T}，类别：生态文明建设。已通知提案人张三。下一步：交办 3 主办 单位名称",
    )
    await say(
        app,
        group_message("立案 1、2、3、4", user_id=STAFF, group_id=STAFF_GROUP),
        "立案：4件，完成2件，2件未办理（原因见下）\n"
        "· 第1号：已立案（生态文明建设）\n"
        "· 第2号：已立案（生态文明建设）\n"
        "· 3：提案第3号当前状态是“已立案”，不能立案。现在可以：交办、并案。例如：交办 3 主办 单位名称\n"
        "· 4：没有找到提案第4号。请检查编号；查看往年的请写成 2025-4。",
    )


async def test_accept_range(app: App, services: Services, units: dict[str, Unit]) -> None:
    for _ in range(3):
        await add_record(services)
    await say(
        app,
        group_message("立案 1-3 社会建设", user_id=STAFF, group_id=STAFF_GROUP),
        "立案：3件，完成3件\n· 第1号：已立案（社会建设）\n· 第2号：已立案（社会建设）\n"
        "· 第3号：已立案（社会建设）",
    )


async def test_accept_needs_a_number(app: App, services: Services, units: dict[str, Unit]) -> None:
    await say(
        app,
        group_message("立案 社会建设", user_id=STAFF, group_id=STAFF_GROUP),
        "“社会建设”不是编号。用法：立案 17 [类别]；多件：立案 17 18 21 或 立案 17-21",
    )


async def test_accept_not_in_a_member_group(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services)
    command = registry.get("立案")
    assert command is not None
    await say(
        app,
        group_message("立案 1", user_id=STAFF, group_id=MEMBER_GROUP),
        f"“立案”请在{where_hint(command.where)}使用。",
    )
    assert (await services.records.get(1)).status == RecordStatus.SUBMITTED
