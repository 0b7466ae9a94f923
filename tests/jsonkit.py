"""Walking and changing decoded JSON documents: how the robustness and hostile-input tests mangle real
captures."""

from __future__ import annotations

import copy
from typing import Any


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a decoded JSON document, as the keys and indexes that lead to it."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend(paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.extend(paths(inner, (*prefix, index)))
    return found


def mangle(document: Any, path: tuple[Any, ...], replacement: Any, remove: bool = False) -> None:
    """Put a copy of `replacement` at `path` (or remove what is there); nothing when an earlier change
    removed the place. A copy: a shared value could otherwise end up nested in itself."""
    parent = document
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if (isinstance(parent, dict) and last in parent) or (
        isinstance(parent, list) and isinstance(last, int) and last < len(parent)
    ):
        if remove:
            del parent[last]
        else:
            parent[last] = copy.deepcopy(replacement)
