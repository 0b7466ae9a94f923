"""What several commands share: the moment and time zone of an analysis, and reading capture files."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from profilelens import analysis
from profilelens.ratings import models
from profilelens.records import Capture, InputError


def model_problems(prog: str) -> int:
    """Say on stderr why a rating is off (a model missing, refused or unreadable): the reports still come,
    with that rating unavailable, and the command exits non-zero. The number of such problems."""
    found = models.problems()
    for problem in found:
        print(f"{prog}: {problem}", file=sys.stderr)
    return len(found)


def iso_moment(text: str) -> datetime:
    """--now: an ISO time, UTC when it names no zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO time (like 2026-11-22T10:00:00Z): {text!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_time_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz", help="time zone for work hours (IANA name; default: the capture's own, else UTC)"
    )
    parser.add_argument(
        "--now", type=iso_moment, help="analyse as of this ISO time instead of the current time"
    )


def now_of(args: argparse.Namespace) -> datetime:
    return args.now or datetime.now(UTC)


def read_captures(name: str) -> tuple[list[Capture], str | None]:
    """The captures in one file (any input shape) and the time zone it names; `-` reads stdin."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    return analysis.read_input(data)


def effective_tz(args: argparse.Namespace, named: set[str]) -> str:
    """--tz when given; else the one time zone the files name; else UTC (as the server decides)."""
    if args.tz:
        return str(args.tz)
    return named.pop() if len(named) == 1 else analysis.DEFAULT_TZ


def analyze_files(names: list[str], args: argparse.Namespace, prog: str) -> tuple[list[dict[str, Any]], int]:
    """One report per account found in the files, and how many files failed.

    A file that cannot be read or parsed is reported on stderr and the others are still analysed.
    """
    captures: list[Capture] = []
    named: set[str] = set()
    failed = 0
    for name in names:
        try:
            found, tz = read_captures(name)
            captures.extend(found)
            named.update([tz] if tz else [])
        except (OSError, InputError) as exc:
            print(f"{prog}: {name}: {exc}", file=sys.stderr)
            failed += 1
    if not captures:
        return [], failed
    try:
        return analysis.analyze(captures, now=now_of(args), tz=effective_tz(args, named)), failed
    except InputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return [], failed + 1
