"""How an account behaves in its posts: does it converse, or broadcast and relay its own circle?

Pure: (account, posts, now) -> named numbers. Shares are over all posts seen, so that a timeline's parts
add up and "87 % of posts" means what it says, except the voice of its own broadcasts (questions to its
audience, first person), which is measured over its originals and quotes: replies are conversation
already, and adding replies must not dilute how its broadcasts sound. A number that cannot be measured
(no posts, no timestamps, no broadcasts) is NaN, never a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from profilelens.features import text
from profilelens.records import Account, Post

NAN = float("nan")
CIRCLE_SIZE = 3  # "its own circle": the few accounts it relays most

# Both patterns are matched against lower-cased text: re.IGNORECASE makes them four times slower.
# Speaking as oneself, in English and French.
FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|im|me|my|mine|myself|je|moi|mon|ma|mes)\b|\b[jm]['’]"
)
# An institution's voice: announcements, events, calls to register, apply or buy (English and French).
INSTITUTIONAL = re.compile(
    r"\b(?:announc\w*|join us|register\w*|registration|sign up|we'?re hiring|we are hiring|now hiring|"
    r"hiring|apply (?:now|today|here)|job openings?|careers?|internships?|webinars?|conferences?|"
    r"summit|events?|keynote|panel|booth|save the date|tune in|live now|learn more|read more|"
    r"find out more|check out our|press release|launch\w*|available now|don'?t miss|link in bio|"
    r"proud to|pleased to|excited to announce|"
    r"rejoignez|inscri\w*|nous recrutons|on recrute|recrutement|postulez|webinaires?|conférences?|"
    r"événements?|salon|découvrez|en savoir plus|communiqué|lancement|fiers? de|"
    r"heureux d'annoncer|rendez-vous|ne manquez pas|offres? d'emploi)\b"
)


def sounds_institutional(post_text: str) -> bool:
    return INSTITUTIONAL.search(post_text.lower()) is not None


def _share(count: int, total: int) -> float:
    return count / total if total else NAN


def _entropy(counts: Counter[str]) -> float:
    """Shannon entropy of the targets, scaled to 0..1 (1 = spread evenly over all of them)."""
    total = sum(counts.values())
    if len(counts) < 2:
        return 0.0
    entropy = -sum(c / total * math.log(c / total) for c in counts.values())
    return entropy / math.log(len(counts))


def _posts_per_day(posts: Sequence[Post]) -> float:
    times = sorted(p.created_at for p in posts if p.created_at is not None and not p.pinned)
    if len(times) < 2:
        return NAN
    span_days = max((times[-1] - times[0]).total_seconds() / 86400.0, 1.0)
    return len(times) / span_days


def engagement_features(account: Account, posts: Sequence[Post], now: datetime) -> dict[str, float]:
    """Conversation, voice and circle signals of one account's posts.

    `now` is part of the signature every feature function shares; the shares here do not depend on it.
    """
    del now
    n = len(posts)
    own_handle = (account.handle or "").lower()
    own_id = account.id

    def is_self(handle: str | None, user_id: str | None) -> bool:
        if user_id is not None and user_id == own_id:
            return True
        return bool(own_handle) and (handle or "").lower() == own_handle

    replies = [p for p in posts if p.kind == "reply"]
    replies_to_others = [p for p in replies if not is_self(p.reply_to_handle, p.reply_to_user_id)]
    replied = {(p.reply_to_handle or p.reply_to_user_id or "").lower() for p in replies_to_others}
    replied.discard("")
    broadcasts = [text.prose(p.text).lower() for p in posts if p.kind in ("original", "quote")]

    relays: Counter[str] = Counter()
    for p in posts:
        target = p.retweeted_handle if p.kind == "retweet" else p.quoted_handle if p.kind == "quote" else None
        if target:
            relays[target.lower()] += 1
    circle = relays.most_common(CIRCLE_SIZE)
    mentions: Counter[str] = Counter(
        m for p in posts if p.kind != "retweet" for m in p.mentions if m != own_handle
    )
    followers = account.followers

    return {
        "posts_seen": float(n),
        "reply_share": _share(len(replies), n),
        "reply_others_share": _share(len(replies_to_others), n),
        "self_thread_share": _share(len(replies) - len(replies_to_others), len(replies)) if replies else NAN,
        "distinct_replied": float(len(replied)),
        "distinct_replied_rate": _share(len(replied), n),
        "broadcasts": float(len(broadcasts)),
        "question_share": _share(sum(text.has_question(t) for t in broadcasts), len(broadcasts)),
        "first_person_share": _share(sum(bool(FIRST_PERSON.search(t)) for t in broadcasts), len(broadcasts)),
        "institutional_share": _share(sum(sounds_institutional(p.text) for p in posts), n),
        "original_share": _share(sum(p.kind == "original" for p in posts), n),
        "retweet_share": _share(sum(p.kind == "retweet" for p in posts), n),
        "quote_share": _share(sum(p.kind == "quote" for p in posts), n),
        "relayed_accounts": float(len(relays)),
        "circle_size": float(len(circle)),
        "circle_relay_share": _share(sum(count for _, count in circle), n),
        "circle_top3_share": _share(sum(count for _, count in circle), sum(relays.values()))
        if relays
        else NAN,
        "relay_entropy": _entropy(relays) if relays else NAN,
        "mentioned_accounts": float(len(mentions)),
        "mention_top3_share": (
            _share(sum(c for _, c in mentions.most_common(CIRCLE_SIZE)), sum(mentions.values()))
            if mentions
            else NAN
        ),
        "posts_per_day": _posts_per_day(posts),
        "followers_log": NAN if followers is None else math.log1p(max(followers, 0)),
    }
