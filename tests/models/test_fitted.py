"""ratings/fitted.py gives every committed model's own probabilities: scikit-learn's predict_proba, on the
model skops builds from the same file, on real accounts (Humanizr profiles; labelled timelines of
support desks, French MPs and universities, with and without their replies), row by row and as one
matrix."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skops.io as sio

from conftest import shared_data
from modelkit import built_by_skops
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import fitted, identity, verdict
from profilelens.ratings.inputs import follow_back_row, matrix, posts_row, profile_row
from profilelens.ratings.models import FOLLOW_BACK_FILE, IDENTITY_FILE, VERDICT_FILE, load_model

NOW = datetime(2026, 11, 22, tzinfo=UTC)
SOURCES = ("twitter-customer-care-document-prediction", "analyse-deputes-fr", "aus-uni-twitter-sentiment")


@cache
def both(file_name: str) -> tuple[Any, Any]:
    """The file as serving reads it, and as skops builds it into scikit-learn's objects."""
    return load_model(SOURCE_MODELS_DIR / file_name), built_by_skops(file_name)


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


def same_as_scikit_learn(file_name: str, part: str | None, x: Any) -> None:
    served, built = both(file_name)
    scorer, estimator = (served, built) if part is None else (served[part], built[part])
    expected = estimator.predict_proba(x)[:, 1]
    assert fitted.probabilities(scorer, x) == pytest.approx(expected, abs=1e-12)
    for i in range(0, x.shape[0], max(1, x.shape[0] // 20)):  # one row alone reads as it does in a matrix
        assert fitted.probabilities(scorer, x[i : i + 1])[0] == pytest.approx(expected[i], abs=1e-12)


def test_identity_profile_part() -> None:
    x = profiles()
    assert x.shape[0] > 300
    assert x.shape[0] > fitted.ROWS_PER_WALK  # the trees walk it in chunks
    same_as_scikit_learn(IDENTITY_FILE, identity.PROFILE, x)


def test_identity_posts_part() -> None:
    x = matrix([posts_row(t.account, t.posts, NOW) for t in timelines()])
    same_as_scikit_learn(IDENTITY_FILE, identity.POSTS, x)


@pytest.mark.parametrize("replies_visible", [True, False])
def test_verdict(replies_visible: bool) -> None:
    view = verdict.WITH_REPLIES if replies_visible else verdict.WITHOUT_REPLIES
    x = matrix(
        [
            verdict.verdict_input(t.account, t.posts, None, NOW, replies_visible=replies_visible)
            for t in timelines()
        ]
    )
    same_as_scikit_learn(VERDICT_FILE, view, x)


def test_follow_back_inside_and_beyond_the_knots() -> None:
    ratios = [
        follow_back_row(followers, following)
        for followers in (0, 3, 250, 10**6, 10**9)
        for following in (0, 7, 900, 10**6)
    ]
    x = np.array([*ratios, [-40.0], [40.0]])
    same_as_scikit_learn(FOLLOW_BACK_FILE, None, x)


def test_a_missing_number_is_filled_as_scikit_learn_fills_it() -> None:
    x = matrix([posts_row(t.account, t.posts, NOW) for t in timelines()[:10]])
    x[:, 1:] = np.nan  # every number unmeasured: each reads as its training average
    same_as_scikit_learn(IDENTITY_FILE, identity.POSTS, x)
    x = profiles()[:40].copy()
    x[:, 2::2] = np.nan  # the trees send missing numbers the way each split learned
    same_as_scikit_learn(IDENTITY_FILE, identity.PROFILE, x)


def test_a_column_transformer_with_dense_output_is_applied_as_scikit_learn_applies_it(tmp_path: Path) -> None:
    """Our models' column transformers leave hashed words sparse; one that scikit-learn made dense (its
    parts dense enough at fit) is read too, and so are passthrough columns beside text."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    x = matrix([[post.text, float(len(post.text))] for t in timelines()[:40] for post in t.posts[:5]])
    y = [i % 2 for i in range(len(x))]
    words = HashingVectorizer(n_features=64, norm=None, alternate_sign=False)
    columns = ColumnTransformer([("words", words, 0), ("length", "passthrough", [1])], sparse_threshold=0.0)
    model = Pipeline([("columns", columns), ("logistic", LogisticRegression(max_iter=500))]).fit(x, y)
    assert model.named_steps["columns"].sparse_output_ is False
    path = tmp_path / "dense.skops"
    sio.dump(model, path)
    expected = model.predict_proba(x)[:, 1]
    assert fitted.probabilities(load_model(path), x) == pytest.approx(expected, abs=1e-12)
