"""Options that several commands share: the moment and the time zone an analysis is made in."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def iso_moment(text: str) -> datetime:
    """--now: an ISO time, UTC when it names no zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO time (like 2026-11-22T10:00:00Z): {text!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_time_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tz", default="UTC", help="time zone for work hours (IANA name, default UTC)")
    parser.add_argument(
        "--now", type=iso_moment, help="analyse as of this ISO time instead of the current time"
    )


def now_of(args: argparse.Namespace) -> datetime:
    return args.now or datetime.now(UTC)
