"""The parsers on the project's own small captures (tests/fixtures/sources/), written in X's real shapes.

These run in a fresh clone, without the real data beside the project.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import FIXTURES
from profilelens.records import Capture, InputError, Post
from profilelens.sources import parse

HERE = FIXTURES / "sources"


def load(name: str) -> Any:
    return orjson.loads((HERE / name).read_bytes())


def only(captures: list[Capture]) -> Capture:
    assert len(captures) == 1
    return captures[0]


def by_id(capture: Capture) -> dict[str, Post]:
    return {post.id: post for post in capture.posts}


def test_user_2026_schema_reads_every_account_field() -> None:
    capture = only(parse(load("graphql_user_2026.json")))
    account = capture.account
    assert capture.source == "x-graphql:UserByScreenName"
    assert account is not None
    assert (account.id, account.handle, account.name) == (
        "1500000000000000001",
        "AcmeCareers",
        "Acme Careers",
    )
    assert account.bio == "Official careers account of Acme Corp. Join us! #hiring"
    assert account.location == "Lyon, France"
    assert account.url == "https://careers.acme.example/"  # expanded, not the t.co link
    assert account.created_at == datetime(2017, 1, 10, 8, 15, tzinfo=UTC)
    assert (account.followers, account.following, account.posts_count) == (70, 12, 1843)
    assert (account.likes_count, account.media_count, account.listed_count) == (15, 211, None)
    assert (account.verified, account.verified_type, account.blue_verified) == (False, "Business", True)
    assert (account.protected, account.default_avatar, account.follows_you) == (False, False, False)
    assert (account.profile_image_shape, account.professional_type) == ("Square", "Business")
    assert capture.posts == [] and capture.notes == []


def test_user_mid_2025_schema_takes_counts_from_legacy_and_the_rest_from_outside() -> None:
    account = only(parse(load("graphql_user_mid2025.json"))).account
    assert account is not None
    assert (account.id, account.handle, account.name) == ("770000000", "jane_doe_dev", "Jane Doe")
    assert (account.followers, account.following, account.posts_count) == (312, 1988, 9021)
    assert (account.likes_count, account.media_count, account.listed_count) == (5210, 45, 7)
    assert account.location == "Berlin"
    assert account.url == "https://janedoe.example"
    assert account.default_avatar is True
    assert account.follows_you is True
    assert account.created_at == datetime(2016, 6, 1, 12, 0, tzinfo=UTC)


def test_user_pre_2025_schema_reads_everything_from_legacy() -> None:
    account = only(parse(load("graphql_user_legacy.json"))).account
    assert account is not None
    assert (account.id, account.handle, account.name) == ("888000", "MinistryExample", "Ministry of Examples")
    assert (account.followers, account.following, account.posts_count) == (1204711, 431, 30511)
    assert (account.likes_count, account.media_count, account.listed_count) == (120, 4102, 5320)
    assert (account.verified, account.verified_type, account.blue_verified) == (False, "Government", True)
    assert (account.location, account.url) == ("Paris", "https://www.gov.example/")
    assert account.bio == "News from the Ministry of Examples."
    assert account.created_at == datetime(2012, 3, 15, 14, 30, tzinfo=UTC)
    assert (account.protected, account.default_avatar, account.follows_you) == (False, False, False)
    assert account.profile_image_shape == "Square"


def test_user_tweets_keeps_the_owners_posts_once_each() -> None:
    capture = only(parse(load("graphql_user_tweets_2026.json")))
    assert capture.source == "x-graphql:UserTweets"
    assert capture.account is not None and capture.account.handle == "AcmeCareers"
    ids = [post.id for post in capture.posts]
    assert len(ids) == len(set(ids)) == 8  # the pin is listed twice, the tombstone and sam's question are out
    assert "1912000000000000001" not in ids  # the other person's post in the conversation module
    assert {post.author_handle for post in capture.posts} == {"AcmeCareers"}
    assert capture.notes == ["1 unavailable posts skipped"]
    kinds = [post.kind for post in capture.posts]
    assert kinds.count("retweet") == 1 and kinds.count("quote") == 1 and kinds.count("reply") == 2


def test_pinned_post_with_photos_links_tags_and_counts() -> None:
    post = by_id(only(parse(load("graphql_user_tweets_2026.json"))))["1900000000000000010"]
    assert post.pinned and post.kind == "original"
    assert post.text.startswith("We are hiring! 12 open roles in Lyon & Paris")  # &amp; unescaped
    assert post.media == ("photo", "photo")
    assert post.urls == ("https://careers.acme.example/jobs",)
    assert post.hashtags == ("hiring", "jobs") and post.mentions == ("acme",)
    assert (post.reply_count, post.retweet_count, post.like_count, post.quote_count) == (3, 9, 21, 1)
    assert post.view_count == 4120 and post.lang == "en"
    assert post.created_at == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def test_retweet_takes_its_content_from_the_retweeted_post() -> None:
    post = by_id(only(parse(load("graphql_user_tweets_2026.json"))))["1910000000000000050"]
    assert post.kind == "retweet" and post.retweeted_handle == "acme"
    assert post.author_handle == "AcmeCareers"
    assert post.text.startswith("Our Q3 results are out")  # not "RT @acme: ..."
    assert post.media == ("video",) and post.hashtags == ("results",)
    assert post.mentions == ()  # the "RT @acme:" prefix is not a mention
    assert post.view_count is None  # X showed no count: missing, not 0
    assert post.quoted_handle is None


def test_quote_names_the_quoted_author_and_is_not_a_post_of_its_own() -> None:
    posts = by_id(only(parse(load("graphql_user_tweets_2026.json"))))
    assert posts["1911000000000000077"].kind == "quote"
    assert posts["1911000000000000077"].quoted_handle == "industry_news"
    assert "1911000000000000001" not in posts


def test_replies_in_conversation_modules_and_self_threads() -> None:
    posts = by_id(only(parse(load("graphql_user_tweets_2026.json"))))
    answer = posts["1912000000000000002"]
    assert answer.kind == "reply"
    assert (answer.reply_to_handle, answer.reply_to_user_id) == ("sam_seeker", "77")
    assert answer.mentions == ("sam_seeker",)
    assert answer.urls == ("https://careers.acme.example/da",)
    thread = posts["1915000000000000002"]
    assert thread.kind == "reply" and thread.reply_to_handle == "AcmeCareers"  # a thread: reply to itself
    assert posts["1915000000000000001"].kind == "original"


def test_long_post_text_and_entities_come_from_note_tweet() -> None:
    post = by_id(only(parse(load("graphql_user_tweets_2026.json"))))["1913000000000000001"]
    assert len(post.text) > 280 and "…" not in post.text
    assert post.text.count("Five things we learned") == 2
    assert post.hashtags == ("hackathon", "hackathon") and post.mentions == ("acme",)
    assert post.media == ("animated_gif",)


def test_tweet_with_visibility_results_is_unwrapped() -> None:
    post = by_id(only(parse(load("graphql_user_tweets_2026.json"))))["1914000000000000001"]
    assert post.text == "Office closed on Monday for maintenance."
    assert post.like_count == 3 and post.view_count == 300


def test_user_media_grid_module() -> None:
    capture = only(parse(load("graphql_user_media.json")))
    assert capture.source == "x-graphql:UserMedia"
    assert capture.account is not None and capture.account.handle == "jane_doe_dev"
    assert [post.media for post in capture.posts] == [("photo",), ("video",)]


def test_source_page_is_guessed_when_the_metadata_is_missing() -> None:
    payload = load("graphql_user_tweets_2026.json")
    del payload["data"]["user"]["result"]["timeline"]["timeline"]["metadata"]
    assert only(parse(payload)).source == "x-graphql:UserTweetsAndReplies"  # it replies to others
    grid = load("graphql_user_media.json")
    del grid["data"]["user"]["result"]["timeline"]["timeline"]["metadata"]
    assert only(parse(grid)).source == "x-graphql:UserMedia"


def test_api_v2_tweets_with_expansions() -> None:
    capture = only(parse(load("api_v2_tweets.json")))
    assert capture.source == "x-api-v2"
    account = capture.account
    assert account is not None
    assert (account.id, account.handle, account.followers, account.following) == (
        "2244994945",
        "XDevelopers",
        695695,
        762,
    )
    assert (account.posts_count, account.listed_count, account.likes_count, account.media_count) == (
        4319,
        2981,
        2642,
        829,
    )
    assert (account.verified, account.verified_type, account.url) == (True, "Business", "https://docs.x.com/")
    assert account.created_at == datetime(2013, 12, 14, 4, 35, 55, tzinfo=UTC)
    posts = by_id(capture)
    retweet = posts["1930000000000000003"]
    assert retweet.kind == "retweet" and retweet.retweeted_handle == "jane_doe_dev"
    assert retweet.text.startswith("Our new docs") and retweet.hashtags == ("api",) and retweet.mentions == ()
    reply = posts["1930000000000000004"]
    assert reply.kind == "reply"
    assert (reply.reply_to_user_id, reply.reply_to_handle) == ("770000000", "jane_doe_dev")
    assert (reply.reply_count, reply.like_count, reply.view_count) == (1, 3, 210)
    quote = posts["1930000000000000005"]
    assert quote.kind == "quote" and quote.quoted_handle == "jane_doe_dev"
    assert quote.media == ("photo",)
    assert quote.urls == (
        "https://twitter.com/jane_doe_dev/status/1930000000000000002",
    )  # photo link left out
    assert quote.created_at == datetime(2025, 11, 5, 10, 0, tzinfo=UTC)


def test_api_v1_timeline_with_values_stored_as_strings() -> None:
    capture = only(parse(load("api_v1_timeline_strings.json")))
    assert capture.source == "x-api-v1.1"
    account = capture.account
    assert account is not None
    assert (account.id, account.handle) == ("15000001", "citylibrary")
    assert (account.followers, account.following, account.posts_count, account.listed_count) == (
        1234,
        567,
        4321,
        89,
    )
    assert (account.verified, account.protected, account.default_avatar) == (True, False, True)
    assert account.url == "http://library.example.org"
    posts = capture.posts
    assert [post.kind for post in posts] == ["original", "reply", "retweet"]
    assert posts[0].id == "453000000000000001" and posts[0].retweet_count == 7
    assert (
        posts[0].text
        == "Story time this Saturday at 10am! Bring the kids & a friend. #storytime http://t.co/EvEn000001"
    )
    assert posts[0].urls == ("http://library.example.org/events",)
    assert posts[1].like_count == 1 and posts[1].reply_to_handle == "reader42"
    assert posts[2].retweeted_handle == "citymuseum" and posts[2].media == ("photo",)
    assert posts[2].urls == () and posts[2].mentions == ()


def test_dom_capture() -> None:
    capture = only(parse(load("dom_capture.json")))
    assert capture.source == "dom"
    account = capture.account
    assert account is not None
    assert (account.handle, account.followers, account.following) == ("AcmeCareers", 1_200_000, 1234)
    assert account.created_at == datetime(2017, 1, 1, tzinfo=UTC)
    assert (account.verified, account.follows_you, account.protected) == (True, False, False)
    posts = by_id(capture)
    assert set(posts) == {
        "1900000000000000010",
        "1910000000000000050",
        "1912000000000000002",
        "1911000000000000077",
    }
    assert posts["1900000000000000010"].pinned and posts["1900000000000000010"].media == ("photo", "photo")
    assert posts["1900000000000000010"].hashtags == ("hiring", "jobs")
    assert posts["1900000000000000010"].mentions == ("acme",)
    retweet = posts["1910000000000000050"]
    assert (retweet.kind, retweet.retweeted_handle, retweet.author_handle) == (
        "retweet",
        "acme",
        "AcmeCareers",
    )
    assert posts["1912000000000000002"].kind == "reply"
    assert posts["1911000000000000077"].kind == "quote" and posts["1911000000000000077"].media == (
        "animated_gif",
    )
    assert posts["1900000000000000010"].created_at == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def test_bundle_gives_the_captures_of_each_item_in_order() -> None:
    bundle = {
        "captures": [load("graphql_user_2026.json"), load("graphql_user_tweets_2026.json")],
        "tz": "Europe/Paris",
    }
    captures = parse(bundle)
    assert [c.source for c in captures] == ["x-graphql:UserByScreenName", "x-graphql:UserTweets"]


def test_bundle_keeps_what_it_can_read_and_notes_the_rest() -> None:
    captures = parse({"captures": [load("graphql_user_2026.json"), {"data": {"user": {}}}, 42]})
    assert len(captures) == 1
    assert any(note.startswith("capture 2 skipped: account unavailable") for note in captures[0].notes)
    assert any(note.startswith("capture 3 skipped: not a known input shape") for note in captures[0].notes)
    with pytest.raises(InputError, match="no capture in the bundle"):
        parse({"captures": [{"data": {"user": {}}}]})
    with pytest.raises(InputError, match="non-empty list"):
        parse({"captures": []})


def test_fixtures_are_small() -> None:
    sizes = {path.name: path.stat().st_size for path in Path(HERE).glob("*.json")}
    assert len(sizes) >= 8
    assert max(sizes.values()) < 100_000


def test_pinned_flag_survives_when_the_pin_comes_after_the_list() -> None:
    payload = load("graphql_user_tweets_2026.json")
    instructions = payload["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]
    instructions.append(instructions.pop(1))  # the pin entry last
    posts = by_id(only(parse(payload)))
    assert len(posts) == 8
    assert [post_id for post_id, post in posts.items() if post.pinned] == ["1900000000000000010"]
