"""X API v2 answers, as tweepy's `Response` holds them: `data`, `includes`, `errors`, `meta`.

`data` is a user, a list of users (one account-only capture each; a user's pinned tweet from
`includes.tweets` becomes its pinned post), or tweets, grouped by `author_id` with the author's account
from `includes.users`. Tweets asked for without `author_id` (v2's default fields) cannot be tied to an
account: they give one capture with no account and a note saying so. A retweet's content comes from the
retweeted tweet in `includes.tweets` when it was expanded, else from its own "RT @x: ..." text.
"""

from __future__ import annotations

from typing import Any

from ..records import Account, Capture, InputError, MediaKind, Post
from . import _legacy
from ._coerce import boolean, first, ident, integer, items, nonempty, obj, text, timestamp

SOURCE = "x-api-v2"


class _Includes:
    """The expansions of one answer, by id."""

    __slots__ = ("media", "tweets", "users")

    def __init__(self, includes: dict[str, Any]) -> None:
        self.users = {uid: u for u in items(includes.get("users")) if (uid := ident(obj(u).get("id")))}
        self.tweets = {tid: t for t in items(includes.get("tweets")) if (tid := ident(obj(t).get("id")))}
        self.media: dict[str, MediaKind] = {}
        for item in items(includes.get("media")):
            key = text(obj(item).get("media_key"))
            kind = _legacy.MEDIA_KINDS.get(text(obj(item).get("type")) or "")
            if key is not None and kind is not None:
                self.media[key] = kind

    def handle(self, user_id: str | None) -> str | None:
        return _legacy.handle(obj(self.users.get(user_id or "")).get("username"))


def parse(payload: dict[str, Any]) -> list[Capture]:
    data = payload.get("data")
    records = [r for r in (data if isinstance(data, list) else [data]) if isinstance(r, dict)]
    if not records:
        if isinstance(data, list) and not data:
            return []
        raise InputError("X API v2 answer without readable data: expected data as a user, users or tweets")
    expanded = _Includes(obj(payload.get("includes")))
    tweets = [r for r in records if _is_tweet(r)]
    users = [r for r in records if "username" in r and not _is_tweet(r)]
    if not tweets and not users:
        raise InputError("X API v2 data holds neither users (id, username) nor tweets (id, text)")
    captures = _tweet_captures(tweets, expanded) if tweets else []
    for user in users:
        captures.append(_user_capture(user, expanded))
    return captures


def _is_tweet(record: dict[str, Any]) -> bool:
    return "text" in record or "edit_history_tweet_ids" in record


def account_from_user(user: dict[str, Any]) -> Account:
    metrics = obj(user.get("public_metrics"))
    verified_type = nonempty(user.get("verified_type"))
    avatar = nonempty(user.get("profile_image_url"))
    return Account(
        id=ident(user.get("id")),
        handle=_legacy.handle(user.get("username")),
        name=text(user.get("name")),
        bio=text(user.get("description")),
        location=nonempty(user.get("location")),
        url=_legacy.profile_url({"entities": user.get("entities"), "url": user.get("url")}),
        created_at=timestamp(user.get("created_at")),
        followers=integer(metrics.get("followers_count")),
        following=integer(metrics.get("following_count")),
        posts_count=integer(metrics.get("tweet_count")),
        likes_count=first(integer(metrics.get("like_count")), integer(metrics.get("favourites_count"))),
        media_count=integer(metrics.get("media_count")),
        listed_count=integer(metrics.get("listed_count")),
        verified=boolean(user.get("verified")),
        # v2 says "blue", "business", "government" or "none"; the page says "Business", "Government".
        verified_type=verified_type.capitalize() if verified_type and verified_type != "none" else None,
        blue_verified=True if verified_type == "blue" else None,
        protected=boolean(user.get("protected")),
        default_avatar=_legacy.DEFAULT_AVATAR_MARK in avatar if avatar is not None else None,
    )


def _user_capture(user: dict[str, Any], expanded: _Includes) -> Capture:
    account = account_from_user(user)
    posts = []
    pinned = expanded.tweets.get(ident(user.get("pinned_tweet_id")) or "")
    if pinned is not None:
        post = _post(pinned, expanded, account.id, account.handle)
        if post is not None:
            post.pinned = True
            posts.append(post)
    return Capture(source=SOURCE, account=account, posts=posts)


