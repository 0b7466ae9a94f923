"""How an account behaves in its posts: does it converse, or broadcast and relay its own circle?

Pure: (account, posts, now) -> named numbers. Conversation (replies) is measured over all posts seen;
everything else over the posts that are not replies — what it relays and how its broadcasts look — and
the voice of its own broadcasts (questions, first person, templates) over its originals and quotes.
Replies are conversation already: answering more people must never change how its broadcasts look,
only add conversation. A number that cannot be measured (no posts, no broadcasts) is NaN, never a guess.
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


# Speaking to the reader: a question or an answer is addressed to someone (English, French, Portuguese).
SECOND_PERSON = re.compile(
    r"\b(?:you|your|you're|you’re|yours|vous|votre|vos|tu|ton|ta|tes|você|vocês|seu|sua)\b"
)
# An institution speaks of itself in the plural: "we", "our team" (English, French, Portuguese).
FIRST_PLURAL = re.compile(r"\b(?:we|we're|we’re|we've|we’ve|our|ours|us|nous|notre|nos|nós|nosso|nossa)\b")
# Links at the very end of a post: how feeds and schedulers post (a headline, then its link).
_ENDS_WITH_LINK = re.compile(r"https?://\S+\s*$")
# Words that carry no meaning of their own for the models: links, mentions and numbers.
_NOISE = re.compile(r"https?://\S+|@\w+|\d+")
_WORD = re.compile(r"[^\W\d_]+")
# A headline capitalises most of its words ("Ten Things To Know About The New Budget"): feeds and
# press offices write so, people rarely do. Short words (of, the, à) are left out of the count.
_HEADLINE_WORD = re.compile(r"[^\W\d_]{4,}")
HEADLINE_MIN_WORDS = 3
HEADLINE_CAPITALISED = 0.6
MIN_FOR_SPREAD = 3


def _templated_share(posts: Sequence[Post]) -> float:
    """Share of posts that open with the same three words as another post: templates and bots."""
    openings = Counter(" ".join(_NOISE.sub(" ", p.text.lower()).split()[:3]) for p in posts)
    openings.pop("", None)
    return _share(sum(c for c in openings.values() if c > 1), len(posts))


def _is_headline(prose: str) -> bool:
    words = _HEADLINE_WORD.findall(prose)
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= HEADLINE_MIN_WORDS and capitalised >= HEADLINE_CAPITALISED * len(words)


def _length_spread(proses: Sequence[str]) -> float:
    """How much the lengths (in words) of its posts vary around their average (standard deviation over
    mean): a person writes a quip, then a long rant; a feed or a schedule posts one length."""
    lengths = [len(_WORD.findall(t)) for t in proses]
    if len(lengths) < MIN_FOR_SPREAD or not any(lengths):
        return NAN
    mean = sum(lengths) / len(lengths)
    return math.sqrt(sum((n - mean) ** 2 for n in lengths) / len(lengths)) / mean


def post_words(posts: Sequence[Post], *, replies: bool = True) -> str:
    """The account's own words (originals, quotes and, unless told not to, replies; never what it
    retweets), lower-cased, without links, mentions or figures: the text the models read."""
    kinds = ("original", "quote", "reply") if replies else ("original", "quote")
    return " ".join(_NOISE.sub(" ", p.text.lower()) for p in posts if p.kind in kinds)


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
    own_posts = [p for p in posts if p.kind in ("original", "quote")]
    own_prose = [text.prose(p.text) for p in own_posts]
    broadcasts = [t.lower() for t in own_prose]
    non_replies = [p for p in posts if p.kind != "reply"]
    m = len(non_replies)

    relays: Counter[str] = Counter()
    for p in posts:
        target = p.retweeted_handle if p.kind == "retweet" else p.quoted_handle if p.kind == "quote" else None
        if target:
            relays[target.lower()] += 1
    circle = relays.most_common(CIRCLE_SIZE)
    mentions: Counter[str] = Counter(name for p in own_posts for name in p.mentions if name != own_handle)
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
        "institutional_share": _share(sum(sounds_institutional(p.text) for p in non_replies), m),
        "original_share": _share(sum(p.kind == "original" for p in non_replies), m),
        "retweet_share": _share(sum(p.kind == "retweet" for p in non_replies), m),
        "quote_share": _share(sum(p.kind == "quote" for p in non_replies), m),
        "relayed_accounts": float(len(relays)),
        "circle_size": float(len(circle)),
        "circle_relay_share": _share(sum(count for _, count in circle), m),
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
        "second_person_share": _share(
            sum(bool(SECOND_PERSON.search(t)) for t in broadcasts), len(broadcasts)
        ),
        "first_plural_share": _share(sum(bool(FIRST_PLURAL.search(t)) for t in broadcasts), len(broadcasts)),
        "plural_in_replies_share": _share(
            sum(bool(FIRST_PLURAL.search(p.text.lower())) for p in replies_to_others), len(replies_to_others)
        ),
        "ends_with_link_share": _share(
            sum(bool(_ENDS_WITH_LINK.search(p.text)) for p in own_posts), len(own_posts)
        ),
        "templated_share": _templated_share(own_posts),
        "headline_case_share": _share(sum(_is_headline(t) for t in own_prose), len(own_prose)),
        "length_spread": _length_spread(own_prose),
        "link_share": _share(sum(text.links_out(p.urls) for p in non_replies), m),
        "hashtag_share": _share(sum(bool(p.hashtags) for p in non_replies), m),
        "exclamation_share": _share(sum("!" in t for t in broadcasts), len(broadcasts)),
        "followers_log": NAN if followers is None else math.log1p(max(followers, 0)),
    }
