"""Synthetic records, one numbering year at a time: proposals with co-signers, handling units,
timelines, answers and evaluations; opinion leads; topics. Rows for bulk Core inserts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.clock import as_utc, local_zone
from bot.core.intake.terms import terms_row
from bot.core.intake.throttle import content_hash
from bot.core.models import RecordStatus
from bot.core.text.weights import term_weights
from bot.devtools.synth.lifecycle import Story, opinion_story, proposal_story
from bot.devtools.synth.people import (
    ASSISTING,
    DOMAIN_CATEGORY,
    DOMAIN_UNITS,
    WHOLE_GROUP,
    People,
    Person,
)
from bot.devtools.synth.texts import Doc, all_matters, domain_of, make_doc, make_opinion, make_topic

if TYPE_CHECKING:
    import random

TABLES = (
    "record", "record_terms", "timeline_entry", "cosign", "assignment", "answer", "evaluation"
)  # fmt: skip
Rows = dict[str, list[dict[str, Any]]]


@dataclass
class YearPlan:
    """How many records of each kind one year gets."""

    year: int
    proposals: int
    opinions: int
    topics: int


@dataclass
class RecordMaker:
    """Makes the rows of each year in turn; ids continue from one year to the next."""

    rng: random.Random
    people: People
    now: datetime
    next_id: int = 1
    terms: bool = True
    """Store each record's term weights, as the bot does when it writes one (~2 ms a record)."""
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    _matters: list[tuple[str, str]] = field(default_factory=all_matters)

    def year_rows(self, plan: YearPlan) -> Rows:
        rows: Rows = {table: [] for table in TABLES}
        kinds = (
            ["proposal"] * plan.proposals + ["opinion"] * plan.opinions + ["topic"] * plan.topics
        )
        moments = sorted((self._moment(plan.year), kind) for kind in kinds)
        accepted: list[int] = []  # this year's proposals a later one may be merged into
        for created, kind in moments:
            number = self.counters.get((kind, plan.year), 0) + 1
            self.counters[(kind, plan.year)] = number
            record_id = self.next_id
            self.next_id += 1
            if kind == "proposal":
                self._proposal(rows, record_id, plan.year, number, created, accepted)
            else:
                self._other(rows, kind, record_id, plan.year, number, created)
        return rows

    def _moment(self, year: int) -> datetime:
        """When a record of ``year`` is posted: most in the first quarter (the plenary
        session), in the daytime, the rest spread over the year."""
        if self.rng.random() < 0.55:
            day = date(year, 1, 1) + timedelta(days=int(self.rng.triangular(0, 90, 40)))
        else:
            day = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
        moment = time(self.rng.randint(8, 22), self.rng.randrange(60), self.rng.randrange(60))
        at = as_utc(datetime.combine(day, moment, local_zone()))
        if at >= self.now:  # the year in progress: its records so far
            start = as_utc(datetime(year, 1, 1, tzinfo=local_zone()))
            at = start + (self.now - start) * self.rng.random()
        return at

    def _base(
        self, kind: str, record_id: int, year: int, number: int, created: datetime, doc: Doc
    ) -> tuple[dict[str, Any], Person]:
        proposer = self.rng.choice(self.people.members)
        private = self.rng.random() < 0.18
        group = None
        if not private:
            group = self.people.sector_groups.get(proposer.sector or "", WHOLE_GROUP)
            group = group if self.rng.random() < 0.5 else WHOLE_GROUP
        domain = domain_of(doc.matter[0])
        row = {
            "id": record_id, "kind": kind, "year": year, "number": number,
            "status": RecordStatus.SUBMITTED.value, "platform": "qq",
            "proposer_user_id": proposer.user_id, "proposer_name": proposer.name,
            "proposer_sector": proposer.sector, "source_kind": "private" if private else "group",
            "source_group_id": group, "source_message_id": f"synth-{record_id}",
            "title": doc.title, "body": doc.body,
            "content_hash": content_hash(kind, f"{doc.title}\n{doc.body}"),
            "has_suggestion": True, "category": DOMAIN_CATEGORY[domain] if kind == "proposal" else None,
            "keywords": ",".join(doc.matter), "attachments": [], "is_key": False, "round": 1,
            "merged_into_id": None, "linked_record_id": None,
            "created_at": created, "updated_at": created,
        }  # fmt: skip
        return row, proposer

    def _proposal(
        self,
        rows: Rows,
        record_id: int,
        year: int,
        number: int,
        created: datetime,
        accepted: list[int],
    ) -> None:
        rng = self.rng
        doc = make_doc(rng, *rng.choice(self._matters))
        row, proposer = self._base("proposal", record_id, year, number, created, doc)
        story = Story(record_id, self.now, created)
        story.step(timedelta(0), "submit", proposer, RecordStatus.SUBMITTED, "群聊提交")
        cosigners = self._cosigners(rows, record_id, created, proposer)
        merge_target = rng.choice(accepted) if accepted else None
        handling, decided = proposal_story(
            rng, story, self._units(domain_of(doc.matter[0])), rng.choice(self.people.staff),
            proposer, merge_target,
        )  # fmt: skip
        if story.status not in (RecordStatus.SUBMITTED, RecordStatus.REJECTED):
            accepted.append(record_id)
        row.update(decided, status=story.status, updated_at=story.at)
        self._add(rows, row)
        rows["timeline_entry"].extend(story.timeline)
        rows["timeline_entry"].extend(cosigners)
        rows["assignment"].extend(handling.assignments)
        rows["answer"].extend(handling.answers)
        rows["evaluation"].extend(handling.evaluations)

    def _add(self, rows: Rows, row: dict[str, Any]) -> None:
        rows["record"].append(row)
        if self.terms:
            title, body = row["title"], row["body"]
            weights = term_weights(body, title)
            rows["record_terms"].append(terms_row(row["id"], row["kind"], title, body, weights))

    def _units(self, domain: str) -> list[tuple[int, str, Person]]:
        """The lead unit of a domain's proposal, and sometimes one or two assisting units."""
        choices = DOMAIN_UNITS[domain]
        names = [self.rng.choice(choices[:2])]
        for extra in (self.rng.choice(choices), self.rng.choice(ASSISTING)):
            if extra not in names and self.rng.random() < 0.3:
                names.append(extra)
        units = self.people.units
        return [(units[n], n, self.rng.choice(self.people.contacts[units[n]])) for n in names]

    def _cosigners(
        self, rows: Rows, record_id: int, created: datetime, proposer: Person
    ) -> list[dict[str, Any]]:
        """Co-signers (40 % of proposals): invited ones confirm within two days (or not yet,
        or lapse), others join by 附议. Their timeline rows."""
        if self.rng.random() > 0.4:
            return []
        timeline = []
        for person in self.rng.sample(self.people.members, self.rng.randint(1, 5)):
            if person.user_id == proposer.user_id:
                continue
            invited = self.rng.random() < 0.7
            confirmed = created + timedelta(days=self.rng.uniform(0.01, 2.5))
            status = "confirmed" if confirmed <= self.now else "pending"
            if invited and status == "confirmed" and self.rng.random() < 0.05:
                status, confirmed = "lapsed", created + timedelta(days=3)
            rows["cosign"].append(
                {"record_id": record_id, "platform": "qq", "user_id": person.user_id,
                 "name": person.name, "status": status, "invited": invited,
                 "created_at": created, "confirmed_at": confirmed if status == "confirmed" else None}
            )  # fmt: skip
            if status == "confirmed":
                timeline.append(
                    {"record_id": record_id, "at": confirmed, "actor_user_id": person.user_id,
                     "actor_name": person.name, "action": "cosign", "from_status": None,
                     "to_status": None, "detail": "确认联名" if invited else "附议",
                     "public": True, "source": "private"}
                )  # fmt: skip
        return timeline

    def _other(
        self, rows: Rows, kind: str, record_id: int, year: int, number: int, created: datetime
    ) -> None:
        """An opinion lead or a topic."""
        make = make_opinion if kind == "opinion" else make_topic
        doc = make(self.rng, *self.rng.choice(self._matters))
        row, proposer = self._base(kind, record_id, year, number, created, doc)
        story = Story(record_id, self.now, created)
        story.step(timedelta(0), "submit", proposer, RecordStatus.SUBMITTED, "群聊提交")
        if kind == "opinion":
            opinion_story(self.rng, story, self.rng.choice(self.people.staff), proposer)
        elif self.rng.random() < 0.03:
            story.step(timedelta(hours=3), "withdraw", proposer, RecordStatus.WITHDRAWN)
        row.update(status=story.status, updated_at=story.at)
        self._add(rows, row)
        rows["timeline_entry"].extend(story.timeline)
