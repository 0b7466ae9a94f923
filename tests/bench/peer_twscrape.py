"""twscrape's own parser on a capture, timed beside a bare orjson.loads: run by bench_parse with the side
venv's Python (`make bench` installs twscrape there, away from the project's own packages).

Prints one line of JSON: {"loads_ms": ..., "parse_ms": ..., "tweets": ...} (medians).
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from benchkit import per_call_ms  # stdlib only: importable from the side venv too
from twscrape import models


def main() -> int:
    body = Path(sys.argv[1]).read_bytes()
    tweets = len(list(models.parse_tweets(orjson.loads(body))))
    loads, _ = per_call_ms(lambda: orjson.loads(body))
    parse, _ = per_call_ms(lambda: list(models.parse_tweets(orjson.loads(body))))
    print(orjson.dumps({"loads_ms": loads, "parse_ms": parse, "tweets": tweets}).decode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
