"""Bad, partial and mangled input: a list of captures or InputError with a clear message, nothing else."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SHARED_DATA
from inputkit import archived, statuses, timeline_tweets, tweet_row
from jsonkit import mangle, paths
from profilelens.records import Account, Capture, InputError, Post
from profilelens.sources import parse

HERE = FIXTURES / "sources"
FIXTURE_BYTES = {path.name: path.read_bytes() for path in sorted(HERE.glob("*.json"))}
HUGE = "x" * 1_000_000
BAD_VALUES = [
    None,
    "",
    " ",
    HUGE,
    "1234 ",
    "True ",
    -1,
    0,
    10**30,
    1.5,
    float("nan"),
    True,
    [],
    {},
    [None],
    {"a": 1},
]
COUNT_FIELDS = ("followers", "following", "posts_count", "likes_count", "media_count", "listed_count")
POST_COUNTS = ("reply_count", "retweet_count", "like_count", "quote_count", "view_count")


FIXTURE_PATHS = {name: paths(orjson.loads(raw)) for name, raw in FIXTURE_BYTES.items()}


def check_result(captures: list[Capture]) -> None:
    """What comes out keeps the model's types: counts are ints or None, datetimes are aware."""
    assert isinstance(captures, list)
    for capture in captures:
        assert isinstance(capture, Capture) and isinstance(capture.source, str)
        assert all(isinstance(note, str) for note in capture.notes)
        if capture.account is not None:
            check_account(capture.account)
        for post in capture.posts:
            check_post(post)


def check_account(account: Account) -> None:
    for name in COUNT_FIELDS:
        value = getattr(account, name)
        assert value is None or (isinstance(value, int) and not isinstance(value, bool)), (name, value)
    for name in ("verified", "blue_verified", "protected", "default_avatar", "follows_you"):
        assert getattr(account, name) in (None, True, False), name
    for name in ("id", "handle", "name", "bio", "location", "url", "verified_type"):
        assert getattr(account, name) is None or isinstance(getattr(account, name), str), name
    assert account.created_at is None or (
        isinstance(account.created_at, datetime) and account.created_at.tzinfo
    )


def check_post(post: Post) -> None:
    assert isinstance(post.id, str) and post.id
    assert isinstance(post.text, str)
    assert post.kind in ("original", "retweet", "reply", "quote")
    assert all(kind in ("photo", "video", "animated_gif") for kind in post.media)
    for group in (post.urls, post.hashtags, post.mentions):
        assert isinstance(group, tuple) and all(isinstance(item, str) for item in group)
    assert all(mention == mention.lower() for mention in post.mentions)
    for name in POST_COUNTS:
        value = getattr(post, name)
        assert value is None or (isinstance(value, int) and not isinstance(value, bool)), (name, value)
    assert post.created_at is None or (isinstance(post.created_at, datetime) and post.created_at.tzinfo)


def parse_or_refuse(payload: Any) -> None:
    try:
        captures = parse(payload)
    except InputError as error:
        # The parsers refuse by name; the catch-all for an exception escaping them must never be needed.
        assert str(error) and not str(error).startswith("broken input")
        return
    check_result(captures)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
shape_keys = st.sampled_from(
    ["data", "user", "result", "timeline", "instructions", "entries", "legacy", "includes", "users",
     "captures", "profilelens_dom", "profile", "posts", "screen_name", "text", "created_at", "id", "id_str",
     "username", "log", "request", "response", "content", "url", "body", "full_text", "website", "metadata",
     "tweet", "account", "in_reply_to", "retweeted_status", "media", "type", "description"]
)  # fmt: skip
shaped_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(shape_keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_value_gives_captures_or_input_error(payload: Any) -> None:
    parse_or_refuse(payload)


@settings(max_examples=200, deadline=None)
@given(shaped_values)
def test_json_built_from_the_known_keys_gives_captures_or_input_error(payload: Any) -> None:
    parse_or_refuse(payload)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_fixtures_give_captures_or_input_error(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(FIXTURE_BYTES)))
    document = orjson.loads(FIXTURE_BYTES[name])
    for _ in range(data.draw(st.integers(1, 6))):
        path = data.draw(st.sampled_from(FIXTURE_PATHS[name]))
        mangle(document, path, data.draw(st.sampled_from(BAD_VALUES)), data.draw(st.booleans()))
    parse_or_refuse(document)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_real_captures_with_random_subtrees_replaced(data: st.DataObject) -> None:
    names = [
        "x-graphql/raw_user_tweets.json",
        "x-graphql/legacy-schema-8ce44e4/raw_user_tweets_and_replies.json",
    ]
    real = [SHARED_DATA / name for name in names]
    if not all(path.exists() for path in real):
        pytest.skip(f"real data not available under {SHARED_DATA}")
    raw = real_bytes(data.draw(st.sampled_from(real)))
    document = orjson.loads(raw)
    places = real_paths(raw)
    for _ in range(data.draw(st.integers(1, 8))):
        replacement = data.draw(st.sampled_from(BAD_VALUES) | json_values)
        mangle(document, data.draw(st.sampled_from(places)), replacement, data.draw(st.booleans()))
    parse_or_refuse(document)


