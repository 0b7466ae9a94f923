"""The committed models/ is what `make train` writes from the current code and data."""

from __future__ import annotations

import json

from conftest import shared_data
from profilelens.config import MODELS_DIR
from profilelens.training import data, pipeline

METRICS = MODELS_DIR / "metrics.json"


def metrics() -> dict:  # type: ignore[type-arg]
    assert METRICS.exists(), "models/metrics.json missing: run `make train` and commit models/"
    return json.loads(METRICS.read_text())


def test_models_were_trained_from_the_current_code() -> None:
    assert metrics()["code_sha256"] == pipeline.code_hash(), (
        "features/training code changed since models/ was built: run `make train` and commit models/"
    )


def test_models_were_trained_from_the_data_beside_the_project() -> None:
    shared_data(data.HUMANIZR_DIR)
    hashes = metrics()["data_sha256"]
    assert hashes["humanizr"] == data.files_hash(data.humanizr_paths())
    assert hashes["follow_graphs"] == data.files_hash(data.graph_paths())


def test_identity_meets_the_bar_and_the_card_says_so() -> None:
    identity = metrics()["identity"]
    cv = identity["cross_validation"]
    assert cv["folds"] == 5
    assert cv["roc_auc"] >= 0.95 and cv["organisation_f1"] >= 0.90
    card = (MODELS_DIR / "identity.md").read_text()
    assert f"| ROC-AUC | {cv['roc_auc']} |" in card
    assert f"| organisation F1 (threshold 0.5) | {cv['organisation_f1']} |" in card
    assert identity["data"]["accounts"] == 4940


def test_follow_back_is_validated_on_every_held_out_graph_and_beats_a_constant() -> None:
    follow_back = metrics()["follow_back"]
    tested = {r["test_graph"] for r in follow_back["cross_graph"]}
    assert tested == {"bofa_careers", "verizoncareers", "hersheycareers"}
    for rotation in follow_back["cross_graph"]:
        assert rotation["brier"] < rotation["brier_constant_baseline"]
        assert rotation["spearman_all_nodes"] > 0.3
        assert rotation["reliability"]
    card = (MODELS_DIR / "follow_back.md").read_text()
    assert "Brier" in card and "Spearman" in card and "not global counts" in card


def test_every_card_states_data_hash_and_library_versions() -> None:
    m = metrics()
    for name in ("identity.md", "follow_back.md", "verdict.md"):
        card = (MODELS_DIR / name).read_text()
        assert m["code_sha256"] in card
        assert f"scikit-learn {m['versions']['scikit-learn']}" in card
        assert "data sha256" in card and "## Limits" in card
