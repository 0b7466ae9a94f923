"""Accounts and timelines for the model tests, written the way the parsers fill the account model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from profilelens.config import SOURCE_MODELS_DIR
from profilelens.records import Account, Post, PostKind

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@cache
def built_by_skops(file_name: str) -> Any:
    """A committed model as skops builds it into scikit-learn's objects: what serving is held to."""
    import skops.io as sio

    path = SOURCE_MODELS_DIR / file_name
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


def post(i: int, kind: PostKind, text: str, target: str | None = None, *, author: str = "acct") -> Post:
    p = Post(
        id=str(1000 + i),
        created_at=NOW - timedelta(hours=7 * i + 1),
        author_handle=author,
        text=text,
        kind=kind,
    )
    if kind == "retweet":
        p.retweeted_handle = target
        p.text = text
    elif kind == "quote":
        p.quoted_handle = target
    elif kind == "reply":
        p.reply_to_handle = target
        p.text = f"@{target} {text}"
        p.mentions = ((target or "").lower(),)
    return p


def division_account() -> Account:
    """Seed 000: a corporate division's account, ~70 followers, mostly colleagues."""
    return Account(
        id="4242",
        handle="AcmePaymentsDiv",
        name="Acme Payments Division",
        bio="Official account of the Payments division of Acme Group. News, events and careers.",
        location="Paris, France",
        url="https://acme.example/payments",
        created_at=datetime(2014, 7, 1, tzinfo=UTC),
        followers=72,
        following=41,
        posts_count=310,
        likes_count=4,
        media_count=85,
        verified=False,
        protected=False,
        default_avatar=False,
    )


def press_release_timeline(n: int = 30) -> list[Post]:
    """Announcements and retweets of its own group's accounts, no conversation."""
    relays = [
        ("Acme Group announces its third-quarter results. Read the press release", "acmegroup"),
        ("Join us at the Payments Summit 2026: register now", "acmeevents"),
        ("We're hiring! Apply now to our graduate programme", "acmecareers"),
    ]
    posts = []
    for i in range(n):
        if i % 3:
            text, target = relays[i % 3]
            posts.append(post(i, "retweet", text, target, author="AcmePaymentsDiv"))
        else:
            posts.append(
                post(
                    i,
                    "original",
                    "Save the date: our webinar on instant payments, 12 December. Register: https://acme.example/w",
                    author="AcmePaymentsDiv",
                )
            )
    return posts


def person_account() -> Account:
    return Account(
        id="777",
        handle="julie_m",
        name="Julie Martin",
        bio="Développeuse, coureuse, maman de deux. Mes opinions n'engagent que moi.",
        location="Lyon",
        url="",
        created_at=datetime(2011, 3, 1, tzinfo=UTC),
        followers=812,
        following=655,
        posts_count=12040,
        likes_count=30210,
        media_count=402,
        verified=False,
        protected=False,
        default_avatar=False,
    )


def chatty_timeline(n: int = 30) -> list[Post]:
    """Replies to many different people, questions, opinions in the first person (English and French)."""
    replies = [
        "I think you're right, what did you try first?",
        "j'ai eu le même souci, tu as essayé de redémarrer ?",
        "haha my kids say exactly the same thing",
        "Congrats! How long did it take you?",
    ]
    originals = [
        "Anyone else find that the new release breaks their build?",
        "Je me demande si quelqu'un a déjà testé ça en production",
        "My morning run was brutal today",
        "I finally fixed that bug. What a week.",
    ]
    return [
        post(i, "reply", replies[i // 2 % 4], f"stranger{i}", author="julie_m")
        if i % 2
        else post(i, "original", originals[i // 2 % 4], author="julie_m")
        for i in range(n)
    ]


def stranger_replies(start: int, count: int, author: str) -> list[Post]:
    return [
        post(
            start + i, "reply", "Thanks for the feedback, we will look into it", f"customer{i}", author=author
        )
        for i in range(count)
    ]
