"""ratings/fitted.py gives every committed model's own probabilities: scikit-learn's predict_proba on
real accounts (Humanizr profiles; labelled timelines of support desks, French MPs and universities,
with and without their replies), row by row and as one matrix."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import numpy as np
import pytest

from conftest import shared_data
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import fitted, identity, verdict
from profilelens.ratings.inputs import follow_back_row, matrix, posts_row, profile_row
from profilelens.ratings.models import FOLLOW_BACK_FILE, IDENTITY_FILE, VERDICT_FILE, loaded

NOW = datetime(2026, 11, 22, tzinfo=UTC)
SOURCES = ("twitter-customer-care-document-prediction", "analyse-deputes-fr", "aus-uni-twitter-sentiment")


def model(file_name: str) -> Any:
    state = loaded(SOURCE_MODELS_DIR, file_name)
    assert state.model is not None, state.reason
    return state.model


@cache
def profiles() -> np.ndarray[Any, Any]:
    from profilelens.training.data import load_humanizr

    shared_data("labeled/humanizr-org-vs-individual")
    return matrix([profile_row(labelled.account, NOW) for labelled in load_humanizr()[::10]])


@cache
def timelines() -> list[Any]:
    from profilelens.training.timelines import load_timelines

    shared_data("timelines")
    found = [t for t in load_timelines(sources=SOURCES) if len(t.posts) >= identity.MIN_POSTS]
    assert len(found) > 50
    return found


def same_as_scikit_learn(estimator: Any, x: Any) -> None:
    expected = estimator.predict_proba(x)[:, 1]
    assert fitted.probabilities(estimator, x) == pytest.approx(expected, abs=1e-12)
    few = x[: fitted.FEW_ROWS - 1]  # walked here rather than by scikit-learn, for a tree ensemble
    assert fitted.probabilities(estimator, few) == pytest.approx(expected[: len(few)], abs=1e-12)
    for i in range(0, x.shape[0], max(1, x.shape[0] // 20)):  # one row alone reads as it does in a matrix
        assert fitted.probabilities(estimator, x[i : i + 1])[0] == pytest.approx(expected[i], abs=1e-12)


def test_identity_profile_part() -> None:
    x = profiles()
    assert x.shape[0] > 300
    same_as_scikit_learn(model(IDENTITY_FILE)[identity.PROFILE], x)


def test_identity_posts_part() -> None:
    x = matrix([posts_row(t.account, t.posts, NOW) for t in timelines()])
    same_as_scikit_learn(model(IDENTITY_FILE)[identity.POSTS], x)


@pytest.mark.parametrize("replies_visible", [True, False])
def test_verdict(replies_visible: bool) -> None:
    view = verdict.WITH_REPLIES if replies_visible else verdict.WITHOUT_REPLIES
    x = matrix(
        [
            verdict.verdict_input(t.account, t.posts, None, NOW, replies_visible=replies_visible)
            for t in timelines()
        ]
    )
    same_as_scikit_learn(model(VERDICT_FILE)[view], x)


def test_follow_back_inside_and_beyond_the_knots() -> None:
    ratios = [
        follow_back_row(followers, following)
        for followers in (0, 3, 250, 10**6, 10**9)
        for following in (0, 7, 900, 10**6)
    ]
    x = np.array([*ratios, [-40.0], [40.0]])
    same_as_scikit_learn(model(FOLLOW_BACK_FILE), x)


def test_a_missing_number_is_filled_as_scikit_learn_fills_it() -> None:
    x = matrix([posts_row(t.account, t.posts, NOW) for t in timelines()[:10]])
    x[:, 1:] = np.nan  # every number unmeasured: each reads as its training average
    same_as_scikit_learn(model(IDENTITY_FILE)[identity.POSTS], x)
    x = profiles()[:40].copy()
    x[:, 2::2] = np.nan  # the trees send missing numbers the way each split learned
    same_as_scikit_learn(model(IDENTITY_FILE)[identity.PROFILE], x)
