"""Benchmark the similar-proposal index at national scale.

Generates 60,000 synthetic proposals over ten years (6,000 a year, the national figure) from
topic vocabularies: ~1,400 matters (object x aspect, e.g. 农村生活污水 x 运维管护), so every
matter has dozens of near-duplicates worded differently, and matters sharing an object or a
domain make "same broad area" neighbours. Builds the index (time, memory), then runs 1,000
queries with fresh texts (10 % of them re-worded copies of indexed proposals) and reports
p50/p95/p99 latency, for this year + last year and for all years. Recall of the pruned search is
checked against an exhaustive exact-cosine scan on a sample of queries.

    .venv/bin/python bench/bench_similarity.py [--docs 60000] [--queries 1000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import math
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.text import DEFAULT_MIN_SCORE, SimilarityIndex, init_text_engine
from bot.core.text.similarity import _SCALE, term_weights
from bot.devtools.synth.texts import DOMAINS, Doc, all_matters, make_doc, reword

YEARS = list(range(2017, 2027))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms  max {values[-1]:.2f} ms"


def exhaustive(
    index: SimilarityIndex, title: str, body: str, years: set[int] | None, k: int
) -> list[int]:
    """Exact cosine against every indexed proposal of the years (no pruning)."""
    state = index._kinds["proposal"]
    scored = index._query_vector(state, term_weights(body, title))
    qnorm = math.sqrt(sum((w * idf) ** 2 for _, w, idf in scored))
    dot_weights = {tid: w * idf * idf / _SCALE for tid, w, idf in scored if tid is not None}
    results = []
    for slot, key in enumerate(index._key):
        if key is None or (years is not None and index._year[slot] not in years):
            continue
        dot = sum(
            dot_weights.get(t, 0.0) * w
            for t, w in zip(index._terms[slot], index._weights[slot], strict=True)
        )
        score = dot / (qnorm * index._doc_norm(slot, state))
        if score >= DEFAULT_MIN_SCORE:
            results.append((score, key[1]))
    return [doc_id for _, doc_id in heapq.nlargest(k, results)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--recall-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--tracemalloc", action="store_true", help="trace index memory (slow)")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="SNAPSHOT",
        help="load the index from this snapshot if it exists (else build and save it there)",
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    matters = all_matters()
    print(f"{len(matters)} matters, {len(DOMAINS)} domains; generating {args.docs} proposals")
    docs = [make_doc(rng, *rng.choice(matters)) for _ in range(args.docs)]
    years = [YEARS[i * len(YEARS) // args.docs] for i in range(args.docs)]
    mean_len = statistics.mean(len(d.title) + len(d.body) for d in docs)
    print(f"mean length {mean_len:.0f} characters; {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        init_text_engine(None, Path(cache))
        print(f"jieba init {time.perf_counter() - started:.2f} s, RSS {rss_mb():.0f} MB")
    gc.collect()
    rss_before = rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    if args.reuse and args.reuse.exists():
        started = time.perf_counter()
        index = SimilarityIndex.load(args.reuse)
        print(
            f"loaded {len(index)} docs from {args.reuse} in {time.perf_counter() - started:.1f} s"
        )
    else:
        index = SimilarityIndex()
        started = time.perf_counter()
        for doc_id, (doc, year) in enumerate(zip(docs, years, strict=True), start=1):
            index.add(doc_id, doc.body, year=year, title=doc.title)
        build = time.perf_counter() - started
        gc.collect()
        traced = ""
        if args.tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            traced = f", tracemalloc current {current / 2**20:.0f} MB peak {peak / 2**20:.0f} MB"
        print(
            f"build: {len(index)} docs in {build:.1f} s ({build / len(index) * 1000:.2f} ms/doc), "
            f"RSS {rss_before:.0f} -> {rss_mb():.0f} MB (+{rss_mb() - rss_before:.0f} MB){traced}"
        )
        if args.reuse:
            index.save(args.reuse)
    started = time.perf_counter()
    index.refresh()
    print(f"refresh (all norms): {(time.perf_counter() - started) * 1000:.0f} ms")

    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "similarity.snapshot"
        started = time.perf_counter()
        index.save(snapshot)
        saved = time.perf_counter() - started
        size = snapshot.stat().st_size / 2**20
        started = time.perf_counter()
        loaded = SimilarityIndex.load(snapshot)
        load_time = time.perf_counter() - started
        started = time.perf_counter()
        for doc_id, (doc, year) in enumerate(zip(docs, years, strict=True), start=1):
            loaded.add(doc_id, doc.body, year=year, title=doc.title)  # unchanged: no tokenising
        readd = time.perf_counter() - started
        probe = docs[123]
        same = loaded.query(probe.body, title=probe.title, years=None) == index.query(
            probe.body, title=probe.title, years=None
        )
        print(
            f"snapshot: save {saved:.1f} s ({size:.0f} MB), load {load_time:.1f} s, "
            f"re-adding {len(docs)} unchanged records {readd:.1f} s, same results: {same}"
        )
        del loaded
        gc.collect()

    queries: list[Doc] = []
    for _ in range(args.queries):
        if rng.random() < 0.1:
            queries.append(reword(rng, docs[rng.randrange(len(docs))]))
        else:
            queries.append(make_doc(rng, *rng.choice(matters)))

    for label, query_years in (("this+last year", {2025, 2026}), ("all 10 years", None)):
        times = []
        cpu_times = []
        with_match = 0
        load_before = os.getloadavg()[0]
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            matches = index.query(query.body, title=query.title, years=query_years, k=3)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
            with_match += bool(matches)
        print(
            f"query ({label}, k=3, min_score={DEFAULT_MIN_SCORE}), "
            f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}:"
        )
        print(f"  wall: {percentiles(times)}")
        print(f"  CPU:  {percentiles(cpu_times)}")
        print(f"  queries with at least one match: {with_match}/{len(queries)}")

        # precision of returned matches (same object x aspect) and recall vs exhaustive scan
        returned = same = same_object = 0
        agree = expected = 0
        for query in queries[: args.recall_sample]:
            matches = index.query(query.body, title=query.title, years=query_years, k=3)
            returned += len(matches)
            same += sum(docs[m.doc_id - 1].matter == query.matter for m in matches)
            same_object += sum(docs[m.doc_id - 1].matter[0] == query.matter[0] for m in matches)
            truth = exhaustive(index, query.title, query.body, query_years, 3)
            expected += len(truth)
            agree += len(set(truth) & {m.doc_id for m in matches})
        print(
            f"  on {args.recall_sample} queries: of {returned} matches, {same_object} same object, "
            f"{same} same object x aspect; recall vs exhaustive exact cosine {agree}/{expected}"
            f" = {agree / max(expected, 1):.3f}"
        )


if __name__ == "__main__":
    main()
