"""X web GraphQL answers, as the profile page receives them.

Profiles: `{"data": {"user": {"result": ...}}}` from UserByScreenName (the account), UserTweets,
UserTweetsAndReplies and UserMedia (the account's timeline), in all three user schemas: everything under
`legacy` (before mid-2025), `core`/`avatar`/`location`/`privacy`/`verification` outside `legacy` with the
counts still inside (mid-2025), and no `legacy` at all (2026: `relationship_counts`, `tweet_counts`,
`action_counts`, `profile_bio`). AboutAccountQuery (`data.user_result_by_screen_name.result`) gives the
account too, with its `about_profile`: the country it is based in and its handle changes.

Lists of users (Followers, Following, verified followers, list members) are not a profile: each user
becomes its own account-only capture, source "x-graphql:UserList". Search and conversation pages are
neither and raise InputError.

A timeline's account is its owner, found from the posts' authors (the pinned post's author, else the
author of most top-level entries). Only the owner's posts are kept: the other people's posts that
conversation modules show around the owner's replies are context, and retweeted or quoted posts live
inside the owner's posts (see `Post`). A retweet of a quote is a retweet: its quoted_handle stays None.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from ..records import Account, Capture, InputError, Post
from . import _legacy
from ._coerce import first, ident, integer, items, nonempty, obj, text, timestamp

SOURCE = "x-graphql"
X_HOSTS = ("x.com", "twitter.com")
# The operations (named in the request URL) whose answers this module reads as an account, a timeline
# or a list of users. X's other calls (HomeTimeline, TweetDetail, Likes, ...) are not one account's.
OPERATIONS = frozenset(
    {
        "UserByScreenName",
        "UserByRestId",
        "AboutAccountQuery",
        "UserTweets",
        "UserTweetsAndReplies",
        "UserMedia",
        "Followers",
        "Following",
        "BlueVerifiedFollowers",
        "FollowersYouKnow",
        "ListMembers",
    }
)
# X's GraphQL URLs carry three query parameters (variables, features, fieldToggles).
MAX_QUERY_FIELDS = 50
# metadata.scribeConfig.page names the tab a timeline came from.
PAGES = {"profileBest": "UserTweets", "profileAll": "UserTweetsAndReplies", "media": "UserMedia"}
UNAVAILABLE = ("TweetTombstone", "TweetUnavailable")
TIMELINE_PATH = "data.user.result.timeline.timeline.instructions[]"
PROFILE_KEYS = "data.user.result (UserByScreenName, UserTweets, UserTweetsAndReplies, UserMedia)"
# Entries that are not the account's own timeline: suggestions, ads, prompts, paging.
SKIPPED_ENTRIES = ("who-to-follow", "cursor-", "promoted", "messageprompt", "tweetdetailrelatedtweets")


class UnreadablePost(Exception):
    """One post lacks what makes it a post (an id); it is skipped with a note."""


def operation(url: str) -> str | None:
    """The operation an X GraphQL request URL names (`https://x.com/i/api/graphql/<id>/UserTweets?...`,
    also api.x.com and twitter.com), else None. Matched by name: the ids rotate."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a broken host part ("http://[x")
        return None
    host = (parts.hostname or "").lower()
    if not any(host == name or host.endswith("." + name) for name in X_HOSTS):
        return None
    segments = parts.path.split("/")
    if "graphql" not in segments:
        return None
    after = segments[segments.index("graphql") + 1 :]  # [query id, operation name]
    return after[1] if len(after) >= 2 and after[1].isidentifier() else None


def page_owner(url: str) -> str | None:
    """The rest id of the account an X GraphQL request URL asks about: its `variables` query parameter
    (JSON) names it `userId` (Followers, Following, UserTweets, ...); None when the URL says no such id."""
    try:
        values = parse_qs(urlsplit(url).query, max_num_fields=MAX_QUERY_FIELDS).get("variables")
        variables = orjson.loads(values[0]) if values else None
    except ValueError:  # a broken URL, too many fields, or variables that are not JSON
        return None
    owner = ident(obj(variables).get("userId"))
    return owner if owner is not None and owner.isdigit() else None


