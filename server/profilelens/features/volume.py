"""Posting volume: how much an account posts, how regularly, and when."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from itertools import pairwise

from profilelens.records import Account, Post

DAY_SECONDS = 86_400.0
# Upper bounds (posts/day) of each band; the last band has none.
BANDS: tuple[tuple[str, float], ...] = (
    ("quiet", 1),
    ("steady", 10),
    ("high", 50),
    ("very high", 300),
)
FIREHOSE = "firehose"
WORK_DAYS = range(0, 5)  # Monday..Friday
WORK_HOURS = range(9, 18)  # 09:00 to 17:59, i.e. until 18:00


def band(posts_per_day: float) -> str:
    for name, upper in BANDS:
        if posts_per_day < upper:
            return name
    return FIREHOSE


def timestamps(posts: Sequence[Post]) -> list[datetime]:
    """Creation times of the posts that have one, oldest first."""
    return sorted(p.created_at for p in posts if p.created_at is not None)


def volume_features(
    account: Account, posts: Sequence[Post], now: datetime, tz: tzinfo = UTC
) -> dict[str, float]:
    """Named numbers; a number that cannot be measured from this input is absent, never guessed."""
    out: dict[str, float] = {}
    if account.created_at is not None and account.posts_count is not None:
        age_days = max((now - account.created_at).total_seconds() / DAY_SECONDS, 1.0)
        out["account_age_days"] = age_days
        out["lifetime_per_day"] = account.posts_count / age_days
    times = timestamps(posts)
    out["posts_timed"] = float(len(times))
    if len(times) >= 2:
        span_days = (times[-1] - times[0]).total_seconds() / DAY_SECONDS
        # At least a day: a burst of posts within an hour is not a rate of hundreds a day.
        out["recent_per_day"] = (len(times) - 1) / max(span_days, 1.0)
        gaps = [(b - a).total_seconds() / 3600 for a, b in pairwise(times)]
        out["median_gap_hours"] = statistics.median(gaps)
    if times:
        out["days_since_last_post"] = max((now - times[-1]).total_seconds() / DAY_SECONDS, 0.0)
        local = [t.astimezone(tz) for t in times]
        at_work = sum(1 for t in local if t.weekday() in WORK_DAYS and t.hour in WORK_HOURS)
        out["work_hours_share"] = at_work / len(local)
    return out


def hour_weekday_counts(posts: Sequence[Post], tz: tzinfo) -> list[list[int]]:
    """7 rows (Monday first) of 24 hourly post counts, in the given time zone."""
    grid = [[0] * 24 for _ in range(7)]
    for t in timestamps(posts):
        local = t.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
    return grid


def daily_counts(posts: Sequence[Post], tz: tzinfo) -> list[tuple[str, int]]:
    """(ISO date, posts that day) for every day from the oldest to the newest post, empty days included."""
    days = [t.astimezone(tz).date() for t in timestamps(posts)]
    if not days:
        return []
    counts: dict[str, int] = {}
    for d in days:
        counts[d.isoformat()] = counts.get(d.isoformat(), 0) + 1
    first, last = days[0], days[-1]
    return [
        (day.isoformat(), counts.get(day.isoformat(), 0))
        for day in (first.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1))
    ]
