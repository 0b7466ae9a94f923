"""The worst input of each hostile class against a normal report of the same real timeline.

Prints, for each class, the time (median of repeated calls) and peak memory of the whole analysis, and
how much either is over the normal report's. Target: within 50 ms and 20 MB over it. Nothing is
asserted about time (noisy machines); the memory bound is asserted in tests/server/test_fuzz_analysis.py.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
import tracemalloc
import zlib
from datetime import UTC, datetime
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests" / "server"), str(ROOT / "tests")]

from hostilekit import worst_of_each_class  # noqa: E402

from profilelens import analysis  # noqa: E402
from profilelens.config import DEFAULT_MAX_BODY  # noqa: E402
from profilelens.records import InputError  # noqa: E402

CAPTURE = ROOT.parent / "shared" / "data" / "x-graphql" / "raw_user_tweets.json"
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def run(body: bytes) -> None:
    with contextlib.suppress(InputError):  # a clear refusal is an answer too
        analysis.analyze_bytes(body, now=NOW, max_inflated=DEFAULT_MAX_BODY)


def median_ms(body: bytes, rounds: int = 7) -> float:
    run(body)  # warm-up: models loaded, caches filled
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        run(body)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def peak_mb(body: bytes) -> float:
    tracemalloc.start()
    try:
        run(body)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def gzip_past_the_body_limit() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(b" " * (DEFAULT_MAX_BODY + 1)) + packer.flush()


def main() -> int:
    if not CAPTURE.exists():
        print(f"skipped: {CAPTURE} is absent (the real data sits beside the project)")
        return 0
    bodies = worst_of_each_class(orjson.loads(CAPTURE.read_bytes()))
    bodies["gzip file inflating past the body limit"] = gzip_past_the_body_limit()
    normal = bodies.pop("normal")
    base_ms, base_mb = median_ms(normal), peak_mb(normal)
    print(f"normal report of the real timeline: {base_ms:.1f} ms, peak {base_mb:.1f} MB")
    for name, body in bodies.items():
        ms, mb = median_ms(body), peak_mb(body)
        print(
            f"{name:42s} {ms:7.1f} ms ({ms - base_ms:+6.1f} ms)  peak {mb:6.1f} MB ({mb - base_mb:+5.1f} MB)"
            "   target: < +50 ms, < +20 MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
