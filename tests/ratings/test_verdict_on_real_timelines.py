"""The verdict on real labelled timelines, read on posts the labellers never saw (the 100 after the 40
they read): directions the guide insists on, and invariances, with the committed model."""

from __future__ import annotations

import dataclasses

import pytest
from timelinekit import UNSEEN, now_of, timeline

from profilelens.ratings import verdict
from profilelens.records import Post
from profilelens.training.labelling import load_labels


def read(uid: str, posts: list[Post] | None = None) -> dict:
    t = timeline(uid)
    posts = t.posts[UNSEEN] if posts is None else posts
    return verdict.section(t.account, posts, now_of(posts))


@pytest.mark.parametrize(
    "uid",
    [
        "Emotion-and-Topic-Analysis/SpeakerRyan",  # a Speaker's office feed
        "Emotion-and-Topic-Analysis/Pontifex",  # a head of state's one-way messages
        "Presidentielle2022Twitter/avecvous",  # a campaign feed
    ],
)
def test_a_person_who_only_announces_reads_as_obligation(uid: str) -> None:
    label = load_labels()[uid]
    assert (label["identity"], label["verdict"]) == ("person", "obligation")
    section = read(uid)
    assert section["label"] == "obligation", section["reasons"]


@pytest.mark.parametrize(
    "uid",
    [
        "Presidentielle2022Twitter/ChTaubira",  # a candidate's opinions, threaded on her own posts
        "Presidentielle2022Twitter/n_arthaud",  # a candidate's commentary on the news, a few threads
    ],
)
def test_a_candidate_threading_her_own_posts_is_read_by_what_she_says_not_by_her_threads(uid: str) -> None:
    # Few labelled accounts thread at all: the share of replies in its own threads once read a held-out
    # source of threading candidates as obligation at p = 1.00. Their threads are their own posts.
    label = load_labels()[uid]
    assert (label["identity"], label["verdict"]) == ("person", "engaging")
    t = timeline(uid)
    posts = t.posts[UNSEEN]
    handle = (t.account.handle or "").lower()
    unthreaded = [p for p in posts if not (p.kind == "reply" and (p.reply_to_handle or "").lower() == handle)]
    assert len(unthreaded) < len(posts)  # it does thread
    section = read(uid, posts)
    assert section["label"] == "engaging", section["reasons"]
    assert section["obligation_probability"] == read(uid, unthreaded)["obligation_probability"]


@pytest.mark.parametrize(
    "uid",
    [
        "JSC270-Assignment4/NikeSupport",
        "tweetCompression/Wendys",
        "tweetCompression/WaffleHouse",
        "twitter-customer-care-document-prediction/AdobeCare",
    ],
)
def test_a_brand_that_answers_its_customers_reads_as_engaging(uid: str) -> None:
    label = load_labels()[uid]
    assert (label["identity"], label["verdict"]) == ("organisation", "engaging")
    section = read(uid)
    assert section["label"] == "engaging", section["reasons"]
    assert section["tone"] == "good"


def test_an_institution_that_broadcasts_reads_as_obligation_with_reasons_from_its_posts() -> None:
    section = read("tweetCompression/CDCgov")
    assert section["label"] == "obligation"
    assert any(r.startswith("its own words read as broadcast") for r in section["reasons"])


def test_answering_strangers_never_raises_obligation_on_a_real_broadcast_feed() -> None:
    t = timeline("tweetCompression/CDCgov")
    posts = t.posts[UNSEEN]
    before = read(t.uid, posts)["obligation_probability"]
    answers = [
        dataclasses.replace(
            p, id=f"answer-{i}", kind="reply", reply_to_handle=f"citizen{i}", text=f"@citizen{i} {p.text}"
        )
        for i, p in enumerate(posts[:30])
    ]
    after = read(t.uid, posts + answers)["obligation_probability"]
    assert after <= before


def test_fame_never_moves_the_verdict_on_a_real_timeline() -> None:
    t = timeline("Twitter-Topic-Labelling/BarackObama")
    posts = t.posts[UNSEEN]
    famous = dataclasses.replace(t.account, followers=100_000_000, verified=True, name="Barack Obama")
    assert verdict.section(famous, posts, now_of(posts)) == verdict.section(t.account, posts, now_of(posts))
