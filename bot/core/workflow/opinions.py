"""Opinion leads (社情民意信息): 采用 / 未采用 / 报送 / 批示 / 落实, each told to the member.

Each step's notice to the member is queued in the step's transaction (RecordFlow.apply).

States (DESIGN.md §2): 已提交 → 已采用 (edited into the bulletin) → 已报送 (to a higher CPPCC,
the party committee or government, or 转交 a department) → 获批示 (a leader's written
instruction) → 已落实; or 未采用. 报送 and 批示 may be recorded more than once (several bodies,
several leaders); 落实 needs a 报送 or a 批示 first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.errors import InvalidInput
from bot.core.records.kinds import RecordKind
from bot.core.workflow.common import Outcome, RecordFlow, Requester, title_of
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.notify import Notifier
    from bot.core.models import Record
    from bot.core.records.service import RecordService
    from bot.core.schedule.workdays import WorkCalendar


class OpinionWorkflow(RecordFlow):
    kind = RecordKind.OPINION

    def __init__(
        self,
        db: Database,
        clock: Clock,
        records: RecordService,
        notifier: Notifier,
        calendar: WorkCalendar,
    ) -> None:
        super().__init__(db, clock, records, calendar)
        self.notifier = notifier

    async def _step(
        self,
        ref: str,
        by: Requester,
        action: Action,
        *,
        detail: str,
        member_text: str,
        reply: str,
        line: str,
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, action)

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}{member_text}",
                purpose="workflow",
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(record, action, by, detail=detail, notify=notify)
        who = f"已通知提交人{record.proposer_name}。"
        return Outcome(
            record,
            f"{self.label(record)}{title_of(record)}{reply}{who}",
            f"{self.number(record)}：{line}",
        )

    async def adopt(self, ref: str, by: Requester) -> Outcome:
        return await self._step(
            ref,
            by,
            Action.ADOPT,
            detail="采用，编入社情民意信息",
            member_text="已被采用，编入社情民意信息。感谢您的履职！",
            reply="已采用。",
            line="已采用",
        )

    async def not_adopt(self, ref: str, by: Requester, reason: str = "") -> Outcome:
        reason = reason.strip().rstrip("。")
        said = f"理由：{reason}。" if reason else ""
        return await self._step(
            ref,
            by,
            Action.NOT_ADOPT,
            detail="未采用" + (f"。理由：{reason}" if reason else ""),
            member_text=f"经研究未予采用。{said}欢迎继续反映社情民意。",
            reply=f"未采用。{said}",
            line="未采用",
        )

    async def submit_up(self, ref: str, by: Requester, to: str) -> Outcome:
        to = to.strip()
        if not to:
            raise InvalidInput(f"请写明报送给谁。例如：报送 {ref.strip()} 市政协")
        return await self._step(
            ref,
            by,
            Action.SUBMIT_UP,
            detail=f"报送：{to}",
            member_text=f"已报送{to}。",
            reply=f"已报送{to}。",
            line=f"已报送{to}",
        )

    async def instruction(self, ref: str, by: Requester, content: str) -> Outcome:
        content = content.strip()
        if not content:
            raise InvalidInput(
                f"请写上批示内容（谁批示、批示了什么）。例如：批示 {ref.strip()} "
                "县委书记批示：请县农业农村局研究落实"
            )
        return await self._step(
            ref,
            by,
            Action.INSTRUCTION,
            detail=f"获领导批示：{content}",
            member_text=f"获得领导批示：{content}",
            reply="已记录领导批示。",
            line="已记录批示",
        )

    async def implement(self, ref: str, by: Requester, content: str = "") -> Outcome:
        content = content.strip().rstrip("。")
        said = f"：{content}。" if content else "。"
        return await self._step(
            ref,
            by,
            Action.IMPLEMENT,
            detail="已落实" + (f"：{content}" if content else ""),
            member_text=f"反映的问题已落实{said}感谢您的履职！",
            reply=f"已落实{said}",
            line="已落实",
        )
