"""The audience section checked on the real follow graphs of three corporate careers accounts' followers
(../shared/data/follow-graphs-corporate-careers/): `python -m profilelens.validation.audience`
(`make validate`) writes models/audience.json and the card models/audience.md from what it measures.

The graphs are anonymised follow edges among the followers of each careers account: no names, no dates,
no counts but the graph's own. Each check plays what a person sees on X — one page of an account's
followers, the own pages of some of them, the account's whole following list — through the report's
own code (ratings/audience.py, ratings/follow_back.py), and sets the figure beside what the whole graph
says. Seeds are fixed: the same code and data give the same card.

- Mass-followers: for every account with MIN_FOLLOWERS in-graph followers or more, a random page of
  PAGE of them; the share following more than 2,000 (in-graph counts, which can only be lower than the
  real ones) against the share among all its followers, and whether the 95 % interval holds it.
- Cohort: half of the page's followers have their own pages seen; the share of those tied to another
  follower seen, against the share of the whole page (every edge known); the densest group found from
  the ties seen against the one every edge gives (Jaccard overlap).
- Harvesters: what the graphs say of the followers-to-following ratio: the follow-back rate of the
  accounts followed by fewer than they follow, against the others.
- Follow-back update: fit the follow-back model on two graphs, and on the third hide half of each
  account's followers; the follow-backs among the other half update the model's estimate
  (ratings/follow_back.updated); Brier score on the hidden followers before and after. The prior's
  strength is chosen on the two training graphs only, each scored with a model fitted on the other.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from profilelens.config import SOURCE_MODELS_DIR
from profilelens.features.audience import Pages, Share, densest_group, ties
from profilelens.ratings import audience, follow_back
from profilelens.records import Account
from profilelens.training.data import DataMissingError, FollowGraph, files_hash, graph_paths, load_graphs
from profilelens.training.follow_back import NodeTable, fit, inputs, node_table

SEED = 2021
# The graphs sample X: 200 follows inside one are many more outside, and at this line a third of a
# typical page is past it, where at 2,000 almost nobody is: the same page check with shares that are
# not all near zero.
GRAPH_SCALE_LINE = 200
MIN_FOLLOWERS = 20  # accounts with fewer in-graph followers show no page worth the name
PAGE = 50  # followers seen: about two and a half of X's pages of 20
CHECKED_SHARE = 0.5  # of the followers seen, those whose own pages were seen too
STRENGTHS = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 50.0, 100.0)
SPLITS = 5  # random halvings of each account's followers, pooled
MANY_SEEN = 10  # the update is also scored on the accounts with this many followers seen or more
NOW = datetime(2021, 4, 21, tzinfo=UTC)
FIGURES_FILE = "audience.json"
CARD_FILE = "audience.md"  # the graphs' publication; no date is read from them


@dataclass(slots=True)
class Graph:
    """One graph as adjacency: who follows whom, and each node as the account a page would list."""

    name: str
    followers: list[set[int]]
    following: list[set[int]]
    accounts: list[Account]


def adjacency(graph: FollowGraph) -> Graph:
    followers: list[set[int]] = [set() for _ in range(graph.nodes)]
    following: list[set[int]] = [set() for _ in range(graph.nodes)]
    for src, trg in graph.edges:
        followers[trg].add(src)
        following[src].add(trg)
    accounts = [
        Account(id=str(v), followers=len(followers[v]), following=len(following[v]))
        for v in range(graph.nodes)
    ]
    return Graph(graph.name, followers, following, accounts)


def _listed(g: Graph, nodes: Sequence[int] | set[int]) -> dict[str, Account]:
    return {str(v): g.accounts[v] for v in nodes}


def seen_pages(g: Graph, owner: int, page: Sequence[int], checked: Sequence[int]) -> Pages:
    """What a person saw: one page of the owner's followers, and the whole own pages of `checked`."""
    pages = Pages(followers={str(owner): _listed(g, page)})
    for member in checked:
        pages.followers[str(member)] = _listed(g, g.followers[member])
        pages.following[str(member)] = _listed(g, g.following[member])
    return pages


