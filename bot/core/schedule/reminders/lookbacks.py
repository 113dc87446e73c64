"""回头看, the yearly job: from the look-back day of a year (LOOKBACK_DATE, default the first
working day of the year) each unit that answered B (正在解决或列入计划) last year is asked,
one-to-one, what became of it; staff get the list once. Each proposal is asked once a year (a
``lookback`` row and the stage key, in the transaction of the message); a proposal whose
look-back was already recorded this year is not asked. Runs in the periodic sweep, so a bot
that was down on the day catches up."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import and_, func, select
from sqlmodel import col

from bot.core.clock import as_utc, local_instant, to_local
from bot.core.models import Answer, AnswerCategory, Lookback, Record, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from bot.core.schedule.reminders import texts
from bot.core.schedule.reminders.stages import Reminder, StageGroup, SweepReport

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.schedule.workdays import WorkCalendar

ANSWERED = (RecordStatus.ANSWERED, RecordStatus.EVALUATED, RecordStatus.CONCLUDED)


def lookback_day(year: int, setting: str, calendar: WorkCalendar) -> date:
    """The look-back day of ``year``: ``setting`` ("MM-DD", empty for 1 January), moved to the
    first working day on or after it."""
    month, day = (int(p) for p in setting.split("-")) if setting else (1, 1)
    if (month, day) == (2, 29) and not calendar_is_leap(year):
        month, day = 3, 1
    return calendar.workday_on_or_after(date(year, month, day))


def calendar_is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class Promised(NamedTuple):
    """A proposal whose latest answer was B, answered last year."""

    record_id: int
    kind: str
    number: int
    year: int
    title: str
    source_kind: str
    answer_id: int
    unit_id: int | None
    unit: str | None
    answered_at: datetime
    content: str


class LookbackReminders(StageGroup):
    setting: str = ""  # LOOKBACK_DATE

    async def run(self, today: date, now: datetime, report: SweepReport) -> None:
        year = today.year
        if today < lookback_day(year, self.setting, self.calendar):
            return
        rows = await self._promised(year)
        reminders = {self._key(year, row): row for row in rows}
        sent = await self.stages.send_new(
            [self._reminder(key, row, year, now) for key, row in reminders.items()], report
        )
        report.lookback += len(sent)
        if sent:
            lines = [self._line(reminders[r.key], year) for r, _ in sent]
            await self.stages.send(self._to_staff(year, sent[0][0].key, lines))

    @staticmethod
    def _key(year: int, row: Promised) -> str:
        return f"lookback:{year}:{row.record_id}"

    async def _promised(self, year: int) -> list[Promised]:
        start = local_instant(date(year - 1, 1, 1), time.min)
        end = local_instant(date(year, 1, 1), time.min)
        latest = select(func.max(Answer.id).label("aid")).group_by(col(Answer.record_id)).subquery()
        asked = and_(col(Lookback.record_id) == col(Record.id), Lookback.year == year)
        query = (
            select(
                Record.id,
                Record.kind,
                Record.number,
                Record.year,
                Record.title,
                Record.source_kind,
                Answer.id,
                Answer.unit_id,
                Unit.name,
                Answer.answered_at,
                Answer.content,
            )
            .join(latest, latest.c.aid == col(Answer.id))
            .join(Record, col(Record.id) == col(Answer.record_id))
            .outerjoin(Unit, col(Unit.id) == col(Answer.unit_id))
            .outerjoin(Lookback, asked)
            .where(
                Record.kind == RecordKind.PROPOSAL.value,
                col(Record.status).in_([s.value for s in ANSWERED]),
                Answer.category == AnswerCategory.B.value,
                col(Answer.answered_at) >= start,
                col(Answer.answered_at) < end,
                col(Lookback.id).is_(None),
            )
            .order_by(col(Record.year), col(Record.number))
        )
        async with self.db.engine.connect() as conn:
            return [Promised(*r) for r in (await conn.execute(query)).all()]

    def _reminder(self, key: str, row: Promised, year: int, now: datetime) -> Reminder:
        text = texts.lookback(
            unit=row.unit or "承办单位",
            name=texts.label(row.kind, row.number, row.year, year),
            ref=texts.ref_text(row.kind, row.number, row.year, year),
            title=row.title,
            answered_on=to_local(as_utc(row.answered_at)).date(),
            content=row.content,
        )

        to_unit = self.to_unit(
            key, row.record_id, row.unit_id or 0, text, tag="【回头看】", purpose="lookback"
        )

        async def queue(session: AsyncSession) -> int:
            session.add(
                Lookback(
                    record_id=row.record_id,
                    year=year,
                    answer_id=row.answer_id,
                    unit_id=row.unit_id,
                    asked_at=now,
                )
            )
            return await to_unit.queue(session) if row.unit_id is not None else 0

        return Reminder(key, row.record_id, queue)

    @staticmethod
    def _line(row: Promised, year: int) -> str:
        name = texts.label(row.kind, row.number, row.year, year)
        title = "（私聊提交）" if row.source_kind == "private" else f"《{row.title}》"
        return f"· {name}{title}：{row.unit or '（无答复单位）'}"

    def _to_staff(self, year: int, first: str, lines: list[str]) -> Reminder:
        """The list to staff, once per batch (``first``: the batch's first stage key)."""
        key = f"{first}:staff:{len(lines)}"

        async def queue(session: AsyncSession) -> int:
            return await self.notifier.to_staff_groups(
                texts.lookback_staff(year, lines),
                purpose="lookback",
                dedup_key=key,
                session=session,
            )

        return Reminder(key, None, queue)
