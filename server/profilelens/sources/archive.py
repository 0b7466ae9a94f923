"""X's own data archive ("Download an archive of your data"): its data/tweets.js, account.js, profile.js.

Each file is a script, `window.YTD.tweets.part0 = [...]` (_body.py cuts the prefix), holding a list of
one-key entries:
- tweets.js (tweet.js in older archives; tweets-part1.js, ... beside it when large):
  `{"tweet": {...}}`, v1.1-shaped statuses (api_v1.py) without their `user`, counts as strings, and
  retweets as their "RT @x: ..." text without the retweeted post: they are told by that prefix;
- account.js: `{"account": {"accountId", "username", "accountDisplayName", "createdAt", ...}}`;
- profile.js: `{"profile": {"description": {"bio", "website", "location"}, "avatarMediaUrl", ...}}`.
Posts and profile name no account: read with the account.js beside them (a folder, or several files at
once), they join the one account it names. The posts keep api_v1's source: they are v1.1 statuses.
"""

from __future__ import annotations

from typing import Any

from ..records import Account, Capture, InputError, Post
from . import _legacy, api_v1
from ._coerce import ident, nonempty, obj, text, timestamp

SOURCE = "x-archive"
KINDS = ("tweet", "account", "profile")
UNNAMED = "X archive posts name no account: read them with the archive's account.js"


def entry_kind(value: object) -> str | None:
    """ "tweet", "account" or "profile" for an archive entry (an object of that one key), else None."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return key if key in KINDS and isinstance(value[key], dict) else None
    return None


def is_archive(values: list[Any]) -> bool:
    return bool(values) and entry_kind(values[0]) is not None


def parse(values: list[Any]) -> list[Capture]:
    kinds = {entry_kind(value) for value in values}
    if len(kinds) != 1 or None in kinds:
        raise InputError(
            'an X archive file whose entries are not all alike: expected [{"tweet": {...}}, ...], '
            '[{"account": {...}}] or [{"profile": {...}}]'
        )
    (kind,) = kinds
    entries = [value[kind] for value in values]
    if kind == "account":
        return [Capture(source=SOURCE, account=_account(entry)) for entry in entries]
    if kind == "profile":
        return [Capture(source=SOURCE, account=_profile(entry)) for entry in entries]
    return [_tweets(entries)]


def _tweets(statuses: list[dict[str, Any]]) -> Capture:
    posts: dict[str, Post] = {}
    for status in statuses:
        post = api_v1.post_from_status(status, None, None)
        if post is not None:
            posts.setdefault(post.id, _retweet_by_prefix(post))
    notes = [UNNAMED]
    if len(posts) < len(statuses):
        notes.append(f"{len(statuses) - len(posts)} archive entries without an id (or repeated) skipped")
    return Capture(source=api_v1.SOURCE, posts=list(posts.values()), notes=notes)


def _retweet_by_prefix(post: Post) -> Post:
    # A retweet of a quote keeps the quote's is_quote_status: still a retweet, as graphql.py reads it.
    handle = _legacy.rt_prefix_handle(post.text) if post.kind != "retweet" else None
    if handle is not None:
        post.kind = "retweet"
        post.retweeted_handle = handle
        post.quoted_handle = None
        post.mentions = _legacy.without_rt_prefix(post.mentions, post.text)
    return post


def _account(entry: dict[str, Any]) -> Account:
    return Account(
        id=ident(entry.get("accountId")),
        handle=_legacy.handle(entry.get("username")),
        name=nonempty(entry.get("accountDisplayName")),
        created_at=timestamp(entry.get("createdAt")),
    )


def _profile(entry: dict[str, Any]) -> Account:
    description = obj(entry.get("description"))
    avatar = nonempty(entry.get("avatarMediaUrl"))
    return Account(
        bio=text(description.get("bio")),
        url=nonempty(description.get("website")),
        location=nonempty(description.get("location")),
        default_avatar=None if avatar is None else _legacy.DEFAULT_AVATAR_MARK in avatar,
    )
