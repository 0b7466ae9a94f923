"""Follow-back likelihood: the chance the account follows back a new follower."""

from __future__ import annotations

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


def section(account: Account, directory: Path | None = None) -> dict[str, Any]:
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
    row = np.array([follow_back_row(account.followers, account.following)])
    with scoring():
        probability = round(float(state.model.predict_proba(row)[0, 1]), 3)
    return {
        "available": True,
        "reason": None,
        "tone": tone(probability),
        "summary": f"{round(probability * 100)} % chance it follows back a new follower",
        "probability": probability,
        "follows_you": account.follows_you,
        "basis": "followers per account followed, fitted on real follow graphs (models/follow_back.md)",
    }
