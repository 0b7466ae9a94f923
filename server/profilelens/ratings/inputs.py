"""Model inputs: the one way a row for a model is made, when training and when serving.

Each model reads an object matrix: a text column first (the models hash its words themselves), then
named numbers. NaN means "not measured": the identity profile part's trees take it as such, the linear
models read an unmeasured number as the training average.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from profilelens.features import engagement, identity
from profilelens.records import Account, Post

# What the posts show of how an account speaks and to whom (each model reads the part below).
POST_NUMBERS = (
    "reply_others_share",
    "distinct_replied_rate",
    "self_thread_share",
    "question_share",
    "first_person_share",
    "second_person_share",
    "first_plural_share",
    "plural_in_replies_share",
    "ends_with_link_share",
    "templated_share",
    "institutional_share",
    "circle_relay_share",
    "retweet_share",
    "quote_share",
    "link_share",
    "hashtag_share",
    "exclamation_share",
    "mention_top3_share",
    "headline_case_share",
    "length_spread",
)
# The verdict reads how an account converses and how its broadcasts look, but not the wording of its
# replies (how it answers is told by whom and how many it answers): so that answering strangers can only
# add conversation, never make an account read as broadcasting. Nor the share of its replies in its own
# threads: 7 of the 1,051 labelled accounts thread at all (3 sources), so the few that do were read at
# dozens of standard deviations, and a held-out source of threading candidates read as obligation at
# p = 1.00 whatever their posts (models/verdict.md).
VERDICT_NUMBERS = tuple(
    name for name in POST_NUMBERS if name not in ("plural_in_replies_share", "self_thread_share")
)
# Identity does not read how much an account replies (training/identity.py says why); how it answers
# ("we" in its replies) stays. Nor the look of its broadcasts (headlines, lengths): measured on held-out
# sources they helped the verdict but cost identity a public official.
IDENTITY_NUMBERS = tuple(
    name
    for name in POST_NUMBERS
    if name not in ("reply_others_share", "distinct_replied_rate", "headline_case_share", "length_spread")
)
# Of the verdict's numbers, those only a timeline that can show replies tells (X's default profile tab
# leaves replies out).
REPLY_NUMBERS = ("reply_others_share", "distinct_replied_rate")
PROFILE_NUMBERS = identity.IDENTITY_FEATURES
PROFILE_COLUMNS = ("profile_text", *PROFILE_NUMBERS)
POSTS_COLUMNS = ("post_words", *IDENTITY_NUMBERS)
VERDICT_COLUMNS = ("broadcast_words", *VERDICT_NUMBERS)
FOLLOW_BACK_INPUTS = ("followers_per_following_log",)


def post_numbers(account: Account, posts: Sequence[Post], now: datetime) -> dict[str, float]:
    """POST_NUMBERS of a timeline; all NaN without posts."""
    f = engagement.engagement_features(account, posts, now)
    return {name: f.get(name, math.nan) for name in POST_NUMBERS}


def profile_row(account: Account, now: datetime) -> list[object]:
    """What the identity model's profile part reads: name and bio, and the profile numbers."""
    numbers = identity.identity_features(account, now)
    return [identity.profile_text(account), *(numbers[name] for name in PROFILE_NUMBERS)]


def has_profile(account: Account) -> bool:
    """Whether there is a name or bio to read (a text-only timeline has neither)."""
    return bool((account.name or "").strip() or (account.bio or "").strip())


# The post numbers of one timeline, computed once per report and read by both judgement models.
PostNumbers = Mapping[str, float]


def posts_row(
    account: Account, posts: Sequence[Post], now: datetime, numbers: PostNumbers | None = None
) -> list[object]:
    """What the identity model's posts part reads: the account's own words and the post numbers."""
    post = post_numbers(account, posts, now) if numbers is None else numbers
    return [engagement.post_words(posts), *(post[name] for name in IDENTITY_NUMBERS)]


def verdict_row(
    account: Account, posts: Sequence[Post], now: datetime, numbers: PostNumbers | None = None
) -> list[object]:
    """What the verdict reads: the words of the account's broadcasts and the verdict's numbers."""
    post = post_numbers(account, posts, now) if numbers is None else numbers
    return [engagement.post_words(posts, replies=False), *(post[name] for name in VERDICT_NUMBERS)]


def matrix(rows: Sequence[Sequence[object]]) -> np.ndarray[Any, Any]:
    """Rows of mixed text and numbers as the object matrix the models take."""
    width = len(rows[0]) if rows else 0
    out = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return out


def follow_back_row(followers: float, following: float) -> list[float]:
    """Followers per account followed, on a log scale: the one input that does not depend on how big a
    sample of the network the counts come from (see the follow-back model card)."""
    return [math.log1p(max(followers, 0.0)) - math.log1p(max(following, 0.0))]


def numbers_of(row: Sequence[object], columns: Sequence[str]) -> Mapping[str, float]:
    """A row's numbers by name (its text columns left out)."""
    return {
        name: float(value)  # type: ignore[arg-type]  # the numbers of a row made above
        for name, value in zip(columns, row, strict=True)
        if not isinstance(value, str)
    }
