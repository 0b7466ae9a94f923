"""A browser's HAR export of x.com: the X GraphQL answers it recorded, as `{"url", "body"}` items.

Chrome's and Firefox's network panels save it ("Export HAR", "Save All As HAR"; HAR 1.2):
`log.entries[]`, each with `request.method` and `request.url`, and the answer in
`response.content.text`, base64 when `response.content.encoding` is "base64". A browsing session
records much besides the profile (the page, scripts, images, other sites, X's other GraphQL calls):
only the answers of the operations graphql.py reads (`graphql.OPERATIONS`, named in the URL) are kept;
X's other calls are named in one note.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from typing import Any, TypeGuard

from ..records import InputError
from . import graphql
from ._coerce import items, obj, text

Member = tuple[str, dict[str, Any]]  # (where it is in the HAR, {"url": ..., "body": ...})
RECORD_HINT = (
    "open the profile (and its Replies tab) with the browser's network panel recording, then save it "
    '("Export HAR" in Chrome, "Save All As HAR" in Firefox)'
)


def is_har(payload: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(payload, dict) and isinstance(obj(payload.get("log")).get("entries"), list)


def answers(payload: dict[str, Any]) -> tuple[list[Member], list[str]]:
    """The profile answers among the entries, each labelled, and notes on what was left out.
    InputError, saying what the HAR holds, when there is none."""
    entries = items(obj(payload.get("log")).get("entries"))
    kept: list[Member] = []
    other: Counter[str] = Counter()  # X's other GraphQL operations
    bodiless: Counter[str] = Counter()
    for number, entry in enumerate(entries, start=1):
        request = obj(obj(entry).get("request"))
        url = text(request.get("url")) or ""
        name = graphql.operation(url)
        if name is None or text(request.get("method")) == "OPTIONS":  # not X's GraphQL, or a preflight
            continue
        if name not in graphql.OPERATIONS:
            other[name] += 1
            continue
        body = _body(obj(obj(obj(entry).get("response")).get("content")))
        if body is None:
            bodiless[name] += 1
            continue
        kept.append((f"entry {number} ({name})", {"url": url, "body": body}))
    notes = []
    if other:
        notes.append(f"X GraphQL answers that are not a profile's left out: {_names(other)}")
    if bodiless:
        notes.append(f"X GraphQL answers saved without their body left out: {_names(bodiless)}")
    if kept:
        return kept, notes
    if bodiless:
        raise InputError(
            f"the HAR holds X's profile answers ({_names(bodiless)}) but not their bodies: "
            "save the HAR again with the responses' content"
        )
    if other:
        raise InputError(
            f"the HAR's X GraphQL answers ({_names(other)}) are not a profile's: expected "
            f"{', '.join(sorted(graphql.OPERATIONS))}; {RECORD_HINT}"
        )
    raise InputError(
        f"the HAR holds no X GraphQL answer (x.com/i/api/graphql/...) among its {len(entries)} entries: "
        + RECORD_HINT
    )


def _body(content: dict[str, Any]) -> str | bytes | None:
    """The answer's body as saved: text, or bytes when base64; None when not saved or not readable."""
    body = text(content.get("text"))
    if not body or not body.strip():
        return None
    if text(content.get("encoding")) != "base64":
        return body
    try:
        return base64.b64decode(body)
    except (binascii.Error, ValueError):
        return None


def _names(counts: Counter[str]) -> str:
    shown = [name if n == 1 else f"{name} ×{n}" for name, n in counts.most_common(6)]
    return ", ".join(shown) + (", …" if len(counts) > len(shown) else "")
