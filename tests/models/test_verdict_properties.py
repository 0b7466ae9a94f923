"""Property tests over generated timelines: the direction and invariance rules hold for any timeline,
not only for the hand-written ones."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from modelkit import NOW, division_account, person_account, post
from profilelens.ratings import verdict
from profilelens.records import Account, Post, PostKind

TEXTS = (
    "Join us at our annual conference, register now",
    "What do you think about the new rules?",
    "I finally finished my first marathon",
    "Nouvelle offre d'emploi : postulez avant vendredi",
    "je ne suis pas d'accord avec toi",
    "Quarterly results are out",
)
KINDS: tuple[PostKind, ...] = ("original", "retweet", "reply", "quote")


@st.composite
def timelines(draw: st.DrawFn) -> tuple[Account, list[Post]]:
    account = draw(st.sampled_from([division_account(), person_account()]))
    n = draw(st.integers(verdict.MIN_POSTS, 40))
    posts = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        target = draw(st.sampled_from(["acmegroup", "friend1", "friend2", account.handle or "", "news"]))
        posts.append(post(i, kind, draw(st.sampled_from(TEXTS)), target, author=account.handle or ""))
    return account, posts


def strangers(posts: list[Post], count: int, author: str) -> list[Post]:
    """Replies to new, different accounts, dated inside the timeline's span."""
    times = [p.created_at for p in posts if p.created_at is not None]
    newest, oldest = max(times), min(times)
    replies = []
    for i in range(count):
        p = post(900 + i, "reply", "Thanks, that helps a lot", f"stranger{i}", author=author)
        p.created_at = oldest + (newest - oldest) * (i + 1) / (count + 1)
        replies.append(p)
    return replies


def probability(account: Account, posts: list[Post]) -> float:
    value = verdict.section(account, posts, NOW)["obligation_probability"]
    assert isinstance(value, float)
    return value


@settings(max_examples=60, deadline=None)
@given(timelines(), st.integers(1, 40))
def test_replies_to_strangers_never_raise_obligation(
    timeline: tuple[Account, list[Post]], count: int
) -> None:
    account, posts = timeline
    before = verdict.section(account, posts, NOW)
    after = verdict.section(account, posts + strangers(posts, count, account.handle or ""), NOW)
    if before["obligation_probability"] is not None and after["obligation_probability"] is not None:
        assert after["obligation_probability"] <= before["obligation_probability"] + 1e-9


@settings(max_examples=40, deadline=None)
@given(timelines(), st.integers(2, 1000))
def test_followers_never_move_the_verdict(timeline: tuple[Account, list[Post]], factor: int) -> None:
    account, posts = timeline
    famous = dataclasses.replace(account, followers=(account.followers or 0) * factor)
    assert verdict.section(famous, posts, NOW) == verdict.section(account, posts, NOW)


@settings(max_examples=40, deadline=None)
@given(timelines(), st.integers(1, 3000))
def test_moving_the_whole_timeline_in_time_changes_nothing(
    timeline: tuple[Account, list[Post]], hours: int
) -> None:
    """Posting rhythm is relative: moving every post earlier changes nothing the posts say."""
    account, posts = timeline
    shifted = [dataclasses.replace(p, created_at=p.created_at - timedelta(hours=hours)) for p in posts]  # type: ignore[operator]
    a = verdict.section(account, posts, NOW)
    b = verdict.section(account, shifted, NOW)
    assert a == b
