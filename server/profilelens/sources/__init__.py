"""Every input shape into the one account model: `parse(payload) -> list[Capture]`.

The shape is detected from the decoded JSON itself:
- X web GraphQL `{"data": {"user": {"result": ...}}}` and relatives -> graphql.py
- X API v2 `{"data": {...}|[...], "includes": {...}}` (tweepy's Response) -> api_v2.py
- v1.1 user/status objects, lists of them, `{"users": [...]}` pages -> api_v1.py
- the extension's DOM capture `{"profilelens_dom": 1, ...}` -> dom.py
- a bundle `{"captures": [...]}` of any of these -> the captures of each item, in order.

Lists of users (followers pages, searches) give one account-only capture per user. An empty list of
statuses or users gives no capture. Anything else raises InputError naming what was expected; no other
exception escapes, whatever the payload.
"""

from __future__ import annotations

from typing import Any

from ..records import Capture, InputError
from . import api_v1, api_v2, dom, graphql

__all__ = ["parse"]

EXPECTED = (
    "expected X GraphQL {data:{user:{result}}}, X API v2 {data, includes}, v1.1 user/status objects, "
    "or a ProfileLens DOM capture (profilelens_dom)"
)


def parse(payload: object) -> list[Capture]:
    """The captures in one decoded input; InputError (and only InputError) when it cannot be read."""
    if isinstance(payload, dict) and "captures" in payload and "data" not in payload:
        return _bundle(payload["captures"])
    return _guarded(payload)


def _bundle(members: object) -> list[Capture]:
    # One unreadable member (say, the timeline of a protected account) must not sink the others:
    # it becomes a note on what was read, unless nothing was.
    if not isinstance(members, list) or not members:
        raise InputError('a bundle\'s "captures" must be a non-empty list of captures; ' + EXPECTED)
    captures: list[Capture] = []
    problems: list[str] = []
    for number, member in enumerate(members, start=1):
        if isinstance(member, dict) and "captures" in member:
            problems.append(f"capture {number} skipped: bundles cannot nest")
            continue
        try:
            captures.extend(_guarded(member))
        except InputError as error:
            problems.append(f"capture {number} skipped: {error}")
    if not captures:
        raise InputError("no capture in the bundle could be read: " + " | ".join(problems)[:2000])
    captures[0].notes.extend(problems)
    return captures


def _guarded(payload: object) -> list[Capture]:
    try:
        return _dispatch(payload)
    except InputError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError) as error:
        # A shape we recognised but could not read as a whole: say so rather than crash.
        raise InputError(f"broken input ({type(error).__name__}); {EXPECTED}") from error


def _dispatch(payload: object) -> list[Capture]:
    if isinstance(payload, dict):
        return _object(payload)
    if isinstance(payload, list):
        return api_v1.parse_list(payload)
    raise InputError(f"not a known input shape (a JSON {type(payload).__name__}): {EXPECTED}")


def _object(payload: dict[str, Any]) -> list[Capture]:
    if "profilelens_dom" in payload:
        return dom.parse(payload)
    data = payload.get("data")
    if isinstance(data, list) or (isinstance(data, dict) and "id" in data):
        return api_v2.parse(payload)
    if isinstance(data, dict):
        return graphql.parse(payload)
    if api_v1.is_v1(payload):
        return api_v1.parse_object(payload)
    if isinstance(payload.get("ids"), list):
        raise InputError(f"a list of account ids (followers/friends ids) holds no profile: {EXPECTED}")
    if "relationship" in payload:
        raise InputError(f"a friendship relation between two accounts is not a profile: {EXPECTED}")
    if data is None and "errors" in payload:
        return graphql.parse(payload)  # reports X's own error message
    raise InputError(f"not a known input shape: {EXPECTED}")
