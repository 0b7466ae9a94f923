"""Follow-back likelihood: the chance the account follows back a new follower."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from profilelens.ratings.inputs import follow_back_row
from profilelens.ratings.models import FOLLOW_BACK_FILE, loaded, scoring, unavailable
from profilelens.records import Account

LIKELY_AT = 0.5
UNLIKELY_BELOW = 0.2


def tone(probability: float) -> str:
    if probability >= LIKELY_AT:
        return "good"
    return "warn" if probability < UNLIKELY_BELOW else "none"


def probabilities(accounts: Sequence[Account], model: Any) -> list[float | None]:
    """Each account's chance to follow back, all scored as one matrix; None where the counts are
    missing."""
    counted = [
        (i, follow_back_row(a.followers, a.following))
        for i, a in enumerate(accounts)
        if a.followers is not None and a.following is not None
    ]
    if not counted:
        return [None] * len(accounts)
    with scoring():
        scores = model.predict_proba(np.array([row for _, row in counted]))[:, 1].tolist()
    found = {i: score for (i, _), score in zip(counted, scores, strict=True)}
    return [found.get(i) for i in range(len(accounts))]


def section(
    account: Account, directory: Path | None = None, *, scored: float | None = None
) -> dict[str, Any]:
    """`scored`: the probability, when the caller scored many accounts at once (`probabilities`)."""
    if account.follows_you:
        return {
            "available": True,
            "reason": None,
            "tone": "good",
            "summary": "follows you",
            "probability": 1.0,
            "follows_you": True,
            "basis": "the page says this account follows you",
        }
    if account.followers is None or account.following is None:
        return unavailable("the input has no follower or following counts", follows_you=account.follows_you)
    state = loaded(directory, FOLLOW_BACK_FILE)
    if state.model is None:
        return unavailable(str(state.reason), follows_you=account.follows_you)
    if scored is None:
        (scored,) = probabilities([account], state.model)
    assert scored is not None  # the counts are known: checked above
    probability = round(scored, 3)
    return {
        "available": True,
        "reason": None,
        "tone": tone(probability),
        "summary": f"{round(probability * 100)} % chance it follows back a new follower",
        "probability": probability,
        "follows_you": account.follows_you,
        "basis": "followers per account followed, fitted on real follow graphs (models/follow_back.md)",
    }
