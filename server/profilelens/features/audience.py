"""The part of the follow graph an input shows: whose followers and following pages were seen, and who
was listed on them.

A Followers page of account O (also its verified followers, and the followers the viewer knows) lists
accounts that follow O; a Following page of O lists accounts O follows. A page that came with its
request URL says whose it is (`Capture.page_owner`). Pure functions over what the pages list: an edge
no page showed is never guessed, and every share says how many accounts it rests on.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from profilelens.records import Account, Capture

FOLLOWER_PAGES = frozenset({"Followers", "BlueVerifiedFollowers", "FollowersYouKnow"})
FOLLOWING_PAGES = frozenset({"Following"})
Z_95 = 1.959964  # the normal quantile of a two-sided 95 % interval


@dataclass(slots=True)
class Pages:
    """Every followers and following page of an input, by the rest id of the account it belongs to."""

    followers: dict[str, dict[str, Account]] = field(default_factory=dict)  # owner -> follower id -> account
    following: dict[str, dict[str, Account]] = field(default_factory=dict)  # owner -> followed id -> account
    listed: dict[str, Counter[str]] = field(default_factory=dict)  # owner -> operation -> accounts listed

    def follows(self, follower: str, followed: str) -> bool:
        """Whether a page showed `follower` following `followed`."""
        return follower in self.followers.get(followed, {}) or followed in self.following.get(follower, {})

    def checked(self, account_id: str) -> bool:
        """Whether one of the account's own followers or following pages was seen."""
        return account_id in self.followers or account_id in self.following


def pages_of(captures: Iterable[Capture]) -> Pages:
    """The pages among the captures: the account-only captures of a list whose URL named its owner.
    An account listed twice (two pages, two schemas) is kept once, as first listed."""
    pages = Pages()
    for capture in captures:
        owner, listed = capture.page_owner, capture.account
        if owner is None or listed is None or listed.id is None or listed.id == owner:
            continue
        if capture.operation in FOLLOWER_PAGES:
            side = pages.followers
        elif capture.operation in FOLLOWING_PAGES:
            side = pages.following
        else:
            continue
        if listed.id not in side.setdefault(owner, {}):
            side[owner][listed.id] = listed
            pages.listed.setdefault(owner, Counter())[str(capture.operation)] += 1
    return pages


@dataclass(frozen=True, slots=True)
class Share:
    """`count` of `of` accounts, with the 95 % Wilson interval of the share they stand for."""

    count: int
    of: int

    @property
    def share(self) -> float | None:
        return self.count / self.of if self.of else None

    def interval(self) -> tuple[float, float] | None:
        return wilson(self.count, self.of)

    def as_dict(self) -> dict[str, object]:
        share, interval = self.share, self.interval()
        return {
            "count": self.count,
            "of": self.of,
            "share": None if share is None else round(share, 4),
            "interval_95": None if interval is None else [round(interval[0], 4), round(interval[1], 4)],
        }


def wilson(count: int, of: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson's score interval of a binomial share: sound at 0 of n and n of n, where the plain one
    collapses to a point."""
    if of <= 0:
        return None
    p = count / of
    centre = (p + z * z / (2 * of)) / (1 + z * z / of)
    half = z * math.sqrt(p * (1 - p) / of + z * z / (4 * of * of)) / (1 + z * z / of)
    # At 0 of n and n of n the bound is exactly 0 or 1 (float rounding would leave 0.9999999999999999).
    low = 0.0 if count <= 0 else max(0.0, centre - half)
    high = 1.0 if count >= of else min(1.0, centre + half)
    return low, high


def ties(pages: Pages, members: Iterable[str]) -> set[tuple[str, str]]:
    """The pairs of members (sorted, once each) that a page showed following one another, either way."""
    inside = set(members)
    found: set[tuple[str, str]] = set()
    for owner in inside:
        for side in (pages.followers, pages.following):
            for other in side.get(owner, {}).keys() & inside:
                found.add((owner, other) if owner < other else (other, owner))
    return found


def checkable_pairs(members: int, checked: int) -> int:
    """The pairs of members a tie between would have been seen: those with at least one member whose
    own pages were seen (a tie is found on the pages of either end)."""
    return checked * (checked - 1) // 2 + checked * (members - checked)


def densest_group(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The members of the densest group of tied accounts (most ties per member), best tied first.

    Greedy peeling (Charikar, 2000): take away the least tied member until none is left and keep the
    densest group met on the way; it holds at least half the best density, in time linear in the ties.
    """
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    degree = {node: len(linked) for node, linked in neighbours.items()}
    edges = sum(degree.values()) // 2
    heap = [(d, node) for node, d in degree.items()]
    heapq.heapify(heap)
    removed: list[str] = []
    best_density, best_removed = (edges / len(degree), 0) if degree else (0.0, 0)
    while heap:
        d, node = heapq.heappop(heap)
        if node not in degree or d != degree[node]:
            continue  # a stale entry: the node went, or lost ties since
        del degree[node]
        removed.append(node)
        edges -= d
        for other in neighbours[node]:
            if other in degree:
                degree[other] -= 1
                heapq.heappush(heap, (degree[other], other))
        if degree and edges / len(degree) > best_density:
            best_density, best_removed = edges / len(degree), len(removed)
    group = set(neighbours) - set(removed[:best_removed])
    inner = {node: len(neighbours[node] & group) for node in group}
    return sorted(group, key=lambda node: (-inner[node], node))


def histogram(values: Sequence[int], upper_edges: Sequence[int]) -> list[dict[str, int | None]]:
    """Counts of values up to each edge (inclusive), then above the last: [{"up_to": 49, "count": 3},
    ..., {"up_to": None, "count": 1}]."""
    counts = [0] * (len(upper_edges) + 1)
    for value in values:
        counts[next((i for i, edge in enumerate(upper_edges) if value <= edge), len(upper_edges))] += 1
    return [
        {"up_to": upper_edges[i] if i < len(upper_edges) else None, "count": n} for i, n in enumerate(counts)
    ]
