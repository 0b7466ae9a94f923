"""Steady costs: a full report's spread over many calls (the cycle collector must stay off the hot
path), and the cost per post as timelines grow from 50 to 50,000 posts (it must stay flat: linear work).

Prints figures; asserts nothing about time. Targets: mean within 1.2x the median, p99 within 2x the
median; per-post cost flat across sizes.
"""

from __future__ import annotations

import copy
import gc
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from profilelens import analysis, collector
from profilelens.ratings import models

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
CAPTURE = DATA / "x-graphql" / "raw_user_tweets.json"
STATUSES = DATA / "x-api-v1.1-python-twitter" / "get_user_timeline.json"
NOW = datetime(2026, 11, 22, tzinfo=UTC)
CALLS = 300
SIZES = (50, 500, 5_000, 50_000)


def spread(body: bytes) -> list[float]:
    samples = []
    for _ in range(CALLS):
        start = time.perf_counter()
        analysis.analyze_bytes(body, now=NOW)
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)


def timeline_of(count: int, statuses: list[dict[str, object]]) -> bytes:
    """`count` real v1.1 statuses of one account (its 20, repeated with new ids, an hour apart)."""
    out = []
    for index in range(count):
        status = copy.copy(statuses[index % len(statuses)])
        status["id"] = status["id_str"] = str(10**17 + index)
        status["created_at"] = f"{NOW - timedelta(hours=index):%a %b %d %H:%M:%S +0000 %Y}"
        out.append(status)
    return orjson.dumps(out)


def main() -> int:
    if not CAPTURE.exists() or not STATUSES.exists():
        print(f"skipped: the real data under {DATA} is absent")
        return 0
    models.problems()  # loaded, as in a running server
    collector.freeze_loaded()
    body = CAPTURE.read_bytes()
    analysis.analyze_bytes(body, now=NOW)
    before = sum(stat["collections"] for stat in gc.get_stats())
    samples = spread(body)
    collections = sum(stat["collections"] for stat in gc.get_stats()) - before
    median, mean, p99 = statistics.median(samples), statistics.mean(samples), samples[int(CALLS * 0.99) - 1]
    print(
        f"{CALLS} full reports of {CAPTURE.name}: median {median:.2f} ms, mean {mean:.2f} ms "
        f"({mean / median:.2f}x median; target <= 1.2x), p99 {p99:.2f} ms ({p99 / median:.2f}x; target <= 2x)"
    )
    print(f"  cycle collections during them: {collections}")

    statuses = orjson.loads(STATUSES.read_bytes())
    print("posts in the timeline   ms per report   us per post")
    for size in SIZES:
        timeline = timeline_of(size, statuses)
        rounds = max(1, 2_000 // size)
        start = time.perf_counter()
        for _ in range(rounds):
            analysis.analyze_bytes(timeline, now=NOW)
        per_report = (time.perf_counter() - start) / rounds * 1000
        print(f"{size:>20,} {per_report:15.1f} {per_report * 1000 / size:13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
