"""models/audience.md and audience.json are what `make validate` measures on the real follow graphs
from the current code, and what they measure holds: figures read from a page hold for the whole, and
the follow-back update beats the model alone on every held-out graph."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import shared_data
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import follow_back
from profilelens.training.data import GRAPHS_DIR
from profilelens.validation import audience
from profilelens.validation.audience_card import card


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    shared_data(GRAPHS_DIR)
    return audience.validate()


def test_the_committed_card_and_figures_are_what_the_code_measures(figures: dict[str, Any]) -> None:
    committed = json.loads((SOURCE_MODELS_DIR / audience.FIGURES_FILE).read_text())
    assert committed == json.loads(json.dumps(figures)), "run `make validate` and commit models/audience.*"
    assert (SOURCE_MODELS_DIR / audience.CARD_FILE).read_text() == card(figures)


def test_the_served_prior_strength_is_the_one_chosen_on_the_graphs(figures: dict[str, Any]) -> None:
    assert figures["follow_back"]["strength"] == follow_back.PRIOR_STRENGTH


def test_the_update_beats_the_model_alone_on_every_held_out_graph(figures: dict[str, Any]) -> None:
    rotations = figures["follow_back"]["cross_graph"]
    assert {r["test_graph"] for r in rotations} == {"bofa_careers", "verizoncareers", "hersheycareers"}
    for rotation in rotations:
        assert rotation["brier_after"] < rotation["brier_before"]
        assert rotation["brier_after"] < rotation["brier_seen_rate_alone"]


def test_figures_read_from_a_page_hold_for_the_whole(figures: dict[str, Any]) -> None:
    for graph in figures["audience"]:
        assert graph["accounts"] > 200
        for interval in (
            "mass_interval_holds_all",
            "past_200_interval_holds_all",
            "effective_range_holds_all",
        ):
            assert graph[interval] >= 0.95, (graph["graph"], interval)
        assert graph["past_200_abs_error"] <= 0.02 and graph["past_200_share_all"] > 0.2
        assert graph["tied_interval_holds_page"] >= 0.95 and graph["pair_density_abs_error"] <= 0.05
        assert graph["group_found_from_seen"] >= 0.95 and graph["group_jaccard"] >= 0.7


def test_the_ratio_that_marks_harvesters_marks_accounts_that_follow_back(figures: dict[str, Any]) -> None:
    for graph in figures["harvest_ratio"]:
        assert graph["ratio_below_1_follow_back"] > 2 * graph["ratio_1_or_more_follow_back"]
