"""Audience: who actually follows the account, read from the followers and following pages the input
holds (features/audience.py).

The seeds judge an account by its audience as much as by its posts:
- 001: a follower who follows more than 2,000 accounts is unlikely to read any one of them (reach);
- 004: mass-following to harvest follow-backs, against X's 2,000-following cap for new accounts;
- 000: an obligation account's ~70 followers are its own organisation (sibling divisions, the boss, a
  few colleagues): accounts started about when it was, that follow one another.
Every figure rests on the accounts seen and says how many; a figure about all the followers is an
estimate, labelled as one with its interval. models/audience.md checks the figures on real follow graphs.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from profilelens.features.audience import Pages, Share, checkable_pairs, densest_group, histogram, ties
from profilelens.ratings import identity
from profilelens.ratings.follow_back import Observed
from profilelens.ratings.inputs import has_profile
from profilelens.ratings.models import IDENTITY_FILE, loaded, unavailable
from profilelens.records import Account

MASS_FOLLOWING = 2000  # following more than this makes a mass-follower (seeds 001 and 004)
# A mass-follower that fewer accounts follow than it follows is harvesting follow-backs (seed 004): it
# follows to be followed back, and the follow-back model reads such ratios as following back most.
HARVEST_RATIO = 1.0
COHORT_DAYS = 30  # "created with it": within this many days of the account's own creation (seed 000)
# The identity model reads at most this many followers of one account (a random sample past it, said
# so): a 1,000-follower page then costs about the time it takes to decode (tests/bench/bench_audience.py).
MAX_IDENTITY_READS = 300
SAMPLE_SEED = 15
# Who is NOT followed back is known only when the following list was seen whole (or nearly: X leaves
# out suspended accounts it still counts); else the follow-backs seen are a floor, not a rate.
FOLLOWING_SEEN_WHOLE = 0.95
MIN_GROUP = 3  # a "group" of followers tied together has at least this many
NAMES_SHOWN = 12
FOLLOWING_EDGES = (49, 199, 499, 999, MASS_FOLLOWING, 4999, 19999)  # the chart's bins; 2,000 is an edge
# Tones: an audience mostly out of reach, or mostly the account's own cohort (created with it, or
# following one another: the share of pairs, not of members — in the careers graphs 96 % of an
# account's followers are tied to another, models/audience.md), is bad; a large part, a warning; below
# MIN_FOR_TONE followers seen there is too little to judge. No labelled audiences exist to fit these
# lines on: they are the seeds' picture, and each figure beside them says what it rests on.
MIN_FOR_TONE = 10
BAD_REACHABLE_BELOW = 0.5
WARN_REACHABLE_BELOW = 0.75
BAD_COHORT_AT = 0.5
WARN_COHORT_AT = 0.2
WARN_ORGANISATIONS_AT = 0.5

MASS_RULE = f"follows more than {MASS_FOLLOWING:,} accounts"
HARVEST_RULE = f"follows more than {MASS_FOLLOWING:,} accounts and fewer accounts follow it than it follows"
EFFECTIVE_RULE = (
    f"the followers who follow at most {MASS_FOLLOWING:,} accounts; a mass-follower counts for nothing "
    "(seed 001: it is unlikely to read any one account)"
)
TIED_RULE = (
    "follows, or is followed by, another follower seen; told only for the followers whose own followers "
    "or following page was seen (a page seen in part may miss ties)"
)
ESTIMATE_BASIS = (
    "if the followers seen are like the rest, which nothing here measures (X picks the order of its lists)"
)


def _percent(share: float | None) -> str:
    if share is None:
        return "—"
    return "< 1 %" if 0 < share < 0.005 else f"{round(share * 100)} %"


def _about(value: float) -> int:
    """An estimate to two significant figures: 602,936 -> 600,000 (more would claim a precision the
    followers seen cannot give)."""
    return int(float(f"{value:.2g}"))


def _name(account: Account) -> str:
    return f"@{account.handle}" if account.handle else f"id {account.id}"


def _of(figure: Mapping[str, Any], what: str) -> str:
    """A share as "3 of 70 followers seen (4 %)", from its dict (Share.as_dict)."""
    return f"{figure['count']} of {figure['of']} {what} ({_percent(figure['share'])})"


def follow_back_evidence(account: Account, pages: Pages) -> tuple[Observed, bool] | None:
    """The follow-backs seen among the account's followers seen, and whether its following list was
    seen whole (else the count is a floor); None unless both lists were seen."""
    owner = account.id
    followers, following = pages.followers.get(owner or ""), pages.following.get(owner or "")
    if not followers or not following:
        return None
    whole = account.following is not None and len(following) >= FOLLOWING_SEEN_WHOLE * account.following
    return Observed(len(followers.keys() & following.keys()), len(followers)), whole


def section(account: Account, pages: Pages, now: datetime, directory: Path | None = None) -> dict[str, Any]:
    owner = account.id
    followers = list(pages.followers.get(owner, {}).values()) if owner else []
    following_seen = len(pages.following.get(owner, {})) if owner else 0
    if not followers:
        how = (
            "open its followers (x.com/HANDLE/followers) and send X's Followers answers with their request "
            "URLs ({url, body} items, or a HAR)"
        )
        if following_seen:
            return unavailable(
                f"only the accounts it follows were seen ({following_seen}), not its followers: {how}",
                following_seen=following_seen,
            )
        return unavailable(f"no followers page of this account in the input: {how}")
    total = account.followers
    following = [f.following for f in followers if f.following is not None]
    mass = Share(sum(1 for n in following if n > MASS_FOLLOWING), len(following))
    counts = [
        (f.followers, f.following) for f in followers if f.followers is not None and f.following is not None
    ]
    harvesters = Share(
        sum(1 for fans, follows in counts if follows > MASS_FOLLOWING and fans < HARVEST_RATIO * follows),
        len(counts),
    )
    reachable = Share(mass.of - mass.count, mass.of)
    organisations = _organisations(followers, now, directory)
    cohort = _cohort(account, followers, pages)
    follow_backs = _follow_backs(account, pages)
    figures = {
        "followers_seen": len(followers),
        "followers_total": total,
        "share_of_all": round(len(followers) / total, 6) if total else None,
        "following_seen": following_seen,
        "listed": dict(pages.listed.get(owner or "", {})),
        "mass_followers": mass.as_dict()
        | {"rule": MASS_RULE, "harvesters": harvesters.as_dict() | {"rule": HARVEST_RULE}},
        "effective_audience": reachable.as_dict()
        | _estimate(reachable, total, len(followers))
        | {"rule": EFFECTIVE_RULE},
        "organisations": organisations,
        "cohort": cohort,
        "follow_backs": follow_backs,
        "following_counts": {
            "line": MASS_FOLLOWING,
            "of": len(following),
            "bins": histogram(following, FOLLOWING_EDGES),
        },
    }
    tone = _tone(len(followers), reachable, organisations, cohort)
    return {
        "available": True,
        "reason": None,
        "tone": tone,
        "summary": _summary(figures, mass, organisations, cohort),
        **figures,
        "reasons": _reasons(figures, mass, harvesters, reachable, organisations, cohort, follow_backs),
    }


def _estimate(share: Share, total: int | None, seen: int) -> dict[str, Any]:
    """The share carried over to all followers, said to be an estimate; exact when all were seen."""
    interval = share.interval()
    if not total or interval is None or share.share is None:
        return {"estimate_of_all": None, "estimate_range": None, "estimate_basis": None}
    if seen >= total:
        return {
            "estimate_of_all": share.count,
            "estimate_range": None,
            "estimate_basis": "all followers seen",
        }
    return {
        "estimate_of_all": _about(total * share.share),
        "estimate_range": [_about(total * interval[0]), _about(total * interval[1])],
        "estimate_basis": ESTIMATE_BASIS,
    }


def _organisations(followers: Sequence[Account], now: datetime, directory: Path | None) -> dict[str, Any]:
    state = loaded(directory, IDENTITY_FILE)
    if state.model is None:
        return {"available": False, "reason": str(state.reason)}
    readable = [f for f in followers if has_profile(f)]
    read = (
        random.Random(SAMPLE_SEED).sample(readable, MAX_IDENTITY_READS)
        if len(readable) > MAX_IDENTITY_READS
        else readable
    )
    probabilities = [p for p in identity.profile_probabilities(state.model, read, now) if p is not None]
    labels = [identity.label_of(p) for p in probabilities]
    share = Share(labels.count("organisation"), len(labels))
    return {
        "available": bool(labels),
        "reason": None if labels else "no follower seen has a name or bio to read",
        **share.as_dict(),
        "unsure": labels.count("unsure"),
        "readable": len(readable),
        "sampled": len(read) < len(readable),
        "basis": (
            f"the identity model's profile part (name, bio, profile numbers): an organisation at "
            f"{round(identity.ORGANISATION_AT * 100)} % or more"
            + (
                f"; a random {len(read)} of the {len(readable)} followers with a name or bio"
                if len(read) < len(readable)
                else ""
            )
        ),
    }


def _cohort(account: Account, followers: Sequence[Account], pages: Pages) -> dict[str, Any]:
    """Seed 000's cohort: followers created about when the account was, and followers tied together."""
    out: dict[str, Any] = {}
    created = account.created_at
    if created is None:
        out["created_near"] = {"available": False, "reason": "the account's creation date is unknown"}
    else:
        window = timedelta(days=COHORT_DAYS)
        dated = [f for f in followers if f.created_at is not None]
        near = [f for f in followers if f.created_at is not None and abs(f.created_at - created) <= window]
        out["created_near"] = {
            "available": bool(dated),
            "reason": None if dated else "no follower seen has a creation date",
            **Share(len(near), len(dated)).as_dict(),
            "rule": f"created within {COHORT_DAYS} days of the account",
            "names": [_name(f) for f in near[:NAMES_SHOWN]],
        }
    by_id = {f.id: f for f in followers if f.id}
    checked = [member for member in by_id if pages.checked(member)]
    pairs = ties(pages, by_id)
    tied = {member for pair in pairs for member in pair}
    if not checked:
        out["tied"] = {
            "available": False,
            "reason": "none of the followers' own followers or following pages was seen: who follows whom "
            "among them is not known",
            "ties_seen": len(pairs),
        }
    else:
        checkable = checkable_pairs(len(by_id), len(checked))
        out["tied"] = {
            "available": True,
            "reason": None,
            **Share(len(tied.intersection(checked)), len(checked)).as_dict(),
            "rule": TIED_RULE,
            "ties_seen": len(pairs),
            "pairs_checkable": checkable,
            "pair_density": round(len(pairs) / checkable, 4) if checkable else None,
        }
    group = densest_group(pairs)
    if len(group) >= MIN_GROUP:
        inside = set(group)
        links = sum(1 for a, b in pairs if a in inside and b in inside)
        out["densest_group"] = {
            "names": [_name(by_id[member]) for member in group[:NAMES_SHOWN]],
            "size": len(group),
            "ties": links,
            "density": round(links / (len(group) * (len(group) - 1) / 2), 4),
        }
    else:
        out["densest_group"] = None
    return out


