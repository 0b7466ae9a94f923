"""The extension's DOM capture (schema in server/API.md), sent when the page's GraphQL was not seen.

Counts are the page's abbreviated text ("1.2M", "12.3K", "1,234", "12,3 k", "1.234", "12 345") and the
join date a sentence ("Joined March 2012"); both are read here. The DOM shows retweets under the
retweeted author's name, so a post flagged `is_retweet` belongs to the profile, and the other authors'
posts (conversation context) are left out.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from ..records import Account, Capture, InputError, MediaKind, Post
from . import _legacy
from ._coerce import boolean, ident, integer, items, nonempty, obj, text, timestamp

SOURCE = "dom"
VERSION = 1
MAX_MEDIA_PER_KIND = 10  # a post shows at most 4 photos; more is a broken capture
# A number with optional separators, then an optional unit word ("1.2M", "12,3 k", "1,234", "3 Mio.").
_COUNT = re.compile(r"(\d+(?:[.,' ]\d+)*)(?:\s*(k|m|b|tsd|mio|mrd|md)\b)?", re.IGNORECASE)
_MULTIPLIERS = {
    "k": 1_000,
    "tsd": 1_000,
    "m": 1_000_000,
    "mio": 1_000_000,
    "b": 10**9,
    "mrd": 10**9,
    "md": 10**9,
}
_MEDIA_FIELDS: tuple[tuple[str, MediaKind], ...] = (
    ("photos", "photo"),
    ("videos", "video"),
    ("gifs", "animated_gif"),
)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv januar enero ene",
            "february feb février fevrier févr fevr februar febrero",
            "march mar mars märz marz marzo",
            "april apr avril avr abril abr",
            "may mai mayo",
            "june jun juin juni junio",
            "july jul juillet juil juli julio",
            "august aug août aout august agosto ago",
            "september sep sept septembre septiembre",
            "october oct octobre oktober okt octubre",
            "november nov novembre noviembre",
            "december dec décembre decembre déc dezember dez diciembre dic",
        ],
        start=1,
    )
    for name in names.split()
}
_WORD = re.compile(r"[^\W\d_]+|\d{4}")
_RETWEET_CONTEXT = ("reposted", "retweeted", "a reposté", "hat repostet", "reposteó")


def parse(payload: dict[str, Any]) -> list[Capture]:
    version = integer(payload.get("profilelens_dom"))
    if version != VERSION:
        raise InputError(
            f"DOM capture version {str(payload.get('profilelens_dom'))[:20]!r} unknown: "
            f"expected profilelens_dom {VERSION}"
        )
    profile = obj(payload.get("profile"))
    handle = _legacy.handle(profile.get("handle")) or _handle_from_url(text(payload.get("url")))
    account = Account(
        handle=handle,
        name=nonempty(profile.get("name")),
        bio=text(profile.get("bio")),
        location=nonempty(profile.get("location")),
        url=nonempty(profile.get("url")),
        created_at=joined(profile.get("joined")),
        followers=count(profile.get("followers")),
        following=count(profile.get("following")),
        verified=boolean(profile.get("verified")),
        protected=boolean(profile.get("protected")),
        follows_you=boolean(profile.get("follows_you")),
    )
    posts, notes = _posts(items(payload.get("posts")), handle)
    if handle is None and not posts:
        raise InputError(
            "DOM capture without a profile handle or posts: expected profile.handle (schema in API.md)"
        )
    if account.protected and not posts:
        notes.append("protected: posts not visible")
    return [Capture(source=SOURCE, account=account, posts=posts, notes=notes)]


def count(value: object) -> int | None:
    """An abbreviated count as the page shows it: "1.2M", "12.3K", "1,234", "12,3 k" -> int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if not isinstance(value, str) or len(value) > 60:
        return None
    match = _COUNT.match(value.translate(_SPACES).strip())
    if match is None:
        return None
    number, suffix = match.group(1).strip().replace(" ", "").replace("'", ""), match.group(2)
    if suffix is None:
        # Without a suffix a count is whole: separators only group thousands ("1,234", "1.234").
        groups = re.split(r"[.,]", number)
        if len(groups) > 1 and any(len(group) != 3 for group in groups[1:]):
            return None
        return int("".join(groups))
    decimal_mark = max(number.rfind("."), number.rfind(","))
    whole = re.sub(r"[.,]", "", number[:decimal_mark] if decimal_mark >= 0 else number)
    fraction = number[decimal_mark + 1 :] if decimal_mark >= 0 else ""
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return round(float(f"{whole}.{fraction or 0}") * _MULTIPLIERS[suffix.lower()])


def joined(value: object) -> datetime | None:
    """The first day of the month the header names: "Joined March 2012" -> 2012-03-01 UTC."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    month = year = None
    for word in _WORD.findall(value.lower()):
        if word.isdigit():
            year = int(word)
        elif month is None:
            month = _MONTHS.get(word.rstrip("."))
    if month is None or year is None or not 2006 <= year <= 2100:
        return timestamp(value)
    return datetime(year, month, 1, tzinfo=UTC)


def _handle_from_url(url: str | None) -> str | None:
    if url is None or len(url) > 300:
        return None
    parts = url.split("?")[0].split("/")
    return (
        _legacy.handle(parts[3]) if len(parts) > 3 and parts[2].endswith(("x.com", "twitter.com")) else None
    )


def _posts(values: list[Any], owner: str | None) -> tuple[list[Post], list[str]]:
    posts: list[Post] = []
    seen: set[str] = set()
    without_id = 0
    for value in values:
        item = obj(value)
        post_id = ident(item.get("id")) or _status_id(text(item.get("url")))
        if post_id is None:
            without_id += 1
            continue
        post = _post(item, post_id, owner)
        if post is not None and post.id not in seen:
            seen.add(post.id)
            posts.append(post)
    notes = [f"{without_id} posts without an id skipped"] if without_id else []
    return posts, notes


def _status_id(url: str | None) -> str | None:
    if url is None or "/status/" not in url:
        return None
    candidate = url.split("/status/", 1)[1].split("/")[0].split("?")[0]
    return candidate if candidate.isdigit() else None


def _post(item: dict[str, Any], post_id: str, owner: str | None) -> Post | None:
    author = _legacy.handle(item.get("author_handle"))
    context = (text(item.get("social_context")) or "").lower()
    is_retweet = boolean(item.get("is_retweet")) is True or any(word in context for word in _RETWEET_CONTEXT)
    if not is_retweet and author is not None and owner is not None and author.lower() != owner.lower():
        return None  # someone else's post shown around the owner's reply
    body = text(item.get("text")) or ""
    reply_to = _legacy.handle(item.get("reply_to_handle"))
    is_reply = boolean(item.get("is_reply")) is True or reply_to is not None
    media: list[MediaKind] = []
    for field, kind in _MEDIA_FIELDS:
        media.extend([kind] * min(max(integer(item.get(field)) or 0, 0), MAX_MEDIA_PER_KIND))
    links = tuple(
        url for link in items(item.get("links")) if (url := nonempty(link)) and not _legacy.is_media_link(url)
    )
    return Post(
        id=post_id,
        created_at=timestamp(item.get("datetime")),
        author_handle=owner,
        text=body,
        kind=_legacy.kind(is_retweet, is_reply, boolean(item.get("is_quote")) is True),
        retweeted_handle=author if is_retweet else None,
        reply_to_handle=reply_to,
        media=tuple(media),
        urls=links,
        hashtags=_legacy.hashtags_in(body),
        mentions=_legacy.mentions_in(body),
        pinned=boolean(item.get("pinned")) is True or context == "pinned",
    )
