"""twitter-web-exporter's "tweets" and "users" JSON exports, made from the real x.com answers of
../shared/data/x-graphql/ the way the userscript makes them (inputkit.py). Expected values are read
from the raw JSON here, with plain dict access.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest

from conftest import shared_data
from inputkit import timeline_tweets, tweet_row, unwrap, user_row
from profilelens.records import Capture
from profilelens.sources import parse

NEW = "x-graphql"
OLD = "x-graphql/legacy-schema-8ce44e4"
TIMELINES = [
    (NEW, "raw_user_tweets.json"),
    (NEW, "raw_user_tweets_and_replies.json"),
    (NEW, "raw_user_media.json"),
    (OLD, "raw_user_tweets.json"),
    (OLD, "raw_user_tweets_and_replies.json"),
]


def raw(folder: str, name: str) -> Any:
    return orjson.loads(shared_data(f"{folder}/{name}").read_bytes())


def owner_id(folder: str) -> str:
    return str(raw(folder, "raw_user_by_login.json")["data"]["user"]["result"]["rest_id"])


def owners_capture(captures: list[Capture], folder: str) -> Capture:
    (capture,) = [c for c in captures if c.account and c.account.id == owner_id(folder)]
    return capture


def expected_kind(tweet: dict[str, Any]) -> str:
    legacy = tweet["legacy"]
    if "retweeted_status_result" in legacy:
        return "retweet"
    if legacy.get("in_reply_to_status_id_str"):
        return "reply"
    return "quote" if "quoted_status_result" in tweet else "original"


@pytest.mark.parametrize(("folder", "name"), TIMELINES)
def test_a_tweets_export_is_read_as_posts_grouped_by_author(folder: str, name: str) -> None:
    tweets = timeline_tweets(raw(folder, name))
    captures = parse([tweet_row(t, metadata=False) for t in tweets])
    assert {c.source for c in captures} == {"twitter-web-exporter"}
    authors = {t["core"]["user_results"]["result"]["rest_id"] for t in tweets}
    assert sorted(c.account.id for c in captures if c.account) == sorted(authors)  # one capture each
    own = [t for t in tweets if t["core"]["user_results"]["result"]["rest_id"] == owner_id(folder)]
    posts = {p.id: p for p in owners_capture(captures, folder).posts}
    assert sorted(posts) == sorted(t["rest_id"] for t in own)
    for tweet in own:
        legacy, post = tweet["legacy"], posts[tweet["rest_id"]]
        assert post.created_at == datetime.strptime(legacy["created_at"], "%a %b %d %H:%M:%S %z %Y")
        assert post.kind == expected_kind(tweet)
        assert (post.like_count, post.retweet_count, post.reply_count, post.quote_count) == (
            legacy["favorite_count"],
            legacy["retweet_count"],
            legacy["reply_count"],
            legacy["quote_count"],
        )
        shown = (
            (unwrap(legacy["retweeted_status_result"]["result"]) or tweet)
            if post.kind == "retweet"
            else tweet
        )
        media = shown["legacy"].get("extended_entities", {}).get("media", [])
        assert list(post.media) == [m["type"] for m in media]
        if post.kind == "retweet":
            retweeted = unwrap(legacy["retweeted_status_result"]["result"])
            assert retweeted is not None
            assert post.retweeted_handle == retweeted["core"]["user_results"]["result"]["core"]["screen_name"]
        if post.kind == "reply":  # the exporter writes the replied-to post's id only
            assert post.reply_to_handle == legacy["in_reply_to_screen_name"]
        if post.kind != "retweet":
            assert post.hashtags == tuple(h["text"] for h in legacy["entities"].get("hashtags", []))


@pytest.mark.parametrize(("folder", "name"), TIMELINES)
def test_with_its_metadata_a_tweets_export_reads_as_the_answer_itself(folder: str, name: str) -> None:
    tweets = timeline_tweets(raw(folder, name))
    exported = owners_capture(parse([tweet_row(t, metadata=True) for t in tweets]), folder)
    (from_x,) = parse(raw(folder, name))
    assert exported.account == from_x.account
    by_id = {p.id: p for p in from_x.posts}
    for post in exported.posts:
        post.pinned = by_id[post.id].pinned  # the export says nothing of pinning
    assert sorted(exported.posts, key=lambda p: p.id) == sorted(from_x.posts, key=lambda p: p.id)


def test_a_tweets_export_is_no_longer_read_as_users() -> None:
    tweets = timeline_tweets(raw(NEW, "raw_user_tweets.json"))
    captures = parse([tweet_row(t, metadata=False) for t in tweets])
    assert sum(len(c.posts) for c in captures) == len(tweets)
    account = owners_capture(captures, NEW).account
    user = raw(NEW, "raw_user_by_login.json")["data"]["user"]["result"]
    assert account is not None
    assert (account.handle, account.name) == (user["core"]["screen_name"], user["core"]["name"])
    assert account.followers is None  # the rows hold no counts: none is made up


def test_rows_from_before_v1_3_name_their_author_by_id() -> None:
    rows = [tweet_row(t, metadata=False) for t in timeline_tweets(raw(NEW, "raw_user_tweets.json"))]
    for row in rows:  # X moved screen_name out of `legacy` and the exporter read it there
        row.update(screen_name=None, name=None)
    capture = owners_capture(parse(rows), NEW)
    assert capture.account is not None and capture.account.handle is None and capture.posts


def test_a_custom_date_format_still_dates_posts_from_their_ids() -> None:
    tweets = timeline_tweets(raw(NEW, "raw_user_tweets.json"))
    rows = [{**tweet_row(t, metadata=False), "created_at": "20/08/26 12h"} for t in tweets]
    dated = {p.id: p.created_at for c in parse(rows) for p in c.posts}
    assert len(dated) == len(tweets)
    for tweet in tweets:
        expected = datetime.strptime(tweet["legacy"]["created_at"], "%a %b %d %H:%M:%S %z %Y")
        moment = dated[tweet["rest_id"]]
        assert moment is not None and timedelta(0) <= moment - expected < timedelta(seconds=1)


@pytest.mark.parametrize("folder", [NEW, OLD])
@pytest.mark.parametrize("metadata", [False, True])
def test_a_users_export_gives_one_account_each(folder: str, metadata: bool) -> None:
    page = raw(folder, "raw_followers.json")
    users = [
        item["content"]["itemContent"]["user_results"]["result"]
        for instruction in page["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]
        for item in instruction.get("entries", [])
        if "itemContent" in item["content"] and "user_results" in item["content"]["itemContent"]
    ]
    captures = parse([user_row(u, metadata=metadata) for u in users])
    assert len(captures) == len(users) > 10
    for capture, user in zip(captures, users, strict=True):
        account, legacy = capture.account, user.get("legacy", {})
        assert capture.source == "twitter-web-exporter" and not capture.posts
        assert account is not None
        assert (account.id, account.handle) == (user["rest_id"], user["core"]["screen_name"])
        assert account.created_at == datetime.strptime(user["core"]["created_at"], "%a %b %d %H:%M:%S %z %Y")
        if metadata:  # X's user itself: its counts whatever the schema
            counts = user.get("relationship_counts", {})
            assert account.followers == counts.get("followers", legacy.get("followers_count"))
        else:  # the columns: counts where the exporter found them in `legacy`, none where it did not
            assert account.followers == legacy.get("followers_count")
            assert account.url == (legacy.get("url") or None)  # the website, not the profile's own address
        assert account.follows_you == user.get("relationship_perspectives", {}).get("followed_by")
