"""Content mix: what kinds of posts an account makes, what they carry, and their retweet appeal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from profilelens.features import content
from profilelens.ratings.models import unavailable
from profilelens.records import Account, Post

PLURAL = {"original": "originals", "retweet": "retweets", "reply": "replies", "quote": "quotes"}


def section(account: Account, posts: Sequence[Post], *, now: datetime) -> dict[str, Any]:
    f = content.content_features(account, posts, now)
    if not f:
        return unavailable("no posts in the input")
    appeal = f.get("retweet_appeal")
    kinds = {k: f[f"kind_{k}"] for k in content.KINDS}
    top = max(kinds, key=lambda k: kinds[k])
    return {
        "available": True,
        "reason": None,
        "tone": "none",  # a mix is described, not judged
        "summary": f"mostly {PLURAL[top]} ({round(kinds[top] * 100)} % of {len(posts)} posts)",
        "posts": len(posts),
        "kinds": kinds,
        "traits": {t: f[f"trait_{t}"] for t in content.TRAITS},
        "retweet_appeal": {
            "index": appeal,
            "reason": None if appeal is not None else "only retweets: no posts of its own",
            "source": content.RETWEET_APPEAL_SOURCE,
        },
    }