def _follow_backs(account: Account, pages: Pages) -> dict[str, Any]:
    evidence = follow_back_evidence(account, pages)
    if evidence is None:
        return {
            "available": False,
            "reason": "needs both its followers and its following pages (x.com/HANDLE/following)",
        }
    observed, whole = evidence
    following = len(pages.following.get(account.id or "", {}))
    return {
        "available": True,
        "reason": None,
        "followed_back": observed.followed_back,
        "of": observed.followers_seen,
        "rate": round(observed.followed_back / observed.followers_seen, 4) if whole else None,
        "following_seen": following,
        "following_total": account.following,
        "whole_following_seen": whole,
        "basis": (
            "its whole following list was seen: each follower seen is known to be followed back or not"
            if whole
            else f"its following list was seen in part ({following} of {account.following}): "
            "a follower not on that part may be followed too, so the count is a floor and not a rate"
        ),
    }


def _tone(seen: int, reachable: Share, organisations: dict[str, Any], cohort: dict[str, Any]) -> str:
    if seen < MIN_FOR_TONE:
        return "none"
    near, tied = cohort.get("created_near") or {}, cohort["tied"]
    own = max(
        near["share"] if near.get("available") and near["of"] >= MIN_FOR_TONE else 0.0,
        (tied["pair_density"] or 0.0) if tied["available"] and tied["of"] >= MIN_FOR_TONE else 0.0,
    )
    reach = reachable.share if reachable.of >= MIN_FOR_TONE else None
    if (reach is not None and reach < BAD_REACHABLE_BELOW) or own >= BAD_COHORT_AT:
        return "bad"
    organisation_share = organisations.get("share") if organisations.get("available") else None
    if (
        (reach is not None and reach < WARN_REACHABLE_BELOW)
        or own >= WARN_COHORT_AT
        or (organisation_share is not None and organisation_share >= WARN_ORGANISATIONS_AT)
    ):
        return "warn"
    return "good"


