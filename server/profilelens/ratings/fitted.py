"""The models as their fitted numbers: each step of a model file applied the way scikit-learn applies it.

The models stay what `make train` saves: scikit-learn pipelines in skops files. Serving reads those files
as plain records (ratings/modelfile.py) and turns each fitted step into the arithmetic it stands for, so
a report imports neither scikit-learn nor scipy (most of a second at start) and pays none of
scikit-learn's per-call checks (validation, tags, a joblib dispatch per column transformer, a thread pool
per tree ensemble: for one account many times the arithmetic). A file with a step or setting our
training never writes is refused when it is read (UnreadableModel), not when an account is scored.
tests/models/test_fitted.py holds every committed model to scikit-learn's own predict_proba on real
accounts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from profilelens.ratings import hashing, modelfile
from profilelens.ratings.hashing import Rows
from profilelens.ratings.modelfile import Fitted, UnreadableModel

# A tree ensemble walks this many rows at a time, all trees at once: per row as fast as scikit-learn's
# compiled walk tree by tree (measured: 1 row 60 us against 400 us; 32 rows even).
ROWS_PER_WALK = 32

Matrix = Any  # a dense array (numbers, or objects when a column holds text), or Rows


def read_model(path: Path) -> Any:
    """A model file as scorers: every fitted model or step in it becomes one of the classes below;
    dicts of them (a model per part or per view) and plain numbers stay as they are."""
    return _scorers(modelfile.read(path))


def _scorers(tree: Any) -> Any:
    if isinstance(tree, Fitted):
        return compiled(tree)
    if isinstance(tree, dict):
        return {key: _scorers(value) for key, value in tree.items()}
    return tree


def probabilities(model: Any, x: Matrix) -> np.ndarray[Any, Any]:
    """P(positive class) of each row of `x`: what scikit-learn's `predict_proba(x)[:, 1]` gives."""
    return sigmoid(model.log_odds(x))


def sigmoid(log_odds: Any) -> np.ndarray[Any, Any]:
    """The logistic function, without overflow at either end."""
    z = np.asarray(log_odds, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@dataclass(frozen=True, slots=True)
class Chain:
    """A Pipeline: each step transforms in turn; as a model, its last step scores."""

    steps: tuple[tuple[str, Any], ...]

    def named(self, name: str) -> Any:
        return dict(self.steps)[name]

    def transform(self, x: Matrix) -> Matrix:
        for _, step in self.steps:
            x = step.transform(x)
        return x

    def log_odds(self, x: Matrix) -> np.ndarray[Any, Any]:
        *steps, (_, last) = self.steps
        for _, step in steps:
            x = step.transform(x)
        return np.asarray(last.log_odds(x))


@dataclass(frozen=True, slots=True)
class Columns:
    """A ColumnTransformer: each part reads its columns; the parts' outputs side by side."""

    parts: tuple[tuple[str, Any, Any], ...]  # name, step (None: pass the columns on), columns
    sparse: bool  # what scikit-learn decided at fit: sparse output when its parts were sparse enough

    def named(self, name: str) -> Any:
        return {part_name: step for part_name, step, _ in self.parts}[name]

    def transform(self, x: Matrix) -> Matrix:
        outputs = []
        for _, step, columns in self.parts:
            picked = x[:, columns]
            outputs.append(picked if step is None else step.transform(picked))
        if self.sparse:
            return side_by_side(outputs)
        return np.hstack([dense(output) for output in outputs])


@dataclass(frozen=True, slots=True)
class Hash:
    """A HashingVectorizer: one text column into counts of hashed terms."""

    hashing: hashing.Hashing

    def transform(self, x: Matrix) -> Rows:
        return self.hashing.rows(x)


@dataclass(frozen=True, slots=True)
class Tfidf:
    idf: np.ndarray[Any, Any] | None
    sublinear: bool
    l2: bool

    def transform(self, x: Rows) -> Rows:
        values = x.data.astype(np.float64, copy=True)
        if self.sublinear:
            np.log(values, out=values)
            values += 1.0
        if self.idf is not None:
            values *= self.idf[x.indices]
        if self.l2:
            rows = x.row_of_entries()
            norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=x.shape[0]))
            values /= np.where(norms == 0.0, 1.0, norms)[rows]  # an empty row stays empty
        return Rows(x.indptr, x.indices, values, x.width)


@dataclass(frozen=True, slots=True)
class Fill:
    """A SimpleImputer that replaces NaN by each column's fitted statistic."""

    statistics: np.ndarray[Any, Any]

    def transform(self, x: Matrix) -> np.ndarray[Any, Any]:
        numbers = np.array(x, dtype=np.float64)
        missing = np.isnan(numbers)
        if missing.any():
            numbers[missing] = np.broadcast_to(self.statistics, numbers.shape)[missing]
        return numbers


@dataclass(frozen=True, slots=True)
class Scale:
    mean: np.ndarray[Any, Any] | None
    scale: np.ndarray[Any, Any] | None

    def transform(self, x: Matrix) -> np.ndarray[Any, Any]:
        numbers = np.array(x, dtype=np.float64)
        if self.mean is not None:
            numbers -= self.mean
        if self.scale is not None:
            numbers /= self.scale
        return numbers


