"""What the benches share: timing a call the one way (they run as scripts from this folder)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def per_call_ms(fn: Callable[[], object], rounds: int = 15, calls: int = 20) -> tuple[float, float]:
    """(median, best) milliseconds per call over `rounds` rounds of `calls` calls, after a warm-up."""
    for _ in range(calls):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1000)
    return statistics.median(samples), min(samples)
