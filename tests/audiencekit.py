"""Inputs for the audience, made around the real data in ../shared/data.

- X's real pages of @XDevelopers (x-graphql/: its profile, followers, verified followers and following,
  in both schemas) as the `{"url", "body"}` items the page's own requests give: twscrape's maintainer
  fetched those pages for user id 2244994945 (@XDevelopers; twscrape's scripts/update_mocked_data.py),
  so the URLs carry that `userId`, with the query ids of the folder's __meta.json.
- `raw_users`: every user a real page lists, read here with a walk of its own, for expected figures.
- The careers follow graphs as the captures a person would have made: an account's profile, one page
  of its followers, the own followers and following pages of some of them (`graph_captures`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import orjson

from conftest import shared_data
from profilelens.records import Account, Capture
from profilelens.training.data import FollowGraph

OWNER = "2244994945"  # @XDevelopers
LEGACY = "legacy-schema-8ce44e4/"
PAGES = {  # operation -> the real answers, the newer schema first
    "Followers": ("raw_followers.json", LEGACY + "raw_followers.json"),
    "BlueVerifiedFollowers": ("raw_verified_followers.json", LEGACY + "raw_verified_followers.json"),
    "Following": ("raw_following.json", LEGACY + "raw_following.json"),
}


def graphql_url(operation: str, variables: dict[str, Any]) -> str:
    meta = orjson.loads(shared_data("x-graphql/__meta.json").read_bytes())  # name -> [id/operation, hash]
    ids = {path.split("/")[1]: path for path, _ in meta.values()}
    return f"https://x.com/i/api/graphql/{ids[operation]}?variables={quote(json.dumps(variables))}"


def page_url(operation: str, owner: str = OWNER) -> str:
    return graphql_url(operation, {"userId": owner, "count": 20, "includePromotedContent": False})


def answer(relative: str) -> Any:
    return orjson.loads(shared_data(f"x-graphql/{relative}").read_bytes())


def profile_item() -> dict[str, Any]:
    return {
        "url": graphql_url("UserByScreenName", {"screen_name": "XDevelopers"}),
        "body": answer("raw_user_by_login.json"),
    }


def page_items(*operations: str, owner: str = OWNER) -> list[dict[str, Any]]:
    return [{"url": page_url(op, owner), "body": answer(name)} for op in operations for name in PAGES[op]]


def raw_users(*operations: str) -> dict[str, dict[str, Any]]:
    """rest id -> the raw user, first listed first, over the real pages of the operations."""
    users: dict[str, dict[str, Any]] = {}
    for operation in operations:
        for name in PAGES[operation]:
            for user in users_in_answer(answer(name)):
                if user.get("__typename") == "User":
                    users.setdefault(user["rest_id"], user)
    return users


def following_of(user: dict[str, Any]) -> int:
    counts = user.get("relationship_counts") or {}
    return int(counts["following"] if "following" in counts else user["legacy"]["friends_count"])


def followers_of(user: dict[str, Any]) -> int:
    counts = user.get("relationship_counts") or {}
    return int(counts["followers"] if "followers" in counts else user["legacy"]["followers_count"])


def users_in_answer(node: Any) -> list[dict[str, Any]]:
    """Every user result a GraphQL answer holds, in page order, read with a walk of its own."""
    if isinstance(node, dict):
        if "user_results" in node:
            return [node["user_results"]["result"]]
        return [u for value in node.values() for u in users_in_answer(value)]
    if isinstance(node, list):
        return [u for value in node for u in users_in_answer(value)]
    return []


def adjacency(graph: FollowGraph) -> tuple[list[set[int]], list[set[int]]]:
    """(followers, following) of every node."""
    followers: list[set[int]] = [set() for _ in range(graph.nodes)]
    following: list[set[int]] = [set() for _ in range(graph.nodes)]
    for src, trg in graph.edges:
        followers[trg].add(src)
        following[src].add(trg)
    return followers, following


def node_account(node: int, followers: list[set[int]], following: list[set[int]]) -> Account:
    """A graph node as a page lists it: its in-graph counts (the graphs are anonymised: no name)."""
    return Account(
        id=str(node), handle=f"n{node}", followers=len(followers[node]), following=len(following[node])
    )


def graph_captures(
    graph: FollowGraph,
    owner: int,
    page: Sequence[int],
    checked: Sequence[int] = (),
    *,
    whole_following: bool = False,
) -> list[Capture]:
    """The owner's profile, a page of its followers, the whole own pages of `checked`, and, with
    `whole_following`, the owner's whole following list."""
    followers, following = adjacency(graph)

    def listed(operation: str, whose: int, nodes: Sequence[int] | set[int]) -> list[Capture]:
        return [
            Capture(
                source="x-graphql:UserList",
                account=node_account(v, followers, following),
                operation=operation,
                page_owner=str(whose),
            )
            for v in sorted(nodes)
        ]

    captures = [
        Capture(source="x-graphql:UserByScreenName", account=node_account(owner, followers, following))
    ]
    captures += listed("Followers", owner, page)
    for member in checked:
        captures += listed("Followers", member, followers[member]) + listed(
            "Following", member, following[member]
        )
    if whole_following:
        captures += listed("Following", owner, following[owner])
    return captures
