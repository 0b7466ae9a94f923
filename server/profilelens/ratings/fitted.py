"""The models' probabilities computed from their fitted numbers, without scikit-learn's per-call path.

The models stay what `make train` saves: scikit-learn pipelines loaded with skops. Scikit-learn's own
predict path re-checks its input at every step (validation, tags, dataframe probes, a joblib dispatch
per ColumnTransformer, a thread pool per tree ensemble): for one account that costs many times the
arithmetic. Here each step our models are built from is applied from its fitted attributes, the way
scikit-learn applies it, on the calling thread (no OpenMP pool: its start-up cost more than a few rows'
trees); a step of any other kind does its own transform. tests/models/test_fitted.py
holds every committed model to scikit-learn's own predict_proba on real accounts.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from scipy.special import expit
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, StackingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

# Up to this many rows a tree ensemble is walked here, all trees at once; beyond, scikit-learn's compiled
# walk, tree by tree, is faster (measured: 1 row 60 us against 400 us; 32 rows even; 1,000 rows 4x slower).
FEW_ROWS = 32

Matrix = Any  # a dense array (numbers, or objects when a column holds text) or a CSR matrix


def probabilities(model: Any, x: Matrix) -> np.ndarray[Any, Any]:
    """P(positive class) of each row of `x`: what `model.predict_proba(x)[:, 1]` gives."""
    return np.asarray(expit(log_odds(model, x)))  # as scikit-learn turns log-odds into a probability


def log_odds(model: Any, x: Matrix) -> np.ndarray[Any, Any]:
    """The binary classifier's log-odds of the positive class, one per row."""
    if isinstance(model, Pipeline):
        *steps, (_, last) = model.steps
        for _, step in steps:
            x = transform(step, x)
        return log_odds(last, x)
    if isinstance(model, LogisticRegression) and model.coef_.shape[0] == 1:
        return np.asarray(x @ model.coef_[0], dtype=np.float64).ravel() + float(model.intercept_[0])
    if isinstance(model, HistGradientBoostingClassifier) and model.n_trees_per_iteration_ == 1:
        numbers = np.asarray(x, dtype=np.float64)
        forest = _forest(model)
        if forest is not None and numbers.shape[0] < FEW_ROWS:
            return forest.log_odds(numbers)
        raw = np.zeros((numbers.shape[0], 1), dtype=np.float64, order="F")
        raw += model._baseline_prediction
        model._predict_iterations(numbers, model._predictors, raw, False, 1)  # scikit-learn's own walk
        return raw[:, 0]
    if isinstance(model, StackingClassifier) and model.stack_method_ == ["decision_function"] * len(
        model.estimators_
    ):
        stacked = [log_odds(estimator, x)[:, None] for estimator in model.estimators_]
        meta = np.hstack([*stacked, x]) if model.passthrough else np.hstack(stacked)
        return log_odds(model.final_estimator_, meta)
    with _trusted():
        return np.asarray(model.decision_function(x), dtype=np.float64).ravel()


def transform(step: Any, x: Matrix) -> Matrix:
    """What `step.transform(x)` gives, for the fitted steps our pipelines hold."""
    if isinstance(step, str) and step == "passthrough":
        return x
    if isinstance(step, Pipeline):
        for _, inner in step.steps:
            x = transform(inner, x)
        return x
    if isinstance(step, ColumnTransformer):
        return _columns(step, x)
    if isinstance(step, HashingVectorizer):
        return csr(step.transform(x))  # stateless, and cheap: its own
    if isinstance(step, TfidfTransformer):
        counts = csr(x).astype(np.float64, copy=True)
        if step.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        counts.data *= step.idf_[counts.indices]
        if step.norm == "l2":
            inplace_csr_row_normalize_l2(counts)
        elif step.norm is not None:
            with _trusted():
                return step.transform(x)
        return counts
    if isinstance(step, SimpleImputer) and _fills_nan_in_place(step):
        numbers = np.array(x, dtype=np.float64)
        missing = np.isnan(numbers)
        if missing.any():
            numbers[missing] = np.broadcast_to(step.statistics_, numbers.shape)[missing]
        return numbers
    if isinstance(step, SplineTransformer) and _constant_dense_splines(step):
        # Beyond the knots each basis keeps its value at the nearest edge: the spline at the clipped input.
        columns = []
        for feature, spline in enumerate(step.bsplines_):
            low, high = spline.t[step.degree], spline.t[-step.degree - 1]
            columns.append(spline(np.clip(np.asarray(x[:, feature], dtype=np.float64), low, high)))
        return np.hstack(columns)
    if isinstance(step, StandardScaler):
        numbers = np.array(x, dtype=np.float64)
        if step.with_mean:
            numbers -= step.mean_
        if step.with_std:
            numbers /= step.scale_
        return numbers
    with _trusted():
        return step.transform(x)


