"""Inputs people already have, made the way their tools make them around the real data in ../shared/data.

- twitter-web-exporter's exports: `tweet_row` and `user_row` follow its column definitions
  (prinsss/twitter-web-exporter, src/components/table/columns-tweet.tsx and columns-user.tsx at
  9f0327a): one key per column's `exportKey`, undefined as null, dates as its default
  "YYYY-MM-DD HH:mm:ss Z" in the exporter's own zone, and the raw X object under `metadata` when
  "Include all metadata" is ticked.
- A gzip bomb (`gzip_of_spaces`), the input nobody should be able to sink the reader with.
- X's data archive: `write_archive` writes data/tweets.js, account.js and profile.js around a real
  timeline (jack's 63 statuses, x-api-v1.1-python-twitter/get_user_timeline_count.json) as X writes
  them: each status without its `user` and without the retweeted post (an archive keeps a retweet as
  its "RT @x: ..." text), counts as strings, `full_text` for the text, the `window.YTD....part0 = `
  prefix; account.js and profile.js from the same real user object.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from conftest import shared_data

EXPORTER_ZONE = timezone(timedelta(hours=8))  # the exporter writes dates in its browser's zone
TIMELINE = "x-api-v1.1-python-twitter/get_user_timeline_count.json"
COUNTS = ("favorite_count", "retweet_count", "id")


def unwrap(result: dict[str, Any]) -> dict[str, Any] | None:
    if result.get("__typename") == "TweetWithVisibilityResults":
        result = result["tweet"]
    return result if "legacy" in result else None


def timeline_tweets(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every post a timeline answer shows, the owner's and the conversation around them, once each."""
    contents = []
    for instruction in answer["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]:
        entries = instruction.get("entries") or ([instruction["entry"]] if "entry" in instruction else [])
        for entry in entries:
            content = entry["content"]
            contents += [content["itemContent"]] if "itemContent" in content else []
            contents += [item["item"]["itemContent"] for item in content.get("items", [])]
        contents += [item["item"]["itemContent"] for item in instruction.get("moduleItems", [])]
    tweets: dict[str, dict[str, Any]] = {}
    for content in contents:
        if "tweet_results" in content and content.get("promotedMetadata") is None:
            tweet = unwrap(content["tweet_results"].get("result", {}))
            if tweet is not None:
                tweets.setdefault(tweet["rest_id"], tweet)
    return list(tweets.values())


def exporter_date(twitter_date: str) -> str:
    moment = datetime.strptime(twitter_date, "%a %b %d %H:%M:%S %z %Y").astimezone(EXPORTER_ZONE)
    return moment.strftime("%Y-%m-%d %H:%M:%S +08:00")


def tweet_row(tweet: dict[str, Any], *, metadata: bool) -> dict[str, Any]:
    legacy = tweet["legacy"]
    user = tweet["core"]["user_results"]["result"]
    retweeted = (
        unwrap(legacy["retweeted_status_result"]["result"]) if "retweeted_status_result" in legacy else None
    )
    quoted = unwrap(tweet["quoted_status_result"]["result"]) if "quoted_status_result" in tweet else None
    shown = (retweeted or tweet)["legacy"]  # its media are the retweeted post's
    media = shown.get("extended_entities", {}).get("media") or shown["entities"].get("media") or []
    long_text = tweet.get("note_tweet", {}).get("note_tweet_results", {}).get("result", {}).get("text")
    screen_name = user.get("core", {}).get("screen_name")
    row = {
        "id": tweet["rest_id"],
        "created_at": exporter_date(legacy["created_at"]),
        "full_text": long_text if long_text is not None else legacy["full_text"],
        "media": [
            {
                "type": m["type"],
                "url": m["url"],
                "thumbnail": m["media_url_https"] + "?name=thumb",
                "original": m["media_url_https"] + "?name=orig",
                "ext_alt_text": m.get("ext_alt_text"),
            }
            for m in media
        ],
        "screen_name": screen_name,
        "name": user.get("core", {}).get("name"),
        "profile_image_url": user.get("avatar", {}).get("image_url"),
        "user_id": user.get("rest_id"),
        "in_reply_to": legacy.get("in_reply_to_status_id_str"),
        "retweeted_status": retweeted["rest_id"] if retweeted else None,
        "quoted_status": quoted["rest_id"] if quoted else None,
        "media_tags": [],
        "favorite_count": legacy.get("favorite_count"),
        "retweet_count": legacy.get("retweet_count"),
        "bookmark_count": legacy.get("bookmark_count"),
        "quote_count": legacy.get("quote_count"),
        "reply_count": legacy.get("reply_count"),
        "views_count": int(tweet["views"]["count"]) if "count" in tweet.get("views", {}) else None,
        "favorited": legacy.get("favorited"),
        "retweeted": legacy.get("retweeted"),
        "bookmarked": legacy.get("bookmarked"),
        "url": f"https://twitter.com/{screen_name}/status/{legacy['id_str']}",
    }
    return {**row, "metadata": tweet} if metadata else row


def user_row(user: dict[str, Any], *, metadata: bool) -> dict[str, Any]:
    legacy = user.get("legacy", {})  # X's users of 2026 have none: the exporter then writes nulls
    core = user.get("core", {})
    created = datetime.strptime(core["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(EXPORTER_ZONE)
    row = {
        "id": user["rest_id"],
        "screen_name": core.get("screen_name"),
        "name": core.get("name"),
        "description": legacy.get("description"),
        "profile_image_url": user.get("avatar", {}).get("image_url"),
        "profile_banner_url": legacy.get("profile_banner_url"),
        "followers_count": legacy.get("followers_count"),
        "friends_count": legacy.get("friends_count"),
        "statuses_count": legacy.get("statuses_count"),
        "favourites_count": legacy.get("favourites_count"),
        "listed_count": legacy.get("listed_count"),
        "location": user.get("location", {}).get("location"),
        "website": legacy.get("url"),
        "birthdate": None,
        "verified_type": user.get("verification", {}).get("verified_type"),
        "is_blue_verified": user.get("is_blue_verified"),
        "following": user.get("relationship_perspectives", {}).get("following"),
        "followed_by": user.get("relationship_perspectives", {}).get("followed_by"),
        "can_dm": user.get("dm_permissions", {}).get("can_dm"),
        "protected": user.get("privacy", {}).get("protected"),
        "created_at": created.strftime("%Y-%m-%d %H:%M:%S +08:00"),
        "url": f"https://twitter.com/{core.get('screen_name')}",
    }
    return {**row, "metadata": user} if metadata else row


def statuses() -> list[dict[str, Any]]:
    return list(orjson.loads(shared_data(TIMELINE).read_bytes()))


def archived(status: dict[str, Any]) -> dict[str, Any]:
    entry = {
        k: v for k, v in status.items() if k not in ("user", "retweeted_status", "quoted_status", "text")
    }
    entry["full_text"] = status["text"]
    entry.update({k: str(status[k]) for k in COUNTS})
    return {"tweet": entry}


def script(name: str, entries: list[dict[str, Any]]) -> bytes:
    return f"window.YTD.{name}.part0 = ".encode() + orjson.dumps(entries, option=orjson.OPT_INDENT_2)


def write_archive(root: Path) -> dict[str, Any]:
    """An archive's data/ folder; returns the real user it is about."""
    user = statuses()[0]["user"]
    data = root / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_bytes(script("tweets", [archived(s) for s in statuses()]))
    joined = datetime.strptime(user["created_at"], "%a %b %d %H:%M:%S %z %Y")
    account = {
        "email": "someone@example.com",
        "createdVia": "web",
        "username": user["screen_name"],
        "accountId": user["id_str"],
        "createdAt": joined.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "accountDisplayName": user["name"],
    }
    (data / "account.js").write_bytes(script("account", [{"account": account}]) + b";")
    description = {"bio": user["description"], "website": user["url"], "location": user["location"]}
    profile = {"description": description, "avatarMediaUrl": user["profile_image_url_https"]}
    (data / "profile.js").write_bytes(script("profile", [{"profile": profile}]))
    # Scripts of the archive that are not captures: a folder read skips them.
    (data / "like.js").write_bytes(script("like", [{"like": {"tweetId": "1", "fullText": "liked"}}]))
    (data / "direct-messages.js").write_bytes(script("direct_messages", []))
    return dict(user)


def gzip_of_spaces(size: int) -> bytes:
    """A gzip bomb: `size` bytes of JSON whitespace, compressed ~1000:1, made without holding them."""
    chunk = b" " * 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, packer.compress(b" " * (size % len(chunk))), packer.flush()])