def parse(payload: dict[str, Any]) -> list[Capture]:
    data = obj(payload.get("data"))
    if "user" in data:
        return _user_root(data["user"])
    for key in ("user_result_by_screen_name", "user_result_by_rest_id", "user_result"):
        if key in data:
            return [_account_capture(obj(obj(data[key]).get("result")), "AboutAccountQuery")]
    if "list" in data:
        timeline = obj(obj(obj(data["list"]).get("members_timeline")).get("timeline"))
        instructions = timeline.get("instructions")
        if not isinstance(instructions, list):
            raise InputError(
                "X GraphQL list members changed shape: "
                "expected data.list.members_timeline.timeline.instructions[]"
            )
        return _user_list(_walk(instructions).users)
    if not data:
        messages = [m for e in items(payload.get("errors")) if (m := nonempty(obj(e).get("message")))]
        if messages:
            raise InputError(f"X answered with an error, not a profile: {'; '.join(messages)[:300]}")
        raise InputError(f"X GraphQL answer with empty data (no such account?): expected {PROFILE_KEYS}")
    keys = ", ".join(sorted(str(k)[:40] for k in data)[:5])
    raise InputError(f"X GraphQL answer holds {keys}, which is not a profile: expected {PROFILE_KEYS}")


def _user_root(user: object) -> list[Capture]:
    result = obj(obj(user).get("result"))
    if not result:
        raise InputError(
            "account unavailable: X GraphQL data.user.result is missing (no such account, or suspended)"
        )
    if result.get("__typename") == "UserUnavailable":
        reason = nonempty(result.get("reason")) or nonempty(
            obj(result.get("unavailable_message")).get("text")
        )
        reason = (reason or "no reason given")[:200]
        raise InputError(f"account unavailable: X says UserUnavailable ({reason})")
    holder = result.get("timeline", result.get("timeline_v2"))
    if holder is not None:
        timeline = obj(obj(holder).get("timeline"))
        instructions = timeline.get("instructions")
        if not isinstance(instructions, list):
            raise InputError(f"X GraphQL timeline changed shape: expected {TIMELINE_PATH}")
        page = PAGES.get(text(obj(obj(timeline.get("metadata")).get("scribeConfig")).get("page")) or "")
        return _timeline(instructions, page)
    if "rest_id" in result or "legacy" in result or "core" in result:
        return [_account_capture(result, "UserByScreenName")]
    raise InputError(
        f"X GraphQL user changed shape: expected a user with rest_id/core/legacy or {TIMELINE_PATH}"
    )


def _account_capture(result: dict[str, Any], operation: str) -> Capture:
    account = account_from_user(result)
    if account is None:
        raise InputError(f"account unavailable: the X GraphQL {operation} answer holds no readable user")
    notes = ["protected: posts not visible"] if account.protected else []
    return Capture(source=f"{SOURCE}:{operation}", account=account, notes=notes)


def account_from_user(result: dict[str, Any]) -> Account | None:
    """An account from a GraphQL user result in any of the three schemas; None when unavailable."""
    if not result or result.get("__typename") == "UserUnavailable":
        return None
    account = _legacy.account(obj(result.get("legacy")))
    core = obj(result.get("core"))
    bio = obj(result.get("profile_bio"))
    location = result.get("location")
    counts = obj(result.get("relationship_counts"))
    tweets = obj(result.get("tweet_counts"))
    verification = obj(result.get("verification"))
    account.id = first(ident(result.get("rest_id")), account.id)
    account.handle = first(_legacy.handle(core.get("screen_name")), account.handle)
    account.name = first(text(core.get("name")), account.name)
    account.created_at = first(timestamp(core.get("created_at")), account.created_at)
    account.bio = first(text(bio.get("description")), account.bio)
    if isinstance(location, dict):
        account.location = first(nonempty(location.get("location")), account.location)
    if account.url is None:
        website = nonempty(obj(result.get("website")).get("url"))
        account.url = _legacy.profile_url({"entities": bio.get("entities"), "url": website})
    account.followers = first(integer(counts.get("followers")), account.followers)
    account.following = first(integer(counts.get("following")), account.following)
    account.posts_count = first(integer(tweets.get("tweets")), account.posts_count)
    account.media_count = first(integer(tweets.get("media_tweets")), account.media_count)
    account.likes_count = first(
        integer(obj(result.get("action_counts")).get("favorites_count")), account.likes_count
    )
    account.verified = first(_flag(verification.get("verified")), account.verified)
    account.verified_type = first(nonempty(verification.get("verified_type")), account.verified_type)
    account.blue_verified = first(_flag(result.get("is_blue_verified")), account.blue_verified)
    account.protected = first(_flag(obj(result.get("privacy")).get("protected")), account.protected)
    if account.default_avatar is None:
        avatar = nonempty(obj(result.get("avatar")).get("image_url"))
        if avatar is not None:
            account.default_avatar = _legacy.DEFAULT_AVATAR_MARK in avatar
    account.profile_image_shape = nonempty(result.get("profile_image_shape"))
    account.professional_type = nonempty(obj(result.get("professional")).get("professional_type"))
    perspectives = obj(result.get("relationship_perspectives"))
    account.follows_you = first(_flag(perspectives.get("followed_by")), account.follows_you)
    about = obj(result.get("about_profile"))
    account.based_in = nonempty(about.get("account_based_in"))
    changes = obj(about.get("username_changes"))
    account.username_changes = integer(changes.get("count"))
    # X sends the milliseconds as a string ("1690335192280").
    account.username_changed_at = timestamp(integer(changes.get("last_changed_at_msec")))
    return account


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


