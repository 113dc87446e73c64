"""ConsultationService (services.consultation): topics through the annual consultation plan.

列入计划 (plan.py, the base class) takes a topic (议题) into the year's plan, numbered within
its form, with its 牵头领导, 责任部门, 责任人 and 完成时限; then (here) its activities, result (with files), leaders' 批示 and
follow-up (跟踪落实, 反馈问效) are recorded until it is closed (办结). Every step is a change of
the topic record through the state machine (``records.change``): the plan item or entry, the
timeline entry and the notices commit together. Proposers and supporters are told when the topic
enters the plan and when it is closed; the responsible unit and person when it enters the plan
(their deadline reminders: bot/core/schedule/reminders/plan_items.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.consultation import listing, queries, texts
from bot.core.consultation.plan import PlanFlow
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import PlanEntry, PlanEntryKind, PlanItem, Record
from bot.core.workflow.common import Outcome, Requester, fmt_date, title_of
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from bot.core.consultation.parsing import ActivitySpec

#: The text steps: what they record, how the timeline says it, the reply.
_NOTES: dict[Action, tuple[PlanEntryKind, str, str]] = {
    Action.INSTRUCTION: (PlanEntryKind.INSTRUCTION, "领导批示", "已记录领导批示。"),
    Action.IMPLEMENT: (PlanEntryKind.FOLLOW_UP, "跟踪落实", "已记录落实情况。"),
}

Notify = Callable[[AsyncSession, Record, PlanItem], Awaitable[int]]


class ConsultationService(PlanFlow):
    """The plan items' steps and the listings, on top of :class:`PlanFlow`."""

    async def plan_summary(self, record: Record) -> list[str]:
        """Lines for 查议题 on a topic in the plan: where it stands, who answers for it, what
        was recorded (none for a topic not in the plan)."""
        item = await queries.item_of(self.db, record.id or 0)
        if item is None:
            return []
        return texts.summary(item, await queries.entries(self.db, item.id or 0))

    async def pool_text(self, *, include_private: bool, own_user_id: str | None = None) -> str:
        """议题: the topics waiting to be chosen, most supported first."""
        return await listing.pool_listing(
            self.db,
            current_year=self.records.current_year(),
            include_private=include_private,
            own_user_id=own_user_id,
        )

    async def plan_text(self, year_text: str, *, include_private: bool) -> str:
        """协商计划 [2027]: the year's plan by form."""
        current = self.records.current_year()
        return await listing.plan_listing(
            self.db,
            listing.plan_year(year_text, current),
            today=self.today(),
            current_year=current,
            include_private=include_private,
            forms=self.forms,
        )

    # ------------------------------------------------------------ what happens to a plan item

    async def activity(self, ref: str, by: Requester, spec: ActivitySpec) -> Outcome:
        who = f"，参加：{spec.participants}" if spec.participants else ""
        said = f"。{spec.content}" if spec.content else ""
        summary = f"{spec.subtype}（{fmt_date(spec.on_date)}）{who}"
        return await self._entry(
            ref,
            by,
            Action.ACTIVITY,
            PlanEntry(
                kind=PlanEntryKind.ACTIVITY,
                subtype=spec.subtype,
                on_date=spec.on_date,
                participants=spec.participants,
                content=spec.content,
            ),
            detail=f"{summary}{said}",
            reply=f"已记录协商活动：{summary}。",
        )

    async def result(
        self, ref: str, by: Requester, subtype: str, content: str, files: list[dict[str, Any]]
    ) -> Outcome:
        if not content and not files:
            raise InvalidInput(
                f"请写上成果名称或内容，或随消息附上文件。用法：议题 成果 {ref.strip()} 建议案 内容"
            )
        attached = f"（附件{len(files)}个）" if files else ""
        return await self._entry(
            ref,
            by,
            Action.RESULT,
            PlanEntry(
                kind=PlanEntryKind.RESULT, subtype=subtype, content=content, attachments=files
            ),
            detail=f"{subtype}：{content}{attached}" if content else f"{subtype}{attached}",
            reply=f"已记录协商成果：{subtype}{attached}。",
        )

    async def instruction(self, ref: str, by: Requester, content: str) -> Outcome:
        return await self._note(ref, by, Action.INSTRUCTION, content)

    async def follow_up(self, ref: str, by: Requester, content: str) -> Outcome:
        return await self._note(ref, by, Action.IMPLEMENT, content)

    async def _note(self, ref: str, by: Requester, action: Action, content: str) -> Outcome:
        """批示 (a leader's instruction) or 落实 (follow-up, 反馈问效): a text on the plan item."""
        kind, prefix, reply = _NOTES[action]
        entry = PlanEntry(kind=kind, content=content)
        return await self._entry(ref, by, action, entry, detail=f"{prefix}：{content}", reply=reply)

    async def conclude(self, ref: str, by: Requester, content: str) -> Outcome:
        told: list[int] = []

        async def notify(session: AsyncSession, fresh: Record, item: PlanItem) -> int:
            label, title = self.label(fresh), title_of(fresh)
            people = await self._tell_people(
                session,
                fresh,
                lambda s: texts.closed_notice(label, title, item, content, supporter=s),
            )
            told.append(len(people))
            return len(people)

        outcome = await self._entry(
            ref,
            by,
            Action.CONCLUDE,
            PlanEntry(kind=PlanEntryKind.CLOSE, content=content),
            detail="办结" + (f"：{content}" if content else ""),
            reply="已办结。",
            notify=notify,
        )
        outcome.text += self._told(outcome.record, told[0])
        return outcome

    async def _entry(
        self,
        ref: str,
        by: Requester,
        action: Action,
        entry: PlanEntry,
        *,
        detail: str,
        reply: str,
        notify: Notify | None = None,
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, action)
        found: dict[str, PlanItem] = {}

        async def extra(session: AsyncSession, fresh: Record) -> None:
            item = (
                await session.exec(select(PlanItem).where(PlanItem.record_id == fresh.id))
            ).first()
            if item is None:  # a topic in a plan state always has its item
                raise NotFound(f"{self.label(fresh)}没有协商计划项。")
            now = self.clock.now()
            entry.plan_item_id, entry.at = item.id or 0, now
            entry.actor_user_id, entry.actor_name = by.identity.user_id, by.identity.name
            session.add(entry)
            if action is Action.CONCLUDE:
                item.closed_at = now
                session.add(item)
            found["item"] = item

        async def told(session: AsyncSession, fresh: Record) -> None:
            if notify is not None:
                await notify(session, fresh, found["item"])

        record = await self.apply(record, action, by, extra=extra, notify=told, detail=detail)
        where = texts.place(found["item"])
        return Outcome(
            record,
            f"{self.label(record)}{title_of(record)}（{where}）{reply}",
            f"{self.number(record)}：{reply}",
        )
