"""Legacy X API v1.1 objects, as API answers and data sets hold them (X's archive: archive.py).

Accepted: one user object, one status object, a list of statuses (each with its `user`; a home
timeline or a search mixes several authors, so statuses are grouped by author, one capture each), a
list of users or a `{"users": [...]}` page (one account-only capture per user) and `{"statuses": [...]}`
(search answers). Values may arrive as strings ("1234 ", "True "): _coerce reads them. A user object's
embedded latest `status` becomes its post.
"""

from __future__ import annotations

from typing import Any

from ..records import Account, Capture, InputError, Post
from . import _legacy
from ._coerce import boolean, first, ident, obj, text

SOURCE = "x-api-v1.1"
EXPECTED = 'expected v1.1 user or status objects, a list of them, or {"users": [...]}'


def is_status(value: dict[str, Any]) -> bool:
    return ("full_text" in value or "text" in value) and "created_at" in value and "screen_name" not in value


def is_user(value: dict[str, Any]) -> bool:
    return "screen_name" in value and ("id_str" in value or "id" in value or "followers_count" in value)


def is_v1(payload: dict[str, Any]) -> bool:
    return (
        is_status(payload)
        or is_user(payload)
        or isinstance(payload.get("users"), list)
        or isinstance(payload.get("statuses"), list)
    )


def parse_object(payload: dict[str, Any]) -> list[Capture]:
    for key in ("users", "statuses"):
        if isinstance(payload.get(key), list):
            return parse_list(payload[key])
    if is_status(payload):
        return _statuses([payload])
    if is_user(payload):
        return [user_capture(payload)]
    raise InputError(f"not a v1.1 object: {EXPECTED}")


def parse_list(values: list[Any]) -> list[Capture]:
    if not values:
        return []
    records = [value for value in values if isinstance(value, dict)]
    statuses = [record for record in records if is_status(record)]
    users = [record for record in records if not is_status(record) and is_user(record)]
    if not statuses and not users:
        raise InputError(f"a list of neither statuses nor users: {EXPECTED}")
    captures = _statuses(statuses) if statuses else []
    captures.extend(user_capture(user) for user in users)
    skipped = len(values) - len(statuses) - len(users)
    if skipped:
        captures[0].notes.append(f"{skipped} list items that were neither statuses nor users skipped")
    return captures


def user_capture(user: dict[str, Any]) -> Capture:
    account = _legacy.account(user)
    posts = []
    status = user.get("status")
    if isinstance(status, dict) and is_status(status):
        post = post_from_status(status, account.id, account.handle)
        if post is not None:
            posts.append(post)
    return Capture(source=SOURCE, account=account, posts=posts)


def _statuses(statuses: list[dict[str, Any]]) -> list[Capture]:
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for status in statuses:
        user = obj(status.get("user"))
        author = first(
            ident(user.get("id_str")), ident(user.get("id")), _legacy.handle(user.get("screen_name"))
        )
        groups.setdefault(author, []).append(status)
    captures = []
    for author, group in groups.items():
        account: Account | None = _legacy.account(obj(group[0].get("user"))) if author is not None else None
        posts: list[Post] = []
        seen: set[str] = set()
        unreadable = 0
        for status in group:
            post = post_from_status(
                status, account.id if account else None, account.handle if account else None
            )
            if post is None:
                unreadable += 1
            elif post.id not in seen:
                seen.add(post.id)
                posts.append(post)
        notes = [f"{unreadable} statuses without an id skipped"] if unreadable else []
        if account is None:
            notes.append("the statuses carry no user object: account unknown")
        captures.append(Capture(source=SOURCE, account=account, posts=posts, notes=notes))
    return captures


def post_from_status(status: dict[str, Any], author_id: str | None, handle: str | None) -> Post | None:
    post_id = first(ident(status.get("id_str")), ident(status.get("id")))
    if post_id is None:
        return None
    retweeted = status.get("retweeted_status")
    is_retweet = isinstance(retweeted, dict)
    source = retweeted if isinstance(retweeted, dict) else status
    # Streaming-era statuses keep the whole text of long posts in `extended_tweet`, itself v1.1-shaped.
    extended = source.get("extended_tweet")
    said = _legacy.content(extended if isinstance(extended, dict) else source, None, None)
    retweeted_handle = quoted_handle = None
    is_quote = False
    if isinstance(retweeted, dict):
        retweeted_handle = _legacy.handle(obj(retweeted.get("user")).get("screen_name"))
        if retweeted_handle is None:
            retweeted_handle = _legacy.rt_prefix_handle(
                text(status.get("full_text")) or text(status.get("text")) or ""
            )
    else:
        quoted = status.get("quoted_status")
        is_quote = isinstance(quoted, dict) or boolean(status.get("is_quote_status")) is True
        if isinstance(quoted, dict):
            quoted_handle = _legacy.handle(obj(quoted.get("user")).get("screen_name"))
        if is_quote and quoted_handle is None:
            quoted_handle = _legacy.permalink_handle(status)
    return _legacy.post(
        status,
        said,
        post_id=post_id,
        author_id=author_id,
        author_handle=handle,
        is_retweet=is_retweet,
        is_quote=is_quote,
        retweeted_handle=retweeted_handle,
        quoted_handle=quoted_handle,
    )