class _Walk:
    """What a timeline's instructions hold, in order."""

    __slots__ = ("grid", "tweets", "unavailable", "users")

    def __init__(self) -> None:
        self.tweets: list[tuple[dict[str, Any], bool, bool]] = []  # (tweet, pinned, inside a module)
        self.users: list[dict[str, Any]] = []
        self.unavailable = 0
        self.grid = False  # UserMedia shows its posts as a profile-grid module


def _walk(instructions: list[Any]) -> _Walk:
    walk = _Walk()
    for instruction in instructions:
        instruction = obj(instruction)
        kind = instruction.get("type")
        if kind == "TimelinePinEntry":
            _entry(walk, obj(instruction.get("entry")), pinned=True)
        elif kind == "TimelineAddToModule":  # later pages of a module (UserMedia's grid)
            walk.grid = walk.grid or (text(instruction.get("moduleEntryId")) or "").startswith("profile-grid")
            for item in items(instruction.get("moduleItems")):
                _item(walk, obj(obj(obj(item).get("item")).get("itemContent")), pinned=False, module=True)
        else:  # TimelineAddEntries, and TimelineReplaceEntry's single entry
            for entry in items(instruction.get("entries")) or [instruction.get("entry")]:
                _entry(walk, obj(entry), pinned=False)
    return walk


def _entry(walk: _Walk, entry: dict[str, Any], *, pinned: bool) -> None:
    entry_id = text(entry.get("entryId")) or ""
    if entry_id.startswith(SKIPPED_ENTRIES):
        return
    content = obj(entry.get("content"))
    if "itemContent" in content:
        _item(walk, obj(content["itemContent"]), pinned=pinned, module=False)
        return
    walk.grid = walk.grid or entry_id.startswith("profile-grid")
    for item in items(content.get("items")):
        _item(walk, obj(obj(obj(item).get("item")).get("itemContent")), pinned=False, module=True)


def _item(walk: _Walk, content: dict[str, Any], *, pinned: bool, module: bool) -> None:
    if "tweet_results" in content:
        if content.get("promotedMetadata") is not None:  # an ad placed in the timeline
            return
        tweet = _unwrap(obj(obj(content["tweet_results"]).get("result")))
        if tweet is None:
            walk.unavailable += 1
        else:
            walk.tweets.append((tweet, pinned, module))
    elif "user_results" in content:
        user = obj(obj(content["user_results"]).get("result"))
        if user:
            walk.users.append(user)


def _unwrap(result: dict[str, Any]) -> dict[str, Any] | None:
    """The post itself: unwraps TweetWithVisibilityResults; None for tombstones and unavailable posts."""
    typename = result.get("__typename")
    if typename == "TweetWithVisibilityResults":
        result = obj(result.get("tweet"))
        typename = result.get("__typename")
    if typename in UNAVAILABLE or not isinstance(result.get("legacy"), dict):
        return None
    return result


