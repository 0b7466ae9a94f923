"""Behaviour of the verdict and follow-back ratings with the committed models (Made-With-ML style:
invariance and direction tests), and on real timelines beside the project."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import orjson
import pytest
from modelkit import (
    NOW,
    chatty_timeline,
    division_account,
    person_account,
    post,
    press_release_timeline,
    stranger_replies,
)

from conftest import shared_data
from profilelens import analysis, ratings, sources
from profilelens.records import Account, Post


def verdict(account: Account, posts: list[Post]) -> dict[str, object]:
    section = ratings.verdict_section(account, posts, NOW)
    assert section["available"] is True, section["reason"]
    return section


def probability(account: Account, posts: list[Post]) -> float:
    value = verdict(account, posts)["obligation_probability"]
    assert isinstance(value, float)
    return value


def test_press_release_timeline_of_its_own_circle_reads_as_obligation() -> None:
    section = verdict(division_account(), press_release_timeline(30))
    assert section["label"] == "obligation"
    assert section["posts_seen"] == 30
    reasons = " | ".join(section["reasons"])  # type: ignore[arg-type]
    assert (
        "67 % of posts are retweets or quotes of 2 accounts" in reasons or "100 % of posts read as" in reasons
    )


def test_chatty_personal_timeline_reads_as_engaging() -> None:
    section = verdict(person_account(), chatty_timeline(30))
    assert section["label"] == "engaging"
    assert any("different accounts" in r or "asks questions" in r for r in section["reasons"])  # type: ignore[union-attr]


def test_replies_to_many_strangers_never_raise_the_obligation_probability() -> None:
    for account, posts in (
        (division_account(), press_release_timeline(30)),
        (person_account(), chatty_timeline(30)),
        (division_account(), press_release_timeline(12)),
    ):
        before = probability(account, posts)
        for extra in (5, 20, 60):
            after = probability(account, posts + stranger_replies(len(posts), extra, account.handle or ""))
            assert after <= before + 1e-9, (account.handle, extra, before, after)


def test_a_brand_that_talks_to_its_customers_is_not_an_obligation_account() -> None:
    """Seed 001's hotel: an organisation answering guests personally."""
    account = division_account()
    answers = [
        post(i, "reply", text, f"guest{i}", author=account.handle or "")
        for i, text in enumerate(
            [
                "So glad you enjoyed your stay! Did you try the cheesecake at the corner bakery?",
                "I'm sorry about the wait, I've passed it on to the front desk myself",
                "Which room were you in? I'd love to fix that for your next visit",
                "Thank you! My colleagues will be thrilled to hear it",
            ]
            * 5
        )
    ]
    assert probability(account, answers) < probability(account, press_release_timeline(20))
    assert verdict(account, answers)["label"] != "obligation"


def rename(account: Account, posts: list[Post], new: str) -> tuple[Account, list[Post]]:
    old = account.handle

    def swap(handle: str | None) -> str | None:
        return new if handle is not None and old is not None and handle.lower() == old.lower() else handle

    renamed = [
        dataclasses.replace(p, author_handle=swap(p.author_handle), reply_to_handle=swap(p.reply_to_handle))
        for p in posts
    ]
    return dataclasses.replace(account, handle=new), renamed


@pytest.mark.parametrize(
    ("account", "posts"),
    [(division_account(), press_release_timeline(30)), (person_account(), chatty_timeline(30))],
)
def test_renaming_the_handle_changes_nothing(account: Account, posts: list[Post]) -> None:
    renamed, renamed_posts = rename(account, posts, "totally_new_name")
    assert verdict(renamed, renamed_posts) == verdict(account, posts)
    assert ratings.follow_back_section(renamed) == ratings.follow_back_section(account)


@pytest.mark.parametrize(
    ("account", "posts"),
    [(division_account(), press_release_timeline(30)), (person_account(), chatty_timeline(30))],
)
def test_a_hundred_times_more_followers_does_not_flip_the_verdict(
    account: Account, posts: list[Post]
) -> None:
    famous = dataclasses.replace(account, followers=(account.followers or 0) * 100)
    assert verdict(famous, posts)["label"] == verdict(account, posts)["label"]
    assert probability(famous, posts) == pytest.approx(probability(account, posts))


def test_few_posts_and_no_decisive_profile_is_not_enough_data() -> None:
    section = verdict(person_account(), chatty_timeline(5))
    assert section["label"] == "not enough data"
    assert section["obligation_probability"] is None
    assert section["posts_seen"] == 5
    assert "only 5 posts" in section["reasons"][0]  # type: ignore[index]


def test_few_posts_with_a_decisive_organisation_profile_still_reads() -> None:
    org = ratings.organisation_probability(division_account(), NOW)
    assert org is not None and org >= ratings.DECISIVE_ORGANISATION
    section = verdict(division_account(), press_release_timeline(5))
    assert section["label"] == "obligation"
    assert section["reasons"][-1] == "only 5 posts seen"  # type: ignore[index]


def test_no_posts_gives_no_post_based_reasons() -> None:
    section = verdict(division_account(), [])
    assert section["posts_seen"] == 0
    assert all("post" not in r or r == "no posts seen" for r in section["reasons"])  # type: ignore[union-attr]


def test_labels_follow_the_probability_bands() -> None:
    assert ratings.verdict_label(0.9) == "obligation"
    assert ratings.verdict_label(ratings.OBLIGATION_AT) == "obligation"
    assert ratings.verdict_label(0.5) == "mixed"
    assert ratings.verdict_label(ratings.ENGAGING_AT) == "engaging"


