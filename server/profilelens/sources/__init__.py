"""Every input shape into the one account model: `parse(payload) -> list[Capture]`.

`decode(body: bytes)` (_body.py) turns a body as saved into JSON: gzip, a byte-order mark and the X
archive's script prefix are taken off. The shape is then detected from the decoded JSON itself:
- X web GraphQL `{"data": {"user": {"result": ...}}}` and relatives -> graphql.py
- X API v2 `{"data": {...}|[...], "includes": {...}}` (tweepy's Response) -> api_v2.py
- v1.1 user/status objects, lists of them, `{"users": [...]}` pages -> api_v1.py
- the extension's DOM capture `{"profilelens_dom": 1, ...}` -> dom.py
- twitter-web-exporter's tweets and users exports (lists of flat rows) -> web_exporter.py
- X's data archive: tweets.js, account.js, profile.js (`[{"tweet": ...}]`, ...) -> archive.py
- `{"url": <request URL>, "body": <answer>}`: the body read as any of these, the X GraphQL operation
  its URL names and the account it asks about (its `variables.userId`) kept on the captures
  (`Capture.operation`, `Capture.page_owner`): a Followers page is then known to be whose
- a bundle `{"captures": [...]}` of any of these -> the captures of each item, in order
- a browser's HAR of x.com `{"log": {"entries": [...]}}` -> its X GraphQL profile answers (har.py),
  each read as a `{"url", "body"}` item of a bundle.

Lists of users (followers pages, searches) give one account-only capture per user. An empty list of
statuses or users gives no capture. Anything else raises InputError naming what was expected; no other
exception escapes, whatever the payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeGuard

from ..records import Capture, InputError
from . import api_v1, api_v2, archive, dom, graphql, har, web_exporter
from ._body import MAX_INFLATED, decode

__all__ = ["MAX_INFLATED", "decode", "parse"]

EXPECTED = (
    "expected X GraphQL {data:{user:{result}}}, X API v2 {data, includes}, v1.1 user/status objects, "
    "a ProfileLens DOM capture (profilelens_dom), a twitter-web-exporter tweets or users export, "
    "an X archive's tweets.js/account.js/profile.js, {url, body} of an X GraphQL request, "
    "a bundle {captures: [...]} or a browser's HAR of x.com"
)


def parse(payload: object) -> list[Capture]:
    """The captures in one decoded input; InputError (and only InputError) when it cannot be read."""
    if _is_bundle(payload):
        members = payload["captures"]
        if not isinstance(members, list) or not members:
            raise InputError('a bundle\'s "captures" must be a non-empty list of captures; ' + EXPECTED)
        labelled = [(f"capture {number}", member) for number, member in enumerate(members, start=1)]
        return _each(labelled, "no capture in the bundle")
    if har.is_har(payload):
        answers, notes = har.answers(payload)
        return _each(answers, "no X GraphQL answer in the HAR", notes)
    return _guarded(payload)


def _is_bundle(payload: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(payload, dict) and "captures" in payload and "data" not in payload


def _each(
    members: Sequence[tuple[str, object]], none_read: str, notes: list[str] | None = None
) -> list[Capture]:
    """The captures of every member of a bundle or a HAR, each labelled for the notes.

    One unreadable member (say, the timeline of a protected account) must not sink the others: it
    becomes a note on what was read, unless nothing was.
    """
    captures: list[Capture] = []
    problems: list[str] = []
    for label, member in members:
        try:
            captures.extend(_guarded(member))
        except InputError as error:
            problems.append(f"{label} skipped: {error}")
    if not captures:
        raise InputError(f"{none_read} could be read: " + " | ".join(problems)[:2000])
    captures[0].notes.extend([*problems, *(notes or [])])
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
        if web_exporter.is_export(payload):
            return web_exporter.parse(payload)
        if archive.is_archive(payload):
            return archive.parse(payload)
        return api_v1.parse_list(payload)
    raise InputError(f"not a known input shape (a JSON {type(payload).__name__}): {EXPECTED}")


def _object(payload: dict[str, Any]) -> list[Capture]:
    if _is_bundle(payload) or har.is_har(payload):
        raise InputError("a bundle or a HAR holds captures, it cannot be one: send it on its own")
    if "body" in payload and isinstance(payload.get("url"), str):
        return _answer(payload["url"], payload["body"])
    if "profilelens_dom" in payload:
        return dom.parse(payload)
    if archive.entry_kind(payload) is not None:
        return archive.parse([payload])
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


def _answer(url: str, body: object) -> list[Capture]:
    """A `{"url", "body"}` item: the body (decoded JSON, or its text as a HAR holds it) read as any
    input, with the X GraphQL operation the URL names and the account it asks about."""
    if isinstance(body, str):
        body = body.encode()
    captures = _dispatch(decode(body) if isinstance(body, bytes) else body)
    name = graphql.operation(url)
    owner = graphql.page_owner(url) if name is not None else None
    for capture in captures:
        capture.operation = name
        capture.page_owner = owner
    return captures
