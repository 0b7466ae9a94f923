"""Identity: is the account run by an organisation or by one person speaking as themself?

Two parts read two kinds of evidence (training/identity.py): the profile (name, bio, profile numbers;
learned from Humanizr) and the posts (the account's own words and how it posts; learned from the
hand-labelled corpus). Their log-odds add up, the posts part's base rate counted once: each part
is evidence on its own, and a part with nothing to read (no name or bio; fewer than MIN_POSTS posts)
says nothing. Politicians, journalists and employees are persons by the guide
(../shared/LABELLING.md). Where the evidence is thin or split the label is "unsure", not a guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from profilelens.ratings import fitted
from profilelens.ratings.inputs import PostNumbers, has_profile, matrix, posts_row, profile_row
from profilelens.ratings.linear import Reading
from profilelens.ratings.models import IDENTITY_FILE, Timeline, loaded, unavailable
from profilelens.records import Account, Post

PROFILE = "profile"
POSTS = "posts"
POSTS_PRIOR = "posts_prior"  # the share of organisations the posts part's probability assumes
ORGANISATION_AT = 0.7
PERSON_AT = 0.3
MIN_POSTS = 10


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def combine(profile: float | None, posts: float | None, posts_prior: float) -> float:
    """P(organisation) from the parts that had something to read; 0.5 when neither had."""
    total = 0.0
    if profile is not None:
        total += _logit(profile)
    if posts is not None:
        total += _logit(posts) - (_logit(posts_prior) if profile is not None else 0.0)
    return 1 / (1 + math.exp(-total))


def label_of(probability: float) -> str:
    if probability >= ORGANISATION_AT:
        return "organisation"
    if probability <= PERSON_AT:
        return "person"
    return "unsure"


def _reads(p: float) -> str:
    return f"an organisation's ({round(p * 100)} %)" if p >= 0.5 else f"a person's ({round((1 - p) * 100)} %)"


def parts(
    model: dict[str, Any],
    account: Account,
    posts: Sequence[Post],
    now: datetime,
    numbers: PostNumbers | None = None,
) -> tuple[float | None, float | None]:
    """Each part's probability, None for a part with nothing to read."""
    (both,) = parts_of(model, [(account, posts, numbers)], now)
    return both


def parts_of(
    model: dict[str, Any], timelines: Sequence[Timeline], now: datetime
) -> list[tuple[float | None, float | None]]:
    """`parts` for many accounts, each part scoring all its rows as one matrix."""
    profiled = [i for i, (account, _, _) in enumerate(timelines) if has_profile(account)]
    posted = [i for i, (_, posts, _) in enumerate(timelines) if len(posts) >= MIN_POSTS]
    profile: dict[int, float] = {}
    post: dict[int, float] = {}
    if profiled:
        rows = matrix([profile_row(timelines[i][0], now) for i in profiled])
        profile = dict(zip(profiled, fitted.probabilities(model[PROFILE], rows).tolist(), strict=True))
    if posted:
        rows = matrix([posts_row(*timelines[i][:2], now, timelines[i][2]) for i in posted])
        readings = Reading.each(model[POSTS], rows)
        post = {i: reading.probability for i, reading in zip(posted, readings, strict=True)}
    return [(profile.get(i), post.get(i)) for i in range(len(timelines))]


def profile_probabilities(
    model: dict[str, Any], accounts: Sequence[Account], now: datetime
) -> list[float | None]:
    """The profile part's P(organisation) of many accounts in one matrix (the people on a followers
    page have a profile and no posts); None for an account with no name or bio to read."""
    readable = [account for account in accounts if has_profile(account)]
    if not readable:
        return [None] * len(accounts)
    read = iter(fitted.probabilities(model[PROFILE], matrix([profile_row(a, now) for a in readable])))
    return [float(next(read)) if has_profile(account) else None for account in accounts]


def section(
    account: Account,
    posts: Sequence[Post],
    now: datetime,
    directory: Path | None = None,
    *,
    numbers: PostNumbers | None = None,
    scored: tuple[float | None, float | None] | None = None,
) -> dict[str, Any]:
    """`numbers`: the timeline's post numbers when the caller has them already (see build_report);
    `scored`: both parts, when the caller scored many accounts at once (`parts_of`)."""
    state = loaded(directory, IDENTITY_FILE)
    if state.model is None:
        return unavailable(str(state.reason))
    profile, post = scored if scored is not None else parts(state.model, account, posts, now, numbers)
    probability = combine(profile, post, state.model[POSTS_PRIOR])
    label = label_of(probability)
    reasons = []
    if profile is not None:
        reasons.append(f"its name and bio read as {_reads(profile)}")
    if post is not None:
        reasons.append(f"its own posts read as {_reads(post)}")
    if profile is None and post is None:
        reasons.append(f"no name or bio, and fewer than {MIN_POSTS} posts: nothing to tell by")
    elif label == "unsure":
        reasons.append("too little either way to say who runs it")
    shown = {"organisation": "an organisation", "person": "a person", "unsure": "unsure"}[label]
    return {
        "available": True,
        "reason": None,
        "tone": "none",  # who runs an account is described, not judged
        "label": label,
        "summary": shown
        if label == "unsure"
        else f"{shown} ({round(max(probability, 1 - probability) * 100)} %)",
        "organisation_probability": round(probability, 3),
        "profile_probability": None if profile is None else round(profile, 3),
        "posts_probability": None if post is None else round(post, 3),
        "reasons": reasons,
    }