def test_reasons_are_plain_words_with_numbers() -> None:
    features = {"circle_relay_share": 0.87, "circle_size": 3.0, "reply_share": 0.0, "reply_others_share": 0.0}
    assert (
        ratings.describe("circle_relay_share", features, 0.5)
        == "87 % of posts are retweets or quotes of 3 accounts"
    )
    assert ratings.describe("reply_others_share", features, 0.5) == "never replies to others"
    assert ratings.describe(
        "distinct_replied_rate", {"distinct_replied_rate": 0.3, "distinct_replied": 14}, 0.5
    ) == ("replies to 14 different accounts")
    assert (
        ratings.describe("question_share", {"question_share": 0.12}, 0.5)
        == "asks questions in 12 % of its own posts"
    )


def test_follows_you_overrides_the_estimate() -> None:
    account = dataclasses.replace(division_account(), follows_you=True)
    section = ratings.follow_back_section(account)
    assert section["probability"] == 1.0 and section["follows_you"] is True


def test_follow_back_is_higher_for_accounts_that_follow_as_many_as_follow_them() -> None:
    brand = dataclasses.replace(division_account(), followers=695_695, following=762)
    peer = dataclasses.replace(person_account(), followers=812, following=655)
    p_brand = ratings.follow_back_section(brand)["probability"]
    p_peer = ratings.follow_back_section(peer)["probability"]
    assert isinstance(p_brand, float) and isinstance(p_peer, float)
    assert 0.0 <= p_brand < p_peer <= 1.0


def test_follow_back_without_counts_says_why() -> None:
    section = ratings.follow_back_section(Account(handle="x"))
    assert section["available"] is False and "follower" in section["reason"]


def test_real_xdevelopers_timeline_leans_obligation_with_reasons() -> None:
    captures = []
    for name in ("raw_user_by_login.json", "raw_user_tweets.json", "raw_user_tweets_and_replies.json"):
        captures += sources.parse(orjson.loads(shared_data(f"x-graphql/{name}").read_bytes()))
    (report,) = analysis.analyze(captures, now=NOW)
    section = report["verdict"]
    assert section["available"] is True
    assert section["posts_seen"] == report["data"]["posts_seen"] >= ratings.MIN_POSTS
    assert section["obligation_probability"] > 0.5
    assert len(section["reasons"]) == ratings.TOP_REASONS
    assert report["follow_back"]["available"] is True
    assert 0.0 <= report["follow_back"]["probability"] <= 0.5  # 695k followers, follows 762


def test_real_personal_v11_timeline_reads_as_engaging() -> None:
    statuses = orjson.loads(shared_data("x-api-v1.1-python-twitter/get_user_timeline.json").read_bytes())
    captures = sources.parse(statuses)
    reports = [
        r
        for r in analysis.analyze(captures, now=NOW + timedelta(days=1))
        if r["account"]["handle"] == "dewitt"
    ]
    assert reports, "the v1.1 timeline holds @dewitt's statuses"
    assert reports[0]["verdict"]["label"] == "engaging"


def test_a_capture_without_replies_leaves_reply_signals_out() -> None:
    account, posts = division_account(), press_release_timeline(30)
    hidden = ratings.verdict_section(account, posts, NOW, replies_visible=False)
    shown = ratings.verdict_section(account, posts, NOW, replies_visible=True)
    assert hidden["reasons"][-1].startswith("replies not shown")  # type: ignore[index]
    assert not any("repl" in r for r in hidden["reasons"][:-1])  # type: ignore[index]
    # "never replies" is evidence only when replies could be seen
    assert hidden["obligation_probability"] < shown["obligation_probability"]  # type: ignore[operator]


def test_replies_visible_is_told_by_the_capture_or_by_replies_to_others() -> None:
    from profilelens.records import Capture

    account = division_account()
    self_thread = [post(0, "reply", "1/ more", "AcmePaymentsDiv", author="AcmePaymentsDiv")]
    assert not ratings.replies_visible([Capture(source="x-graphql:UserTweets")], self_thread)
    assert ratings.replies_visible([Capture(source="x-graphql:UserTweetsAndReplies")], [])
    assert ratings.replies_visible([Capture(source="dom")], stranger_replies(0, 1, account.handle or ""))


def test_few_posts_short_of_an_obligation_reading_carry_no_probability() -> None:
    section = verdict(division_account(), chatty_timeline(4))
    assert section["label"] == "not enough data"
    assert section["obligation_probability"] is None


def test_a_headline_feed_is_not_called_engaging_for_relaying_no_one() -> None:
    account = dataclasses.replace(
        division_account(), name="Lyon Info", bio="L'actualité de Lyon et de sa région, 24h/24."
    )
    headlines = [
        post(i, "original", f"Lyon : circulation perturbée sur le périphérique nord https://x.example/{i}")
        for i in range(30)
    ]
    section = ratings.verdict_section(account, headlines, NOW, replies_visible=False)
    assert section["label"] != "engaging"


def test_evidence_of_its_own_kind_is_needed_for_a_label() -> None:
    quiet_voice = {"reply_others_share": 0.1, "question_share": 0.2, "circle_relay_share": -0.9}
    assert ratings.evidenced_label("engaging", quiet_voice) == "mixed"
    talks = {"reply_others_share": -0.8, "question_share": 0.1}
    assert ratings.evidenced_label("engaging", talks) == "engaging"
    silent = {"reply_others_share": 0.9, "question_share": 0.5, "institutional_share": -0.3}
    assert ratings.evidenced_label("obligation", silent) == "mixed"
    assert ratings.evidenced_label("obligation", {"circle_relay_share": 0.6}) == "obligation"
