"""Review (审查): 立案 (with a category), 不立案 (with a reason; optionally converted to an
opinion lead, 转社情民意), 并案 (the proposer and co-signers carried over to the other proposal)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.errors import InvalidInput
from bot.core.models import Cosign, CosignStatus, Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import write_timeline
from bot.core.workflow import states
from bot.core.workflow.common import Outcome, Requester, title_of
from bot.core.workflow.notices import is_private, shown_title
from bot.core.workflow.proposals import texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

S = RecordStatus


class ReviewSteps(ProposalSteps):
    # ================================================================ 立案

    async def accept(self, ref: str, by: Requester, category: str | None = None) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ACCEPT)
        chosen = self._category(category) if category else None

        def mutate(r: Record) -> None:
            if chosen:
                r.category = chosen

        shown = chosen or record.category or "未定"

        notify = self.notify_proposer(lambda r: texts.accepted_notice(self, r, shown), "accept")

        record = await self.apply(
            record, Action.ACCEPT, by, detail=f"类别：{shown}", mutate=mutate, notify=notify
        )
        return Outcome(record, *texts.accepted_reply(self, record, shown))

    def _category(self, text: str) -> str:
        wanted = "".join(text.split())
        if not self.categories or wanted in self.categories:
            return wanted
        raise InvalidInput(
            f"没有“{wanted}”这个类别。可用的类别：{'、'.join(self.categories)}。"
            "例如：立案 17 社会建设（不写类别则保留系统猜测的类别）"
        )

    # ================================================================ 不立案

    async def reject(
        self, ref: str, by: Requester, reason: str, *, to_opinion: bool = False
    ) -> Outcome:
        record = await self.resolve(ref)
        if not reason.strip():
            raise InvalidInput(
                f"不立案需要写明理由，提案人会收到这个理由。例如：不立案 {self.ref(record)} "
                "不属于政协提案受理范围 转社情民意"
            )
        await self.precheck(record, Action.REJECT)
        reason = reason.strip()
        converted: list[Record] = []

        async def extra(session: AsyncSession, fresh: Record) -> None:
            if to_opinion:
                opinion = opinion_from(fresh)
                await session.run_sync(
                    lambda sync: self.records.insert_numbered(
                        sync,
                        opinion,
                        actor=by.actor,
                        detail=f"由{self.label(fresh)}（不予立案）转为社情民意信息",
                    )
                )
                fresh.linked_record_id = opinion.id
                converted.append(opinion)

        def detail_of() -> str:
            opinion_label = self.label(converted[0]) if converted else ""
            return f"理由：{reason}" + (f"；已转为{opinion_label}" if converted else "")

        notify = self.notify_proposer(
            lambda r: texts.rejected_notice(self, r, reason, converted[0] if converted else None),
            "reject",
        )

        # the converted opinion lead is numbered inside the step's transaction
        numbering = self.records.numbering(RecordKind.OPINION) if to_opinion else nullcontext()
        async with numbering:
            record = await self.apply(
                record, Action.REJECT, by, detail=detail_of, extra=extra, notify=notify
            )
        opinion = converted[0] if converted else None
        return Outcome(record, *texts.rejected_reply(self, record, reason, opinion))

    # ================================================================ 并案

    async def merge(self, ref: str, into: str, by: Requester) -> Outcome:
        record = await self.resolve(ref)
        target = await self._merge_target(record, await self.resolve(into))
        await self.precheck(record, Action.MERGE)
        carried: list[str] = []
        # A private submission's title is not shown to those who may not read it: the readers
        # of the other record's timeline, the other proposer.
        source_title = shown_title(record, title_of, to_others=True)
        target_title = shown_title(target, title_of, to_others=not is_private(record))

        async def extra(session: AsyncSession, fresh: Record) -> None:
            fresh.merged_into_id = target.id
            carried.extend(await carry_cosigners(session, fresh, target, now=self.clock.now()))
            write_timeline(
                session,
                target,
                action="merged_in",
                actor=by.actor,
                at=self.clock.now(),
                detail=f"{self.label(fresh)}（{fresh.proposer_name}）{source_title}并入本案"
                + (f"；联名人增加：{'、'.join(carried)}" if carried else ""),
            )

        async def notify(session: AsyncSession, fresh: Record) -> None:
            text = texts.merged_notice(self, fresh, target)
            await self.tell(
                session, fresh.proposer_user_id, text, key=f"merge:{fresh.id}", record=fresh
            )
            if target.proposer_user_id != fresh.proposer_user_id:
                text = texts.merged_in_notice(self, fresh, target, source_title, carried)
                await self.tell(
                    session,
                    target.proposer_user_id,
                    text,
                    key=f"merged_in:{fresh.id}",
                    record=target,
                )

        record = await self.apply(
            record,
            Action.MERGE,
            by,
            detail=f"并入{self.label(target)}{target_title}",
            extra=extra,
            notify=notify,
        )
        return Outcome(record, *texts.merged_reply(self, record, target, carried))

    async def _merge_target(self, record: Record, target: Record) -> Record:
        """`target` when `record` may be merged into it; else a refusal saying what to type."""
        if record.id == target.id:
            raise InvalidInput("不能把提案并入它自己。用法：并案 17 到 9")
        if target.status == S.MERGED and target.merged_into_id is not None:
            final = await self.records.get(target.merged_into_id)
            raise InvalidInput(
                f"{self.label(target)}已并入{self.label(final)}，"
                f"请改为：并案 {self.ref(record)} 到 {self.ref(final)}"
            )
        if RecordStatus(target.status) not in states.MERGE_TARGET_STATES:
            raise InvalidInput(
                f"{self.label(target)}当前状态是“{RecordStatus(target.status).label}”，"
                "不能再并入其他提案。请选一件尚未答复的提案。"
            )
        return target


def opinion_from(record: Record) -> Record:
    """The opinion lead (社情民意信息) a rejected proposal becomes (不立案 … 转社情民意)."""
    return Record(
        kind=RecordKind.OPINION,
        year=0,
        number=0,
        platform=record.platform,
        proposer_user_id=record.proposer_user_id,
        proposer_name=record.proposer_name,
        proposer_sector=record.proposer_sector,
        source_kind=record.source_kind,
        source_group_id=record.source_group_id,
        title=record.title,
        body=record.body,
        content_hash=record.content_hash,
        has_suggestion=record.has_suggestion,
        category=record.category,
        keywords=record.keywords,
        attachments=list(record.attachments),
        linked_record_id=record.id,
    )


async def carry_cosigners(
    session: AsyncSession, source: Record, target: Record, *, now: datetime
) -> list[str]:
    """Make `source`'s proposer and confirmed co-signers co-signers of `target`; their names."""
    people: list[tuple[str, str]] = [(source.proposer_user_id, source.proposer_name)]
    rows = await session.exec(
        select(Cosign).where(Cosign.record_id == source.id, Cosign.status == CosignStatus.CONFIRMED)
    )
    people += [(c.user_id, c.name) for c in rows.all()]
    existing = {
        c.user_id: c
        for c in (await session.exec(select(Cosign).where(Cosign.record_id == target.id))).all()
    }
    added: list[str] = []
    for user_id, name in dict(people).items():
        if user_id == target.proposer_user_id:
            continue
        cosign = existing.get(user_id)
        if cosign is not None:
            if cosign.status == CosignStatus.CONFIRMED:
                continue
            cosign.status = CosignStatus.CONFIRMED
            cosign.confirmed_at = now
        else:
            cosign = Cosign(
                record_id=target.id or 0,
                platform=source.platform,
                user_id=user_id,
                name=name[:64],
                status=CosignStatus.CONFIRMED,
                invited=False,
                created_at=now,
                confirmed_at=now,
            )
        session.add(cosign)
        added.append(name or user_id)
    return added