def all_pages(g: Graph, owner: int, page: Sequence[int]) -> Pages:
    """The same page with every edge among its followers known: what the graph says."""
    return seen_pages(g, owner, page, page)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def check_audience(g: Graph) -> dict[str, Any]:
    """Mass-followers and cohort figures from a page, against the whole graph."""
    rng = random.Random(f"{SEED}-{g.name}")
    rows: dict[str, list[float]] = defaultdict(list)
    for owner in range(len(g.accounts)):
        if len(g.followers[owner]) < MIN_FOLLOWERS:
            continue
        page = rng.sample(sorted(g.followers[owner]), min(PAGE, len(g.followers[owner])))
        checked = rng.sample(page, round(len(page) * CHECKED_SHARE))
        report = audience.section(g.accounts[owner], seen_pages(g, owner, page, checked), NOW)
        mass, effective = report["mass_followers"], report["effective_audience"]
        everyone = g.followers[owner]
        true_mass = sum(1 for v in everyone if len(g.following[v]) > audience.MASS_FOLLOWING) / len(everyone)
        rows["mass_seen"].append(mass["share"])
        rows["mass_all"].append(true_mass)
        rows["mass_covered"].append(mass["interval_95"][0] <= true_mass <= mass["interval_95"][1])
        scaled = Share(sum(1 for v in page if len(g.following[v]) > GRAPH_SCALE_LINE), len(page))
        true_scaled = sum(1 for v in everyone if len(g.following[v]) > GRAPH_SCALE_LINE) / len(everyone)
        interval = scaled.interval() or (0.0, 1.0)
        rows["scaled_seen"].append(scaled.share or 0.0)
        rows["scaled_all"].append(true_scaled)
        rows["scaled_covered"].append(interval[0] <= true_scaled <= interval[1])
        low, high = effective["estimate_range"] or (effective["count"], effective["count"])
        rows["reach_covered"].append(low <= len(everyone) * (1 - true_mass) <= high)
        tied = report["cohort"]["tied"]
        whole_pairs = ties(all_pages(g, owner, page), map(str, page))
        whole_tied = {m for pair in whole_pairs for m in pair}
        truth = len(whole_tied) / len(page)
        rows["density_seen"].append(tied["pair_density"])
        rows["density_page"].append(len(whole_pairs) / (len(page) * (len(page) - 1) / 2))
        rows["tied_seen"].append(tied["share"])
        rows["tied_page"].append(truth)
        rows["tied_covered"].append(tied["interval_95"][0] <= truth <= tied["interval_95"][1])
        # Over all its followers, not the page: tied to any other of them.
        linked = sum(1 for v in everyone if len((g.followers[v] | g.following[v]) & everyone) > 0)
        rows["tied_all"].append(linked / len(everyone))
        seen_group = set(densest_group(ties(seen_pages(g, owner, page, checked), map(str, page))))
        whole_group = set(densest_group(whole_pairs))
        if len(whole_group) >= audience.MIN_GROUP:
            rows["group_found"].append(len(seen_group) >= audience.MIN_GROUP)
            rows["group_jaccard"].append(_jaccard(seen_group, whole_group))
    return {
        "graph": g.name,
        "accounts": len(rows["mass_seen"]),
        "mass_share_page": _mean(rows["mass_seen"]),
        "mass_share_all": _mean(rows["mass_all"]),
        "mass_abs_error": _mae(rows["mass_seen"], rows["mass_all"]),
        "mass_interval_holds_all": _mean(rows["mass_covered"]),
        "effective_range_holds_all": _mean(rows["reach_covered"]),
        "past_200_share_page": _mean(rows["scaled_seen"]),
        "past_200_share_all": _mean(rows["scaled_all"]),
        "past_200_abs_error": _mae(rows["scaled_seen"], rows["scaled_all"]),
        "past_200_interval_holds_all": _mean(rows["scaled_covered"]),
        "tied_share_seen": _mean(rows["tied_seen"]),
        "tied_share_page": _mean(rows["tied_page"]),
        "tied_abs_error": _mae(rows["tied_seen"], rows["tied_page"]),
        "tied_interval_holds_page": _mean(rows["tied_covered"]),
        "tied_share_all_followers": _mean(rows["tied_all"]),
        "pair_density_seen": _mean(rows["density_seen"]),
        "pair_density_page": _mean(rows["density_page"]),
        "pair_density_abs_error": _mae(rows["density_seen"], rows["density_page"]),
        "groups_in_page": len(rows["group_jaccard"]),
        "group_found_from_seen": _mean(rows["group_found"]),
        "group_jaccard": _mean(rows["group_jaccard"]),
    }


