"""Python's cycle collector, kept off the hot path.

Reading a capture allocates a hundred thousand containers that reference counting frees as soon as the
report is built; the collector, triggered by those allocations, would walk them (and every model loaded
in the process) again and again: a full collection every ~60 reports, tens of milliseconds each. So it
pauses while any analysis runs (and for the whole of a batch request, whose JSON body is decoded at once),
and what is loaded for good (the models) is frozen out of its reach.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # analyses in progress, in any thread
_was_enabled = True


@contextmanager
def paused() -> Iterator[None]:
    """No collection while this (or any other analysis) runs; the collector is back once all are done."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()


def freeze_loaded() -> None:
    """Move everything alive now (the loaded models, the imported libraries) out of the collector's
    sight: they stay for the life of the process, and each full collection no longer walks them."""
    gc.collect()
    gc.freeze()
