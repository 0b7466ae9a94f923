"""Training parts: loaders on the real data, the labelled corpus and its merge, follow-back rates, and
leave-one-source-out."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from conftest import shared_data
from profilelens.training import corpus, data, labelling, timelines
from profilelens.training.follow_back import NodeTable, brier, fit, node_table


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


def test_cohen_kappa_matches_hand_counts() -> None:
    a = ["x", "x", "y", "y", "x", "y"]
    b = ["x", "y", "y", "y", "x", "x"]
    # observed 4/6; expected (3*3 + 3*3)/36 = 0.5; kappa (0.667 - 0.5) / 0.5
    assert math.isclose(labelling.cohen_kappa(a, b), (4 / 6 - 0.5) / 0.5)
    assert labelling.cohen_kappa(a, a) == 1.0


def test_merge_keeps_every_vote_and_lets_the_third_settle_only_disagreements(
    tmp_path: Path, monkeypatch
) -> None:
    votes = tmp_path / "votes"
    votes.mkdir()

    def vote(account: str, labeller: str, rnd: int, identity: str, verdict: str) -> str:
        return json.dumps(
            {
                "account": account,
                "labeller": labeller,
                "round": rnd,
                "identity": identity,
                "verdict": verdict,
                "confidence": 2,
                "why": f"{labeller} saw it",
            }
        )

    (votes / "r1.jsonl").write_text(
        "\n".join(
            [vote("src/a", "A", 1, "person", "engaging"), vote("src/b", "A", 1, "organisation", "obligation")]
        )
        + "\n"
    )
    (votes / "r2.jsonl").write_text(
        "\n".join(
            [vote("src/a", "B", 2, "person", "engaging"), vote("src/b", "B", 2, "organisation", "engaging")]
        )
        + "\n"
    )
    (votes / "r3.jsonl").write_text(vote("src/b", "C", 3, "person", "obligation") + "\n")
    monkeypatch.setattr(labelling, "LABELS_DIR", tmp_path / "labels")
    monkeypatch.setattr(labelling, "LABELS_FILE", tmp_path / "labels" / "accounts.jsonl")
    agreement = labelling.merge(votes)
    records = labelling.load_labels(tmp_path / "labels" / "accounts.jsonl")
    assert records["src/a"]["verdict"] == "engaging" and len(records["src/a"]["votes"]) == 2
    # identity was agreed by the first two (kept); the verdict was not (the third's)
    assert records["src/b"]["identity"] == "organisation" and records["src/b"]["verdict"] == "obligation"
    assert len(records["src/b"]["votes"]) == 3
    assert agreement["identity"]["raw"] == 1.0 and agreement["verdict"]["raw"] == 0.5


def test_committed_labels_follow_the_guide_s_record_shape() -> None:
    records = labelling.load_labels()
    assert len(records) >= 1000
    for record in records.values():
        assert record["identity"] in labelling.IDENTITIES and record["verdict"] in labelling.VERDICTS
        assert len(record["votes"]) in (2, 3) and 1 <= record["confidence"] <= 3
        assert len(record["why"].split()) <= 20
        firsts = record["votes"][:2]
        if len(record["votes"]) == 3:  # a third vote only where the first two disagreed
            assert (
                firsts[0]["identity"] != firsts[1]["identity"] or firsts[0]["verdict"] != firsts[1]["verdict"]
            )


def test_every_timeline_source_is_read_with_its_posts() -> None:
    shared_data("timelines")
    loaded = timelines.load_timelines()
    by_source = {t.source for t in loaded}
    assert by_source == set(timelines.READERS)
    assert len(loaded) >= 1370 and sum(len(t.posts) for t in loaded) > 400_000
    macron = next(t for t in loaded if t.uid == "TweetExtraction/EmmanuelMacron")
    assert macron.posts[0].created_at >= macron.posts[-1].created_at  # newest first
    avecvous = next(t for t in loaded if t.uid == "Presidentielle2022Twitter/avecvous")
    replies = [p for p in avecvous.posts if p.kind == "reply"]
    assert replies and all(p.reply_to_handle == "avecvous" for p in replies)  # its replies are self-threads


def test_every_labelled_account_is_found_in_the_timelines() -> None:
    shared_data("timelines")
    labelled = corpus.load_corpus()
    assert len(labelled) == len(labelling.load_labels())
    assert all(0 < len(t.posts) <= labelling.SHOWN_POSTS for t in labelled)


def test_leave_one_source_out_never_scores_a_source_it_trained_on() -> None:
    groups = ["a", "a", "b", "c", "c"]
    seen: list[tuple[set[str], set[str]]] = []

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        seen.append(({groups[i] for i in train}, {groups[i] for i in test}))
        return np.full(len(test), float(len(train)))

    scores = corpus.leave_one_source_out(groups, fit_predict)
    assert list(scores) == [3.0, 3.0, 4.0, 3.0, 3.0]


def test_each_source_weighs_the_square_root_of_its_size() -> None:
    weights = corpus.source_weights(["pan"] * 9 + ["a"] * 4 + ["b"])
    assert weights[:9].sum() == pytest.approx(3 * weights[13])  # 9 rows weigh as 3 rows of size 1
    assert weights[9:13].sum() == pytest.approx(2 * weights[13])
    assert weights.mean() == pytest.approx(1.0)
    assert list(corpus.source_weights(["a", "a"])) == [1.0, 1.0]
