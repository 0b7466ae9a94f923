"""From captures to reports: merge what several inputs say about one account, then rate it.

The one path every entry point takes (CLI, server, batch vetting, report page). The report's shape is
documented in server/API.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from profilelens import collector, sources
from profilelens.features import follow, volume
from profilelens.features.audience import Pages, pages_of
from profilelens.ratings import audience, content_mix, follow_back, identity, verdict
from profilelens.ratings import volume as volume_rating
from profilelens.ratings.inputs import PostNumbers, post_numbers
from profilelens.ratings.models import FOLLOW_BACK_FILE, IDENTITY_FILE, VERDICT_FILE, loaded, unavailable
from profilelens.records import Account, Capture, InputError, Post
from profilelens.sources import MAX_INFLATED

SCHEMA = "profilelens.report/2"
NO_ACCOUNT = "the input holds no account: expected a profile or a timeline of one account"
DEFAULT_TZ = "UTC"  # when neither the caller nor the bundle names a time zone
# A date outside X's life is a broken or crafted capture: it is ignored, and the report says so. (One post
# dated 9999 would otherwise stretch every per-day figure over eight thousand years.)
X_LAUNCH = datetime(2006, 3, 21, tzinfo=UTC)  # the first post on X
CLOCK_SKEW = timedelta(days=1)  # the capturing machine's clock may run a little ahead of ours
# Profile captures describe the account best; timelines only carry the author object of each post.
_PROFILE_SOURCES = ("x-graphql:UserByScreenName", "dom", "x-api-v2", "x-api-v1.1", "x-archive")


def time_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    # A folder of zones ("Europe") or an over-long name reaches the file system and fails there.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(f"unknown time zone {name!r}: expected an IANA name such as 'Europe/Paris'") from exc


def bundle_tz(payload: Any) -> str | None:
    """The time zone a bundle names for itself (its "tz"), if any."""
    return payload["tz"] if isinstance(payload, dict) and isinstance(payload.get("tz"), str) else None


@collector.paused()
def read_input(body: bytes, *, max_inflated: int = MAX_INFLATED) -> tuple[list[Capture], str | None]:
    """A body (any input shape, a bundle or a HAR; gzip, a BOM or X's archive prefix around it) -> its
    captures and the time zone it names. A gzip body inflates to at most `max_inflated` bytes."""
    payload = sources.decode(body, max_inflated=max_inflated)
    return sources.parse(payload), bundle_tz(payload)


@collector.paused()
def analyze_bytes(
    body: bytes,
    *,
    now: datetime,
    tz: str | None = None,
    models: Path | None = None,
    max_inflated: int = MAX_INFLATED,
) -> list[dict[str, Any]]:
    """One report per account in a body. The time zone: the caller's when it names one, else the
    bundle's, else UTC — the same rule for the command line and the server."""
    captures, named = read_input(body, max_inflated=max_inflated)
    return analyze(captures, now=now, tz=tz or named or DEFAULT_TZ, models=models)


@collector.paused()
def analyze(
    captures: Iterable[Capture],
    *,
    now: datetime,
    tz: str = DEFAULT_TZ,
    models: Path | None = None,
    pages: Pages | None = None,
) -> list[dict[str, Any]]:
    """One report per account; `models`: the folder of trained models (None: config.models_dir's);
    `pages`: the followers and following pages to read audiences from (None: those among `captures`;
    a caller that analyses part of an input at a time passes the whole input's)."""
    time_zone(tz)  # a bad name is the caller's error before any work
    captures = list(captures)
    groups = group_by_account(captures)
    if not groups:
        raise InputError(NO_ACCOUNT)
    whole_input = pages is None
    pages = pages_of(captures) if pages is None else pages
    reports = build_reports(
        groups, now=now, tz_names=[tz] * len(groups), models=models, pages=[pages] * len(groups)
    )
    if whole_input:  # a caller passing the pages of a larger input knows which accounts it holds
        reports[0]["data"]["notes"].extend(ownerless_pages(pages, reports))
    return reports


def ownerless_pages(pages: Pages, reports: Sequence[dict[str, Any]]) -> list[str]:
    """Notes on the followers and following pages of accounts the input holds no profile of: their
    audience has no report to go in."""
    reported = {report["account"]["id"] for report in reports}
    owners = sorted((pages.followers.keys() | pages.following.keys()) - reported)
    if not owners:
        return []
    shown = ", ".join(owners[:5]) + (", …" if len(owners) > 5 else "")
    return [
        f"followers or following pages of account{'s' if len(owners) > 1 else ''} {shown} without "
        "its profile: no audience reported (send X's UserByScreenName answer of the page with them)"
    ]


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
    return newest_first(seen.values())


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Dated posts newest first, then the undated ones."""
    return sorted(posts, key=lambda p: p.created_at.timestamp() if p.created_at else 0.0, reverse=True)


def timeline_posts(posts: Sequence[Post]) -> list[Post]:
    """The posts that tell the recent rhythm: a pinned post older than the timeline is left out."""
    unpinned = [p.created_at for p in posts if not p.pinned and p.created_at is not None]
    oldest = min(unpinned) if unpinned else None
    return [
        p
        for p in posts
        if not p.pinned or (oldest is not None and p.created_at is not None and p.created_at >= oldest)
    ]


def within_x_lifetime(
    account: Account, posts: Sequence[Post], now: datetime
) -> tuple[Account, list[Post], list[str]]:
    """The account and posts with every date outside [X's launch, now + a little skew] unset, and notes
    saying what was unset."""
    latest = now + CLOCK_SKEW

    def plausible(moment: datetime | None) -> bool:
        return moment is None or X_LAUNCH <= moment <= latest

    notes = []
    if not plausible(account.created_at):
        notes.append(
            f"the account's creation date {account.created_at:%Y-%m-%d} is outside X's life: ignored"
        )
        account = dataclasses.replace(account, created_at=None)
    implausible = sum(1 for post in posts if not plausible(post.created_at))
    if implausible:
        notes.append(
            f"{implausible} post{'s' if implausible != 1 else ''} dated outside X's life "
            f"({X_LAUNCH:%Y-%m-%d} to today): {'their dates' if implausible != 1 else 'its date'} ignored"
        )
        posts = newest_first(
            post if plausible(post.created_at) else dataclasses.replace(post, created_at=None)
            for post in posts
        )
    return account, list(posts), notes


@dataclasses.dataclass(frozen=True, slots=True)
class Merged:
    """What the captures of one account say together, with the numbers both judgement models read."""

    captures: Sequence[Capture]
    account: Account
    posts: list[Post]
    date_notes: list[str]
    numbers: PostNumbers
    replies_visible: bool

    @classmethod
    def of(cls, captures: Sequence[Capture], now: datetime) -> Merged:
        account, posts, date_notes = within_x_lifetime(merge_accounts(captures), merge_posts(captures), now)
        numbers = post_numbers(account, posts, now)  # both judgement models read them: computed once
        return cls(captures, account, posts, date_notes, numbers, verdict.replies_visible(captures, posts))


@dataclasses.dataclass(frozen=True, slots=True)
class Scores:
    """The learned ratings' model outputs for one account (None: that model had nothing to read)."""

    follow_back: float | None
    identity: tuple[float | None, float | None] | None
    verdict: verdict.Scored | None


def score(accounts: Sequence[Merged], now: datetime, models: Path | None) -> list[Scores]:
    """Every account's model outputs, each model scoring all their rows as one matrix (a model's
    fixed cost per call is several times its arithmetic for one row). Row by row, each output is the one the
    account alone would get."""
    empty: list[Any] = [None] * len(accounts)
    timelines = [(a.account, a.posts, a.numbers) for a in accounts]
    model = loaded(models, FOLLOW_BACK_FILE).model
    follow = follow_back.probabilities([a.account for a in accounts], model) if model is not None else empty
    model = loaded(models, IDENTITY_FILE).model
    who = identity.parts_of(model, timelines, now) if model is not None else empty
    model = loaded(models, VERDICT_FILE).model
    reads = (
        verdict.readings(model, timelines, [a.replies_visible for a in accounts], now)
        if model is not None
        else empty
    )
    return [Scores(*outputs) for outputs in zip(follow, who, reads, strict=True)]


def build_reports(
    groups: Sequence[Sequence[Capture]],
    *,
    now: datetime,
    tz_names: Sequence[str],
    models: Path | None = None,
    pages: Sequence[Pages],
) -> list[dict[str, Any]]:
    """One report per group of captures (one account's), in order, each in its own time zone and with
    the followers and following pages of the input it came from; the models score the groups together."""
    merged = [Merged.of(group, now) for group in groups]
    scores = score(merged, now, models)
    return [
        build_report(one, scored, now=now, tz_name=name, tz=time_zone(name), models=models, pages=seen)
        for one, scored, name, seen in zip(merged, scores, tz_names, pages, strict=True)
    ]


def build_report(
    merged: Merged,
    scored: Scores,
    *,
    now: datetime,
    tz_name: str,
    tz: tzinfo,
    models: Path | None = None,
    pages: Pages | None = None,
) -> dict[str, Any]:
    """One account's report; `pages`: the input's followers and following pages (None: its captures')."""
    captures, account, posts, numbers = merged.captures, merged.account, merged.posts, merged.numbers
    pages = pages_of(captures) if pages is None else pages
    evidence = audience.follow_back_evidence(account, pages)
    rhythm = timeline_posts(posts)
    notes = [note for capture in captures for note in capture.notes] + merged.date_notes
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
        "volume": volume_rating.section(account, rhythm, now=now, tz_name=tz_name, tz=tz),
        "content_mix": content_mix.section(account, posts, now=now),
        "follow": follow_section(account, posts, now=now),
        # Follow-backs seen update the model's estimate only when no follower's status is unknown.
        "follow_back": follow_back.section(
            account,
            models,
            evidence[0] if evidence and evidence[1] else None,
            scored=scored.follow_back,
        ),
        "identity": identity.section(account, posts, now, models, numbers=numbers, scored=scored.identity),
        "verdict": verdict.section(
            account,
            posts,
            now,
            models,
            replies_visible=merged.replies_visible,
            numbers=numbers,
            scored=scored.verdict,
        ),
        "audience": audience.section(account, pages, now, models),
    }


def account_section(account: Account) -> dict[str, Any]:
    # Every field is a plain value: a shallow copy does (asdict deep-copies each one, six times slower)
    out = {field.name: getattr(account, field.name) for field in dataclasses.fields(account)}
    for name in ("created_at", "username_changed_at"):
        if out[name] is not None:
            out[name] = out[name].isoformat()
    return out


def follow_section(account: Account, posts: Sequence[Post], *, now: datetime) -> dict[str, Any]:
    f = follow.follow_features(account, posts, now)
    if not f:
        return unavailable("the input has no follower or following counts", follows_you=account.follows_you)
    return {
        "available": True,
        "reason": None,
        "followers": account.followers,
        "following": account.following,
        "ratio": f.get("ratio"),
        "follows_you": account.follows_you,
    }
