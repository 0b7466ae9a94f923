"""What several commands share: the moment and time zone of an analysis, and reading capture files."""

from __future__ import annotations

import argparse
import re
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


# What a folder's capture files are named. X's data archive keeps what is read in data/tweets.js
# (tweet.js in older archives, tweets-part1.js... beside it when large), account.js and profile.js; its
# other scripts (likes, messages, ads) are not captures.
CAPTURE_SUFFIXES = (".json", ".json.gz", ".har")
ARCHIVE_FILES = re.compile(r"(tweets?(-part\d+)?|account|profile)\.js")
NO_ACCOUNT = "it holds no account (an empty list of posts or profiles): expected a profile or a timeline"
CAPTURE_FILES_TEXT = ".json, .json.gz, .har, or an X archive's tweets.js, account.js, profile.js"


def is_capture_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(CAPTURE_SUFFIXES) or ARCHIVE_FILES.fullmatch(name) is not None


def capture_files(directory: Path) -> list[Path]:
    """Every capture file under the directory, in a stable order."""
    return sorted(p for p in directory.rglob("*") if is_capture_file(p) and p.is_file())


def read_captures(name: str) -> tuple[list[Capture], str | None]:
    """The captures in one file (any input shape) and the time zone it names; `-` reads stdin."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    return analysis.read_input(data)


def effective_tz(args: argparse.Namespace, named: set[str]) -> str:
    """--tz when given; else the one time zone the files name; else UTC (as the server decides)."""
    if args.tz:
        return str(args.tz)
    return named.pop() if len(named) == 1 else analysis.DEFAULT_TZ


def expand(names: list[str], prog: str) -> tuple[list[str], int]:
    """Files as named; a folder stands for every capture file under it. Also how many folders held none
    (said on stderr)."""
    out: list[str] = []
    empty = 0
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = capture_files(path)
            if not found:
                print(
                    f"{prog}: {name}: no capture file in this folder ({CAPTURE_FILES_TEXT})", file=sys.stderr
                )
                empty += 1
            out += [str(f) for f in found]
        else:
            out.append(name)
    return out, empty


def analyze_files(names: list[str], args: argparse.Namespace, prog: str) -> tuple[list[dict[str, Any]], int]:
    """One report per account found in the files and folders, and how many of them failed.

    A file that cannot be read or parsed, or holds no account (`[]`), is reported on stderr and the
    others are still analysed.
    """
    captures: list[Capture] = []
    named: set[str] = set()
    names, failed = expand(names, prog)
    for name in names:
        try:
            found, tz = read_captures(name)
        except (OSError, InputError) as exc:
            print(f"{prog}: {name}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if not found:
            print(f"{prog}: {name}: {NO_ACCOUNT}", file=sys.stderr)
            failed += 1
        captures.extend(found)
        named.update([tz] if tz else [])
    if not captures:
        return [], failed
    try:
        return analysis.analyze(captures, now=now_of(args), tz=effective_tz(args, named)), failed
    except InputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return [], failed + 1
