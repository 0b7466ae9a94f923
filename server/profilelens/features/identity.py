"""What a profile alone says about who runs it: named numbers, and the text the identity model reads.

Training (humanizr labels) and serving call these same two functions. The handle is deliberately left
out of both: renaming an account must not change what it is. Follower counts are left out too: fame must
not decide whether an account reads as an organisation (and so, later, the verdict).
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from profilelens.records import Account

NAN = float("nan")

# The order is the model's column order; changing it means retraining.
IDENTITY_FEATURES = (
    "following_log",
    "posts_log",
    "likes_log",
    "media_log",
    "age_years",
    "posts_per_day_log",
    "likes_per_post_log",
    "media_share",
    "verified",
    "protected",
    "default_avatar",
    "has_url",
    "has_location",
    "bio_length",
    "bio_mentions",
    "bio_has_link",
    "bio_hashtags",
    "bio_we",
    "bio_i",
    "bio_emoji",
    "name_words",
    "name_has_digit",
    "name_upper_share",
)

_MENTION = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#\w+")
# First-person plural is how organisations speak of themselves; singular, how people do (en, fr).
_WE = re.compile(r"\b(we|our|ours|us|nous|notre|nos)\b", re.IGNORECASE)
_I = re.compile(r"\b(i|i'm|im|my|me|mine|je|j'|moi|mon|ma|mes)\b", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_LINK = re.compile(r"https?://|www\.|\.\w{2,3}/", re.IGNORECASE)


def profile_text(account: Account) -> str:
    """Display name and bio, the text the identity model's character n-grams read."""
    return f"{account.name or ''} | {account.bio or ''}".strip()


def _log(value: int | None) -> float:
    return NAN if value is None else math.log1p(max(value, 0))


def _flag(value: bool | None) -> float:
    return NAN if value is None else float(value)


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def identity_features(account: Account, now: datetime) -> dict[str, float]:
    """Profile numbers for the identity model; NaN where the input did not carry the field."""
    age_days = NAN
    if account.created_at is not None:
        age_days = max((now - account.created_at).total_seconds() / 86400.0, 1.0)
    posts, likes, media = account.posts_count, account.likes_count, account.media_count
    # An absent bio, name, url or location reads as empty: a profile page shows nothing either way.
    bio = account.bio or ""
    name = account.name or ""
    return {
        "following_log": _log(account.following),
        "posts_log": _log(posts),
        "likes_log": _log(likes),
        "media_log": _log(media),
        "age_years": age_days / 365.25,
        "posts_per_day_log": NAN if posts is None else math.log1p(posts / age_days),
        "likes_per_post_log": NAN if posts is None or likes is None else math.log1p(likes / (posts + 1)),
        "media_share": NAN if posts is None or media is None else min(media / (posts + 1), 1.0),
        "verified": _flag(account.verified),
        "protected": _flag(account.protected),
        "default_avatar": _flag(account.default_avatar),
        "has_url": float(bool((account.url or "").strip())),
        "has_location": float(bool((account.location or "").strip())),
        "bio_length": min(len(bio), 200) / 200.0,
        "bio_mentions": float(len(_MENTION.findall(bio))),
        "bio_has_link": float(bool(_LINK.search(bio))),
        "bio_hashtags": float(len(_HASHTAG.findall(bio))),
        "bio_we": float(len(_WE.findall(bio))),
        "bio_i": float(len(_I.findall(bio))),
        "bio_emoji": float(len(_EMOJI.findall(bio))),
        "name_words": float(len(name.split())),
        "name_has_digit": float(any(c.isdigit() for c in name)),
        "name_upper_share": _upper_share(name),
    }
