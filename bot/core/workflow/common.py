"""Shared pieces of the workflow services: who asks, what happened, the guarded transition."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from bot.core.clock import Clock, local_date
from bot.core.clock import fmt_date as fmt_date  # re-exported: the texts import it from here
from bot.core.errors import InvalidInput
from bot.core.models import Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor, ChangeStep, RecordService, record_label, ref_text
from bot.core.schedule.workdays import WorkCalendar
from bot.core.workflow import states

if TYPE_CHECKING:
    from datetime import date

    from bot.core.db import Database
    from bot.core.people.identity import Identity
    from bot.core.workflow.states import Action

HOLIDAY_FILE = "data/holidays.toml"


@dataclass(frozen=True)
class Requester:
    """Who asks (their identity and roles) and from which chat (`group:123` / `private`)."""

    identity: Identity
    source: str = "private"

    @property
    def actor(self) -> Actor:
        return Actor(self.identity.user_id, self.identity.name, self.source)

    @property
    def is_staff(self) -> bool:
        return self.identity.is_staff


@dataclass
class Outcome:
    """What a workflow step did.

    `text`: the reply when one record was named; `line`: one line of a bulk reply;
    `notes`: things to say once per reply (e.g. a year's holidays are missing).
    """

    record: Record
    text: str
    line: str
    notes: list[str] = field(default_factory=list)


def missing_holidays_note(years: list[int] | tuple[int, ...]) -> str:
    shown = "、".join(f"{y}年" for y in years)
    return (
        f"注意：{shown}的法定节假日和调休安排尚未录入，期限按周一至周五计算，可能不准。"
        f"国务院公布安排后，请在 {HOLIDAY_FILE} 中按文件开头的说明补上{shown}的放假日（holidays）"
        "和调休上班日（workdays），写上 complete = true，重启机器人后生效。"
    )


def title_of(record: Record) -> str:
    title = record.title.strip()
    return f"《{title if len(title) <= 40 else title[:40] + '…'}》"


class RecordFlow:
    """The part shared by the proposal and the opinion workflows."""

    kind: RecordKind

    def __init__(
        self, db: Database, clock: Clock, records: RecordService, calendar: WorkCalendar
    ) -> None:
        self.db = db
        self.clock = clock
        self.records = records
        self.calendar = calendar

    # ------------------------------------------------------------ naming

    def today(self) -> date:
        return local_date(self.clock.now())

    def label(self, record: Record) -> str:
        """`提案第17号`, with the year when it is not this year's."""
        return record_label(record, current_year=self.records.current_year())

    def ref(self, record: Record) -> str:
        """How to type the number: `17`, or `2025-17` for another year."""
        return ref_text(record, self.records.current_year())

    def number(self, record: Record) -> str:
        """`第17号` / `2025年第17号`."""
        year = None if record.year == self.records.current_year() else record.year
        return RecordKind(record.kind).format_number(record.number, year)

    async def resolve(self, text: str) -> Record:
        return await self.records.resolve(self.kind, text)

    # ------------------------------------------------------------ transitions

    async def precheck(self, record: Record, action: Action) -> RecordStatus:
        """The state check before any other work, with a pointer for merged proposals."""
        if record.status == RecordStatus.MERGED and record.merged_into_id is not None:
            target = await self.records.get(record.merged_into_id)
            raise InvalidInput(
                f"{self.label(record)}已并入{self.label(target)}，请对第{self.ref(target)}号操作，"
                f"例如：{action.label} {self.ref(target)}"
            )
        return states.check(
            self.kind, record.status, action, label=self.label(record), number_ref=self.ref(record)
        )

    async def apply(
        self, record: Record, action: Action, by: Requester, **step: Unpack[ChangeStep]
    ) -> Record:
        """Check `action` against the record's current state (locked), change it, run `extra`
        in the same transaction, write the timeline entry (`detail`, or `detail()` after
        `extra` when it depends on what `extra` did) and queue the step's messages
        (`notify`, given the changed record: pass ``session=`` to the notifier); all or nothing.
        This is :meth:`RecordService.change` against this workflow's state machine."""
        return await self.records.change(record, action, by.actor, kind=self.kind, **step)


def load_calendar(data_dir: Path) -> WorkCalendar:
    """The county's working-day calendar: `data_dir/holidays.toml`, else the shipped file."""
    path = Path(data_dir) / "holidays.toml"
    return WorkCalendar.load(path if path.is_file() else None)


def load_category_names(data_dir: Path) -> tuple[str, ...]:
    """The county's proposal categories (data/categories.toml), for 立案 17 类别."""
    from bot.core.text.categories import CategoryLexicon

    return CategoryLexicon.load_default(data_dir).names
