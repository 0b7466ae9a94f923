"""X's data archive: data/tweets.js, account.js and profile.js, with their `window.YTD....part0 = ` prefix,
written the way X writes them around a real timeline and its user (inputkit.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import orjson
import pytest

from inputkit import archived, statuses, write_archive
from profilelens import sources
from profilelens.analysis import read_input
from profilelens.records import InputError


def test_tweets_js_reads_every_post_and_tells_retweets_by_their_prefix(tmp_path: Path) -> None:
    write_archive(tmp_path)
    (capture,), tz = read_input((tmp_path / "data" / "tweets.js").read_bytes())
    assert tz is None and capture.account is None
    posts = {p.id: p for p in capture.posts}
    assert sorted(posts) == sorted(s["id_str"] for s in statuses())
    for status in statuses():
        post = posts[status["id_str"]]
        assert post.like_count == status["favorite_count"]
        if "retweeted_status" in status:  # the archive dropped it: its text still says whose it was
            assert post.kind == "retweet"
            assert post.retweeted_handle == status["retweeted_status"]["user"]["screen_name"]
        elif status["in_reply_to_status_id_str"]:
            assert (post.kind, post.reply_to_handle) == ("reply", status["in_reply_to_screen_name"])
    assert sum(p.kind == "retweet" for p in capture.posts) == 35
    assert capture.notes == [sources.archive.UNNAMED]


def test_account_js_and_profile_js_describe_the_account(tmp_path: Path) -> None:
    user = write_archive(tmp_path)
    (account_capture,), _ = read_input((tmp_path / "data" / "account.js").read_bytes())
    (profile_capture,), _ = read_input((tmp_path / "data" / "profile.js").read_bytes())
    account, profile = account_capture.account, profile_capture.account
    assert account is not None and profile is not None
    assert (account.id, account.handle, account.name) == (user["id_str"], user["screen_name"], user["name"])
    assert account.created_at == datetime.strptime(user["created_at"], "%a %b %d %H:%M:%S %z %Y")
    assert (profile.bio, profile.url, profile.location) == (
        user["description"],
        user["url"],
        user["location"],
    )
    assert profile.default_avatar is False


def test_older_archives_name_the_file_tweet_js_and_split_large_ones() -> None:
    entries = [archived(s) for s in statuses()]
    for name in ("tweet", "tweets"):
        for part in (0, 1):
            body = f"window.YTD.{name}.part{part} = ".encode() + orjson.dumps(entries[:5])
            (capture,), _ = read_input(body)
            assert len(capture.posts) == 5


def test_a_file_mixing_archive_entries_is_refused() -> None:
    account = {"account": {"accountId": "1", "username": "someone"}}
    with pytest.raises(InputError, match="not all alike"):
        sources.parse([archived(statuses()[0]), account])
