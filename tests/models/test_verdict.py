"""Behaviour of the verdict and follow-back ratings with the committed models (invariance and direction
tests), and on real timelines of the labelled corpus and real captures beside the project."""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta

import orjson
import pytest

from conftest import shared_data
from modelkit import (
    NOW,
    built_by_skops,
    chatty_timeline,
    division_account,
    person_account,
    post,
    press_release_timeline,
    stranger_replies,
)
from profilelens import analysis, sources
from profilelens.ratings import follow_back, verdict
from profilelens.records import Account, Capture, Post


def reading(account: Account, posts: list[Post], *, replies_visible: bool = True) -> dict[str, object]:
    section = verdict.section(account, posts, NOW, replies_visible=replies_visible)
    assert section["available"] is True, section["reason"]
    return section


def probability(account: Account, posts: list[Post]) -> float:
    value = reading(account, posts)["obligation_probability"]
    assert isinstance(value, float)
    return value


def test_press_release_timeline_of_its_own_circle_reads_as_obligation() -> None:
    section = reading(division_account(), press_release_timeline(30))
    assert section["label"] == "obligation"
    assert section["tone"] == "bad"
    assert section["posts_seen"] == 30
    assert any(r.startswith("its own words read as broadcast") for r in section["reasons"])  # type: ignore[union-attr]


def test_chatty_personal_timeline_reads_as_engaging() -> None:
    section = reading(person_account(), chatty_timeline(30))
    assert section["label"] == "engaging"
    assert section["tone"] == "good"


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
    assert reading(account, answers)["label"] != "obligation"


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
    assert reading(renamed, renamed_posts) == reading(account, posts)
    assert follow_back.section(renamed) == follow_back.section(account)


@pytest.mark.parametrize(
    ("account", "posts"),
    [(division_account(), press_release_timeline(30)), (person_account(), chatty_timeline(30))],
)
def test_fame_and_the_profile_never_move_the_verdict(account: Account, posts: list[Post]) -> None:
    famous = dataclasses.replace(account, followers=(account.followers or 0) * 100, verified=True)
    other = dataclasses.replace(account, name="Someone Else", bio="Official account. News and events.")
    assert reading(famous, posts) == reading(account, posts)
    assert reading(other, posts) == reading(account, posts)


def test_few_posts_is_not_enough_data() -> None:
    section = reading(division_account(), press_release_timeline(5))
    assert section["label"] == "not enough data"
    assert section["obligation_probability"] is None
    assert section["posts_seen"] == 5
    assert "only 5 posts" in section["reasons"][0]  # type: ignore[index]


def test_labels_follow_the_probability_bands() -> None:
    assert verdict.label_of(0.9) == "obligation"
    assert verdict.label_of(verdict.OBLIGATION_AT) == "obligation"
    assert verdict.label_of(0.5) == "mixed"
    assert verdict.label_of(verdict.ENGAGING_AT) == "engaging"
    assert verdict.label_of(0.1) == "engaging"


def test_reasons_are_plain_words_with_numbers() -> None:
    assert verdict.describe("circle_relay_share", {"circle_relay_share": 0.67}) == (
        "67 % of posts relay the 3 accounts it relays most"
    )
    assert (
        verdict.describe("question_share", {"question_share": 0.12})
        == "asks questions in 12 % of its own posts"
    )
    assert verdict.describe("mention_top3_share", {"mention_top3_share": float("nan")}) == "mentions no one"
    assert verdict.describe("length_spread", {"length_spread": 0.25}) == (
        "its own posts vary in length by 25 % around their average"
    )


def test_follows_you_overrides_the_estimate() -> None:
    account = dataclasses.replace(person_account(), follows_you=True)
    section = follow_back.section(account)
    assert section["probability"] == 1.0 and section["follows_you"] is True and section["tone"] == "good"


