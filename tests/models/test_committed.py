"""The committed models/ is what `make train` writes from the current code and data."""

from __future__ import annotations

import json

from conftest import shared_data
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.training import data, pipeline
from profilelens.training.labelling import LABELS_FILE
from profilelens.training.timelines import TIMELINES_DIR

METRICS = SOURCE_MODELS_DIR / "metrics.json"


def metrics() -> dict:  # type: ignore[type-arg]
    assert METRICS.exists(), "models/metrics.json missing: run `make train` and commit models/"
    return json.loads(METRICS.read_text())


def test_models_were_trained_from_the_current_code() -> None:
    assert metrics()["code_sha256"] == pipeline.code_hash(), (
        "features/training code changed since models/ was built: run `make train` and commit models/"
    )


def test_models_were_trained_from_the_data_beside_the_project() -> None:
    shared_data(data.HUMANIZR_DIR)
    shared_data(TIMELINES_DIR)
    hashes = metrics()["data_sha256"]
    assert hashes["humanizr"] == data.files_hash(data.humanizr_paths())
    assert hashes["follow_graphs"] == data.files_hash(data.graph_paths())
    assert hashes["labels"] == data.files_hash([LABELS_FILE])


def test_identity_is_judged_on_humanizr_and_on_held_out_sources_and_the_card_says_so() -> None:
    identity = metrics()["identity"]
    folds, held_out = identity["humanizr_folds"], identity["corpus_leave_one_source_out"]
    assert folds["folds"] == 5 and folds["accounts"] == 4940
    assert folds["roc_auc"] >= 0.95 and folds["accuracy"] >= 0.90
    assert held_out["accounts"] >= 1000 and len(held_out["per_source"]) >= 20
    # The floor on sources it never saw (0.815 / 0.845 before reply rates left its inputs).
    assert held_out["accuracy"] >= 0.82 and held_out["roc_auc"] >= 0.87
    card = (SOURCE_MODELS_DIR / "identity.md").read_text()
    assert f"| {folds['accounts']} | {folds['accuracy']} | {folds['roc_auc']} |" in card
    assert f"| {held_out['accounts']} | {held_out['accuracy']} | {held_out['roc_auc']} |" in card
    assert "kappa" in card


def test_the_verdict_agrees_with_people_on_sources_it_never_saw() -> None:
    held_out = metrics()["verdict"]["leave_one_source_out"]
    # The floor this model is held to; the card gives the figures, per source and per kind.
    assert held_out["accuracy"] >= 0.925 and held_out["roc_auc"] >= 0.955
    assert held_out["mixed_share_20_posts_or_more"] <= 0.10
    # Public officials, the hardest kind (0.71 before self-threads left the inputs).
    officials = held_out["public_officials"]
    assert officials["accounts"] >= 50 and officials["accuracy"] >= 0.75
    assert held_out["accuracy"] > held_out["organisation_means_obligation_accuracy"]
    kinds = {k["kind"]: k for k in held_out["per_kind"]}
    assert (
        kinds["person / obligation"]["accounts"] >= 30 and kinds["organisation / engaging"]["accounts"] >= 30
    )
    card = (SOURCE_MODELS_DIR / "verdict.md").read_text()
    assert f"accuracy {held_out['accuracy']}" in card and "person / obligation" in card
    assert f"{officials['accounts']} accounts, accuracy {officials['accuracy']}" in card
    assert "## Tried and not taken" in card


def test_follow_back_is_validated_on_every_held_out_graph_and_beats_a_constant() -> None:
    follow_back = metrics()["follow_back"]
    tested = {r["test_graph"] for r in follow_back["cross_graph"]}
    assert tested == {"bofa_careers", "verizoncareers", "hersheycareers"}
    for rotation in follow_back["cross_graph"]:
        assert rotation["brier"] < rotation["brier_constant_baseline"]
        assert rotation["spearman_all_nodes"] > 0.3
        assert rotation["reliability"]
    card = (SOURCE_MODELS_DIR / "follow_back.md").read_text()
    assert "Brier" in card and "Spearman" in card and "not global counts" in card


def test_every_card_states_data_hash_and_library_versions() -> None:
    m = metrics()
    for name in ("identity.md", "follow_back.md", "verdict.md"):
        card = (SOURCE_MODELS_DIR / name).read_text()
        assert m["code_sha256"] in card
        assert f"scikit-learn {m['versions']['scikit-learn']}" in card
        assert "data sha256" in card and "## Limits" in card