def author(tweet: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """A post's author: X's user object (empty when missing) and the author's id."""
    user = obj(obj(obj(tweet.get("core")).get("user_results")).get("result"))
    author_id = first(ident(user.get("rest_id")), ident(obj(tweet.get("legacy")).get("user_id_str")))
    return user, author_id


def _handle(user: dict[str, Any]) -> str | None:
    return _legacy.handle(
        first(obj(user.get("core")).get("screen_name"), obj(user.get("legacy")).get("screen_name"))
    )


def _timeline(instructions: list[Any], page: str | None) -> list[Capture]:
    walk = _walk(instructions)
    if not walk.tweets:
        if walk.users:
            return _user_list(walk.users)
        why = f"{walk.unavailable} unavailable posts" if walk.unavailable else "no posts"
        raise InputError(f"X GraphQL timeline holds {why}: nothing to analyse (protected or empty account?)")
    authors = [(author(tweet), pinned, module) for tweet, pinned, module in walk.tweets]
    owner_id = _owner(authors)
    owner_user = next((user for (user, author_id), _, _ in authors if author_id == owner_id and user), {})
    account = account_from_user(owner_user) or Account(id=owner_id)
    handle = account.handle
    posts: dict[str, Post] = {}
    unreadable = 0
    for (tweet, pinned, _), ((_, author_id), _, _) in zip(walk.tweets, authors, strict=True):
        if author_id != owner_id:
            continue
        try:
            post = post_from_tweet(tweet, author_id, handle, pinned=pinned)
        except UnreadablePost:
            unreadable += 1
            continue
        if post.id in posts:  # the pinned post also appears in the list
            posts[post.id].pinned = posts[post.id].pinned or pinned
        else:
            posts[post.id] = post
    notes = []
    if walk.unavailable:
        notes.append(f"{walk.unavailable} unavailable posts skipped")
    if unreadable:
        notes.append(f"{unreadable} posts could not be read and were skipped")
    if page is None:
        page = _guess_page(walk, list(posts.values()), owner_id)
    return [Capture(source=f"{SOURCE}:{page}", account=account, posts=list(posts.values()), notes=notes)]


def _owner(authors: list[tuple[tuple[dict[str, Any], str | None], bool, bool]]) -> str | None:
    for (_, author_id), pinned, _ in authors:
        if pinned and author_id is not None:
            return author_id
    top = Counter(author_id for (_, author_id), _, module in authors if not module and author_id is not None)
    if not top:
        top = Counter(author_id for (_, author_id), _, _ in authors if author_id is not None)
    return top.most_common(1)[0][0] if top else None


def _guess_page(walk: _Walk, posts: list[Post], owner_id: str | None) -> str:
    if walk.grid:
        return "UserMedia"
    if any(p.kind == "reply" and p.reply_to_user_id not in (None, owner_id) for p in posts):
        return "UserTweetsAndReplies"
    return "UserTweets"


def _user_list(users: list[dict[str, Any]]) -> list[Capture]:
    captures = []
    for user in users:
        account = account_from_user(user)
        if account is not None and (account.id or account.handle):
            captures.append(Capture(source=f"{SOURCE}:UserList", account=account))
    if not captures:
        raise InputError("X GraphQL user list holds no readable users")
    return captures


def post_from_tweet(
    tweet: dict[str, Any], author_id: str | None, handle: str | None, *, pinned: bool
) -> Post:
    legacy = obj(tweet.get("legacy"))
    post_id = first(ident(tweet.get("rest_id")), ident(legacy.get("id_str")))
    if post_id is None:
        raise UnreadablePost
    retweet_holder = legacy.get("retweeted_status_result", tweet.get("retweeted_status_result"))
    is_retweet = retweet_holder is not None
    retweeted = _unwrap(obj(obj(retweet_holder).get("result"))) if is_retweet else None
    source = retweeted if retweeted is not None else tweet
    note = obj(obj(obj(source.get("note_tweet")).get("note_tweet_results")).get("result"))
    long_text = text(note.get("text"))
    entity_set = note.get("entity_set")
    said = _legacy.content(
        obj(source.get("legacy")),
        long_text,
        entity_set if long_text is not None and isinstance(entity_set, dict) else None,
    )
    retweeted_handle = quoted_handle = None
    is_quote = False
    if retweeted is not None:
        retweeted_handle = _handle(author(retweeted)[0])
    elif is_retweet:  # the retweeted post is gone: its author is still named by "RT @x:"
        retweeted_handle = _legacy.rt_prefix_handle(said.text)
        said.mentions = _legacy.without_rt_prefix(said.mentions, said.text)
    else:
        quote_holder = tweet.get("quoted_status_result")
        quoted = _unwrap(obj(obj(quote_holder).get("result")))
        is_quote = quote_holder is not None or legacy.get("is_quote_status") is True
        if quoted is not None:
            quoted_handle = _handle(author(quoted)[0])
        elif is_quote:
            quoted_handle = _legacy.permalink_handle(legacy)
    return _legacy.post(
        legacy,
        said,
        post_id=post_id,
        author_id=author_id,
        author_handle=handle,
        is_retweet=is_retweet,
        is_quote=is_quote,
        retweeted_handle=retweeted_handle,
        quoted_handle=quoted_handle,
        pinned=pinned,
        view_count=integer(obj(tweet.get("views")).get("count")),
    )