def test_follow_back_is_higher_for_accounts_that_follow_as_many_as_follow_them() -> None:
    brand = dataclasses.replace(division_account(), followers=500_000, following=40)
    peer = dataclasses.replace(person_account(), followers=800, following=700)
    p_brand = follow_back.section(brand)["probability"]
    p_peer = follow_back.section(peer)["probability"]
    assert p_peer > p_brand


def test_follow_back_without_counts_says_why() -> None:
    section = follow_back.section(Account(handle="x"))
    assert section["available"] is False and "follower" in section["reason"] and section["tone"] == "none"


def test_real_xdevelopers_timeline_reads_with_reasons() -> None:
    captures = []
    for name in ("raw_user_by_login.json", "raw_user_tweets.json", "raw_user_tweets_and_replies.json"):
        captures += sources.parse(orjson.loads(shared_data(f"x-graphql/{name}").read_bytes()))
    (report,) = analysis.analyze(captures, now=NOW)
    section = report["verdict"]
    assert section["available"] is True
    assert section["posts_seen"] == report["data"]["posts_seen"] >= verdict.MIN_POSTS
    assert section["label"] in ("obligation", "mixed", "engaging")
    assert len(section["reasons"]) >= verdict.TOP_REASONS
    assert report["identity"]["label"] == "organisation"
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


def test_a_capture_without_replies_is_read_by_the_model_for_such_captures() -> None:
    account, posts = division_account(), press_release_timeline(30)
    hidden = reading(account, posts, replies_visible=False)
    assert hidden["reasons"][-1].startswith("replies not shown")  # type: ignore[index]
    assert not any("repl" in r for r in hidden["reasons"][:-1])  # type: ignore[index]
    assert hidden["label"] == "obligation"


def test_replies_visible_is_told_by_the_capture_or_by_replies_to_others() -> None:
    account = division_account()
    self_thread = [post(0, "reply", "1/ more", "AcmePaymentsDiv", author="AcmePaymentsDiv")]
    assert not verdict.replies_visible([Capture(source="x-graphql:UserTweets")], self_thread)
    assert verdict.replies_visible([Capture(source="x-graphql:UserTweetsAndReplies")], [])
    assert verdict.replies_visible([Capture(source="dom")], stranger_replies(0, 1, account.handle or ""))


def test_a_headline_feed_is_not_called_engaging() -> None:
    account = dataclasses.replace(
        division_account(), name="Lyon Info", bio="L'actualité de Lyon et de sa région, 24h/24."
    )
    headlines = [
        post(i, "original", f"Lyon : circulation perturbée sur le périphérique nord https://x.example/{i}")
        for i in range(30)
    ]
    assert reading(account, headlines, replies_visible=False)["label"] != "engaging"


def test_the_reading_is_the_models_own_probability() -> None:
    from profilelens.config import SOURCE_MODELS_DIR
    from profilelens.ratings.inputs import VERDICT_NUMBERS, matrix, verdict_row
    from profilelens.ratings.linear import Reading
    from profilelens.ratings.models import VERDICT_FILE, loaded

    for view in (verdict.WITH_REPLIES, verdict.WITHOUT_REPLIES):
        model = loaded(SOURCE_MODELS_DIR, VERDICT_FILE).model[view]
        for account, posts in (
            (division_account(), press_release_timeline(30)),
            (person_account(), chatty_timeline(30)),
        ):
            x = matrix([verdict_row(account, posts, NOW)])
            reading = Reading.of(model, x)
            built = built_by_skops(VERDICT_FILE)[view]
            assert reading.probability == pytest.approx(float(built.predict_proba(x)[0, 1]), abs=1e-12)
            pushes = reading.number_pushes(VERDICT_NUMBERS)
            words = reading.word_pushes(str(x[0, 0]))
            # the pushes of the numbers and of the words add up to the log-odds, less the intercept
            logit = math.log(reading.probability / (1 - reading.probability))
            assert sum(pushes.values()) + sum(words.values()) == pytest.approx(
                logit - reading.intercept, abs=1e-6
            )
