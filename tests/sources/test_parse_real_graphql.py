"""The GraphQL parser on real x.com answers (../shared/data/x-graphql/, both schemas).

Expected numbers are read from the raw JSON here, with plain dict access and a walk of its own, not with
the parser's code.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import shared_data
from profilelens.records import Account, InputError
from profilelens.sources import parse

NEW = "x-graphql"
OLD = "x-graphql/legacy-schema-8ce44e4"
TIMELINES = {
    "raw_user_tweets.json": "x-graphql:UserTweets",
    "raw_user_tweets_and_replies.json": "x-graphql:UserTweetsAndReplies",
    "raw_user_media.json": "x-graphql:UserMedia",
}
USER_LISTS = (
    "raw_followers.json",
    "raw_following.json",
    "raw_verified_followers.json",
    "raw_list_members.json",
)
NOT_PROFILES = ("raw_search.json", "raw_tweet_details.json")
# The older-schema folder holds fewer operations (no UserMedia, no list members).
OLD_TIMELINES = ("raw_user_tweets.json", "raw_user_tweets_and_replies.json")
OLD_LISTS = ("raw_followers.json", "raw_following.json", "raw_verified_followers.json")
TIMELINE_FILES = [(NEW, name) for name in TIMELINES] + [(OLD, name) for name in OLD_TIMELINES]


def raw(folder: str, name: str) -> Any:
    return orjson.loads(shared_data(f"{folder}/{name}").read_bytes())


EVERY_CAPTURE = [
    *[(NEW, name) for name in (*TIMELINES, "raw_user_by_login.json", "raw_user_about.json", *USER_LISTS)],
    *[(OLD, name) for name in (*OLD_TIMELINES, "raw_user_by_login.json", *OLD_LISTS)],
]


@pytest.mark.parametrize(("folder", "name"), EVERY_CAPTURE)
def test_every_user_or_timeline_capture_parses(folder: str, name: str) -> None:
    captures = parse(raw(folder, name))
    assert captures
    for capture in captures:
        assert capture.account is not None and capture.account.id and capture.account.handle
    if name in TIMELINES:
        assert [c.source for c in captures] == [TIMELINES[name]]
        assert captures[0].posts


def test_every_file_in_the_folders_is_covered() -> None:
    covered = {(folder, name) for folder, name in EVERY_CAPTURE} | {(NEW, name) for name in NOT_PROFILES}
    for folder in (NEW, OLD):
        names = {(folder, p.name) for p in Path(shared_data(folder)).glob("raw_*.json")}
        assert names == {pair for pair in covered if pair[0] == folder}


def expected_2026(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": user["rest_id"],
        "handle": user["core"]["screen_name"],
        "followers": user["relationship_counts"]["followers"],
        "following": user["relationship_counts"]["following"],
        "posts_count": user["tweet_counts"]["tweets"],
        "media_count": user["tweet_counts"]["media_tweets"],
        "likes_count": user["action_counts"]["favorites_count"],
        "listed_count": None,
        "verified_type": user["verification"]["verified_type"],
        "profile_image_shape": user["profile_image_shape"],
        "follows_you": user["relationship_perspectives"]["followed_by"],
    }


def expected_legacy(user: dict[str, Any]) -> dict[str, Any]:
    legacy = user["legacy"]
    return {
        "id": user["rest_id"],
        "handle": user["core"]["screen_name"],
        "followers": legacy["followers_count"],
        "following": legacy["friends_count"],
        "posts_count": legacy["statuses_count"],
        "media_count": legacy["media_count"],
        "likes_count": legacy["favourites_count"],
        "listed_count": legacy["listed_count"],
        "verified_type": user["verification"]["verified_type"],
        "profile_image_shape": user["profile_image_shape"],
        "follows_you": user["relationship_perspectives"]["followed_by"],
    }


def fields(account: Account | None, names: dict[str, Any]) -> dict[str, Any]:
    assert account is not None
    return {name: getattr(account, name) for name in names}


@pytest.mark.parametrize(("folder", "expected"), [(NEW, expected_2026), (OLD, expected_legacy)])
def test_xdevelopers_account_counts_equal_the_raw_numbers(folder: str, expected: Any) -> None:
    user = raw(folder, "raw_user_by_login.json")["data"]["user"]["result"]
    want = expected(user)
    assert want["handle"] == "XDevelopers"
    account = parse(raw(folder, "raw_user_by_login.json"))[0].account
    assert fields(account, want) == want
    assert account is not None and account.followers is not None and account.followers > 600_000


@pytest.mark.parametrize(("folder", "name"), TIMELINE_FILES)
def test_timeline_account_equals_the_raw_author_object(folder: str, name: str) -> None:
    payload = raw(folder, name)
    author = raw_owner_posts(payload)[0]["core"]["user_results"]["result"]
    want = (expected_legacy if "legacy" in author else expected_2026)(author)
    assert fields(parse(payload)[0].account, want) == want


def raw_owner_posts(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The owner's posts by a plain walk of every tweet entry, module item and pin (owner: XDevelopers)."""
    found = []
    for instruction in payload["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]:
        entries = [instruction["entry"]] if "entry" in instruction else instruction.get("entries", [])
        for entry in entries:
            content = entry["content"]
            contents = [content.get("itemContent")] + [
                i["item"]["itemContent"] for i in content.get("items", [])
            ]
            for item in contents:
                if item and "tweet_results" in item:
                    found.append(item["tweet_results"]["result"])
    owner_posts: dict[str, dict[str, Any]] = {}
    for tweet in found:
        if tweet["__typename"] == "TweetWithVisibilityResults":
            tweet = tweet["tweet"]
        if tweet["__typename"] != "Tweet":
            continue
        if tweet["core"]["user_results"]["result"]["rest_id"] == "2244994945":
            owner_posts.setdefault(tweet["rest_id"], tweet)
    return list(owner_posts.values())


def raw_counts(posts: list[dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for tweet in posts:
        legacy = tweet["legacy"]
        retweet = "retweeted_status_result" in legacy
        shown = legacy["retweeted_status_result"]["result"]["legacy"] if retweet else legacy
        if retweet:
            counts["retweet"] += 1
        elif legacy.get("in_reply_to_status_id_str"):
            counts["reply"] += 1
        elif "quoted_status_result" in tweet or legacy.get("is_quote_status"):
            counts["quote"] += 1
        else:
            counts["original"] += 1
        if shown.get("extended_entities", {}).get("media"):
            counts["media"] += 1
    return counts


@pytest.mark.parametrize(("folder", "name"), TIMELINE_FILES)
def test_kinds_and_media_posts_equal_an_independent_count(folder: str, name: str) -> None:
    payload = raw(folder, name)
    want = raw_counts(raw_owner_posts(payload))
    capture = parse(payload)[0]
    got: Counter[str] = Counter(post.kind for post in capture.posts)
    got["media"] = sum(1 for post in capture.posts if post.media)
    assert +got == +want
    assert (
        len(capture.posts)
        == len({p.id for p in capture.posts})
        == sum(want[k] for k in ("retweet", "reply", "quote", "original"))
    )


def test_the_user_tweets_capture_has_what_the_issue_names() -> None:
    capture = parse(raw(NEW, "raw_user_tweets.json"))[0]
    kinds = Counter(post.kind for post in capture.posts)
    assert kinds["retweet"] >= 10 and kinds["reply"] >= 1
    pinned = [post for post in capture.posts if post.pinned]
    assert [post.id for post in pinned] == ["2019881223666233717"]
    assert all(post.created_at is not None and post.created_at.tzinfo is not None for post in capture.posts)
    assert {post.author_handle for post in capture.posts} == {"XDevelopers"}


def test_conversations_keep_only_the_owners_replies() -> None:
    payload = raw(NEW, "raw_user_tweets_and_replies.json")
    capture = parse(payload)[0]
    ids = {post.id for post in capture.posts}
    assert "2083289084567724316" not in ids  # benjitaylor's post that XDevelopers answered
    reply = next(post for post in capture.posts if post.id == "2083305191776924151")
    assert (reply.kind, reply.reply_to_handle) == ("reply", "benjitaylor")


def test_a_retweeted_long_post_gives_its_note_text() -> None:
    payload = raw(NEW, "raw_user_tweets.json")
    post = next(p for p in parse(payload)[0].posts if p.id == "2075722586172846484")
    entries = payload["data"]["user"]["result"]["timeline"]["timeline"]["instructions"][2]["entries"]
    raw_tweet = next(e for e in entries if e["entryId"] == "tweet-2075722586172846484")
    inner = raw_tweet["content"]["itemContent"]["tweet_results"]["result"]["legacy"][
        "retweeted_status_result"
    ]["result"]
    assert post.kind == "retweet" and post.retweeted_handle == "agno_three"
    assert post.text == inner["note_tweet"]["note_tweet_results"]["result"]["text"]


@pytest.mark.parametrize("name", USER_LISTS)
def test_user_lists_give_one_account_per_user(name: str) -> None:
    payload = raw(NEW, name)
    captures = parse(payload)
    assert {c.source for c in captures} == {"x-graphql:UserList"}
    assert all(not c.posts for c in captures)
    root = payload["data"]["user" if "user" in payload["data"] else "list"]
    timeline = root["result"]["timeline"] if "result" in root else root["members_timeline"]
    entries = [e for i in timeline["timeline"]["instructions"] for e in i.get("entries", [])]
    users = [
        e["content"]["itemContent"]["user_results"]["result"]
        for e in entries
        if e["entryId"].startswith("user-")
    ]
    assert [c.account.id for c in captures if c.account] == [u["rest_id"] for u in users]
    assert [c.account.followers for c in captures if c.account] == [
        u["relationship_counts"]["followers"] for u in users
    ]


def test_about_account_query_gives_the_account() -> None:
    payload = raw(NEW, "raw_user_about.json")
    captures = parse(payload)
    account = captures[0].account
    assert account is not None and (account.id, account.handle) == ("2244994945", "XDevelopers")
    assert account.verified_type == "Business"
    about = payload["data"]["user_result_by_screen_name"]["result"]["about_profile"]
    assert account.based_in == about["account_based_in"]
    assert account.username_changes == int(about["username_changes"]["count"])
    changed_ms = int(about["username_changes"]["last_changed_at_msec"])
    assert account.username_changed_at == datetime.fromtimestamp(changed_ms / 1000, tz=UTC)


def test_other_captures_know_nothing_of_where_an_account_is_based() -> None:
    account = parse(raw(NEW, "raw_user_by_login.json"))[0].account
    assert account is not None
    assert (account.based_in, account.username_changes, account.username_changed_at) == (None, None, None)


@pytest.mark.parametrize("name", NOT_PROFILES)
def test_search_and_conversation_pages_are_not_profiles(name: str) -> None:
    with pytest.raises(InputError, match=r"not a profile: expected data\.user\.result"):
        parse(raw(NEW, name))


def test_a_moved_timeline_path_names_the_path_it_expected() -> None:
    payload = raw(NEW, "raw_user_tweets.json")
    timeline = payload["data"]["user"]["result"]["timeline"]
    timeline["timeline_items"] = timeline.pop("timeline")
    with pytest.raises(InputError, match=r"data\.user\.result\.timeline\.timeline\.instructions"):
        parse(payload)
