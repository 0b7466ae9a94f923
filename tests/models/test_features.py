"""Identity and engagement features: pure functions of the account model."""

from __future__ import annotations

import dataclasses
import math

from modelkit import NOW, chatty_timeline, division_account, person_account, post, press_release_timeline
from profilelens.features.engagement import engagement_features
from profilelens.features.identity import IDENTITY_FEATURES, identity_features, profile_text
from profilelens.records import Account


def test_identity_features_are_named_numbers_in_model_order() -> None:
    features = identity_features(division_account(), NOW)
    assert tuple(features) == IDENTITY_FEATURES
    assert all(isinstance(v, float) for v in features.values())


def test_identity_ignores_handle_and_followers() -> None:
    account = division_account()
    renamed = dataclasses.replace(account, handle="SomethingElse", followers=account.followers * 100)
    assert identity_features(renamed, NOW) == identity_features(account, NOW)
    assert profile_text(renamed) == profile_text(account)


def test_missing_counts_are_nan_not_invented() -> None:
    features = identity_features(Account(name="Acme", bio="We make things"), NOW)
    for name in ("following_log", "posts_log", "likes_log", "media_log", "age_years", "verified"):
        assert math.isnan(features[name]), name
    assert features["bio_we"] == 1.0


def test_account_age_uses_the_given_now() -> None:
    account = division_account()
    later = NOW.replace(year=NOW.year + 2)
    assert identity_features(account, later)["age_years"] - identity_features(account, NOW)["age_years"] > 1.9


def test_press_release_timeline_relays_its_circle_and_never_converses() -> None:
    f = engagement_features(division_account(), press_release_timeline(30), NOW)
    assert f["posts_seen"] == 30
    assert f["retweet_share"] == 20 / 30
    assert f["circle_size"] == 2
    assert f["circle_relay_share"] == 20 / 30
    assert f["reply_share"] == 0 and f["distinct_replied"] == 0
    assert f["question_share"] == 0 and f["first_person_share"] == 0
    assert f["institutional_share"] == 1.0


def test_chatty_timeline_replies_to_many_and_speaks_as_itself() -> None:
    f = engagement_features(person_account(), chatty_timeline(30), NOW)
    assert f["reply_others_share"] == 0.5
    assert f["distinct_replied"] == 15
    assert f["broadcasts"] == 15
    assert f["question_share"] == 4 / 15
    assert f["first_person_share"] == 11 / 15
    assert f["retweet_share"] == 0
    assert math.isnan(f["circle_top3_share"])  # relays nobody: concentration is not measurable


def test_french_first_person_counts() -> None:
    account = person_account()
    for text in ("j'adore ce quartier", "Moi aussi", "mon avis : non", "je pense que oui"):
        f = engagement_features(account, [post(0, "original", text)], NOW)
        assert f["first_person_share"] == 1.0, text
    f = engagement_features(account, [post(0, "original", "Nouvelle conférence à Lyon")], NOW)
    assert f["first_person_share"] == 0.0


def test_self_threads_are_not_replies_to_others() -> None:
    account = person_account()
    posts = [post(i, "reply", "and another thing", "julie_m") for i in range(4)]
    posts.append(post(9, "reply", "yes", "Someone"))
    f = engagement_features(account, posts, NOW)
    assert f["reply_share"] == 1.0
    assert f["reply_others_share"] == 0.2
    assert f["self_thread_share"] == 0.8
    assert f["distinct_replied"] == 1


def test_retweeted_questions_are_not_the_accounts_own() -> None:
    posts = [post(0, "retweet", "What do you think?", "other"), post(1, "original", "Nice day.")]
    assert engagement_features(person_account(), posts, NOW)["question_share"] == 0.0


def test_voice_is_measured_over_its_own_broadcasts_so_replies_do_not_dilute_it() -> None:
    account = person_account()
    posts = [post(0, "original", "What do you all think?"), post(1, "quote", "I disagree", "other")]
    before = engagement_features(account, posts, NOW)
    after = engagement_features(account, posts + [post(5 + i, "reply", "ok", f"s{i}") for i in range(8)], NOW)
    assert before["question_share"] == after["question_share"] == 0.5
    assert before["first_person_share"] == after["first_person_share"] == 0.5
    only_relays = engagement_features(account, [post(0, "retweet", "Hello?", "other")], NOW)
    assert math.isnan(only_relays["question_share"])  # no broadcasts of its own: not measurable


def test_no_posts_gives_nan_shares() -> None:
    f = engagement_features(person_account(), [], NOW)
    assert f["posts_seen"] == 0
    assert math.isnan(f["reply_share"]) and math.isnan(f["templated_share"])
    assert f["followers_log"] == math.log1p(812)


def test_headlines_and_even_lengths_are_how_feeds_write() -> None:
    account = person_account()
    feed = [
        post(i, "original", f"Ten Things To Know About The New Budget {i} https://t.co/x{i}")
        for i in range(4)
    ]
    f = engagement_features(account, feed, NOW)
    assert f["headline_case_share"] == 1.0
    assert f["length_spread"] == 0.0  # every post the same 8 words
    own = [
        post(0, "original", "ok"),
        post(1, "original", "I really cannot believe how long this queue is, again"),
        post(2, "original", "Lovely Day In Paris"),  # two words of four letters or more: too few to tell
    ]
    f = engagement_features(account, own, NOW)
    assert f["headline_case_share"] == 0.0
    assert f["length_spread"] == math.sqrt(((1 - 5) ** 2 + (10 - 5) ** 2 + (4 - 5) ** 2) / 3) / 5
    answered = engagement_features(account, [*own, post(9, "reply", "Sure", "someone")], NOW)
    assert answered["length_spread"] == f["length_spread"]  # the look of its broadcasts only
    assert math.isnan(engagement_features(account, own[:2], NOW)["length_spread"])  # too few to compare
