"""采用 / 未采用 / 报送 / 批示 / 落实 by chat command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.utils import STAFF_GROUP, group_message, private_message, say
from tests.workflow_utils import PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于村级道路养护的情况反映》"


async def opinion(services: Services, status: RecordStatus | None = None) -> None:
    await add_record(
        services, kind=RecordKind.OPINION, title="关于村级道路养护的情况反映", status=status
    )


async def test_adopt_several(app: App, services: Services, units: dict[str, Unit]) -> None:
    await opinion(services)
    await opinion(services, RecordStatus.NOT_ADOPTED)
    await say(
        app,
        group_message("采用 1 2", user_id=STAFF, group_id=STAFF_GROUP),
        "采用：2件，完成1件，1件未办理（原因见下）\n· 第1号：已采用\n"
        "· 2：社情民意信息第2号当前状态是“未采用”，不能采用。它的办理已经结束，不能再操作。",
    )
    assert len(await private_texts(services, PROPOSER)) == 1


async def test_not_adopted_with_reason(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await opinion(services)
    await say(
        app,
        private_message("不采用 1 已有部门在处理", user_id=STAFF),
        f"社情民意信息第1号{T}未采用。理由：已有部门在处理。已通知提交人张三。",
    )
    assert "理由：已有部门在处理。" in (await private_texts(services, PROPOSER))[0]


async def test_submit_up_needs_a_body(app: App, services: Services, units: dict[str, Unit]) -> None:
    await opinion(services, RecordStatus.ADOPTED)
    await say(app, private_message("报送 1", user_id=STAFF), "请写明报送给谁。例如：报送 1 市政协")
    await say(
        app,
        private_message("报送 1 市政协", user_id=STAFF),
        f"社情民意信息第1号{T}已报送市政协。已通知提交人张三。",
    )


async def test_instruction_and_implement(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await opinion(services, RecordStatus.SUBMITTED_UP)
    await say(
        app,
        private_message("批示 1", user_id=STAFF),
        "请写上批示内容（谁批示、批示了什么）。例如：批示 1 县委书记批示：请县农业农村局研究落实",
    )
    await say(
        app,
        private_message("批示 1 县长批示：请交通局研究", user_id=STAFF),
        f"社情民意信息第1号{T}已记录领导批示。已通知提交人张三。",
    )
    await say(
        app,
        private_message("落实 1 已列入养护计划", user_id=STAFF),
        f"社情民意信息第1号{T}已落实：已列入养护计划。已通知提交人张三。",
    )
    assert (await services.records.resolve(RecordKind.OPINION, "1")).status == (
        RecordStatus.IMPLEMENTED
    )


async def test_implement_before_adoption_is_refused(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await opinion(services)
    await say(
        app,
        private_message("落实 1", user_id=STAFF),
        "社情民意信息第1号当前状态是“已提交”，不能落实。现在可以：采用、未采用。例如：采用 1",
    )
