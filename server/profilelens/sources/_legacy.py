"""Fields shared by v1.1 user/status objects and the `legacy` objects inside X's GraphQL answers.

X's web GraphQL still carries v1.1-shaped `legacy` dicts (full_text, entities, extended_entities,
in_reply_to_*, counts), so both parsers read them here, once.
"""

from __future__ import annotations

import re
from typing import Any

from ..records import Account, MediaKind, Post, PostKind
from ._coerce import boolean, first, ident, integer, items, nonempty, obj, text, timestamp

MEDIA_KINDS: dict[str, MediaKind] = {"photo": "photo", "video": "video", "animated_gif": "animated_gif"}
DEFAULT_AVATAR_MARK = "default_profile_images"
# For inputs that carry a post's text without its entities (the DOM, flat exports).
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
REPLY_KEYS = (
    "in_reply_to_status_id_str",
    "in_reply_to_status_id",
    "in_reply_to_user_id_str",
    "in_reply_to_user_id",
)


class Content:
    """What a post says and shows: the part a retweet takes from the post it retweets."""

    __slots__ = ("hashtags", "media", "mentions", "text", "urls")

    def __init__(
        self,
        text: str,
        media: tuple[MediaKind, ...],
        urls: tuple[str, ...],
        hashtags: tuple[str, ...],
        mentions: tuple[str, ...],
    ) -> None:
        self.text = text
        self.media = media
        self.urls = urls
        self.hashtags = hashtags
        self.mentions = mentions


def content(legacy: dict[str, Any], long_text: str | None, long_entities: dict[str, Any] | None) -> Content:
    """Text and entities of a v1.1-shaped status; a long post's own text and entities win when given."""
    entities = long_entities if long_entities is not None else obj(legacy.get("entities"))
    body = (
        long_text if long_text is not None else first(text(legacy.get("full_text")), text(legacy.get("text")))
    )
    return Content(
        unescape(body or ""),
        media_kinds(legacy),
        expanded_urls(entities),
        tuple(tag for h in items(entities.get("hashtags")) if (tag := nonempty(obj(h).get("text")))),
        mention_handles(entities),
    )


def unescape(body: str) -> str:
    """X escapes &, < and > in post text (and only those); the page shows them plain."""
    if "&" not in body:
        return body
    return body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def media_kinds(legacy: dict[str, Any]) -> tuple[MediaKind, ...]:
    media = items(obj(legacy.get("extended_entities")).get("media")) or items(
        obj(legacy.get("entities")).get("media")
    )
    kinds: list[MediaKind] = []
    for item in media:
        kind = MEDIA_KINDS.get(text(obj(item).get("type")) or "")
        if kind is not None:
            kinds.append(kind)
    return tuple(kinds)


def expanded_urls(entities: dict[str, Any]) -> tuple[str, ...]:
    """Links the post carries, expanded; links to its own photos/videos are media, not links."""
    urls: list[str] = []
    for item in items(entities.get("urls")):
        entry = obj(item)
        url = nonempty(entry.get("expanded_url")) or nonempty(entry.get("url"))
        if url is not None and not is_media_link(url):
            urls.append(url)
    return tuple(urls)


def is_media_link(url: str) -> bool:
    return ("/photo/" in url or "/video/" in url) and ("twitter.com/" in url or "x.com/" in url)


def mention_handles(entities: dict[str, Any]) -> tuple[str, ...]:
    handles: list[str] = []
    for item in items(entities.get("user_mentions")):
        handle = nonempty(obj(item).get("screen_name"))
        if handle is not None:
            handles.append(handle.lower())
    return tuple(handles)


def hashtags_in(body: str) -> tuple[str, ...]:
    return tuple(_HASHTAG.findall(body))


def mentions_in(body: str) -> tuple[str, ...]:
    """Handles mentioned in a text, lower-case, without "@"."""
    return tuple(handle.lower() for handle in _MENTION.findall(body))


def without_rt_prefix(mentions: tuple[str, ...], body: str) -> tuple[str, ...]:
    """A retweet's own text starts "RT @x: ": that @x names the retweeted author, not a mention."""
    handle = rt_prefix_handle(body)
    if handle is not None and mentions and handle.lower() == mentions[0]:
        return mentions[1:]
    return mentions


def rt_prefix_handle(body: str) -> str | None:
    if not body.startswith("RT @"):
        return None
    handle = body[4:].split(":", 1)[0].strip()
    return handle if handle and len(handle) <= 30 and " " not in handle else None


