"""The pure parts of the audience: Wilson's interval, ties from pages, the densest group, the bins."""

from __future__ import annotations

import pytest

from profilelens.features.audience import (
    Pages,
    Share,
    checkable_pairs,
    densest_group,
    histogram,
    pages_of,
    ties,
    wilson,
)
from profilelens.records import Account, Capture


def test_wilsons_interval_stays_open_at_none_and_at_all() -> None:
    none, every = wilson(0, 50), wilson(50, 50)
    assert none is not None and none[0] == 0.0 and 0.05 < none[1] < 0.1
    assert every is not None and every[1] == 1.0 and 0.9 < every[0] < 0.95
    assert wilson(0, 0) is None
    assert Share(3, 0).as_dict() == {"count": 3, "of": 0, "share": None, "interval_95": None}


def test_a_clique_is_the_densest_group_and_a_tail_is_left_out() -> None:
    clique = [(a, b) for a in "abcd" for b in "abcd" if a < b]
    tail = [("d", "e"), ("e", "f"), ("f", "g")]
    assert sorted(densest_group(clique + tail)) == ["a", "b", "c", "d"]
    assert densest_group([]) == []


def listed(operation: str, owner: str, *ids: str) -> list[Capture]:
    return [
        Capture(source="x-graphql:UserList", account=Account(id=i), operation=operation, page_owner=owner)
        for i in ids
    ]


def test_pages_keep_whose_they_are_and_list_each_account_once() -> None:
    pages = pages_of(
        [
            *listed("Followers", "1", "2", "3"),
            *listed("BlueVerifiedFollowers", "1", "3", "4"),  # 3 again: counted once
            *listed("Following", "2", "3"),
            *listed("UserTweets", "1", "9"),  # not a list page
            Capture(source="x-graphql:UserList", account=Account(id="5"), operation="Followers"),  # whose?
        ]
    )
    assert sorted(pages.followers["1"]) == ["2", "3", "4"]
    assert pages.listed["1"] == {"Followers": 2, "BlueVerifiedFollowers": 1}
    assert pages.follows("2", "1") and pages.follows("2", "3") and not pages.follows("3", "2")
    assert pages.checked("2") and not pages.checked("3")
    assert ties(pages, ["2", "3", "4"]) == {("2", "3")}
    assert ties(Pages(), ["2", "3"]) == set()


@pytest.mark.parametrize(("members", "checked", "pairs"), [(30, 10, 245), (5, 5, 10), (5, 0, 0)])
def test_the_pairs_a_tie_could_be_told_between(members: int, checked: int, pairs: int) -> None:
    assert checkable_pairs(members, checked) == pairs


def test_the_bins_end_at_their_edge_and_the_last_is_open() -> None:
    bins = histogram([0, 49, 50, 2000, 2001, 10**12], (49, 2000))
    assert bins == [{"up_to": 49, "count": 2}, {"up_to": 2000, "count": 2}, {"up_to": None, "count": 2}]