def _tweet_captures(tweets: list[dict[str, Any]], expanded: _Includes) -> list[Capture]:
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for tweet in tweets:
        groups.setdefault(ident(tweet.get("author_id")), []).append(tweet)
    captures = []
    for author_id, group in groups.items():
        notes = []
        account: Account | None
        if author_id is None:
            account = None
            notes.append("the tweets carry no author_id (ask for expansions=author_id): account unknown")
        elif author_id in expanded.users:
            account = account_from_user(obj(expanded.users[author_id]))
        else:
            account = Account(id=author_id)
            notes.append("the author is not in includes.users (ask for expansions=author_id)")
        handle = account.handle if account else None
        posts: list[Post] = []
        seen: set[str] = set()
        for tweet in group:
            post = _post(tweet, expanded, author_id, handle)
            if post is None:
                notes.append("a tweet without an id skipped")
            elif post.id not in seen:
                seen.add(post.id)
                posts.append(post)
        captures.append(Capture(source=SOURCE, account=account, posts=posts, notes=notes))
    return captures


def _post(
    tweet: dict[str, Any], expanded: _Includes, author_id: str | None, handle: str | None
) -> Post | None:
    post_id = ident(tweet.get("id"))
    if post_id is None:
        return None
    refs: dict[str, str] = {}
    for ref in items(tweet.get("referenced_tweets")):
        kind, ref_id = text(obj(ref).get("type")), ident(obj(ref).get("id"))
        if kind is not None and ref_id is not None:
            refs[kind] = ref_id
    is_retweet = "retweeted" in refs
    retweeted = obj(expanded.tweets.get(refs.get("retweeted", ""))) if is_retweet else {}
    source = retweeted or tweet
    note = obj(source.get("note_tweet"))
    body = _legacy.unescape(first(text(note.get("text")), text(source.get("text"))) or "")
    entities = obj(note.get("entities")) if "text" in note else obj(source.get("entities"))
    mentions = tuple(
        h.lower() for m in items(entities.get("mentions")) if (h := _legacy.handle(obj(m).get("username")))
    )
    retweeted_handle = quoted_handle = None
    if is_retweet:
        retweeted_handle = expanded.handle(ident(retweeted.get("author_id"))) or _legacy.rt_prefix_handle(
            body
        )
        if not retweeted:
            mentions = _legacy.without_rt_prefix(mentions, body)
    is_quote = "quoted" in refs and not is_retweet
    if is_quote:
        quoted_handle = expanded.handle(ident(obj(expanded.tweets.get(refs["quoted"])).get("author_id")))
    reply_to_user_id = ident(tweet.get("in_reply_to_user_id"))
    metrics = obj(tweet.get("public_metrics"))
    return Post(
        id=post_id,
        created_at=timestamp(tweet.get("created_at")),
        author_id=author_id,
        author_handle=handle,
        text=body,
        kind=_legacy.kind(is_retweet, "replied_to" in refs or reply_to_user_id is not None, is_quote),
        retweeted_handle=retweeted_handle,
        quoted_handle=quoted_handle,
        reply_to_handle=expanded.handle(reply_to_user_id),
        reply_to_user_id=reply_to_user_id,
        media=tuple(
            kind
            for key in items(obj(source.get("attachments")).get("media_keys"))
            if (kind := expanded.media.get(str(key)))
        ),
        urls=_urls(entities),
        hashtags=tuple(tag for h in items(entities.get("hashtags")) if (tag := nonempty(obj(h).get("tag")))),
        mentions=mentions,
        lang=nonempty(tweet.get("lang")),
        reply_count=integer(metrics.get("reply_count")),
        retweet_count=integer(metrics.get("retweet_count")),
        like_count=integer(metrics.get("like_count")),
        quote_count=integer(metrics.get("quote_count")),
        view_count=integer(metrics.get("impression_count")),
    )


def _urls(entities: dict[str, Any]) -> tuple[str, ...]:
    urls = []
    for item in items(entities.get("urls")):
        entry = obj(item)
        url = (
            nonempty(entry.get("unwound_url"))
            or nonempty(entry.get("expanded_url"))
            or nonempty(entry.get("url"))
        )
        if url is not None and "media_key" not in entry and not _legacy.is_media_link(url):
            urls.append(url)
    return tuple(urls)