@dataclass(frozen=True, slots=True)
class Splines:
    """A SplineTransformer with constant extrapolation: each input's B-spline basis, the input clipped to
    the knots' base interval (beyond it each basis keeps its value at the nearest edge)."""

    knots: tuple[np.ndarray[Any, Any], ...]  # one knot vector per input column
    degree: int

    def transform(self, x: Matrix) -> np.ndarray[Any, Any]:
        numbers = np.asarray(x, dtype=np.float64)
        return np.hstack([self._basis(t, numbers[:, i]) for i, t in enumerate(self.knots)])

    def _basis(self, t: np.ndarray[Any, Any], x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """de Boor's recursion, as scipy's BSpline evaluates a basis (its coefficients the identity)."""
        k, n = self.degree, len(t) - self.degree - 1
        x = np.clip(x, t[k], t[n])
        interval = np.clip(np.searchsorted(t, x, side="right") - 1, k, n - 1)
        h = np.zeros((len(x), k + 1))
        h[:, 0] = 1.0
        for j in range(1, k + 1):
            previous = h[:, :j].copy()
            h[:, 0] = 0.0
            for m in range(1, j + 1):
                right, left = t[interval + m], t[interval + m - j]
                span = right - left
                w = np.divide(previous[:, m - 1], span, out=np.zeros(len(x)), where=span != 0.0)
                h[:, m - 1] += w * (right - x)
                h[:, m] = w * (x - left)
        out = np.zeros((len(x), n))
        rows = np.arange(len(x))[:, None]
        out[rows, interval[:, None] - k + np.arange(k + 1)] = h
        return out


@dataclass(frozen=True, slots=True)
class Linear:
    """A binary LogisticRegression: log-odds = row . coef + intercept."""

    coef: np.ndarray[Any, Any]
    intercept: float

    def log_odds(self, x: Matrix) -> np.ndarray[Any, Any]:
        if isinstance(x, Rows):
            pushes = x.data * self.coef[x.indices]
            return np.bincount(x.row_of_entries(), weights=pushes, minlength=x.shape[0]) + self.intercept
        return np.asarray(np.asarray(x, dtype=np.float64) @ self.coef + self.intercept)


@dataclass(frozen=True, slots=True)
class Forest:
    """A binary HistGradientBoostingClassifier without categorical splits: every tree's nodes in one set
    of arrays, walked for a chunk of rows and all trees at once. A node goes left when its input is at
    most its threshold, or when the input is missing and it sends missing values left."""

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

    def log_odds(self, x: Matrix) -> np.ndarray[Any, Any]:
        numbers = np.asarray(x, dtype=np.float64)
        chunks = [self._walk(numbers[s : s + ROWS_PER_WALK]) for s in range(0, len(numbers), ROWS_PER_WALK)]
        return np.concatenate(chunks) if chunks else np.zeros(0)

    def _walk(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        node = np.tile(self.roots, (x.shape[0], 1))
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            seen = x[rows, self.feature[node]]
            goes_left = np.where(np.isnan(seen), self.missing_left[node], seen <= self.threshold[node])
            node = np.where(self.is_leaf[node], node, np.where(goes_left, self.left[node], self.right[node]))
        return np.asarray(self.baseline + self.value[node].sum(axis=1))


@dataclass(frozen=True, slots=True)
class Stack:
    """A StackingClassifier over decision functions: its estimators' log-odds, then (passthrough) the
    input, read by the final model."""

    estimators: tuple[Any, ...]
    final: Any
    passthrough: bool

    def log_odds(self, x: Matrix) -> np.ndarray[Any, Any]:
        stacked = [estimator.log_odds(x)[:, None] for estimator in self.estimators]
        return np.asarray(
            self.final.log_odds(np.hstack([*stacked, x]) if self.passthrough else np.hstack(stacked))
        )


def compiled(record: Fitted) -> Any:
    """The scorer for one fitted model or step; UnreadableModel for anything our training never writes."""
    build = _BUILDERS.get(record.name)
    if build is None:
        raise UnreadableModel(f"holds a {record.name}, which ProfileLens does not read as a model step")
    try:
        return build(record)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise UnreadableModel(f"its {record.name} is not as ProfileLens trains it ({exc})") from exc


def _chain(record: Fitted) -> Chain:
    return Chain(tuple((name, compiled(step)) for name, step in record.steps))


def _columns(record: Fitted) -> Columns:
    parts = []
    for name, step, columns in record.transformers_:
        if step == "drop":
            continue
        if isinstance(step, Fitted) and step.name == "FunctionTransformer":
            step.require(func=None, validate=False)  # scikit-learn's stand-in for "passthrough"
            step = "passthrough"
        parts.append((name, None if step == "passthrough" else compiled(step), columns))
    return Columns(tuple(parts), bool(record.sparse_output_))


def _tfidf(record: Fitted) -> Tfidf:
    if record.norm not in ("l2", None):
        raise UnreadableModel(f"its TfidfTransformer has a norm ProfileLens never uses: {record.norm}")
    idf = record.attrs.get("idf_")
    return Tfidf(
        None if idf is None else np.asarray(idf, np.float64), bool(record.sublinear_tf), record.norm == "l2"
    )


def _fill(record: Fitted) -> Fill:
    missing = record.missing_values
    record.require(add_indicator=False)
    statistics = np.asarray(record.statistics_, dtype=np.float64)
    if not (isinstance(missing, float) and math.isnan(missing)):
        raise UnreadableModel(
            "its SimpleImputer fills something other than NaN, which ProfileLens never trains"
        )
    if not record.keep_empty_features and np.isnan(statistics).any():
        raise UnreadableModel("its SimpleImputer drops empty columns, which ProfileLens never trains")
    return Fill(statistics)


def _scale(record: Fitted) -> Scale:
    return Scale(
        np.asarray(record.mean_, np.float64) if record.with_mean else None,
        np.asarray(record.scale_, np.float64) if record.with_std else None,
    )


def _splines(record: Fitted) -> Splines:
    record.require(extrapolation="constant", include_bias=True, sparse_output=False)
    knots = []
    for spline in record.bsplines_:
        t, c = spline.attrs.get("_t", spline.attrs.get("t")), spline.attrs.get("_c", spline.attrs.get("c"))
        if int(spline.k) != int(record.degree) or not np.array_equal(c, np.eye(len(t) - spline.k - 1)):
            raise UnreadableModel("its SplineTransformer's splines are not a plain basis")
        knots.append(np.asarray(t, dtype=np.float64))
    return Splines(tuple(knots), int(record.degree))


def _linear(record: Fitted) -> Linear:
    coef = np.asarray(record.coef_, dtype=np.float64)
    if coef.shape[0] != 1:
        raise UnreadableModel("its LogisticRegression has more than two classes")
    return Linear(coef[0], float(record.intercept_[0]))


def _forest(record: Fitted) -> Forest:
    if record.n_trees_per_iteration_ != 1:
        raise UnreadableModel("its tree ensemble has more than two classes")
    trees = [predictors[0].nodes for predictors in record._predictors]
    if any(tree["is_categorical"].any() for tree in trees):
        raise UnreadableModel("its tree ensemble splits on categories, which ProfileLens never trains")
    offsets = np.cumsum([0] + [len(tree) for tree in trees[:-1]])
    nodes = np.concatenate(trees)
    shift = np.repeat(offsets, [len(tree) for tree in trees])
    return Forest(
        roots=offsets,
        feature=nodes["feature_idx"].astype(np.intp),
        threshold=nodes["num_threshold"],
        missing_left=nodes["missing_go_to_left"].astype(bool),
        left=nodes["left"].astype(np.intp) + shift,
        right=nodes["right"].astype(np.intp) + shift,
        is_leaf=nodes["is_leaf"].astype(bool),
        value=nodes["value"],
        baseline=float(np.ravel(record._baseline_prediction)[0]),
        depth=int(nodes["depth"].max()),
    )


def _stack(record: Fitted) -> Stack:
    if list(record.stack_method_) != ["decision_function"] * len(record.estimators_):
        raise UnreadableModel("its stack reads something other than its estimators' decision functions")
    return Stack(
        tuple(compiled(e) for e in record.estimators_),
        compiled(record.final_estimator_),
        bool(record.passthrough),
    )


_BUILDERS: Mapping[str, Any] = {
    "Pipeline": _chain,
    "ColumnTransformer": _columns,
    "HashingVectorizer": lambda record: Hash(hashing.of(record)),
    "TfidfTransformer": _tfidf,
    "SimpleImputer": _fill,
    "StandardScaler": _scale,
    "SplineTransformer": _splines,
    "LogisticRegression": _linear,
    "HistGradientBoostingClassifier": _forest,
    "StackingClassifier": _stack,
}


def dense(x: Matrix) -> np.ndarray[Any, Any]:
    if not isinstance(x, Rows):
        return np.asarray(x)
    out = np.zeros(x.shape)
    np.add.at(out, (x.row_of_entries(), x.indices), x.data)
    return out


def side_by_side(parts: list[Matrix]) -> Rows:
    """Blocks side by side as one Rows, each row's entries block by block (a dense block's zeros kept)."""
    rows, columns, values, width = [], [], [], 0
    n = parts[0].shape[0]
    for part in parts:
        if isinstance(part, Rows):
            rows.append(part.row_of_entries())
            columns.append(part.indices.astype(np.int64) + width)
            values.append(part.data.astype(np.float64, copy=False))
        else:
            block = np.asarray(part, dtype=np.float64)
            rows.append(np.repeat(np.arange(n), block.shape[1]))
            columns.append(np.tile(np.arange(block.shape[1], dtype=np.int64), n) + width)
            values.append(block.ravel())
        width += part.shape[1]
    row = np.concatenate(rows)
    order = np.argsort(row, kind="stable")  # each block's entries stay in their order, blocks in turn
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n))]).astype(np.int64)
    return Rows(indptr, np.concatenate(columns)[order], np.concatenate(values)[order], width)
