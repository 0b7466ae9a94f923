"""Follow-back likelihood: the chance the account follows back a new follower.

The model reads the followers-per-following ratio (models/follow_back.md). When the input shows the
account's followers and its whole following list, the follow-backs seen among those followers update it:
the model's estimate is a Beta prior worth PRIOR_STRENGTH followers, the followers seen are the evidence
(models/audience.md says how the strength was chosen and what the update gains on held-out graphs).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from profilelens.ratings import fitted
from profilelens.ratings.inputs import follow_back_row
from profilelens.ratings.models import FOLLOW_BACK_FILE, loaded, unavailable
from profilelens.records import Account

LIKELY_AT = 0.5
UNLIKELY_BELOW = 0.2
# How many followers the model's estimate counts for against the follow-backs seen: the strength with
# the lowest Brier score on held-out follow graphs (`python -m profilelens.validation.audience`).
PRIOR_STRENGTH = 20.0
# A prior of exactly 0 or 1 could never move.
PRIOR_FLOOR = 1e-3


class Observed(NamedTuple):
    """Follow-backs seen: how many of the followers seen the account follows too."""

    followed_back: int
    followers_seen: int


def tone(probability: float) -> str:
    if probability >= LIKELY_AT:
        return "good"
    return "warn" if probability < UNLIKELY_BELOW else "none"


def updated(prior: Any, followed_back: Any, seen: Any, strength: float = PRIOR_STRENGTH) -> Any:
    """The posterior mean of the follow-back rate: Beta(strength·p, strength·(1-p)) updated on
    `followed_back` of `seen` followers. Numbers or numpy arrays (the validation scores whole graphs)."""
    p = np.clip(prior, PRIOR_FLOOR, 1 - PRIOR_FLOOR)
    return (strength * p + followed_back) / (strength + seen)


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
    scores = fitted.probabilities(model, np.array([row for _, row in counted])).tolist()
    found = {i: score for (i, _), score in zip(counted, scores, strict=True)}
    return [found.get(i) for i in range(len(accounts))]


def section(
    account: Account,
    directory: Path | None = None,
    observed: Observed | None = None,
    *,
    scored: float | None = None,
) -> dict[str, Any]:
    """`scored`: the model's probability, when the caller scored many accounts at once (`probabilities`);
    `observed`: follow-backs seen on the account's pages, which update it."""
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
    estimate = round(scored, 3)
    out = {
        "available": True,
        "reason": None,
        "tone": tone(estimate),
        "summary": f"{round(estimate * 100)} % chance it follows back a new follower",
        "probability": estimate,
        "follows_you": account.follows_you,
        "basis": "followers per account followed, fitted on real follow graphs (models/follow_back.md)",
    }
    if observed is None or observed.followers_seen == 0:
        return out
    probability = round(float(updated(estimate, observed.followed_back, observed.followers_seen)), 3)
    seen = f"{observed.followed_back} of {observed.followers_seen} followers seen"
    return out | {
        "tone": tone(probability),
        "summary": f"{round(probability * 100)} % chance it follows back a new follower ({seen} are)",
        "probability": probability,
        "model_probability": estimate,
        "observed": observed._asdict(),
        "basis": (
            f"the model's {round(estimate * 100)} % (followers per account followed, models/follow_back.md) "
            f"updated on the follow-backs seen: {seen} are followed back; the model counts for "
            f"{PRIOR_STRENGTH:g} followers (models/audience.md)"
        ),
    }
