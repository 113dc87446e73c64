"""The permission matrix: every workflow, opinion and unit command from a member, a unit
contact, staff and a superuser."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from bot.core.models import AnswerCategory, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from bot.core.services import Services
from bot.core.workflow.parsing import AssignSpec
from bot.nb.registry import registry
from bot.plugins.router import refusal_for_role
from tests.utils import SUPERUSER, private_message, say
from tests.workflow_utils import (
    EDU,
    EDU_CONTACT,
    MEMBER,
    PROPOSER,
    STAFF,
    add_record,
    reload,
    requester,
)

if TYPE_CHECKING:
    from nonebug import App

S = RecordStatus
Setup = Callable[[Services], Awaitable[None]]
T = "《关于加快推进农村生活污水治理的建议》"
O_T = "《关于村级道路养护的情况反映》"


async def submitted(services: Services) -> None:
    await add_record(services)


async def two_submitted(services: Services) -> None:
    await add_record(services)
    await add_record(services)


async def accepted(services: Services) -> None:
    await add_record(services, status=S.ACCEPTED)


async def assigned(services: Services) -> None:
    record = await add_record(services, status=S.ACCEPTED)
    staff = await requester(services, STAFF)
    await services.proposals.assign(str(record.number), staff, AssignSpec(EDU))


async def evaluated(services: Services) -> None:
    await add_record(services, status=S.EVALUATED)


@dataclass(frozen=True)
class Case:
    command: str
    setup: Setup
    text: str
    expected: str


def opinion_setup(status: RecordStatus | None = None) -> Setup:
    async def setup(services: Services) -> None:
        await add_record(
            services, kind=RecordKind.OPINION, title="关于村级道路养护的情况反映", status=status
        )

    return setup


STAFF_CASES = [
    Case(
        "立案",
        submitted,
        "立案 1",
        f"已立案：提案第1号{T}，类别：生态文明建设。已通知提案人张三。下一步：交办 1 主办 单位名称",
    ),
    Case(
        "不立案",
        submitted,
        "不立案 1 属于个人诉求",
        f"提案第1号{T}不予立案，理由：属于个人诉求。已一对一告知提案人张三。",
    ),
    Case(
        "并案",
        two_submitted,
        "并案 2 到 1",
        f"已将提案第2号{T}并入提案第1号，联名人无变化。已通知提案人。查第2号会指向第1号。",
    ),
    Case(
        "交办",
        accepted,
        "交办 1 主办 县教育局",
        f"已交办提案第1号{T}\n主办：县教育局\n答复时限：2026年6月2日（交办后3个月）\n"
        "已通知承办单位联系人和提案人。",
    ),
    Case("办结", evaluated, "办结 1", f"已办结提案第1号{T}，已通知提案人张三。"),
    Case("重点", accepted, "重点 1", f"已将提案第1号{T}列为重点提案（督办），已通知提案人。"),
    Case("采用", opinion_setup(), "采用 1", f"社情民意信息第1号{O_T}已采用。已通知提交人张三。"),
    Case(
        "未采用",
        opinion_setup(),
        "未采用 1",
        f"社情民意信息第1号{O_T}未采用。已通知提交人张三。",
    ),
    Case(
        "报送",
        opinion_setup(S.ADOPTED),
        "报送 1 市政协",
        f"社情民意信息第1号{O_T}已报送市政协。已通知提交人张三。",
    ),
    Case(
        "批示",
        opinion_setup(S.SUBMITTED_UP),
        "批示 1 县长批示：请交通局研究",
        f"社情民意信息第1号{O_T}已记录领导批示。已通知提交人张三。",
    ),
    Case(
        "落实",
        opinion_setup(S.INSTRUCTED),
        "落实 1",
        f"社情民意信息第1号{O_T}已落实。已通知提交人张三。",
    ),
    Case(
        "单位",
        submitted,
        "单位 列表",
        "承办单位（共3个）：\n· 县住建局：（未设联系人）\n· 县教育局：联系人 教育局小刘\n"
        "· 县财政局：联系人 财政局小陈",
    ),
]
ROLES = {"member": MEMBER, "unit_contact": EDU_CONTACT, "staff": STAFF, "superuser": SUPERUSER}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", STAFF_CASES, ids=[c.command for c in STAFF_CASES])
async def test_staff_commands(
    app: App, services: Services, units: dict[str, Unit], case: Case, role: str
) -> None:
    await case.setup(services)
    before = (
        await services.records.timeline(1, include_internal=True) if case.command != "单位" else []
    )
    event = private_message(case.text, user_id=ROLES[role])
    if role in ("staff", "superuser"):
        await say(app, event, case.expected)
        return
    command = registry.get(case.command)
    assert command is not None
    await say(app, event, refusal_for_role(command))
    after = (
        await services.records.timeline(1, include_internal=True) if case.command != "单位" else []
    )
    assert len(after) == len(before)  # nothing happened


UNIT_CASES = [
    Case(
        "进展",
        assigned,
        "进展 1 已到现场调研",
        "已记录提案第1号的办理进展。提案人发送“查提案 1”可以看到。",
    ),
    Case(
        "答复",
        assigned,
        "答复 1 A 已解决",
        "已记录提案第1号的答复：A类（已解决或基本解决）。已一对一通知提案人张三，评价期限2026年3月23日（15个工作日）。"
        "\n注意：答复前没有记录与提案人的沟通（办理协商）。",
    ),
]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", UNIT_CASES, ids=[c.command for c in UNIT_CASES])
async def test_unit_contact_commands(
    app: App, services: Services, units: dict[str, Unit], case: Case, role: str
) -> None:
    await case.setup(services)
    event = private_message(case.text, user_id=ROLES[role])
    if role == "member":
        command = registry.get(case.command)
        assert command is not None
        await say(app, event, refusal_for_role(command))
        assert (await services.records.get(1)).status == S.ASSIGNED
        return
    await say(app, event, case.expected)


@pytest.mark.parametrize("command", ["进展 1 我们来办", "答复 1 A 已解决"])
async def test_contact_of_another_unit_is_refused(
    app: App, services: Services, units: dict[str, Unit], command: str
) -> None:
    await assigned(services)
    word = command.split()[0]
    await say(
        app,
        private_message(command, user_id="40002"),
        f"提案第1号没有交由您所在的单位办理（主办：县教育局），只有承办该件的单位可以提交“{word}”。"
        "如有疑问请联系政协机关。",
    )
    assert (await services.records.get(1)).status == S.ASSIGNED


EVALUATE_EXPECTED = {
    "proposer": "已记录您对提案第1号的评价：满意。感谢您的履职！",
    "member": "只有提案第1号的领衔提案人张三可以评价答复。联名委员的意见可以请领衔提案人一并反映。",
    "staff": "只有提案第1号的领衔提案人张三可以评价答复。联名委员的意见可以请领衔提案人一并反映。",
    "superuser": "只有提案第1号的领衔提案人张三可以评价答复。联名委员的意见可以请领衔提案人一并反映。",
}


@pytest.mark.parametrize("role", ["proposer", "member", "unit_contact", "staff", "superuser"])
async def test_evaluate_is_for_the_lead_proposer(
    app: App, services: Services, units: dict[str, Unit], role: str
) -> None:
    await assigned(services)
    staff = await requester(services, STAFF)
    await services.proposals.answer("1", staff, AnswerCategory.A, "")
    user = PROPOSER if role == "proposer" else ROLES[role]
    event = private_message("评价 1 满意", user_id=user)
    if role == "unit_contact":  # not on the roster as a member
        command = registry.get("评价")
        assert command is not None
        await say(app, event, refusal_for_role(command))
    else:
        await say(app, event, EVALUATE_EXPECTED[role])
    record = await reload(services, await services.records.get(1))
    assert record.status == (S.EVALUATED if role == "proposer" else S.ANSWERED)