def _mean(values: Sequence[float | bool]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def _mae(seen: Sequence[float], truth: Sequence[float]) -> float | None:
    return round(float(np.mean(np.abs(np.subtract(seen, truth)))), 4) if seen else None


def harvest_ratio(table: NodeTable) -> dict[str, Any]:
    """The follow-back rate (pairs-weighted) of accounts followed by fewer than they follow, and of
    the others: what the graph says of the ratio that marks harvesters."""
    below = table.followers < audience.HARVEST_RATIO * table.following
    out: dict[str, Any] = {"graph": table.graph}
    for name, chosen in (("ratio_below_1", below), ("ratio_1_or_more", ~below)):
        out[f"{name}_accounts"] = int(chosen.sum())
        out[f"{name}_follow_back"] = round(
            float(table.followed_back[chosen].sum() / table.followers[chosen].sum()), 4
        )
    return out


@dataclass(frozen=True, slots=True)
class Split:
    """Each account's followers halved at random: the seen half's follow-backs, the hidden half's."""

    seen: np.ndarray[Any, Any]
    seen_back: np.ndarray[Any, Any]
    hidden: np.ndarray[Any, Any]
    hidden_back: np.ndarray[Any, Any]


def splits(table: NodeTable) -> list[Split]:
    """SPLITS halvings of the followers of every account with two or more (one seen, one hidden)."""
    rng = np.random.default_rng([SEED, len(table.followers)])
    keep = table.followers >= 2
    n, k = table.followers[keep].astype(np.int64), table.followed_back[keep].astype(np.int64)
    out = []
    for _ in range(SPLITS):
        seen = n // 2
        seen_back = rng.hypergeometric(k, n - k, seen)
        out.append(Split(seen, seen_back, n - seen, k - seen_back))
    return out


def _squared_errors(p: np.ndarray[Any, Any], split: Split) -> float:
    """The squared errors of `p` summed over every hidden follower (followed back: 1, else 0)."""
    return float((split.hidden_back * (1 - p) ** 2 + (split.hidden - split.hidden_back) * p**2).sum())


def scores(
    prior: np.ndarray[Any, Any], table: NodeTable, strength: float, min_seen: int = 1
) -> dict[str, float]:
    """Brier on the hidden followers of the accounts with `min_seen` followers seen or more: the
    model alone, updated, and the seen half's rate alone."""
    keep = table.followers >= 2
    totals: dict[str, float] = defaultdict(float)
    for split in splits(table):
        chosen = split.seen >= min_seen
        part = Split(
            split.seen[chosen], split.seen_back[chosen], split.hidden[chosen], split.hidden_back[chosen]
        )
        p = prior[keep][chosen]
        for name, estimate in (
            ("before", p),
            ("after", follow_back.updated(p, part.seen_back, part.seen, strength)),
            ("seen_rate_alone", part.seen_back / part.seen),
        ):
            totals[name] += _squared_errors(estimate, part)
        totals["pairs"] += float(part.hidden.sum())
    names = ("before", "after", "seen_rate_alone")
    return {name: totals[name] / totals["pairs"] for name in names} | {"accounts": float(chosen.sum())}


def choose_strength(scored: Sequence[tuple[np.ndarray[Any, Any], NodeTable]]) -> float:
    """The prior strength with the lowest Brier after the update, pooled over the tables given."""

    def pooled(strength: float) -> float:
        return float(np.mean([scores(prior, table, strength)["after"] for prior, table in scored]))

    return min(STRENGTHS, key=pooled)


def check_follow_back(tables: Sequence[NodeTable]) -> dict[str, Any]:
    """Each graph held out in turn; the prior's strength chosen on the other two."""
    models: dict[tuple[str, ...], Any] = {}

    def prior(table: NodeTable, trained_on: Sequence[NodeTable]) -> np.ndarray[Any, Any]:
        key = tuple(t.graph for t in trained_on)
        if key not in models:
            models[key] = fit(list(trained_on))
        return np.asarray(models[key].predict_proba(inputs(table))[:, 1])

    rotations = []
    for test in tables:
        train = [t for t in tables if t is not test]
        inner = [(prior(t, [u for u in train if u is not t]), t) for t in train]
        strength = choose_strength(inner)
        for min_seen in (1, MANY_SEEN):
            result = scores(prior(test, train), test, strength, min_seen)
            rotations.append(
                {
                    "test_graph": test.graph,
                    "followers_seen": f"{min_seen}+",
                    "accounts": int(result["accounts"]),
                    "strength_chosen_on_the_others": strength,
                    "brier_before": round(result["before"], 4),
                    "brier_after": round(result["after"], 4),
                    "brier_seen_rate_alone": round(result["seen_rate_alone"], 4),
                }
            )
    held_out = [(prior(t, [u for u in tables if u is not t]), t) for t in tables]
    return {"cross_graph": rotations, "strength": choose_strength(held_out)}


def validate() -> dict[str, Any]:
    graphs = load_graphs()
    tables = [node_table(g) for g in graphs]
    return {
        "data_sha256": files_hash(graph_paths()),
        "settings": {
            "min_followers": MIN_FOLLOWERS,
            "page": PAGE,
            "checked_share": CHECKED_SHARE,
            "splits": SPLITS,
            "mass_following": audience.MASS_FOLLOWING,
            "strengths": list(STRENGTHS),
            "seed": SEED,
        },
        "audience": [check_audience(adjacency(g)) for g in graphs],
        "harvest_ratio": [harvest_ratio(t) for t in tables],
        "follow_back": check_follow_back(tables),
        "served_strength": follow_back.PRIOR_STRENGTH,
    }


def write(figures: dict[str, Any], out: Path) -> None:
    """models/audience.json (the figures) and models/audience.md (the card) in `out`."""
    from profilelens.validation.audience_card import card

    out.mkdir(parents=True, exist_ok=True)
    (out / FIGURES_FILE).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    (out / CARD_FILE).write_text(card(figures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m profilelens.validation.audience", description=__doc__)
    parser.add_argument("--out", type=Path, default=SOURCE_MODELS_DIR, help="where to write the card")
    args = parser.parse_args(argv)
    try:
        figures = validate()
    except DataMissingError as exc:
        print(f"cannot validate: {exc}", file=sys.stderr)
        return 2
    write(figures, args.out)
    strength = figures["follow_back"]["strength"]
    print(
        f"wrote {args.out / CARD_FILE}; prior strength {strength:g} (served: {follow_back.PRIOR_STRENGTH:g})"
    )
    return 0 if strength == follow_back.PRIOR_STRENGTH else 1


if __name__ == "__main__":
    sys.exit(main())
