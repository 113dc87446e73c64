"""Benchmark intake at national scale: similar-proposal lookups and the cost of one #提案.

Loads N synthetic proposals (default 60,000, half this year and half last year, so that all of
them are in the similarity index a post is compared with: five times the national yearly
figure, a worst case; `--years 10` spreads them over ten years, 6,000 a year, as nationally, and
the index then holds the 12,000 of this year and last) into a fresh database, builds the similarity index from the database
(cold, then again from its snapshot as after a restart), and reports:

(a) similar-proposal lookups (`SimilarityService.similar`: index query + loading the matched
    records), p50/p95 over `--queries` fresh texts, 10 % of them rewordings of indexed ones;
(b) the server-side cost of handling one `#提案` beyond NoneBot's own dispatch: what the intake
    matcher does for a post (rule: OneBot message -> segments + tag; dedup; binding and identity
    lookups; IntakeService.submit; formatting the reply; linking the confirmation), in-process,
    without sending. Wall clock and the process's CPU time (all threads), split into phases:
    the re-delivery check with the sender's identity (one database round trip), the text work
    (jieba, category, keywords, similarity query), the post's one transaction (number, record,
    timeline, links, similar records, queued messages), adding to the index, and linking the
    bot's confirmation after the reply.

    .venv/bin/python bench/bench_intake.py [--docs 60000] [--queries 1000] [--posts 200]
        [--post-chars 300] [--years 10] [--snapshot FILE]
        [--database-url sqlite+aiosqlite:////tmp/x.db | postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_similarity import all_matters, make_doc, reword
from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.core.clock import utcnow
from bot.core.intake import detect_tag, texts
from bot.core.intake.results import Source
from bot.core.intake.throttle import content_hash
from bot.core.models import ChannelKind, Member, Record
from bot.core.people.members import MemberUpdate
from bot.core.records.kinds import RecordKind
from bot.core.services import CoreConfig, Services
from bot.nb.segments import may_be_tagged, to_segments
from bot.settings import DEFAULT_DATA_DIR

GROUP = "900001"
STAFF_GROUP = "900002"
MEMBERS = 800


def pct(values: list[float]) -> str:
    q = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  max {max(values):.2f} ms"


async def load_records(services: Services, docs: list, year: int, years: int) -> None:
    """Bulk insert (bypassing RecordService.create, which numbers one at a time)."""
    now = utcnow()
    numbers = dict.fromkeys(range(year - years + 1, year + 1), 0)
    batch: list[Record] = []
    for i, doc in enumerate(docs):
        record_year = year - i % years
        numbers[record_year] += 1
        member = i % MEMBERS
        batch.append(
            Record(
                kind=RecordKind.PROPOSAL,
                year=record_year,
                number=numbers[record_year],
                proposer_user_id=str(30_000 + member),
                proposer_name=f"委员{member}",
                proposer_sector="农业界",
                title=doc.title,
                body=doc.body,
                content_hash=content_hash(RecordKind.PROPOSAL, f"{doc.title}\n{doc.body}"),
                created_at=now - timedelta(days=365 * (year - record_year) + 1, minutes=i),
                updated_at=now,
            )
        )
        if len(batch) == 2000:
            async with services.db.session() as session:
                session.add_all(batch)
                await session.commit()
            batch = []
    if batch:
        async with services.db.session() as session:
            session.add_all(batch)
            await session.commit()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument(
        "--post-chars",
        type=int,
        default=0,
        help="cut each post's body to this many characters (0: as generated, ~720)",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=2,
        help="spread the proposals over this many years up to this one (the index holds two)",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--snapshot",
        default="",
        help="keep the similarity snapshot here (reused by a later run with the same --docs, "
        "--years and --seed: skips the cold index build; the cold figure is then not measured)",
    )
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    services = Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR))
    services.similarity.snapshot = None  # the database is empty: nothing to load or save yet
    await services.start()
    await services.similarity.rebuild_index()
    services.intake.throttle.rate_per_minute = 10**9
    year = services.records.current_year()
    print(f"database: {url.split('@')[-1]}")

    rng = random.Random(args.seed)
    matters = all_matters()
    t = time.perf_counter()
    docs = [make_doc(rng, *rng.choice(matters)) for _ in range(args.docs)]
    print(
        f"generated {len(docs)} proposals in {time.perf_counter() - t:.1f} s "
        f"(avg {statistics.mean(len(d.body) for d in docs):.0f} characters)"
    )
    t = time.perf_counter()
    await load_records(services, docs, year, max(1, args.years))
    print(f"inserted into the database in {time.perf_counter() - t:.1f} s")

    snapshot = Path(args.snapshot) if args.snapshot else tmp / "similarity.idx"
    services.similarity.snapshot = snapshot
    reused = snapshot.exists()
    t = time.perf_counter()
    indexed = await services.similarity.rebuild_index()
    print(
        f"index built from the database ({'from an earlier snapshot' if reused else 'cold'}): "
        f"{indexed} records in {time.perf_counter() - t:.1f} s"
    )
    services.similarity.reset()
    t = time.perf_counter()
    await services.similarity.rebuild_index()
    print(f"index rebuilt from its snapshot + database (restart): {time.perf_counter() - t:.1f} s")

    # (a) similar-proposal lookups
    queries = [
        reword(rng, rng.choice(docs)) if i % 10 == 0 else make_doc(rng, *rng.choice(matters))
        for i in range(args.queries)
    ]
    lookups: list[float] = []
    index_only: list[float] = []
    hits = 0
    for doc in queries:
        t = time.perf_counter()
        found = await services.similarity.similar(RecordKind.PROPOSAL, doc.title, doc.body)
        lookups.append((time.perf_counter() - t) * 1000)
        hits += bool(found)
        t = time.perf_counter()
        services.similarity.index.query(doc.body, years={year, year - 1}, title=doc.title, k=7)
        index_only.append((time.perf_counter() - t) * 1000)
    print(
        f"\n(a) similar-proposal lookup over {indexed} indexed proposals, {len(queries)} queries "
        f"({hits} with a similar one):"
    )
    print(f"    SimilarityService.similar (index + records): {pct(lookups)}")
    print(f"    SimilarityIndex.query alone:             {pct(index_only)}")

    # (b) one #提案, as the matcher handles it
    for n in range(MEMBERS):
        await services.members.update(
            str(30_000 + n), MemberUpdate(name=f"委员{n}", sector="农业界")
        )
    await services.channels.bind(GROUP, ChannelKind.WHOLE, sector=None, bound_by="bench")
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="bench")

    phases: dict[str, list[float]] = {
        name: [] for name in ("admit", "analysis", "store", "index", "confirm")
    }

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def run(*a, **kw):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases[name].append((time.perf_counter() - t0) * 1000)

        return run

    # the text work and the post's transaction run in worker threads: time them there
    services.intake._analyze = timed("analysis", services.intake._analyze)  # type: ignore[method-assign]
    services.intake._store = timed("store", services.intake._store)  # type: ignore[method-assign]
    original_index = services.similarity.add

    async def timed_index(record, weights=None):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return await original_index(record, weights)
        finally:
            phases["index"].append((time.perf_counter() - t0) * 1000)

    services.similarity.add = timed_index  # type: ignore[method-assign]
    posts = [
        reword(rng, rng.choice(docs)) if i % 10 == 0 else make_doc(rng, *rng.choice(matters))
        for i in range(args.posts)
    ]
    if args.post_chars:
        posts = [doc._replace(body=doc.body[: args.post_chars]) for doc in posts]
    totals: list[float] = []
    cpu: list[float] = []
    for i, doc in enumerate(posts):
        message = Message(MessageSegment.text(f"#提案 {doc.title}\n{doc.body}"))
        user_id = str(30_000 + rng.randrange(MEMBERS))
        t = time.perf_counter()
        c = time.process_time()
        # the matcher's rule
        assert may_be_tagged(message)
        segments = to_segments(message)
        assert detect_tag(segments) is not None
        # the handler: re-delivery check and sender, the post (with its re-delivery mark), the
        # reply, the confirmation link
        chat = f"group:{GROUP}"
        async with services.entry.admitted("bench", chat, str(1_000_000 + i), user_id) as identity:
            assert identity is not None
            phases["admit"].append((time.perf_counter() - t) * 1000)
            binding = await services.channels.get(GROUP)
            result = await services.intake.submit(
                segments,
                identity=identity,
                source=Source.group(
                    GROUP, str(1_000_000 + i), sector=binding.sector if binding else None
                ),
                ignore_ids=["bench"],
            )
            texts.submit_reply(result, year, private=False)
            t_confirm = time.perf_counter()
            await services.intake.remember_confirmation(result.record, 2_000_000 + i)
            phases["confirm"].append((time.perf_counter() - t_confirm) * 1000)
        totals.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    async with services.db.session() as session:
        from sqlmodel import func, select

        members = (await session.exec(select(func.count()).select_from(Member))).one()
    print(
        f"\n(b) one #提案 (avg {statistics.mean(len(d.body) for d in posts):.0f} characters), "
        f"{len(posts)} posts, {members} members on the roster, a staff group bound:"
    )
    print(f"    total, wall clock (matcher rule + handler, no send): {pct(totals)}")
    print(f"    total, CPU time of the process (all threads):       {pct(cpu)}")
    print(f"    of which re-delivery check + sender (one read)   : {pct(phases['admit'])}")
    print(f"    of which text analysis (worker thread):              {pct(phases['analysis'])}")
    print("      (jieba, suggestion, category, keywords, similarity query)")
    print(f"    of which the post's transaction (worker thread):     {pct(phases['store'])}")
    print(f"    of which adding to the similarity index:             {pct(phases['index'])}")
    print(f"    of which linking the confirmation (after the reply): {pct(phases['confirm'])}")
    await services.stop()


if __name__ == "__main__":
    asyncio.run(main())