def saved_inputs() -> dict[str, Any]:
    """The inputs people keep (inputkit.py), each made around real data."""
    timeline = orjson.loads(real_bytes(SHARED_DATA / "x-graphql/raw_user_tweets_and_replies.json"))
    tweets = timeline_tweets(timeline)[:12]
    url = "https://x.com/i/api/graphql/wc5DRl4VaW5lSqJ8YbftZQ/UserTweetsAndReplies"
    text = real_bytes(SHARED_DATA / "x-graphql/raw_user_tweets_and_replies.json").decode()
    return {
        "tweets export": [tweet_row(t, metadata=False) for t in tweets],
        "tweets export with metadata": [tweet_row(t, metadata=True) for t in tweets[:4]],
        "archive": [archived(s) for s in statuses()[:12]],
        "har": {"log": {"entries": [{"request": {"url": url}, "response": {"content": {"text": text}}}]}},
        "url and body": {"captures": [{"url": url, "body": timeline}]},
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_saved_inputs_with_random_subtrees_replaced(data: st.DataObject) -> None:
    if not (SHARED_DATA / "x-graphql").exists():
        pytest.skip(f"real data not available under {SHARED_DATA}")
    inputs = saved_inputs()
    document = inputs[data.draw(st.sampled_from(sorted(inputs)))]
    places = paths(document)
    for _ in range(data.draw(st.integers(1, 8))):
        replacement = data.draw(st.sampled_from(BAD_VALUES) | json_values)
        mangle(document, data.draw(st.sampled_from(places)), replacement, data.draw(st.booleans()))
    parse_or_refuse(document)


_REAL: dict[Path, bytes] = {}
_REAL_PATHS: dict[bytes, list[tuple[Any, ...]]] = {}


def real_bytes(path: Path) -> bytes:
    if path not in _REAL:
        _REAL[path] = path.read_bytes()
    return _REAL[path]


def real_paths(raw: bytes) -> list[tuple[Any, ...]]:
    if raw not in _REAL_PATHS:
        _REAL_PATHS[raw] = paths(orjson.loads(raw))
    return _REAL_PATHS[raw]


@pytest.mark.parametrize(
    "payload",
    [None, 0, 1.5, "text", HUGE, True, [1, 2], [None], {}, {"foo": 1}, {"data": None}, {"data": "x"},
     {"data": {"user": None}}, {"data": {"user": {"result": None}}}, {"captures": "x"}, {"captures": [[]]},
     {"profilelens_dom": 2}, {"profilelens_dom": 1}, {"users": [1, 2]}, {"statuses": [{}]}],
)  # fmt: skip
def test_garbage_is_refused_with_what_was_expected(payload: Any) -> None:
    with pytest.raises(InputError) as caught:
        parse(payload)
    message = str(caught.value)
    assert "expected" in message or "unavailable" in message or "capture" in message


def test_unknown_shape_names_every_shape_it_knows() -> None:
    with pytest.raises(InputError) as caught:
        parse({"hello": "world"})
    message = str(caught.value)
    for shape in ("X GraphQL", "X API v2", "v1.1", "profilelens_dom"):
        assert shape in message


def test_user_unavailable_and_missing_user_say_so() -> None:
    unavailable = {"data": {"user": {"result": {"__typename": "UserUnavailable", "reason": "Suspended"}}}}
    with pytest.raises(InputError, match=r"account unavailable.*Suspended"):
        parse(unavailable)
    with pytest.raises(InputError, match="account unavailable"):
        parse({"data": {"user": {}}})


def test_protected_account_gives_its_account_and_a_note() -> None:
    payload = orjson.loads(FIXTURE_BYTES["graphql_user_2026.json"])
    payload["data"]["user"]["result"]["privacy"]["protected"] = True
    (capture,) = parse(payload)
    assert capture.account is not None and capture.account.protected is True
    assert capture.notes == ["protected: posts not visible"]


def test_empty_timeline_of_a_protected_account_is_refused_and_noted_in_a_bundle() -> None:
    empty = {
        "data": {"user": {"result": {"__typename": "User", "timeline": {"timeline": {"instructions": []}}}}}
    }
    with pytest.raises(InputError, match="no posts"):
        parse(empty)
    user = orjson.loads(FIXTURE_BYTES["graphql_user_2026.json"])
    (capture,) = parse({"captures": [user, empty]})
    assert capture.account is not None and capture.account.handle == "AcmeCareers"
    assert capture.notes[-1].startswith("capture 2 skipped: X GraphQL timeline holds no posts")


def test_a_broken_post_is_skipped_with_a_note_and_the_rest_kept() -> None:
    payload = orjson.loads(FIXTURE_BYTES["graphql_user_tweets_2026.json"])
    entries = payload["data"]["user"]["result"]["timeline"]["timeline"]["instructions"][2]["entries"]
    tweet = entries[2]["content"]["itemContent"]["tweet_results"]["result"]
    del tweet["rest_id"]
    del tweet["legacy"]["id_str"]
    (capture,) = parse(payload)
    assert len(capture.posts) == 7
    assert "1 posts could not be read and were skipped" in capture.notes


def test_missing_counts_stay_missing() -> None:
    payload = orjson.loads(FIXTURE_BYTES["graphql_user_2026.json"])
    user = payload["data"]["user"]["result"]
    del user["relationship_counts"]
    user["tweet_counts"]["tweets"] = "n/a"
    (capture,) = parse(payload)
    assert capture.account is not None
    assert (capture.account.followers, capture.account.following, capture.account.posts_count) == (
        None,
        None,
        None,
    )
    assert capture.account.media_count == 211


def test_empty_lists_hold_no_capture() -> None:
    assert parse([]) == []
    assert parse({"data": [], "meta": {"result_count": 0}}) == []


def test_x_error_answers_repeat_xs_message() -> None:
    with pytest.raises(InputError, match="Rate limit exceeded"):
        parse({"errors": [{"message": "Rate limit exceeded", "code": 88}]})
