"""Posting volume: how much an account posts, how regularly, and when."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from itertools import pairwise

from profilelens.records import Account, Post

DAY_SECONDS = 86_400.0
WORK_DAYS = range(0, 5)  # Monday..Friday
WORK_HOURS = range(9, 18)  # 09:00 to 17:59, i.e. until 18:00
# The one wording of the rule above: every consumer shows this string, none restates the rule.
WORK_HOURS_DEFINITION = "Mon–Fri 09:00–18:00"


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
        out["recent_per_day"] = posts_per_day(times, now)
        gaps = [(b - a).total_seconds() / 3600 for a, b in pairwise(times)]
        out["median_gap_hours"] = statistics.median(gaps)
    if times:
        out["days_since_last_post"] = max((now - times[-1]).total_seconds() / DAY_SECONDS, 0.0)
        local = [t.astimezone(tz) for t in times]
        at_work = sum(1 for t in local if t.weekday() in WORK_DAYS and t.hour in WORK_HOURS)
        out["work_hours_share"] = at_work / len(local)
    return out


def posts_per_day(times: Sequence[datetime], now: datetime) -> float:
    """Posts a day from the oldest of them up to now: an account that stopped posting long ago reads as
    nearly silent, not at the rate it had while it posted. At least a day, so that a burst of posts
    within an hour is not a rate of hundreds a day."""
    if not times:
        return 0.0
    span_days = (now - min(times)).total_seconds() / DAY_SECONDS
    return len(times) / max(span_days, 1.0)


def hour_weekday_counts(posts: Sequence[Post], tz: tzinfo) -> list[list[int]]:
    """7 rows (Monday first) of 24 hourly post counts, in the given time zone."""
    grid = [[0] * 24 for _ in range(7)]
    for t in timestamps(posts):
        local = t.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
    return grid


def daily_counts(posts: Sequence[Post], tz: tzinfo) -> list[tuple[str, int]]:
    """(ISO date, posts that day) for each day with a post, oldest first. Days without a post are left
    out, so the series grows with the posts, never with the span they cover."""
    counts = Counter(t.astimezone(tz).date().isoformat() for t in timestamps(posts))
    return sorted(counts.items())
