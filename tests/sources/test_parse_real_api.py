"""The v2 and v1.1 parsers on real API answers (../shared/data/x-api-v2-v1.1-tweepy/decoded/ and
../shared/data/x-api-v1.1-python-twitter/). Expected values are read from the raw JSON here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import shared_data
from profilelens.records import InputError
from profilelens.sources import parse

TWEEPY = "x-api-v2-v1.1-tweepy/decoded"
PYTHON_TWITTER = "x-api-v1.1-python-twitter"
# Answers that hold no account at all: id lists, a friendship relation, suggestion categories.
NOT_PROFILES = {
    "testgetfollowerids.json",
    "testgetfriendids.json",
    "testgetfriendship.json",
    "get_follower_ids_0.json",
    "get_friend_ids_0.json",
    "get_show_friendship.json",
    "get_user_suggestion_categories.json",
}


def tweepy_bodies() -> list[tuple[str, Any]]:
    """Each recorded answer of tweepy's test suite: the files are lists of {method, uri, status, body}."""
    folder = shared_data(TWEEPY)
    return [
        (path.name, interaction["body"])
        for path in sorted(Path(folder).glob("*.json"))
        for interaction in orjson.loads(path.read_bytes())
    ]


def python_twitter_files() -> list[tuple[str, Any]]:
    folder = shared_data(PYTHON_TWITTER)
    return [(path.name, orjson.loads(path.read_bytes())) for path in sorted(Path(folder).glob("*.json"))]


def test_every_tweepy_answer_parses_or_is_refused_clearly() -> None:
    bodies = tweepy_bodies()
    assert len(bodies) >= 27
    for name, body in bodies:
        if name in NOT_PROFILES:
            with pytest.raises(InputError, match="expected"):
                parse(body)
            continue
        captures = parse(body)
        if body in ([], {"data": []}):
            assert captures == []
            continue
        assert captures, name
        assert all(c.source in ("x-api-v2", "x-api-v1.1") for c in captures), name


def test_every_python_twitter_answer_parses_or_is_refused_clearly() -> None:
    for name, payload in python_twitter_files():
        if name in NOT_PROFILES:
            with pytest.raises(InputError, match="expected"):
                parse(payload)
            continue
        captures = parse(payload)
        assert captures, name
        assert all(c.source == "x-api-v1.1" and c.account is not None for c in captures), name


def v1_users(value: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every v1.1 user object anywhere in an answer (pages, statuses' authors, retweeted authors)."""
    if isinstance(value, dict):
        if "screen_name" in value and "followers_count" in value:
            found.append(value)
        for inner in value.values():
            v1_users(inner, found)
    elif isinstance(value, list):
        for inner in value:
            v1_users(inner, found)
    return found


def test_each_v1_user_object_gives_an_account_with_its_raw_counts() -> None:
    users = [user for _, payload in python_twitter_files() for user in v1_users(payload, [])]
    assert len({user["id_str"] for user in users}) >= 1400
    for user in users:
        captures = parse(user)
        assert len(captures) == 1
        account = captures[0].account
        assert account is not None
        got = (
            account.id,
            account.handle,
            account.followers,
            account.following,
            account.posts_count,
            account.likes_count,
            account.listed_count,
            account.verified,
            account.protected,
        )
        want = (
            user["id_str"],
            user["screen_name"],
            user["followers_count"],
            user["friends_count"],
            user["statuses_count"],
            user["favourites_count"],
            user["listed_count"],
            user["verified"],
            user["protected"],
        )
        assert got == want
        assert account.created_at is not None and account.created_at.tzinfo is not None


def test_user_pages_give_one_capture_per_user_in_order() -> None:
    for name, payload in python_twitter_files():
        if isinstance(payload, dict) and isinstance(payload.get("users"), list):
            captures = parse(payload)
            assert [c.account.id for c in captures if c.account] == [u["id_str"] for u in payload["users"]], (
                name
            )


def test_a_v1_timeline_is_one_capture_with_independently_counted_kinds() -> None:
    payload = orjson.loads((shared_data(PYTHON_TWITTER) / "get_user_timeline_count.json").read_bytes())
    want: Counter[str] = Counter()
    for status in payload:
        if "retweeted_status" in status:
            want["retweet"] += 1
        elif status.get("in_reply_to_status_id") is not None:
            want["reply"] += 1
        elif status.get("is_quote_status"):
            want["quote"] += 1
        else:
            want["original"] += 1
    (capture,) = parse(payload)
    assert capture.account is not None and capture.account.handle == payload[0]["user"]["screen_name"]
    assert Counter(post.kind for post in capture.posts) == want
    assert [post.id for post in capture.posts] == [status["id_str"] for status in payload]


def test_a_home_timeline_is_split_by_author() -> None:
    payload = orjson.loads((shared_data(PYTHON_TWITTER) / "get_home_timeline.json").read_bytes())
    captures = parse(payload)
    authors = Counter(status["user"]["id_str"] for status in payload)
    assert {c.account.id: len(c.posts) for c in captures if c.account} == dict(authors)


def test_v2_users_keep_their_ids_and_handles() -> None:
    for name, body in tweepy_bodies():
        data = body.get("data") if isinstance(body, dict) else None
        records: list[Any] = data if isinstance(data, list) else [data]
        if records and isinstance(records[0], dict) and "username" in records[0]:
            captures = parse(body)
            got = [(c.account.id, c.account.handle, c.account.name) for c in captures if c.account]
            assert got == [(u["id"], u["username"], u["name"]) for u in records], name


def test_v2_tweets_without_author_id_say_why_the_account_is_unknown() -> None:
    body = dict(tweepy_bodies())["test_client_get_users_tweets.json"]
    (capture,) = parse(body)
    assert capture.account is None
    assert [post.id for post in capture.posts] == [tweet["id"] for tweet in body["data"]]
    assert "author_id" in capture.notes[0]
