"""A hand-counted year for the statistics, the export and 履职: eight 2026 proposals (one
re-handled by another unit, one merged, one withdrawn, two privately submitted, one overdue),
opinion leads and a topic, at fixed local dates. The expected figures are in the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from bot.core.models import Record, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.core.schedule_data import (
    add_record,
    add_unit,
    answer,
    assign,
    evaluate,
    invite,
    local,
    set_local,
)
from tests.workflow_utils import write_directly

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

S = RecordStatus
EDU, FIN, HOUSING = "县教育局", "县财政局", "县住建局"
PROPOSER, OTHER, COSIGNER = "20001", "20003", "20002"
#: "Today" for the figures: 2026-04-15 (P3 is overdue, P8 answered late).
TODAY = (2026, 4, 15, 10)


@dataclass
class Year:
    units: dict[str, Unit] = field(default_factory=dict)
    proposals: dict[str, Record] = field(default_factory=dict)
    opinions: dict[str, Record] = field(default_factory=dict)


async def handled_year(services: Services, clock: FakeClock) -> Year:
    set_local(clock, 2026, 3, 2, 9)  # a Monday
    year = Year()
    for name in (EDU, FIN, HOUSING):
        year.units[name] = await add_unit(services, name)
    await _proposals(services, year)
    await _opinions(services, year)
    set_local(clock, *TODAY)
    return year


async def _proposals(services: Services, year: Year) -> None:
    edu, fin, housing = (year.units[n] for n in (EDU, FIN, HOUSING))
    p = year.proposals

    def new(title: str, status: RecordStatus, **kw: object) -> Record:
        return add_record(services, title, status=status, **kw)  # type: ignore[return-value,arg-type]

    p["P1"] = await new("满意的提案", S.CONCLUDED, category="社会建设")
    await assign(services, p["P1"], edu, date(2026, 6, 1), at=local(2026, 3, 2))
    await assign(services, p["P1"], fin, date(2026, 6, 1), at=local(2026, 3, 2), role="assisting")
    await answer(services, p["P1"], "A", at=local(2026, 3, 16), unit=edu)  # 10 working days
    await evaluate(services, p["P1"], "satisfied")
    await invite(services, p["P1"], COSIGNER, status="confirmed")
    p["P2"] = await new("重新办理的提案", S.EVALUATED, round_=2, category="经济建设")
    await assign(services, p["P2"], edu, date(2026, 6, 1), at=local(2026, 3, 2))
    await answer(services, p["P2"], "C", at=local(2026, 3, 9), unit=edu)  # 5, on time
    await evaluate(services, p["P2"], "unsatisfied")
    await assign(services, p["P2"], fin, date(2026, 3, 20), at=local(2026, 3, 10), round_=2)
    await answer(services, p["P2"], "A", at=local(2026, 3, 23), round_=2, unit=fin)  # 9, late
    await evaluate(services, p["P2"], "satisfied", round_=2)
    p["P3"] = await new("逾期的私聊提案", S.IN_PROGRESS, sector="经济界", private=True)
    await assign(services, p["P3"], housing, date(2026, 3, 31), at=local(2026, 3, 2))
    p["P4"] = await new("并入第1号的提案", S.MERGED, category="社会建设")
    p["P5"] = await new("撤回的提案", S.WITHDRAWN)
    p["P6"] = await new("不予立案的私聊提案", S.REJECTED, private=True, proposer=OTHER)
    p["P7"] = await new("待审查的提案", S.SUBMITTED, proposer=OTHER)
    p["P8"] = await new("答复待评价的提案", S.ANSWERED, category="社会建设")
    await assign(services, p["P8"], edu, date(2026, 3, 31), at=local(2026, 3, 2))
    await answer(services, p["P8"], "B", at=local(2026, 4, 1), unit=edu)  # 22, late
    p["OLD"] = await new("去年的提案", S.CONCLUDED, year=2025)


async def _opinions(services: Services, year: Year) -> None:
    op = RecordKind.OPINION
    o = year.opinions
    o["O1"] = await _through(
        services, "报送后获批示", ("submit_up", S.SUBMITTED_UP), ("instruction", S.INSTRUCTED)
    )
    o["O2"] = await _through(services, "采用后直接批示", ("instruction", S.INSTRUCTED))
    o["O3"] = await _through(services, "已报送", ("submit_up", S.SUBMITTED_UP))
    o["O4"] = await _through(
        services, "报送后落实", ("submit_up", S.SUBMITTED_UP), ("implement", S.IMPLEMENTED)
    )
    o["O5"] = await add_record(services, "未采用", kind=op, status=S.NOT_ADOPTED, proposer=OTHER)
    o["O6"] = await add_record(services, "待处理", kind=op, status=S.SUBMITTED)
    o["O7"] = await add_record(services, "撤回的", kind=op, status=S.WITHDRAWN)
    o["T1"] = await add_record(services, "议题一则", kind=RecordKind.TOPIC)


async def _through(services: Services, title: str, *steps: tuple[str, RecordStatus]) -> Record:
    """An adopted opinion lead taken through workflow steps (their timeline actions)."""
    record = await add_record(services, title, kind=RecordKind.OPINION, status=S.ADOPTED)
    for action, status in steps:
        record = await write_directly(services, record, action, to_status=status)
    return record
