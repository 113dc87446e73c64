"""The board's hand-made fixture: proposals of one year in every situation the board must get
right, moved through the real workflow steps (services.proposals), and the figures a person
counts from them by hand.

| no | what happens                                                   | on the board |
| -- | -------------------------------------------------------------- | ------------ |
| 1  | 立案 → 交办 教育局 → 答复 A → 满意 → 办结                            | yes, 办结     |
| 2  | 立案 → 交办 教育局 → 答复 B → 不满意 → 重新办理 → 交办 → 答复 A → 满意 | yes, 已评价   |
| 3  | 并案 into 4                                                    | yes, 已并案   |
| 4  | 立案 → 交办 财政局 (会办 教育局) → 进展 (public) + 会办意见 (internal) | yes, 办理中   |
| 5  | submitted privately, 立案 → 交办 教育局                            | never        |
| 6  | withdrawn                                                      | never        |
| 7  | waiting for review                                             | never        |
| 8  | 不立案                                                          | never        |
| 9  | title holding <script>, 立案                                     | yes, 已立案   |

And three opinion leads (社情民意), two adopted, one of them with a 批示: counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.core.models import AnswerCategory, EvaluationResult, Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor
from bot.core.workflow.parsing import AssignSpec
from tests.utils import local_morning
from tests.workflow_utils import (
    EDU,
    EDU_CONTACT,
    FIN,
    PROPOSER,
    STAFF,
    add_note,
    add_record,
    requester,
    setup_people,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

YEAR = 2026
SCRIPT_TITLE = "<script>alert('x')</script>关于校园安全的建议"
PRIVATE_TITLE = "关于某局干部作风问题的私下反映"
INTERNAL_NOTE = "内部备注：与分管领导沟通后再定"
ASSISTING_OPINION = "会办意见仅供主办单位参考"
PUBLIC_PROGRESS = "已到现场调研，正在制定方案"
EVALUATION_OPINION = "答复太笼统，没有时间表"
OPINION_TITLE = "社情民意标题不上网页"


@dataclass(frozen=True)
class BoardData:
    records: dict[int, Record]  # by number


async def build(services: Services, clock: FakeClock) -> BoardData:
    clock.set(local_morning(date(2026, 3, 2)))  # a Monday; 2026's holidays are known
    await setup_people(services)
    staff = await requester(services, STAFF, "group:900002")
    proposer = await requester(services, PROPOSER)
    edu = await requester(services, EDU_CONTACT)
    p = services.proposals
    titles = [f"关于第{n}件事的建议" for n in range(1, 10)]
    titles[8] = SCRIPT_TITLE
    records = {}
    for n, title in enumerate(titles, start=1):
        if n == 5:
            records[n] = await _private(services, title=PRIVATE_TITLE)
        else:
            records[n] = await add_record(services, title=title)
    for n in (1, 2, 4, 5, 9):
        await p.accept(str(n), staff)
    for n in (1, 2, 5):
        await p.assign(str(n), staff, AssignSpec(lead=EDU))
    await p.assign("4", staff, AssignSpec(lead=FIN, assisting=[EDU]))
    await p.merge("3", "4", staff)
    await p.reject("8", staff, "不属于政协提案受理范围")
    await services.withdrawals.withdraw(records[6], proposer.identity, source="private")
    await p.progress("4", staff, PUBLIC_PROGRESS)
    await p.progress("4", edu, ASSISTING_OPINION)
    await add_note(services, records[4], INTERNAL_NOTE)
    clock.set(local_morning(date(2026, 4, 1)))
    await p.answer("1", staff, AnswerCategory.A, "已纳入今年计划并完成")
    await p.answer("2", staff, AnswerCategory.B, "列入明年计划")
    await p.evaluate("1", proposer, EvaluationResult.SATISFIED, "")
    await p.evaluate("2", proposer, EvaluationResult.UNSATISFIED, EVALUATION_OPINION)
    await p.conclude("1", staff)
    await p.assign("2", staff, AssignSpec(lead=None))
    await p.answer("2", staff, AnswerCategory.A, "已协调资金解决")
    await p.evaluate("2", proposer, EvaluationResult.SATISFIED, "")
    for _ in range(3):
        await add_record(services, kind=RecordKind.OPINION, title=OPINION_TITLE)
    await services.opinions.adopt("1", staff)
    await services.opinions.adopt("2", staff)
    await services.opinions.instruction("2", staff, "请相关部门研究落实")
    fresh = {n: await services.records.get(r.id or 0) for n, r in records.items()}
    return BoardData(fresh)


async def _private(services: Services, *, title: str) -> Record:
    return await services.records.create(
        Record(
            kind=RecordKind.PROPOSAL,
            year=0,
            number=0,
            proposer_user_id=PROPOSER,
            proposer_name="张三",
            proposer_sector="农业界",
            source_kind="private",
            title=title,
            body="情况……建议：……",
            category="政治建设",
        ),
        actor=Actor(PROPOSER, "张三", "private"),
    )


#: Status of each number after build().
EXPECTED_STATUS = {
    1: RecordStatus.CONCLUDED,
    2: RecordStatus.EVALUATED,
    3: RecordStatus.MERGED,
    4: RecordStatus.IN_PROGRESS,
    5: RecordStatus.ASSIGNED,
    6: RecordStatus.WITHDRAWN,
    7: RecordStatus.SUBMITTED,
    8: RecordStatus.REJECTED,
    9: RecordStatus.ACCEPTED,
}
PUBLIC_NUMBERS = [1, 2, 3, 4, 9]

#: Figures counted by hand from the table above (year 2026).
RECEIVED = 8  # all but the withdrawn one
ACCEPTED = 6  # 1, 2, 3 (merged), 4, 5 (private: counted, not shown), 9
ASSIGNED = 4  # 1, 2, 4, 5
ANSWERED = 2  # 1, 2
CONCLUDED = 1  # 1
