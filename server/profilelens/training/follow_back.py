"""Follow-back likelihood from real follow graphs: how often an account follows back its followers.

Each node of a graph has in-graph followers; its follow-back rate is the share of them it follows too.
The model reads what a profile shows, the followers-per-following ratio, and is fitted as a binomial
model over every (account, follower) pair, so its output is a probability of following back one more
ordinary follower. Validation: fit on two graphs, test on the third, all three rotations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer

from profilelens.ratings.inputs import follow_back_row
from profilelens.training.data import FollowGraph

RELIABILITY_BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
MIN_FOLLOWERS_FOR_RANK = 5  # rank correlation on nodes whose rate rests on a few followers at least


@dataclass(slots=True)
class NodeTable:
    """One row per node with at least one in-graph follower."""

    graph: str
    followers: np.ndarray[Any, Any]
    following: np.ndarray[Any, Any]
    followed_back: np.ndarray[Any, Any]

    @property
    def rate(self) -> np.ndarray[Any, Any]:
        rate: np.ndarray[Any, Any] = self.followed_back / self.followers
        return rate


def node_table(graph: FollowGraph) -> NodeTable:
    followers: list[set[int]] = [set() for _ in range(graph.nodes)]
    following: list[set[int]] = [set() for _ in range(graph.nodes)]
    for src, trg in graph.edges:
        followers[trg].add(src)
        following[src].add(trg)
    rows = [
        (len(followers[v]), len(following[v]), len(followers[v] & following[v]))
        for v in range(graph.nodes)
        if followers[v]
    ]
    a = np.array(rows, dtype=float)
    return NodeTable(graph.name, a[:, 0], a[:, 1], a[:, 2])


def inputs(table: NodeTable) -> np.ndarray[Any, Any]:
    return np.array([follow_back_row(f, g) for f, g in zip(table.followers, table.following, strict=True)])


def build_pipeline() -> Pipeline:
    # A smooth monotone-enough curve of the log ratio; constant beyond the range seen in training.
    return Pipeline(
        [
            ("spline", SplineTransformer(n_knots=5, degree=3, extrapolation="constant")),
            ("logistic", LogisticRegression(C=1.0, max_iter=2000)),
        ]
    )


def fit(tables: list[NodeTable]) -> Pipeline:
    """Binomial fit: each node contributes its followed-back and not-followed-back followers as weights."""
    x = np.vstack([inputs(t) for t in tables])
    n = np.concatenate([t.followers for t in tables])
    k = np.concatenate([t.followed_back for t in tables])
    xx = np.vstack([x, x])
    y = np.r_[np.ones(len(x)), np.zeros(len(x))]
    w = np.r_[k, n - k]
    keep = w > 0
    model = build_pipeline()
    model.fit(xx[keep], y[keep], logistic__sample_weight=w[keep])
    return model


def brier(p: np.ndarray[Any, Any], table: NodeTable) -> float:
    """Mean squared error over every (node, follower) pair of the graph."""
    n, k = table.followers, table.followed_back
    return float((k * (1 - p) ** 2 + (n - k) * p**2).sum() / n.sum())


def reliability(p: np.ndarray[Any, Any], table: NodeTable) -> list[dict[str, Any]]:
    rows = []
    for low, high in itertools.pairwise(RELIABILITY_BINS):
        inside = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        if not inside.any():
            continue
        pairs = table.followers[inside]
        rows.append(
            {
                "bin": f"{low:.2f}-{high:.2f}",
                "nodes": int(inside.sum()),
                "pairs": int(pairs.sum()),
                "mean_predicted": round(float((p[inside] * pairs).sum() / pairs.sum()), 4),
                "observed_rate": round(float(table.followed_back[inside].sum() / pairs.sum()), 4),
            }
        )
    return rows


def evaluate(model: Pipeline, train: list[NodeTable], test: NodeTable) -> dict[str, Any]:
    p = model.predict_proba(inputs(test))[:, 1]
    base = sum(float(t.followed_back.sum()) for t in train) / sum(float(t.followers.sum()) for t in train)
    enough = test.followers >= MIN_FOLLOWERS_FOR_RANK
    return {
        "test_graph": test.graph,
        "train_graphs": [t.graph for t in train],
        "nodes": len(p),
        "pairs": int(test.followers.sum()),
        "observed_rate": round(float(test.followed_back.sum() / test.followers.sum()), 4),
        "brier": round(brier(p, test), 4),
        "brier_constant_baseline": round(brier(np.full_like(p, base), test), 4),
        "spearman_all_nodes": round(float(spearmanr(p, test.rate).statistic), 4),
        f"spearman_nodes_with_{MIN_FOLLOWERS_FOR_RANK}_plus_followers": round(
            float(spearmanr(p[enough], test.rate[enough]).statistic), 4
        ),
        "reliability": reliability(p, test),
    }


@dataclass(slots=True)
class FollowBackResult:
    model: Pipeline
    metrics: dict[str, Any]


def train_follow_back(graphs: list[FollowGraph]) -> FollowBackResult:
    tables = [node_table(g) for g in graphs]
    rotations = []
    for i, test in enumerate(tables):
        train = [t for j, t in enumerate(tables) if j != i]
        rotations.append(evaluate(fit(train), train, test))
    model = fit(tables)
    grid = [-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0]
    curve = model.predict_proba(np.array(grid)[:, None])[:, 1]
    metrics = {
        "data": {
            t.graph: {
                "nodes_with_followers": len(t.followers),
                "pairs": int(t.followers.sum()),
                "followed_back_pairs": int(t.followed_back.sum()),
                "mean_node_rate": round(float(t.rate.mean()), 4),
            }
            for t in tables
        },
        "cross_graph": rotations,
        "mean_brier": round(float(np.mean([r["brier"] for r in rotations])), 4),
        "mean_brier_constant_baseline": round(
            float(np.mean([r["brier_constant_baseline"] for r in rotations])), 4
        ),
        "mean_spearman_all_nodes": round(float(np.mean([r["spearman_all_nodes"] for r in rotations])), 4),
        "curve": {f"log_ratio={g:+.0f}": round(float(c), 4) for g, c in zip(grid, curve, strict=True)},
    }
    return FollowBackResult(model, metrics)
