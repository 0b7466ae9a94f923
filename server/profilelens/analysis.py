"""From captures to reports: merge what several inputs say about one account, then rate it.

The one path every entry point takes (CLI, server, batch vetting, report page). The report's shape is
documented in server/API.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from profilelens import ratings, sources
from profilelens.features import content, follow, volume
from profilelens.records import Account, Capture, InputError, Post

SCHEMA = "profilelens.report/1"
# Fewer timed posts than this and the recent rate says little; the band then uses the lifetime rate.
MIN_POSTS_FOR_RECENT_RATE = 5
# Profile captures describe the account best; timelines only carry the author object of each post.
_PROFILE_SOURCES = ("x-graphql:UserByScreenName", "dom", "x-api-v2", "x-api-v1.1")


def time_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown time zone {name!r}: expected an IANA name such as 'Europe/Paris'") from exc


def decode_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}") from exc


def analyze_bytes(body: bytes, *, now: datetime, tz: str = "UTC") -> list[dict[str, Any]]:
    """A JSON body (any input shape, or a bundle) -> one report per account in it."""
    payload = decode_json(body)
    if isinstance(payload, dict) and isinstance(payload.get("tz"), str):
        tz = payload["tz"]
    return analyze(sources.parse(payload), now=now, tz=tz)


def analyze(captures: Iterable[Capture], *, now: datetime, tz: str = "UTC") -> list[dict[str, Any]]:
    zone = time_zone(tz)
    groups = group_by_account(list(captures))
    if not groups:
        raise InputError("the input holds no account: expected a profile or a timeline of one account")
    return [build_report(group, now=now, tz_name=tz, tz=zone) for group in groups]


def group_by_account(captures: Sequence[Capture]) -> list[list[Capture]]:
    """Captures of the same account (same id, else same handle) together, in input order.

    A capture that names no account (a timeline whose owner could not be told) joins the only account
    of the input when there is exactly one.
    """
    groups: list[list[Capture]] = []
    index: dict[str, int] = {}
    orphans: list[Capture] = []
    for capture in captures:
        keys = account_keys(capture.account)
        if not keys:
            orphans.append(capture)
            continue
        found = next((index[k] for k in keys if k in index), None)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(capture)
        for key in keys:
            index.setdefault(key, found)
    if orphans and len(groups) == 1:
        groups[0].extend(orphans)
    elif orphans:
        groups.extend([orphan] for orphan in orphans if orphan.posts)
    return groups


def account_keys(account: Account | None) -> list[str]:
    if account is None:
        return []
    keys = []
    if account.id:
        keys.append("id:" + account.id)
    if account.handle:
        keys.append("handle:" + account.handle.lower())
    return keys


def merge_accounts(captures: Sequence[Capture]) -> Account:
    """Field by field, the first known value: profile captures first, the newest first among them.

    Captures carry no date of their own; a lifetime post count only grows, so the capture that counts
    more posts is taken as the newer one.
    """

    def preference(capture: Capture) -> tuple[bool, int]:
        posts_count = capture.account.posts_count if capture.account else None
        return capture.source not in _PROFILE_SOURCES, -(posts_count or 0)

    ordered = sorted(captures, key=preference)
    merged = Account()
    for capture in ordered:
        if capture.account is None:
            continue
        for f in dataclasses.fields(Account):
            if getattr(merged, f.name) is None:
                setattr(merged, f.name, getattr(capture.account, f.name))
    return merged


def merge_posts(captures: Sequence[Capture]) -> list[Post]:
    """Every post once (by id), newest first."""
    seen: dict[str, Post] = {}
    for capture in captures:
        for post in capture.posts:
            if post.id in seen:
                seen[post.id].pinned = seen[post.id].pinned or post.pinned
            else:
                seen[post.id] = post
    return sorted(
        seen.values(), key=lambda p: p.created_at.timestamp() if p.created_at else 0.0, reverse=True
    )


def timeline_posts(posts: Sequence[Post]) -> list[Post]:
    """The posts that tell the recent rhythm: a pinned post older than the timeline is left out."""
    unpinned = [p.created_at for p in posts if not p.pinned and p.created_at is not None]
    oldest = min(unpinned) if unpinned else None
    return [
        p
        for p in posts
        if not p.pinned or (oldest is not None and p.created_at is not None and p.created_at >= oldest)
    ]


def build_report(captures: Sequence[Capture], *, now: datetime, tz_name: str, tz: tzinfo) -> dict[str, Any]:
    account = merge_accounts(captures)
    posts = merge_posts(captures)
    rhythm = timeline_posts(posts)
    notes = [note for capture in captures for note in capture.notes]
    times = volume.timestamps(posts)
    return {
        "schema": SCHEMA,
        "generated_at": now.isoformat(),
        "account": account_section(account),
        "data": {
            "sources": sorted({c.source for c in captures}),
            "posts_seen": len(posts),
            "oldest_post": times[0].isoformat() if times else None,
            "newest_post": times[-1].isoformat() if times else None,
            "notes": notes,
        },
        "volume": volume_section(account, rhythm, now=now, tz_name=tz_name, tz=tz),
        "content_mix": content_section(account, posts, now=now),
        "follow": follow_section(account, posts, now=now),
        "follow_back": ratings.follow_back_section(account),
        "verdict": ratings.verdict_section(
            account, posts, now, replies_visible=ratings.replies_visible(captures, posts)
        ),
    }


def account_section(account: Account) -> dict[str, Any]:
    out = dataclasses.asdict(account)
    if account.created_at is not None:
        out["created_at"] = account.created_at.isoformat()
    return out


def _unavailable(reason: str, **extra: Any) -> dict[str, Any]:
    return {"available": False, "reason": reason, **extra}


def volume_section(
    account: Account, posts: Sequence[Post], *, now: datetime, tz_name: str, tz: tzinfo
) -> dict[str, Any]:
    f = volume.volume_features(account, posts, now, tz)
    lifetime, recent = f.get("lifetime_per_day"), f.get("recent_per_day")
    unmeasured: dict[str, str] = {}
    if lifetime is None:
        unmeasured["lifetime_per_day"] = "the input has no account creation date or lifetime post count"
    if recent is None:
        unmeasured["recent_per_day"] = "fewer than 2 dated posts in the input"
    if "work_hours_share" not in f:
        unmeasured["work_hours_share"] = "no dated posts in the input"
    if lifetime is None and recent is None:
        return _unavailable(
            "no dated posts and no lifetime post count in the input", timezone=tz_name, unmeasured=unmeasured
        )
    use_recent = recent is not None and f["posts_timed"] >= MIN_POSTS_FOR_RECENT_RATE
    rate = recent if use_recent or lifetime is None else lifetime
    assert rate is not None
    return {
        "available": True,
        "reason": None,
        "band": volume.band(rate),
        "band_basis": "recent posts" if rate is recent else "lifetime average",
        "lifetime_per_day": lifetime,
        "recent_per_day": recent,
        "median_gap_hours": f.get("median_gap_hours"),
        "work_hours_share": f.get("work_hours_share"),
        "days_since_last_post": f.get("days_since_last_post"),
        "timezone": tz_name,
        "hour_weekday": volume.hour_weekday_counts(posts, tz),
        "daily_counts": volume.daily_counts(posts, tz),
        "unmeasured": unmeasured,
    }


def content_section(account: Account, posts: Sequence[Post], *, now: datetime) -> dict[str, Any]:
    f = content.content_features(account, posts, now)
    if not f:
        return _unavailable("no posts in the input")
    appeal = f.get("retweet_appeal")
    return {
        "available": True,
        "reason": None,
        "posts": len(posts),
        "kinds": {k: f[f"kind_{k}"] for k in content.KINDS},
        "traits": {t: f[f"trait_{t}"] for t in content.TRAITS},
        "retweet_appeal": {
            "index": appeal,
            "reason": None if appeal is not None else "only retweets: no posts of its own",
            "source": content.RETWEET_APPEAL_SOURCE,
        },
    }


def follow_section(account: Account, posts: Sequence[Post], *, now: datetime) -> dict[str, Any]:
    f = follow.follow_features(account, posts, now)
    if not f:
        return _unavailable("the input has no follower or following counts", follows_you=account.follows_you)
    return {
        "available": True,
        "reason": None,
        "followers": account.followers,
        "following": account.following,
        "ratio": f.get("ratio"),
        "follows_you": account.follows_you,
    }
