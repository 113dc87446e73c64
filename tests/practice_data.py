"""A small 2026 taken through the handling practice with the real workflow steps, for the
figures, duty points, the board, the duty records and the .docx files:

- 提案第1号 (张三, co-signed by 李四; public): 立案 → 交办 县教育局 → 沟通 → 答复 B → 评价 满意
  已沟通 → 提案质量 优秀 → 重点 督办 某副主席 牵头 县财政局 → 优秀提案;
- 提案第2号 (张三, submitted privately): 立案 → 交办 县教育局 → 答复 A without contact →
  评价 基本满意 未沟通 → 提案质量 良好 → 重点 → 优秀提案 (a private one: never on the board);
- 社情民意信息第1号 (张三): 采用 → 批示; 议题第1号 (赵六); discussion D1 (张三 and 李四).

Counted by hand: 2 answers, 1 with contact (50.0%); 1 said 已沟通, 1 未沟通. 张三's points with
the default table: 2 × 10 + 2 × 15 (立案) + 10 + 5 + 10 (社情民意, 采用, 批示) + 5 (优秀 quality)
+ 2 (良好) + 2 × 10 (优秀提案) = 102; 李四: 3 (联名); 赵六: 2 (议题)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.core.models import (
    AnswerCategory,
    Discussion,
    DiscussionParticipant,
    EvaluationResult,
    QualityGrade,
    Record,
)
from bot.core.records.kinds import RecordKind
from bot.core.workflow.parsing import AssignSpec
from bot.core.workflow.practice_parsing import KeySpec
from tests.utils import local_morning
from tests.workflow_utils import (
    COSIGNER,
    EDU,
    EDU_CONTACT,
    FIN,
    MEMBER,
    PROPOSER,
    STAFF,
    add_record,
    reload,
    requester,
    setup_people,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

ZHANG_POINTS, LI_POINTS, ZHAO_POINTS = 102, 3, 2
PUBLIC_TITLE = "关于加快推进农村生活污水治理的建议"
PRIVATE_TITLE = "关于改善县城停车难的建议"
INSTRUCTION = "县委书记批示：请县农业农村局研究落实"


@dataclass
class PracticeYear:
    public: Record
    private: Record
    opinion: Record
    topic: Record


async def practice_year(
    services: Services, staff: Requester, edu: Requester, proposer: Requester
) -> PracticeYear:
    steps = services.proposals
    public = await add_record(services, title=PUBLIC_TITLE, cosigners=[(COSIGNER, "李四")])
    private = await add_record(services, title=PRIVATE_TITLE, private=True)
    for n in ("1", "2"):
        await steps.accept(n, staff)
        await steps.assign(n, staff, AssignSpec(EDU, []))
    await steps.consult("1", edu, "面商 当面听取意见")
    await steps.answer("1", edu, AnswerCategory.B, "已列入2027年城乡建设计划")
    await steps.answer("2", edu, AnswerCategory.A, "已增设停车位")
    await steps.evaluate("1", proposer, EvaluationResult.SATISFIED, "", True)
    await steps.evaluate("2", proposer, EvaluationResult.BASICALLY_SATISFIED, "", False)
    await steps.rate_quality("1", edu, QualityGrade.EXCELLENT, "调研扎实")
    await steps.rate_quality("2", edu, QualityGrade.GOOD, "")
    await steps.set_key("1", staff, KeySpec(leader="某副主席", unit=FIN))
    await steps.set_key("2", staff, KeySpec())
    await steps.mark_excellent("1", staff, "建议具体可行")
    await steps.mark_excellent("2", staff, "")
    opinion = await add_record(services, kind=RecordKind.OPINION, title="农村道路安全隐患")
    await services.opinions.adopt("1", staff)
    await services.opinions.instruction("1", staff, INSTRUCTION)
    topic = await add_record(
        services, kind=RecordKind.TOPIC, user_id=MEMBER, name="赵六", title="全域旅游发展"
    )
    await _discussion(services)
    return PracticeYear(
        await reload(services, public),
        await reload(services, private),
        await reload(services, opinion),
        topic,
    )


async def practice_year_with_people(services: Services, clock: FakeClock) -> PracticeYear:
    """The people and units (tests/workflow_utils.py) on a Monday of March 2026, then the year."""
    clock.set(local_morning(date(2026, 3, 2)))
    await setup_people(services)
    staff = await requester(services, STAFF, "group:900002")
    edu = await requester(services, EDU_CONTACT, "group:900003")
    return await practice_year(services, staff, edu, await requester(services, PROPOSER))


async def _discussion(services: Services) -> None:
    now = services.clock.now()
    async with services.db.session() as session:
        room = Discussion(
            topic="农村污水治理的运维", creator_user_id=PROPOSER, created_at=now, ends_at=now
        )
        session.add(room)
        await session.flush()
        for user_id, name in ((PROPOSER, "张三"), (COSIGNER, "李四")):
            session.add(
                DiscussionParticipant(
                    discussion_id=room.id or 0, user_id=user_id, name=name, joined_at=now
                )
            )
        await session.commit()
