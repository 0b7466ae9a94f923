"""Training parts: loaders on the real labelled data, follow-back rates, weak labels, synthetic timelines."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from conftest import shared_data
from profilelens.features.engagement import engagement_features
from profilelens.training import data
from profilelens.training.follow_back import NodeTable, brier, fit, node_table
from profilelens.training.verdict import (
    LABEL_FUNCTIONS,
    SYNTHETIC_NOW,
    TextPools,
    synthetic_timeline,
    weak_label,
)


def test_humanizr_is_deduplicated_by_id_without_conflicts() -> None:
    shared_data(data.HUMANIZR_DIR)
    accounts = data.load_humanizr()
    assert len(accounts) == 4940
    assert sum(a.organisation for a in accounts) == 1778
    assert len({a.account.id for a in accounts}) == len(accounts)
    assert all(a.account.created_at is None or a.account.created_at.year <= 2012 for a in accounts)


def test_crowdflower_keeps_confident_brand_and_person_rows() -> None:
    shared_data(data.CROWDFLOWER_FILE)
    rows = data.load_crowdflower()
    assert 2000 < len(rows) < 3443
    assert 0.1 < sum(r.brand for r in rows) / len(rows) < 0.4
    assert all(r.post.text for r in rows)


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(data.DataMissingError, match=r"\.\./shared/data"):
        data.load_humanizr(tmp_path)


def test_follow_back_rate_is_the_share_of_followers_followed_back() -> None:
    # 0 and 2 follow 1; 1 follows 0 back but not 2; 3 follows 0.
    graph = data.FollowGraph("tiny", 4, [(0, 1), (2, 1), (1, 0), (3, 0)])
    table = node_table(graph)
    rows = sorted(zip(table.followers, table.following, table.followed_back, strict=True))
    assert rows == [(2.0, 1.0, 1.0), (2.0, 1.0, 1.0)]  # node 0: followers {1,3}, follows 1 back; node 1 alike
    assert list(table.rate) == [0.5, 0.5]


def test_binomial_fit_and_brier_on_rates() -> None:
    rng = np.random.default_rng(0)
    followers = rng.integers(1, 50, 400).astype(float)
    following = rng.integers(0, 50, 400).astype(float)
    # accounts that follow many relative to their followers follow back more
    p = 1 / (1 + np.exp(np.log1p(followers) - np.log1p(following)))
    table = NodeTable("made", followers, following, np.round(followers * p))
    model = fit([table])
    grid = model.predict_proba(np.array([[-2.0], [0.0], [2.0]]))[:, 1]
    assert grid[0] > grid[1] > grid[2]
    assert brier(np.full(400, 0.5), table) > brier(
        model.predict_proba(np.c_[np.log1p(followers) - np.log1p(following)])[:, 1], table
    )


def test_weak_label_abstains_to_one_half_and_votes_by_weight() -> None:
    neutral = {
        "circle_relay_share": 0.2,
        "institutional_share": 0.1,
        "reply_others_share": 0.1,
        "question_share": 0.07,
        "distinct_replied_rate": 0.05,
        "first_person_share": 0.1,
        "posts_per_day": 2.0,
    }
    assert weak_label(neutral, 0.5) == (0.5, [])
    broadcaster = {
        **neutral,
        "circle_relay_share": 0.8,
        "institutional_share": 0.5,
        "reply_others_share": 0.0,
        "question_share": 0.0,
    }
    p, fired = weak_label(broadcaster, 0.9)
    assert set(fired) == {
        "relays_own_circle",
        "institutional_voice",
        "no_conversation",
        "organisation_profile",
    }
    assert math.isclose(p, 1 / (1 + math.exp(-3.5)))
    assert {lf.name for lf in LABEL_FUNCTIONS} >= set(fired)


def test_unmeasurable_voice_counts_as_not_seen_in_weak_labels() -> None:
    only_relays = {
        "circle_relay_share": 0.9,
        "institutional_share": 0.0,
        "reply_others_share": 0.0,
        "question_share": float("nan"),
        "distinct_replied_rate": 0.0,
        "first_person_share": float("nan"),
        "posts_per_day": 2.0,
    }
    assert "no_conversation" in weak_label(only_relays, 0.5)[1]


def test_synthetic_timelines_are_reproducible_and_go_through_the_serving_features() -> None:
    pools = TextPools(brand=["Our new store opens today"], person=["I love this?"], announcement=["Join us"])
    a1, p1 = synthetic_timeline(np.random.default_rng(7), 3, pools)
    _, p2 = synthetic_timeline(np.random.default_rng(7), 3, pools)
    assert p1 == p2 and 10 <= len(p1) <= 80
    f = engagement_features(a1, p1, SYNTHETIC_NOW)
    assert f["posts_seen"] == len(p1)
    assert 0.0 <= f["reply_share"] <= 1.0
