"""`python -m profilelens.training` (`make train`): rebuild every model in models/ from ../shared/data."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from profilelens.config import SOURCE_MODELS_DIR
from profilelens.training.data import DataMissingError
from profilelens.training.pipeline import train_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m profilelens.training", description=__doc__)
    parser.add_argument("--out", type=Path, default=SOURCE_MODELS_DIR, help="where to write the models")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        # One thread: on a shared 2-core machine OpenMP's spinning threads made training 8x slower.
        with threadpool_limits(1):
            summary = train_all(args.out)
    except DataMissingError as exc:
        print(f"cannot train: {exc}", file=sys.stderr)
        return 2
    print(summary)
    print(f"trained in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
