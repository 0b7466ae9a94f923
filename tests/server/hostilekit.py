"""Crafted variants of the real capture: what an attacker on the same machine would send."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
from serverkit import user_tweets_capture


def real_capture() -> Any:
    return orjson.loads(user_tweets_capture().read_bytes())


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a document, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def tweet_legacies(document: Any) -> list[dict[str, Any]]:
    """The `legacy` objects of the posts in a GraphQL capture (they carry full_text and created_at)."""
    return [node for node in walk(document) if "full_text" in node and "created_at" in node]


def with_posts(change: Callable[[dict[str, Any]], None], count: int = 1) -> bytes:
    """The real capture with `change` applied to its first `count` posts."""
    document = real_capture()
    legacies = tweet_legacies(document)
    assert len(legacies) >= count, "the real capture holds fewer posts than the test needs"
    for legacy in legacies[:count]:
        change(legacy)
    return orjson.dumps(document)


def with_every_count(value: int) -> bytes:
    """The real capture with every number in it (followers, posts, likes, views...) set to `value`."""
    document = real_capture()
    for node in walk(document):
        for key, item in node.items():
            if isinstance(item, int) and not isinstance(item, bool):
                node[key] = value
    return orjson.dumps(document)