def _trusted() -> Any:
    """How a step we do not read ourselves is asked: trusting its input (rows ratings/inputs.py built,
    numbers or NaN, never a dataframe), so it does not re-check parameters or scan for infinities."""
    return sklearn.config_context(assume_finite=True, skip_parameter_validation=True)


def _fills_nan_in_place(step: SimpleImputer) -> bool:
    """An imputer that only replaces NaN by its statistics: no indicator columns, no column dropped."""
    missing = step.missing_values
    return (
        not step.add_indicator
        and isinstance(missing, float)
        and math.isnan(missing)
        and (step.keep_empty_features or not np.isnan(step.statistics_).any())
    )


def _constant_dense_splines(step: SplineTransformer) -> bool:
    return (
        step.extrapolation == "constant"
        and step.include_bias
        and not step.sparse_output
        and getattr(step, "handle_missing", "error") == "error"
    )


def _columns(step: ColumnTransformer, x: Matrix) -> Matrix:
    parts = []
    for _, inner, columns in step.transformers_:
        if isinstance(inner, str) and inner == "drop":
            continue
        picked = x[:, columns]
        if isinstance(inner, str) and inner == "passthrough" and picked.dtype == object:
            picked = picked.astype(np.float64)
        parts.append(transform(inner, picked))
    if any(sparse.issparse(part) for part in parts):
        return _csr_hstack(parts)
    return np.hstack(parts)


def csr(x: Matrix) -> sparse.csr_matrix:
    return x if isinstance(x, sparse.csr_matrix) else sparse.csr_matrix(x)


def _csr_hstack(parts: list[Matrix]) -> sparse.csr_matrix:
    """Side by side as one CSR matrix (scipy's own hstack validates and converts each block: here the
    blocks are only laid out, each row's entries in column order; a dense block's zeros are kept)."""
    rows, columns, values, width = [], [], [], 0
    n = parts[0].shape[0]
    for part in parts:
        if sparse.issparse(part):
            block = csr(part)
            rows.append(np.repeat(np.arange(n), np.diff(block.indptr)))
            columns.append(block.indices.astype(np.int64) + width)
            values.append(block.data.astype(np.float64, copy=False))
        else:
            dense = np.asarray(part, dtype=np.float64)
            rows.append(np.repeat(np.arange(n), dense.shape[1]))
            columns.append(np.tile(np.arange(dense.shape[1], dtype=np.int64), n) + width)
            values.append(dense.ravel())
        width += part.shape[1]
    row = np.concatenate(rows)
    order = np.argsort(row, kind="stable")  # each block's entries stay in their order, blocks in turn
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n))])
    return sparse.csr_matrix(
        (np.concatenate(values)[order], np.concatenate(columns)[order], indptr), shape=(n, width)
    )


@dataclass(frozen=True, slots=True)
class _Forest:
    """A binary tree ensemble's nodes, all trees in one set of arrays, walked for every row and tree at
    once: the per-tree calls into scikit-learn cost more than the walking. A node goes left when its
    input is at most its threshold, or when the input is missing and it sends missing values left."""

    roots: np.ndarray[Any, Any]
    feature: np.ndarray[Any, Any]
    threshold: np.ndarray[Any, Any]
    missing_left: np.ndarray[Any, Any]
    left: np.ndarray[Any, Any]
    right: np.ndarray[Any, Any]
    is_leaf: np.ndarray[Any, Any]
    value: np.ndarray[Any, Any]
    baseline: float
    depth: int

    def log_odds(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        node = np.tile(self.roots, (x.shape[0], 1))
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            seen = x[rows, self.feature[node]]
            goes_left = np.where(np.isnan(seen), self.missing_left[node], seen <= self.threshold[node])
            node = np.where(self.is_leaf[node], node, np.where(goes_left, self.left[node], self.right[node]))
        return np.asarray(self.baseline + self.value[node].sum(axis=1))


@functools.lru_cache(maxsize=8)
def _forest(model: HistGradientBoostingClassifier) -> _Forest | None:
    """None for a forest with categorical splits (scikit-learn's own walk reads those)."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    if any(tree["is_categorical"].any() for tree in trees):
        return None
    offsets = np.cumsum([0] + [len(tree) for tree in trees[:-1]])
    nodes = np.concatenate(trees)
    shift = np.repeat(offsets, [len(tree) for tree in trees])
    return _Forest(
        roots=offsets,
        feature=nodes["feature_idx"].astype(np.intp),
        threshold=nodes["num_threshold"],
        missing_left=nodes["missing_go_to_left"].astype(bool),
        left=nodes["left"].astype(np.intp) + shift,
        right=nodes["right"].astype(np.intp) + shift,
        is_leaf=nodes["is_leaf"].astype(bool),
        value=nodes["value"],
        baseline=float(model._baseline_prediction.ravel()[0]),
        depth=int(nodes["depth"].max()),
    )
