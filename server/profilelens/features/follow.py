"""Follow metrics as the profile shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from profilelens.records import Account, Post


def follow_features(account: Account, posts: Sequence[Post], now: datetime) -> dict[str, float]:
    out: dict[str, float] = {}
    if account.followers is not None:
        out["followers"] = float(account.followers)
    if account.following is not None:
        out["following"] = float(account.following)
    if account.followers is not None and account.following is not None:
        # Followers per account followed; following 0 counts as 1 so the ratio stays finite.
        out["ratio"] = account.followers / max(account.following, 1)
    return out
