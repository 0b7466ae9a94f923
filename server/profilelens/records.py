"""The one account model every input shape is parsed into.

Parsers (sources/) fill these; features/ and ratings read them. A field the input did not carry is
None, never a guessed default, so that a rating can say "not measurable" instead of inventing a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MediaKind = Literal["photo", "video", "animated_gif"]
PostKind = Literal["original", "retweet", "reply", "quote"]


@dataclass(slots=True)
class Account:
    id: str | None = None  # X's numeric rest id as a string
    handle: str | None = None  # screen name, without "@"
    name: str | None = None
    bio: str | None = None
    location: str | None = None
    url: str | None = None
    created_at: datetime | None = None  # timezone-aware UTC
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None  # lifetime statuses, retweets and replies included
    likes_count: int | None = None
    media_count: int | None = None
    listed_count: int | None = None
    verified: bool | None = None  # legacy blue check or X's verified flag
    verified_type: str | None = None  # "Business", "Government", ... when X says
    blue_verified: bool | None = None
    protected: bool | None = None
    default_avatar: bool | None = None
    profile_image_shape: str | None = None  # "Square" for organisations on X
    professional_type: str | None = None  # "Business", "Creator"
    follows_you: bool | None = None  # only when the page or the API says so
    # X's "About this account" (GraphQL AboutAccountQuery): the country it says the account is based in,
    # and how often and when its handle last changed.
    based_in: str | None = None
    username_changes: int | None = None
    username_changed_at: datetime | None = None  # timezone-aware UTC


@dataclass(slots=True)
class Post:
    """One post as its author's timeline shows it.

    For a retweet, `text`, `media`, `urls`, `hashtags` and `mentions` describe the retweeted content
    (the retweet's own text is truncated) and `retweeted_handle` names its author.
    """

    id: str
    created_at: datetime | None = None
    author_id: str | None = None
    author_handle: str | None = None
    text: str = ""
    kind: PostKind = "original"
    retweeted_handle: str | None = None
    quoted_handle: str | None = None
    reply_to_handle: str | None = None
    reply_to_user_id: str | None = None
    media: tuple[MediaKind, ...] = ()
    urls: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # handles, lower-case, without "@"
    lang: str | None = None
    pinned: bool = False
    reply_count: int | None = None
    retweet_count: int | None = None
    like_count: int | None = None
    quote_count: int | None = None
    view_count: int | None = None


@dataclass(slots=True)
class Capture:
    """What one input (file, request body, API answer) said about one account."""

    source: str  # e.g. "x-graphql:UserTweets", "x-api-v2", "x-api-v1.1", "dom", "twitter-web-exporter"
    account: Account | None = None
    posts: list[Post] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why (tombstones, ...)
    # The X GraphQL operation its request URL named ("Followers", "UserTweets", ...), when the input came
    # with its URL (a HAR entry, a bundle's {"url", "body"} item): it says what kind of page a list is.
    operation: str | None = None
    # The rest id of the account whose page the request asked for (its URL's `variables.userId`): on a
    # Followers or Following page, whose followers or following the listed accounts are.
    page_owner: str | None = None


class InputError(ValueError):
    """The input is not a shape we know, or is broken beyond use. The message says what was expected."""
