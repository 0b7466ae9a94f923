"""Crafted variants of the real captures: what an attacker on the same machine would send (used by the
hostile-input tests, the fuzz suite and `make bench`)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from serverkit import user_tweets_capture

from jsonkit import mangle, paths


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


DEEP = "__deeply_nested__"  # stands for nesting orjson could not write: spliced into the bytes
DEPTH = 5000


def to_bytes(document: Any) -> bytes:
    body = orjson.dumps(document)
    nested = b"[" * DEPTH + b"]" * DEPTH
    return body.replace(orjson.dumps(DEEP), nested)


def worst_of_each_class(timeline: Any) -> dict[str, bytes]:
    """The costliest input of each class, made from a real GraphQL timeline (and "normal": the timeline
    as it is): every post dated 9999, or spread over X's life; every count huge, or negative; a deep
    array where the first post's text was."""
    where = paths(timeline)
    dated = [path for path in where if path[-1] == "created_at"]
    counted = [path for path in where if isinstance(path[-1], str) and path[-1].endswith("count")]
    texts = [path for path in where if path[-1] == "full_text"]
    out = {}
    for name, targets, value in (
        ("dates in 9999", dated, "Fri Dec 31 23:59:59 +0000 9999"),
        ("dates spread over X's life", dated, None),
        ("huge counts", counted, 2**63 - 1),
        ("negative counts", counted, -1),
        ("deep nesting", texts[:1], DEEP),
    ):
        changed = copy.deepcopy(timeline)
        for index, path in enumerate(targets):
            spread = f"Mon Jan 0{1 + index % 9} 00:00:00 +0000 {2006 + index % 21}"
            mangle(changed, path, spread if value is None else value)
        out[name] = to_bytes(changed)
    out["normal"] = to_bytes(timeline)
    return out
