"""The audience section on X's real followers and following pages of @XDevelopers, and on the real
follow graphs of three careers accounts' followers (audiencekit.py says how the inputs are made)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from audiencekit import (
    OWNER,
    adjacency,
    answer,
    followers_of,
    following_of,
    graph_captures,
    page_items,
    profile_item,
    raw_users,
)
from conftest import shared_data
from profilelens import analysis, sources
from profilelens.features.audience import pages_of
from profilelens.ratings import audience, follow_back
from profilelens.training.data import GRAPHS_DIR, FollowGraph, load_graphs

NOW = datetime(2026, 8, 20, 12, tzinfo=UTC)
FOLLOWER_PAGES = ("Followers", "BlueVerifiedFollowers")


def analysed(items: list[Any]) -> list[dict[str, Any]]:
    return analysis.analyze_bytes(orjson.dumps({"captures": items}), now=NOW)


def owner_report(reports: list[dict[str, Any]]) -> dict[str, Any]:
    (report,) = [r for r in reports if r["account"]["id"] == OWNER]
    return report


def twitter_date(text: str) -> datetime:
    return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")


def test_the_real_pages_of_xdevelopers_make_its_audience() -> None:
    reports = analysed([profile_item(), *page_items(*FOLLOWER_PAGES, "Following")])
    report = owner_report(reports)
    followers, following = raw_users(*FOLLOWER_PAGES), raw_users("Following")
    seen = report["audience"]
    assert seen["available"] is True and seen["followers_seen"] == len(followers) > 100
    assert seen["followers_total"] == report["account"]["followers"]
    assert seen["share_of_all"] == round(len(followers) / report["account"]["followers"], 6)
    assert "(< 1 % of 695,695)" in seen["summary"]  # a few of many is not "0 %"

    mass = [u for u in followers.values() if following_of(u) > 2000]
    assert (seen["mass_followers"]["count"], seen["mass_followers"]["of"]) == (len(mass), len(followers))
    harvesters = [u for u in mass if followers_of(u) < following_of(u)]
    assert seen["mass_followers"]["harvesters"]["count"] == len(harvesters)
    assert seen["effective_audience"]["count"] == len(followers) - len(mass)
    low, high = seen["effective_audience"]["estimate_range"]
    assert low <= seen["effective_audience"]["estimate_of_all"] <= high < report["account"]["followers"]
    assert "nothing here measures" in seen["effective_audience"]["estimate_basis"]

    created = twitter_date(answer("raw_user_by_login.json")["data"]["user"]["result"]["core"]["created_at"])
    near = [
        u for u in followers.values() if abs(twitter_date(u["core"]["created_at"]) - created) <= timedelta(30)
    ]
    assert (seen["cohort"]["created_near"]["count"], seen["cohort"]["created_near"]["of"]) == (
        len(near),
        len(followers),
    )
    # Only @XDevelopers's own pages were seen: who follows whom among its followers is not known.
    assert seen["cohort"]["tied"]["available"] is False and seen["cohort"]["densest_group"] is None

    # Its following list was seen in part (60 of 762): the follow-backs seen are a floor, no rate.
    backs = seen["follow_backs"]
    assert backs["followed_back"] == len(followers.keys() & following.keys()) > 0
    assert backs["following_seen"] == len(following) < report["account"]["following"]
    assert backs["rate"] is None and backs["whole_following_seen"] is False
    assert "model_probability" not in report["follow_back"]  # so the rating keeps the model's estimate

    organisations = seen["organisations"]
    assert organisations["of"] == len(followers) and not organisations["sampled"]
    assert 0 < organisations["count"] < organisations["of"]
    assert seen["following_counts"]["of"] == len(followers)
    assert sum(b["count"] for b in seen["following_counts"]["bins"]) == len(followers)
    assert seen["tone"] == "good"  # 87 % within reach, a few organisations, no cohort
    assert all(f"of {len(followers)} followers" in line for line in seen["reasons"][:4])
    # Everyone listed still has a report of their own, as before.
    assert len(reports) == 1 + len(followers.keys() | following.keys())


def test_pages_without_their_urls_stay_lists_of_accounts() -> None:
    items = [profile_item(), *page_items("Followers")]
    with_urls = analysed(items)
    plain = analysed([item["body"] for item in items])
    assert owner_report(with_urls)["audience"]["available"] is True
    assert "no followers page of this account" in owner_report(plain)["audience"]["reason"]
    others = [r for r in with_urls if r["account"]["id"] != OWNER]
    assert others == [r for r in plain if r["account"]["id"] != OWNER]


def test_a_page_without_its_accounts_profile_says_so() -> None:
    reports = analysed(page_items("Followers"))
    assert not [r for r in reports if r["account"]["id"] == OWNER]
    assert any(OWNER in note and "without its profile" in note for note in reports[0]["data"]["notes"])


def test_the_following_page_alone_says_the_followers_are_missing() -> None:
    report = owner_report(analysed([profile_item(), *page_items("Following")]))
    assert report["audience"]["available"] is False
    assert report["audience"]["following_seen"] == len(raw_users("Following"))
    assert "not its followers" in report["audience"]["reason"]


def test_a_har_of_the_visit_gives_the_same_audience() -> None:
    items = [profile_item(), *page_items(*FOLLOWER_PAGES)]
    entries = [
        {
            "request": {"method": "GET", "url": item["url"]},
            "response": {"content": {"text": orjson.dumps(item["body"]).decode()}},
        }
        for item in items
    ]
    from_har = owner_report(analysis.analyze_bytes(orjson.dumps({"log": {"entries": entries}}), now=NOW))
    assert from_har["audience"] == owner_report(analysed(items))["audience"]


def test_past_its_limit_the_identity_model_reads_a_random_sample_and_says_so() -> None:
    users = list(raw_users(*FOLLOWER_PAGES).values())
    page = answer("raw_followers.json")
    entries: list[Any] = []
    for n in range(audience.MAX_IDENTITY_READS + 100):
        user = orjson.loads(orjson.dumps(users[n % len(users)]))
        user["rest_id"] = str(10**12 + n)
        entries.append(
            {"entryId": f"user-{n}", "content": {"itemContent": {"user_results": {"result": user}}}}
        )
    page["data"]["user"]["result"]["timeline"]["timeline"]["instructions"] = [{"entries": entries}]
    captures = sources.parse(
        {"captures": [profile_item(), {"url": page_items("Followers")[0]["url"], "body": page}]}
    )
    account = next(c.account for c in captures if c.account and c.account.id == OWNER)
    first = audience.section(account, pages_of(captures), NOW)["organisations"]
    assert first["readable"] == len(entries) and first["of"] == audience.MAX_IDENTITY_READS
    assert first["sampled"] is True and "a random" in first["basis"]
    assert audience.section(account, pages_of(captures), NOW)["organisations"] == first  # the same sample


@pytest.fixture(scope="module")
def hershey() -> FollowGraph:
    shared_data(GRAPHS_DIR)
    return next(g for g in load_graphs() if g.name == "hersheycareers")


def busy_nodes(graph: FollowGraph, at_least: int) -> list[int]:
    followers, _ = adjacency(graph)
    return [v for v in range(graph.nodes) if len(followers[v]) >= at_least]


def test_the_whole_following_list_updates_the_follow_back_rating(hershey: FollowGraph) -> None:
    followers, following = adjacency(hershey)
    node = next(v for v in busy_nodes(hershey, 20) if followers[v] & following[v])
    captures = graph_captures(hershey, node, sorted(followers[node]), whole_following=True)
    (report,) = [r for r in analysis.analyze(captures, now=NOW) if r["account"]["id"] == str(node)]
    k, n = len(followers[node] & following[node]), len(followers[node])
    rating = report["follow_back"]
    assert rating["observed"] == {"followed_back": k, "followers_seen": n}
    prior = rating["model_probability"]
    assert rating["probability"] == round(
        (follow_back.PRIOR_STRENGTH * prior + k) / (follow_back.PRIOR_STRENGTH + n), 3
    )
    assert f"{k} of {n} followers seen" in rating["summary"] and "models/audience.md" in rating["basis"]
    backs = report["audience"]["follow_backs"]
    assert backs["whole_following_seen"] is True and backs["rate"] == round(k / n, 4)


def test_ties_among_followers_come_only_from_the_pages_seen(hershey: FollowGraph) -> None:
    followers, following = adjacency(hershey)
    rng = random.Random(7)
    node = rng.choice(busy_nodes(hershey, 40))
    page = rng.sample(sorted(followers[node]), 30)
    checked = set(rng.sample(page, 10))
    captures = graph_captures(hershey, node, page, sorted(checked))
    (report,) = [r for r in analysis.analyze(captures, now=NOW) if r["account"]["id"] == str(node)]
    tied = report["audience"]["cohort"]["tied"]

    def linked(u: int, w: int) -> bool:
        return w in following[u] or u in following[w]

    pairs = {(u, w) for u in page for w in page if u < w and linked(u, w) and (u in checked or w in checked)}
    assert tied["of"] == len(checked)
    assert tied["count"] == sum(1 for u in checked if any(linked(u, w) for w in page if w != u))
    assert tied["ties_seen"] == len(pairs)
    assert tied["pairs_checkable"] == 10 * 9 // 2 + 10 * 20
    group = report["audience"]["cohort"]["densest_group"]
    members = [int(name.removeprefix("@n")) for name in group["names"]]
    assert set(members) <= set(page) and group["size"] >= len(members) >= audience.MIN_GROUP
    inside = sum(1 for u, w in pairs if u in members and w in members)
    assert 0 < inside <= group["ties"]


def test_a_closely_tied_audience_reads_as_a_cohort(hershey: FollowGraph) -> None:
    """Seed 000: followers that mostly follow one another. The densest and loosest pages of the graph
    (every follower's own pages seen) fall on either side of the line."""
    followers, _ = adjacency(hershey)
    densities = {}
    for node in busy_nodes(hershey, 20)[:80]:
        page = sorted(followers[node])[:30]
        captures = graph_captures(hershey, node, page, page)
        section = audience.section(captures[0].account, pages_of(captures), NOW)  # type: ignore[arg-type]
        densities[node] = (section["cohort"]["tied"]["pair_density"], section["tone"])
    dense = max(densities.values())
    loose = min(densities.values())
    assert dense[0] >= audience.BAD_COHORT_AT and dense[1] == "bad"
    assert loose[0] < audience.BAD_COHORT_AT and loose[1] != "bad"