def _summary(
    figures: dict[str, Any], mass: Share, organisations: dict[str, Any], cohort: dict[str, Any]
) -> str:
    seen, total = figures["followers_seen"], figures["followers_total"]
    parts = [
        f"{seen} followers seen" + (f" ({_percent(figures['share_of_all'])} of {total:,})" if total else "")
    ]
    if mass.of:
        parts.append(f"{_percent(mass.share)} mass-followers")
    if organisations.get("available"):
        parts.append(f"{_percent(organisations['share'])} organisations")
    near = cohort.get("created_near") or {}
    if near.get("available"):
        share = _percent(near["share"]) if near["count"] else "none"
        parts.append(f"{share} created within {COHORT_DAYS} days of it")
    return parts[0] + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def _reasons(
    figures: dict[str, Any],
    mass: Share,
    harvesters: Share,
    reachable: Share,
    organisations: dict[str, Any],
    cohort: dict[str, Any],
    follow_backs: dict[str, Any],
) -> list[str]:
    """Each figure in plain words, with the accounts it rests on."""
    seen = "followers seen"
    lines = []
    if mass.of:
        lines.append(
            f"{_of(mass.as_dict(), seen)} follow more than {MASS_FOLLOWING:,} accounts; {harvesters.count} "
            "of them are followed by fewer accounts than they follow (harvesting follow-backs)"
        )
        effective = figures["effective_audience"]
        line = f"effective audience: {_of(effective, seen)} follow at most {MASS_FOLLOWING:,} accounts"
        if effective["estimate_range"]:
            low, high = effective["estimate_range"]
            line += (
                f"; about {effective['estimate_of_all']:,} of all {figures['followers_total']:,} "
                f"({low:,}–{high:,}) {ESTIMATE_BASIS}"
            )
        lines.append(line)
    if organisations.get("available"):
        read = "followers read (a random sample)" if organisations["sampled"] else "followers read"
        lines.append(f"organisations: {_of(organisations, read)}, by name, bio and profile numbers")
    near = cohort.get("created_near") or {}
    if near.get("available"):
        names = f": {', '.join(near['names'])}" if near["names"] else ""
        lines.append(f"created within {COHORT_DAYS} days of the account: {_of(near, seen)}{names}")
    tied = cohort["tied"]
    if tied["available"]:
        lines.append(
            f"tied to another follower: {_of(tied, 'followers whose own pages were seen')}; "
            f"{_percent(tied['pair_density'])} of the {tied['pairs_checkable']:,} pairs that could be told "
            "follow one another"
        )
    else:
        lines.append(f"ties among the followers: {tied['reason']}")
    group = cohort["densest_group"]
    if group:
        names = ", ".join(group["names"])
        lines.append(f"densest group: {names} ({group['size']} followers, {group['ties']} ties)")
    if follow_backs["available"]:
        count = f"{follow_backs['followed_back']} of {follow_backs['of']} {seen}"
        if follow_backs["whole_following_seen"]:
            lines.append(f"follow-backs: {count} are followed back ({_percent(follow_backs['rate'])})")
        else:
            lines.append(
                f"follow-backs: at least {count} are followed back (its following list was seen in part: "
                f"{follow_backs['following_seen']} of {follow_backs['following_total']})"
            )
    return lines
