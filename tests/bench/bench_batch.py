"""Batch vetting against its floor: `vet`'s accounts per second beside a loop that only reads and decodes
the same files, and beside reporting each file alone (the models called once per account).

Each account is a real v1.1 timeline (its 20 statuses) under its own id and handle, one file each; the
curve runs over 50 to 800 accounts. CPU time of this process (the machine is shared), best of ROUNDS.
Target: vet <= 2x the read-and-decode loop. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson

from profilelens import analysis
from profilelens.commands.vet import vet_captures
from profilelens.ratings import models

ROOT = Path(__file__).resolve().parents[2]
STATUSES = ROOT.parent / "shared" / "data" / "x-api-v1.1-python-twitter" / "get_user_timeline.json"
NOW = datetime(2026, 11, 22, tzinfo=UTC)
SIZES = (50, 200, 800)
ROUNDS = 3


def write_accounts(folder: Path, count: int, statuses: list[dict[str, object]]) -> list[Path]:
    files = []
    for n in range(count):
        user = {**statuses[0]["user"], "id": 10**9 + n, "id_str": str(10**9 + n), "screen_name": f"acct{n}"}  # type: ignore[dict-item]
        path = folder / f"acct{n:05d}.json"
        path.write_bytes(orjson.dumps([{**status, "user": user} for status in statuses]))
        files.append(path)
    return files


def cpu(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def read_and_decode(files: list[Path]) -> None:
    """The floor: each file read and decoded, then let go. Keeping them all would let the collector walk
    the growing heap again and again (3x the decoding itself at 500 files), a cost vet does not pay."""
    for path in files:
        orjson.loads(path.read_bytes())


def measure(files: list[Path]) -> tuple[float, float, float]:
    """CPU seconds to read and decode the files, to vet them, and to report each file alone."""
    floor = cpu(lambda: read_and_decode(files))
    vet = cpu(lambda: list(vet_captures(files, now=NOW, tz="UTC")))
    alone = cpu(lambda: [analysis.analyze_bytes(path.read_bytes(), now=NOW, tz="UTC") for path in files])
    return floor, vet, alone


def main() -> int:
    if not STATUSES.exists():
        print(f"skipped: {STATUSES} is absent")
        return 0
    models.problems()  # loaded before measuring, as in a long run
    statuses = orjson.loads(STATUSES.read_bytes())
    print(
        "accounts  read+decode ms  vet ms  (x floor; target <= 2x)  one by one ms  (x floor)  vet accounts/s"
    )
    with tempfile.TemporaryDirectory(prefix="profilelens-bench-") as scratch:
        for size in SIZES:
            folder = Path(scratch) / str(size)
            folder.mkdir()
            files = write_accounts(folder, size, statuses)
            floor, vet, alone = measure(files)
            print(
                f"{size:8d} {floor * 1000:14.0f} {vet * 1000:7.0f} {vet / floor:8.1f}x"
                f"{'':20} {alone * 1000:12.0f} {alone / floor:8.1f}x {size / vet:14.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
