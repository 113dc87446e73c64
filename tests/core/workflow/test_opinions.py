"""OpinionWorkflow: 采用 / 未采用 / 报送 / 批示 / 落实, each told to the member one-to-one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.errors import DomainError, InvalidInput
from bot.core.models import RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.workflow_utils import (
    PROPOSER,
    STAFF,
    add_record,
    latest_entry,
    private_texts,
    timeline,
)

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

S = RecordStatus
TITLE = "关于村级道路养护的情况反映"


async def test_full_opinion_path_tells_the_member_each_step(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    flow = services.opinions
    record = await add_record(services, kind=RecordKind.OPINION, title=TITLE)
    adopted = await flow.adopt("1", staff)
    assert adopted.record.status == S.ADOPTED
    assert adopted.text == f"社情民意信息第1号《{TITLE}》已采用。已通知提交人张三。"
    up = await flow.submit_up("1", staff, "市政协")
    assert up.record.status == S.SUBMITTED_UP
    up2 = await flow.submit_up("1", staff, "县政府办")
    assert up2.record.status == S.SUBMITTED_UP
    instructed = await flow.instruction("1", staff, "县长批示：请交通局研究")
    assert instructed.record.status == S.INSTRUCTED
    again = await flow.instruction("1", staff, "分管副县长批示：抓紧落实")
    assert again.record.status == S.INSTRUCTED
    done = await flow.implement("1", staff, "已列入今年养护计划")
    assert done.record.status == S.IMPLEMENTED
    assert await private_texts(services, PROPOSER) == [
        f"您的社情民意信息第1号《{TITLE}》已被采用，编入社情民意信息。感谢您的履职！",
        f"您的社情民意信息第1号《{TITLE}》已报送市政协。",
        f"您的社情民意信息第1号《{TITLE}》已报送县政府办。",
        f"您的社情民意信息第1号《{TITLE}》获得领导批示：县长批示：请交通局研究",
        f"您的社情民意信息第1号《{TITLE}》获得领导批示：分管副县长批示：抓紧落实",
        f"您的社情民意信息第1号《{TITLE}》反映的问题已落实：已列入今年养护计划。感谢您的履职！",
    ]
    entries = await timeline(services, record)
    assert [(e.action, e.detail) for e in entries[1:]] == [
        ("adopt", "采用，编入社情民意信息"),
        ("submit_up", "报送：市政协"),
        ("submit_up", "报送：县政府办"),
        ("instruction", "获领导批示：县长批示：请交通局研究"),
        ("instruction", "获领导批示：分管副县长批示：抓紧落实"),
        ("implement", "已落实：已列入今年养护计划"),
    ]
    assert {e.actor_user_id for e in entries[1:]} == {STAFF}


async def test_not_adopted_with_reason(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    await add_record(services, kind=RecordKind.OPINION, title=TITLE)
    outcome = await services.opinions.not_adopt("1", staff, "已有部门在处理。")
    assert outcome.record.status == S.NOT_ADOPTED
    assert outcome.text == (
        f"社情民意信息第1号《{TITLE}》未采用。理由：已有部门在处理。已通知提交人张三。"
    )
    assert await private_texts(services, PROPOSER) == [
        f"您的社情民意信息第1号《{TITLE}》经研究未予采用。理由：已有部门在处理。欢迎继续反映社情民意。"
    ]
    with pytest.raises(InvalidInput) as info:
        await services.opinions.adopt("1", staff)
    assert info.value.message == (
        "社情民意信息第1号当前状态是“未采用”，不能采用。它的办理已经结束，不能再操作。"
    )


async def test_opinion_refusals_say_what_is_possible(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    record = await add_record(services, kind=RecordKind.OPINION, title=TITLE)
    flow = services.opinions
    with pytest.raises(InvalidInput) as info:
        await flow.implement("1", staff)
    assert info.value.message == (
        "社情民意信息第1号当前状态是“已提交”，不能落实。现在可以：采用、未采用。例如：采用 1"
    )
    await flow.adopt("1", staff)
    with pytest.raises(InvalidInput) as info:
        await flow.implement("1", staff)
    assert info.value.message == (
        "社情民意信息第1号当前状态是“已采用”，不能落实。现在可以：报送、批示。例如：报送 1 单位"
    )
    with pytest.raises(InvalidInput) as info:
        await flow.submit_up("1", staff, " ")
    assert info.value.message == "请写明报送给谁。例如：报送 1 市政协"
    with pytest.raises(InvalidInput) as info:
        await flow.instruction("1", staff, "")
    assert info.value.message.startswith("请写上批示内容（谁批示、批示了什么）。例如：批示 1 ")
    assert (await latest_entry(services, record)).action == "adopt"


async def test_proposal_numbers_are_not_opinion_numbers(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    await add_record(services)  # 提案第1号
    with pytest.raises(DomainError, match="没有找到社情民意信息第1号"):
        await services.opinions.adopt("1", staff)
