"""Posting volume: how much an account posts now, and whether it still posts at all.

The band is read on the recent rate (posts a day from the oldest post seen up to now) when enough
dated posts were seen, else on the lifetime average. An account silent for DORMANT_AFTER_DAYS is
"dormant", whatever its rate was while it posted: what it once did says nothing of today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from profilelens.features import volume
from profilelens.ratings.models import unavailable
from profilelens.records import Account, Post

# Upper bounds (posts/day) of each band; the last band has none.
BANDS: tuple[tuple[str, float], ...] = (
    ("quiet", 1),
    ("steady", 10),
    ("high", 50),
    ("very high", 300),
)
FIREHOSE = "firehose"
DORMANT = "dormant"
# A quarter without a post. The accounts the product is about are told apart by whether they still
# post at all (one division's account "stopped about when the other opened", others "active since
# July"): a quarter is longer than any pause of an account that is kept, and short enough that a
# recruiter is told before the silence is years old.
DORMANT_AFTER_DAYS = 90
# Fewer timed posts than this and the recent rate says little; the band then uses the lifetime rate.
MIN_POSTS_FOR_RECENT_RATE = 5
# How a reader takes each band (hundreds a day during work hours hurt a professional reputation).
TONES = {
    "quiet": "good",
    "steady": "good",
    "high": "warn",
    "very high": "bad",
    "firehose": "bad",
    DORMANT: "warn",
}


def band(posts_per_day: float) -> str:
    for name, upper in BANDS:
        if posts_per_day < upper:
            return name
    return FIREHOSE


def age_in_words(days: float) -> str:
    """'today', '3 days ago', '5 months ago', '11 years ago'."""
    if days < 1:
        return "today"
    if days < 60:
        n = int(days)
        return f"{n} day{'s' * (n != 1)} ago"
    if days < 730:
        return f"{int(days // 30.44)} months ago"
    return f"{int(days // 365.25)} years ago"


def rate_in_words(per_day: float) -> str:
    if per_day >= 1:
        return f"{per_day:.0f} posts a day" if per_day >= 10 else f"{per_day:.1f} posts a day"
    per_week = per_day * 7
    return f"{per_week:.1f} posts a week" if per_week >= 0.1 else "almost never posts"


def section(
    account: Account, posts: Sequence[Post], *, now: datetime, tz_name: str, tz: tzinfo
) -> dict[str, Any]:
    f = volume.volume_features(account, posts, now, tz)
    lifetime, recent = f.get("lifetime_per_day"), f.get("recent_per_day")
    silent_days = f.get("days_since_last_post")
    unmeasured: dict[str, str] = {}
    if lifetime is None:
        unmeasured["lifetime_per_day"] = "the input has no account creation date or lifetime post count"
    if recent is None:
        unmeasured["recent_per_day"] = "fewer than 2 dated posts in the input"
    if "work_hours_share" not in f:
        unmeasured["work_hours_share"] = "no dated posts in the input"
    if lifetime is None and recent is None:
        return unavailable(
            "no dated posts and no lifetime post count in the input", timezone=tz_name, unmeasured=unmeasured
        )
    use_recent = recent is not None and f["posts_timed"] >= MIN_POSTS_FOR_RECENT_RATE
    rate = recent if use_recent or lifetime is None else lifetime
    assert rate is not None
    dormant = silent_days is not None and silent_days >= DORMANT_AFTER_DAYS
    name = DORMANT if dormant else band(rate)
    basis = "recent posts" if rate is recent else "lifetime average"
    if dormant and silent_days is not None:
        summary = f"last post {age_in_words(silent_days)}"
    else:
        summary = f"{rate_in_words(rate)} ({basis})"
        if silent_days is not None:
            summary += f", last post {age_in_words(silent_days)}"
    return {
        "available": True,
        "reason": None,
        "band": name,
        "band_basis": basis,
        "tone": TONES[name],
        "summary": summary,
        "dormant": dormant,
        "dormant_after_days": DORMANT_AFTER_DAYS,
        "lifetime_per_day": lifetime,
        "recent_per_day": recent,
        "median_gap_hours": f.get("median_gap_hours"),
        "work_hours_share": f.get("work_hours_share"),
        "work_hours_definition": f"{volume.WORK_HOURS_DEFINITION} {tz_name}",
        "days_since_last_post": silent_days,
        "last_post_age": None if silent_days is None else age_in_words(silent_days),
        "timezone": tz_name,
        "hour_weekday": volume.hour_weekday_counts(posts, tz),
        "daily_counts": volume.daily_counts(posts, tz),
        "unmeasured": unmeasured,
    }
