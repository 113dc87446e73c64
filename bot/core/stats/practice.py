"""办理协商 in figures (issue 14 item 1): the share of answers with a recorded contact (沟通)
and the proposers' view of it (评价 … 已沟通|未沟通). THE function that computes them:
`统计` reads it through ``services.stats.consultations``; the workflow's practice reads
(bot/core/workflow/proposals/practice_read.py) return the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import exists, func
from sqlmodel import col, select

from bot.core.models import Answer, Consultation, Evaluation, Record
from bot.core.records.kinds import RecordKind
from bot.core.stats.rates import Rate

if TYPE_CHECKING:
    from bot.core.db import Database


@dataclass(frozen=True)
class ConsultationFigures:
    """办理协商 in a year's proposals: answers (one per round answered), those with a contact
    recorded in their round, and what the proposers said when evaluating (each evaluation
    that answered the question counted once)."""

    answers: int
    with_contact: int
    said_consulted: int
    said_not_consulted: int

    @property
    def contact_share(self) -> float | None:
        """Share of answers with a recorded contact (None without answers)."""
        return self.with_contact / self.answers if self.answers else None

    @property
    def contact_rate(self) -> Rate:
        return Rate(self.with_contact, self.answers)

    @property
    def said(self) -> int:
        return self.said_consulted + self.said_not_consulted

    @property
    def said_consulted_rate(self) -> Rate:
        return Rate(self.said_consulted, self.said)


async def consultation_figures(db: Database, year: int) -> ConsultationFigures:
    """The year's 办理协商 figures (proposals numbered in ``year``)."""
    of_year = (Record.year == year, Record.kind == RecordKind.PROPOSAL.value)
    contact = exists().where(
        col(Consultation.record_id) == col(Answer.record_id),
        col(Consultation.round) == col(Answer.round),
    )
    answers = (
        select(func.count(col(Answer.id)))  # one answer per round (the state machine)
        .join(Record, col(Record.id) == col(Answer.record_id))
        .where(*of_year)
    )
    said = (
        select(Evaluation.consulted, func.count())
        .join(Record, col(Record.id) == col(Evaluation.record_id))
        .where(*of_year, col(Evaluation.consulted).is_not(None))
        .group_by(col(Evaluation.consulted))
    )
    async with db.session() as session:
        total = (await session.exec(answers)).one()
        with_contact = (await session.exec(answers.where(contact))).one()
        views = dict((await session.exec(said)).all())  # type: ignore[arg-type]
    return ConsultationFigures(
        answers=int(total or 0),
        with_contact=int(with_contact or 0),
        said_consulted=int(views.get(True, 0)),
        said_not_consulted=int(views.get(False, 0)),
    )
