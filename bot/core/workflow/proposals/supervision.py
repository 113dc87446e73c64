"""重点提案 督办: ``重点 17 督办 某副主席 [牵头 县发改局]`` (the supervising leader, 领衔督办, and
the unit leading the supervision), ``督办 17 视察 内容`` (a supervision activity on the timeline;
the lead unit is told), and ``重点 候选 [2026]`` (candidates for selection: accepted proposals
ranked by co-signers, quality rating and similar proposals merged into them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from bot.core.models import (
    Cosign,
    CosignStatus,
    KeySupervision,
    QualityGrade,
    QualityRating,
    Record,
    RecordStatus,
)
from bot.core.records.kinds import RecordKind
from bot.core.workflow.common import Outcome, Requester, title_of
from bot.core.workflow.practice_parsing import KeySpec, parse_supervision
from bot.core.workflow.proposals import practice_texts as texts
from bot.core.workflow.proposals.closing import ClosingSteps
from bot.core.workflow.proposals.read_model import lead_part
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

S = RecordStatus
#: Not candidates: never accepted, merged away or withdrawn.
NOT_ACCEPTED = (S.SUBMITTED, S.REJECTED, S.MERGED, S.WITHDRAWN)
#: How a quality rating weighs in the candidates' ranking (a co-signer weighs 1, a merged
#: similar proposal 2).
QUALITY_WEIGHT = {QualityGrade.EXCELLENT: 3, QualityGrade.GOOD: 2, QualityGrade.FAIR: 0}
MERGED_WEIGHT = 2
CANDIDATES_SHOWN = 20


class SupervisionSteps(ClosingSteps):
    async def set_key(self, ref: str, by: Requester, spec: KeySpec) -> Outcome:
        """重点 17 [取消 | 督办 某副主席 [牵头 单位]]."""
        if spec.leader is None:
            return await self.mark_key(ref, by, on=spec.on)
        record = await self.resolve(ref)
        await self.precheck(record, Action.MARK_KEY)
        unit = await self.units.resolve(spec.unit) if spec.unit else None
        leader, now, was_key = spec.leader, self.clock.now(), record.is_key

        def mutate(r: Record) -> None:
            r.is_key = True

        async def extra(session: AsyncSession, fresh: Record) -> None:
            found = (
                await session.exec(
                    select(KeySupervision).where(KeySupervision.record_id == fresh.id)
                )
            ).first()
            row = found or KeySupervision(record_id=fresh.id or 0, leader=leader)
            row.leader, row.unit_id = leader, unit.id if unit is not None else None
            row.set_by, row.set_at = by.identity.user_id, now
            session.add(row)

        notify = self.notify_proposer(
            lambda r: texts.key_leader_notice(self, r, leader), f"key-leader:{now.isoformat()}"
        )
        shown = texts.leader_text(leader, unit)
        record = await self.apply(
            record,
            Action.MARK_KEY,
            by,
            detail=(f"督办领导调整为：{shown}" if was_key else f"列为重点提案（{shown}）"),
            timeline_action="key_leader" if was_key else "key",
            mutate=mutate,
            extra=extra,
            notify=notify,
        )
        return Outcome(record, *texts.key_leader_reply(self, record, leader, unit))

    async def supervise(self, ref: str, by: Requester, text: str) -> Outcome:
        """督办 17 [视察|座谈|催办…] 内容: on the timeline; the lead unit's contacts are told."""
        kind, content = parse_supervision(text)
        record = await self.resolve(ref)
        await self.precheck(record, Action.SUPERVISE)
        lead = lead_part(await self.parts(record.id or 0, record.round))
        told = [0]

        async def notify(session: AsyncSession, fresh: Record) -> None:
            if lead is None or fresh.status not in (S.ASSIGNED, S.IN_PROGRESS):
                return
            told[0] = await self.notifier.to_unit(
                lead.unit.id or 0,
                texts.supervision_unit_notice(self, fresh, kind, content),
                group_text=texts.SUPERVISION_GROUP_TEXT,
                purpose="workflow",
                dedup_key=None,
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(
            record, Action.SUPERVISE, by, detail=f"督办（{kind}）：{content}", notify=notify
        )
        return Outcome(record, *texts.supervision_reply(self, record, kind, told[0] > 0))

    async def key_candidates(self, year: int) -> str:
        """重点 候选 [2026]: the year's accepted proposals, best candidates first."""
        cosigners = (
            select(Cosign.record_id, func.count(col(Cosign.id)).label("n"))
            .where(Cosign.status == CosignStatus.CONFIRMED.value)
            .group_by(col(Cosign.record_id))
            .subquery()
        )
        merged = (
            select(col(Record.merged_into_id).label("rid"), func.count(col(Record.id)).label("n"))
            .where(col(Record.merged_into_id).is_not(None))
            .group_by(col(Record.merged_into_id))
            .subquery()
        )
        query = (
            select(Record, cosigners.c.n, merged.c.n, QualityRating.grade)
            .outerjoin(cosigners, cosigners.c.record_id == col(Record.id))
            .outerjoin(merged, merged.c.rid == col(Record.id))
            .outerjoin(QualityRating, col(QualityRating.record_id) == col(Record.id))
            .where(
                Record.kind == RecordKind.PROPOSAL.value,
                Record.year == year,
                col(Record.status).not_in([s.value for s in NOT_ACCEPTED]),
            )
        )
        async with self.db.session() as session:
            rows = (await session.exec(query)).all()  # type: ignore[call-overload]
        ranked = sorted(
            ((record, n or 0, m or 0, grade) for record, n, m, grade in rows),
            key=lambda r: (-_score(r[1], r[2], r[3]), r[0].number),
        )
        lines = [
            self._candidate_line(i, *row) for i, row in enumerate(ranked[:CANDIDATES_SHOWN], 1)
        ]
        return texts.candidates_text(year, lines, len(ranked))

    def _candidate_line(
        self, i: int, record: Record, cosigners: int, merged: int, grade: str | None
    ) -> str:
        quality = QualityGrade(grade).label if grade else "未评"
        key = "（已是重点）" if record.is_key else ""
        return (
            f"{i}. {self.number(record)}{title_of(record)}{key}：{record.proposer_name}，"
            f"联名{cosigners}人，并入相似提案{merged}件，提案质量{quality}"
        )


def _score(cosigners: int, merged: int, grade: str | None) -> int:
    quality = QUALITY_WEIGHT[QualityGrade(grade)] if grade else 0
    return cosigners + MERGED_WEIGHT * merged + quality
