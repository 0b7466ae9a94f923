"""Batch vetting against its floor: `vet`'s accounts per second beside a loop that only reads and decodes
the same files, and beside reporting each file alone (the models called once per account).

Two kinds of account, each under its own id and handle: a real v1.1 timeline (its 20 statuses, 60 KB)
in one file, over 50 to 800 accounts; and a real x.com capture pair (the profile and a UserTweets page,
895 KB), over 10 to 160 accounts. CPU time of this process (the machine is shared), best of ROUNDS.
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
GRAPHQL = ROOT.parent / "shared" / "data" / "x-graphql"
PAIR = (GRAPHQL / "raw_user_by_login.json", GRAPHQL / "raw_user_tweets.json")  # both @XDevelopers
PAIR_OWNER = (b"2244994945", b"XDevelopers")  # its id and handle, as they appear in both files
NOW = datetime(2026, 11, 22, tzinfo=UTC)
SIZES = (50, 200, 800)
PAIR_SIZES = (10, 40, 160)
TARGET = "target <= 2x"
ROUNDS = 3


def write_accounts(folder: Path, count: int, statuses: list[dict[str, object]]) -> list[Path]:
    files = []
    for n in range(count):
        user = {**statuses[0]["user"], "id": 10**9 + n, "id_str": str(10**9 + n), "screen_name": f"acct{n}"}  # type: ignore[dict-item]
        path = folder / f"acct{n:05d}.json"
        path.write_bytes(orjson.dumps([{**status, "user": user} for status in statuses]))
        files.append(path)
    return files


def write_pairs(folder: Path, count: int) -> list[Path]:
    """The capture pair again and again, each copy's owner given another id and handle throughout."""
    bodies = [path.read_bytes() for path in PAIR]
    files = []
    for n in range(count):
        owner_id, handle = str(3 * 10**9 + n).encode(), f"acct{n:07d}".encode()
        for kind, body in zip(("profile", "tweets"), bodies, strict=True):
            path = folder / f"acct{n:05d}-{kind}.json"
            path.write_bytes(body.replace(PAIR_OWNER[0], owner_id).replace(PAIR_OWNER[1], handle))
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
    with tempfile.TemporaryDirectory(prefix="profilelens-bench-") as scratch:
        for kind, (title, sizes, write) in enumerate(
            (
                (
                    "v1.1 timelines, one 60 KB file an account",
                    SIZES,
                    lambda d, n: write_accounts(d, n, statuses),
                ),
                (
                    "x.com capture pairs, 895 KB an account",
                    PAIR_SIZES if all(p.exists() for p in PAIR) else (),
                    write_pairs,
                ),
            )
        ):
            print(title)
            print(
                f"accounts  read+decode ms  vet ms  (x floor; {TARGET})  one by one ms  (x floor)  accounts/s"
            )
            for size in sizes:
                folder = Path(scratch) / f"{kind}-{size}"
                folder.mkdir()
                floor, vet, alone = measure(write(folder, size))
                print(
                    f"{size:8d} {floor * 1000:14.0f} {vet * 1000:7.0f} {vet / floor:8.1f}x"
                    f"{'':20} {alone * 1000:12.0f} {alone / floor:8.1f}x {size / vet:14.0f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
