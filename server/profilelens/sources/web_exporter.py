"""twitter-web-exporter's JSON exports (the userscript by prinsss): its "tweets" and its "users" export.

Each is a list of flat records, one per row of the script's table. The layout followed is the script's
own: the column definitions in github.com/prinsss/twitter-web-exporter src/components/table/
columns-tweet.tsx and columns-user.tsx (commit 9f0327a, v1.3), exported by src/components/modals/
export-data.tsx: each column's `exportKey` is a key, an undefined value is null, and with "Include all
metadata" ticked a row also holds `metadata`, the raw X GraphQL Tweet or User it was made from.
- tweets: id, created_at ("YYYY-MM-DD HH:mm:ss Z" by default, in the exporter's zone; the format is a
  setting), full_text (a long post's whole text), media [{type, url, thumbnail, original}],
  screen_name, name, profile_image_url, user_id (from v1.3), in_reply_to (the replied-to post's id),
  retweeted_status and quoted_status (post ids), favorite_count, retweet_count, quote_count,
  reply_count, views_count, url, ...
- users: id, screen_name, name, description, followers_count, friends_count, statuses_count,
  favourites_count, listed_count, location, website, verified_type, is_blue_verified, followed_by,
  protected, created_at, profile_image_url, url (the profile's own address), ...
A row with `metadata` is read as X's object itself (graphql.py): everything X sent. Without it, from
the columns: a retweet's author from its "RT @x:" text; a reply's addressee from the @handle X puts
first in a reply's text (a reply in one's own thread has none: so on every reply of the real
x-graphql captures); hashtags, mentions and links from the text (links stay t.co). Versions before v1.3
export screen_name and name as null since X moved them (mid-2025): user_id still names the author, and
X's GraphQL users of 2026 have no `legacy` where v1.3 reads a user's counts: those rows hold no counts.

A tweets export may come from any page (a profile, likes, a search): posts are grouped by author, one
capture each, as lists of v1.1 statuses are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from ..records import Account, Capture, InputError, MediaKind, Post
from . import _legacy, graphql
from ._coerce import boolean, first, ident, integer, items, nonempty, obj, text, timestamp

SOURCE = "twitter-web-exporter"
_TCO = re.compile(r"https://t\.co/\w+")
_LEADING_MENTION = re.compile(r"@(\w{1,15})")
# A post id is a snowflake: milliseconds since X's epoch in its upper bits. Ids below this predate them.
_SNOWFLAKE_EPOCH_MS = 1_288_834_974_657
_FIRST_SNOWFLAKE = 30_000_000_000


def is_tweet_row(row: dict[str, Any]) -> bool:
    # A v1.1 status never has its author's screen_name at the top.
    return "full_text" in row and "screen_name" in row


def is_user_row(row: dict[str, Any]) -> bool:
    # A v1.1 user has "url" but never "website".
    return "screen_name" in row and "website" in row


def is_export(values: list[Any]) -> bool:
    row = next((value for value in values if isinstance(value, dict)), None)
    return row is not None and (is_tweet_row(row) or is_user_row(row))


def parse(values: list[Any]) -> list[Capture]:
    rows = [value for value in values if isinstance(value, dict)]
    tweets = [row for row in rows if is_tweet_row(row)]
    users = [row for row in rows if not is_tweet_row(row) and is_user_row(row)]
    captures = _by_author(tweets) + [_user_capture(row) for row in users]
    if not captures:
        raise InputError("a twitter-web-exporter export with no readable row")
    skipped = len(values) - len(tweets) - len(users)
    if skipped:
        captures[0].notes.append(f"{skipped} rows that were neither posts nor users skipped")
    return captures


def _by_author(rows: list[dict[str, Any]]) -> list[Capture]:
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_author_key(row), []).append(row)
    captures = []
    for key, group in groups.items():
        account = None if key is None else _author_account(group)
        posts: dict[str, Post] = {}
        unreadable = 0
        for row in group:
            post = _post(row, account)
            if post is None:
                unreadable += 1
            else:
                posts.setdefault(post.id, post)
        notes = [f"{unreadable} rows without a post id skipped"] if unreadable else []
        if account is None:
            notes.append("the rows name no author (no user_id, screen_name or metadata): account unknown")
        captures.append(Capture(source=SOURCE, account=account, posts=list(posts.values()), notes=notes))
    return captures


def _metadata(row: dict[str, Any]) -> dict[str, Any]:
    """The raw X GraphQL object of the row ("Include all metadata"), else empty."""
    return obj(row.get("metadata"))


def _author_key(row: dict[str, Any]) -> str | None:
    user_id: str | None = first(graphql.author(_metadata(row))[1], ident(row.get("user_id")))
    if user_id is not None:
        return "id:" + user_id
    handle = _legacy.handle(row.get("screen_name"))
    return "handle:" + handle.lower() if handle else None


def _author_account(group: list[dict[str, Any]]) -> Account:
    for row in group:
        account = graphql.account_from_user(graphql.author(_metadata(row))[0])
        if account is not None:
            return account
    row = group[0]
    return Account(
        id=ident(row.get("user_id")),
        handle=_legacy.handle(row.get("screen_name")),
        name=nonempty(row.get("name")),
        default_avatar=_default_avatar(row),
    )


def _post(row: dict[str, Any], account: Account | None) -> Post | None:
    author_id = account.id if account else None
    handle = account.handle if account else None
    tweet = _metadata(row)
    if isinstance(tweet.get("legacy"), dict):
        try:
            return graphql.post_from_tweet(tweet, author_id, handle, pinned=False)
        except graphql.UnreadablePost:
            pass  # the columns may still name the post
    post_id = ident(row.get("id"))
    if post_id is None:
        return None
    body = _legacy.unescape(text(row.get("full_text")) or "")
    is_retweet = ident(row.get("retweeted_status")) is not None
    is_reply = ident(row.get("in_reply_to")) is not None
    media = [obj(item) for item in items(row.get("media"))]
    media_links = {url for item in media if (url := nonempty(item.get("url")))}
    mentions = _legacy.mentions_in(body)
    reply_to = None
    if is_reply:
        leading = _LEADING_MENTION.match(body)
        reply_to = leading.group(1) if leading else handle  # no leading @handle: its own thread
    if is_retweet:
        mentions = _legacy.without_rt_prefix(mentions, body)
    kinds: list[MediaKind] = [
        kind for item in media if (kind := _legacy.MEDIA_KINDS.get(text(item.get("type")) or ""))
    ]
    return Post(
        id=post_id,
        created_at=timestamp(row.get("created_at")) or _id_time(post_id),
        author_id=author_id,
        author_handle=handle,
        text=body,
        kind=_legacy.kind(is_retweet, is_reply, ident(row.get("quoted_status")) is not None),
        retweeted_handle=_legacy.rt_prefix_handle(body) if is_retweet else None,
        reply_to_handle=reply_to,
        media=tuple(kinds),
        urls=tuple(url for url in _TCO.findall(body) if url not in media_links),
        hashtags=_legacy.hashtags_in(body),
        mentions=mentions,
        reply_count=integer(row.get("reply_count")),
        retweet_count=integer(row.get("retweet_count")),
        like_count=integer(row.get("favorite_count")),
        quote_count=integer(row.get("quote_count")),
        view_count=integer(row.get("views_count")),
    )


def _id_time(post_id: str) -> datetime | None:
    """When a post was made, from its id: for dates in a format of the exporter's setting we cannot read."""
    number = int(post_id) if post_id.isascii() and post_id.isdigit() else 0
    if not _FIRST_SNOWFLAKE <= number < 2**63:
        return None
    return datetime.fromtimestamp(((number >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


def _user_capture(row: dict[str, Any]) -> Capture:
    account = graphql.account_from_user(_metadata(row))
    if account is None:
        account = Account(
            id=ident(row.get("id")),
            handle=_legacy.handle(row.get("screen_name")),
            name=nonempty(row.get("name")),
            bio=text(row.get("description")),
            location=nonempty(row.get("location")),
            url=nonempty(row.get("website")),
            created_at=timestamp(row.get("created_at")),
            followers=integer(row.get("followers_count")),
            following=integer(row.get("friends_count")),
            posts_count=integer(row.get("statuses_count")),
            likes_count=integer(row.get("favourites_count")),
            listed_count=integer(row.get("listed_count")),
            verified_type=nonempty(row.get("verified_type")),
            blue_verified=boolean(row.get("is_blue_verified")),
            protected=boolean(row.get("protected")),
            default_avatar=_default_avatar(row),
            follows_you=boolean(row.get("followed_by")),
        )
    return Capture(source=SOURCE, account=account)


def _default_avatar(row: dict[str, Any]) -> bool | None:
    avatar = nonempty(row.get("profile_image_url"))
    return None if avatar is None else _legacy.DEFAULT_AVATAR_MARK in avatar