def is_reply(legacy: dict[str, Any]) -> bool:
    return any(_is_set(legacy.get(key)) for key in REPLY_KEYS)


def _is_set(value: object) -> bool:
    # Data sets write "no parent" as null, "", "None" or "null"; any other id means a reply.
    if isinstance(value, str):
        return value.strip() not in ("", "None", "null")
    return value is not None and value is not False


def kind(is_retweet: bool, reply: bool, is_quote: bool) -> PostKind:
    if is_retweet:
        return "retweet"
    if reply:
        return "reply"
    if is_quote:
        return "quote"
    return "original"


def account(user: dict[str, Any]) -> Account:
    """An account from a v1.1 user object (also the `legacy` part of a GraphQL user)."""
    avatar = nonempty(user.get("profile_image_url_https")) or nonempty(user.get("profile_image_url"))
    default_avatar = boolean(user.get("default_profile_image"))
    if default_avatar is None and avatar is not None:
        default_avatar = DEFAULT_AVATAR_MARK in avatar
    return Account(
        id=first(ident(user.get("id_str")), ident(user.get("id"))),
        handle=handle(user.get("screen_name")),
        name=text(user.get("name")),
        bio=text(user.get("description")),
        location=nonempty(user.get("location")),
        url=profile_url(user),
        created_at=timestamp(user.get("created_at")),
        followers=integer(user.get("followers_count")),
        following=integer(user.get("friends_count")),
        posts_count=integer(user.get("statuses_count")),
        likes_count=integer(user.get("favourites_count")),
        media_count=integer(user.get("media_count")),
        listed_count=integer(user.get("listed_count")),
        verified=boolean(user.get("verified")),
        verified_type=nonempty(user.get("verified_type")),
        blue_verified=boolean(user.get("is_blue_verified")),
        protected=boolean(user.get("protected")),
        default_avatar=default_avatar,
        follows_you=follows_you(user),
    )


def handle(value: object) -> str | None:
    """A screen name without "@" or the spaces some data sets leave around values."""
    name = nonempty(value)
    if name is None:
        return None
    return name.strip().lstrip("@") or None


def permalink_handle(status: dict[str, Any]) -> str | None:
    """The quoted author from "https://twitter.com/handle/status/123", when the quoted post is gone."""
    url = nonempty(obj(status.get("quoted_status_permalink")).get("expanded"))
    if url is None:
        return None
    parts = url.split("/")
    return parts[3] if len(parts) > 5 and parts[4] == "status" and parts[3] else None


def profile_url(user: dict[str, Any]) -> str | None:
    """The profile's link, expanded when the entities say where the t.co link goes."""
    for item in items(obj(obj(user.get("entities")).get("url")).get("urls")):
        expanded = nonempty(obj(item).get("expanded_url"))
        if expanded is not None:
            return expanded
    return nonempty(user.get("url"))


def follows_you(user: dict[str, Any]) -> bool | None:
    followed_by = boolean(user.get("followed_by"))
    if followed_by is not None:
        return followed_by
    connections = user.get("connections")
    if isinstance(connections, list):  # users/lookup friendships: ["following", "followed_by", ...]
        return "followed_by" in connections
    return None


def post(
    status: dict[str, Any],
    said: Content,
    *,
    post_id: str,
    author_id: str | None,
    author_handle: str | None,
    is_retweet: bool,
    is_quote: bool,
    retweeted_handle: str | None,
    quoted_handle: str | None,
    pinned: bool = False,
    view_count: int | None = None,
) -> Post:
    """A Post from a v1.1-shaped status (its reply fields, language and counts) and what it says."""
    return Post(
        id=post_id,
        created_at=timestamp(status.get("created_at")),
        author_id=author_id,
        author_handle=author_handle,
        text=said.text,
        kind=kind(is_retweet, is_reply(status), is_quote),
        retweeted_handle=retweeted_handle,
        quoted_handle=quoted_handle,
        reply_to_handle=handle(status.get("in_reply_to_screen_name")),
        reply_to_user_id=first(
            ident(status.get("in_reply_to_user_id_str")), ident(status.get("in_reply_to_user_id"))
        ),
        media=said.media,
        urls=said.urls,
        hashtags=said.hashtags,
        mentions=said.mentions,
        lang=nonempty(status.get("lang")),
        pinned=pinned,
        reply_count=integer(status.get("reply_count")),
        retweet_count=integer(status.get("retweet_count")),
        like_count=integer(status.get("favorite_count")),
        quote_count=integer(status.get("quote_count")),
        view_count=view_count,
    )
