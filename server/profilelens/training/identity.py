"""Organisation vs individual from the profile alone, learned from Humanizr's labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, StackingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from profilelens.ratings import IDENTITY_NUMBERS, identity_matrix, identity_row
from profilelens.training.data import HUMANIZR_COLLECTED_AT, LabelledAccount, OnePostAccount

SEED = 20151
FOLDS = 5
HASHED_FEATURES = 2**18
BAR = {"roc_auc": 0.95, "organisation_f1": 0.90}


def build_pipeline() -> StackingClassifier:
    """Character n-grams of name and bio (a logistic model) stacked under gradient-boosted trees that
    also read the profile numbers; the trees handle missing numbers natively."""
    n_numbers = len(IDENTITY_NUMBERS)
    # Hashed n-grams: no vocabulary to store, so the model file stays small (a fitted vocabulary of
    # character 4-grams, with its pruned terms, made a 66 MB file).
    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), n_features=HASHED_FEATURES, alternate_sign=False, norm=None
    )
    text = Pipeline(
        [
            ("columns", ColumnTransformer([("chars", chars, 0)])),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            ("logistic", LogisticRegression(C=3.0, max_iter=3000)),
        ]
    )
    # The stack passes [text score, profile text, *numbers] on; the trees take the score and numbers.
    trees = Pipeline(
        [
            ("columns", ColumnTransformer([("numbers", "passthrough", [0, *range(2, n_numbers + 2)])])),
            (
                "trees",
                # 100 trees score as well as 300 in cross-validation, and one account is scored by
                # walking every tree: fewer trees, faster reports.
                HistGradientBoostingClassifier(
                    max_iter=100,
                    learning_rate=0.08,
                    max_leaf_nodes=15,
                    l2_regularization=1.0,
                    random_state=SEED,
                ),
            ),
        ]
    )
    return StackingClassifier(
        [("text", text)],
        final_estimator=trees,
        cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED + 1),
        stack_method="decision_function",
        passthrough=True,
    )


@dataclass(slots=True)
class IdentityResult:
    model: StackingClassifier
    metrics: dict[str, Any]
    out_of_fold: np.ndarray[Any, Any]  # each account's probability from a model that never saw it


def matrix(accounts: list[LabelledAccount]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    x = identity_matrix([identity_row(item.account, HUMANIZR_COLLECTED_AT) for item in accounts])
    y = np.array([item.organisation for item in accounts], dtype=int)
    return x, y


def classification_metrics(y: np.ndarray[Any, Any], p: np.ndarray[Any, Any]) -> dict[str, float]:
    predicted = p >= 0.5
    return {
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
        "organisation_f1": round(float(f1_score(y, predicted)), 4),
        "organisation_precision": round(float(precision_score(y, predicted)), 4),
        "organisation_recall": round(float(recall_score(y, predicted)), 4),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
    }


def train_identity(accounts: list[LabelledAccount], crowdflower: list[OnePostAccount]) -> IdentityResult:
    x, y = matrix(accounts)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    out_of_fold = cross_val_predict(build_pipeline(), x, y, cv=folds, method="predict_proba")[:, 1]
    cv = classification_metrics(y, out_of_fold)
    per_fold = []
    for _, test in folds.split(x, y):
        per_fold.append(classification_metrics(y[test], out_of_fold[test]))
    model = build_pipeline().fit(x, y)
    # A check on other data with another label meaning: CrowdFlower's brand vs person profiles (2015,
    # no follower or following counts). Never used for fitting.
    xc = identity_matrix(
        [identity_row(item.account, item.post.created_at or HUMANIZR_COLLECTED_AT) for item in crowdflower]
    )
    yc = np.array([item.brand for item in crowdflower], dtype=int)
    external = classification_metrics(yc, model.predict_proba(xc)[:, 1])
    metrics = {
        "data": {"accounts": len(y), "organisations": int(y.sum()), "individuals": int(len(y) - y.sum())},
        "cross_validation": {"folds": FOLDS, "seed": SEED, **cv, "per_fold": per_fold},
        "bar": BAR,
        "meets_bar": cv["roc_auc"] >= BAR["roc_auc"] and cv["organisation_f1"] >= BAR["organisation_f1"],
        "crowdflower_brand_check": {"accounts": len(yc), "brands": int(yc.sum()), **external},
    }
    return IdentityResult(model, metrics, out_of_fold)
