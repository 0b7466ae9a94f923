"""Reading a request, the one way every route does: the body within its limit, the `?tz=` time zone,
and a batch's items. A bad request raises ApiError with the status and message the caller gets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
from aiohttp import web

from profilelens import collector
from profilelens.analysis import time_zone
from profilelens.records import InputError
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL, CONFIG

MAX_BATCH_ITEMS = 1000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

BatchItem = str | dict[str, Any]  # a handle, or a capture in any input shape
# A batch item as read: an item of a JSON body, an NDJSON line (undecoded), or the error that already
# stopped it (a line over the limit).
SentItem = BatchItem | bytes | ApiError


def check_tz(tz: str) -> str:
    try:
        time_zone(tz)
    except InputError as exc:
        raise ApiError(400, "bad_timezone", str(exc)) from exc
    return tz


def query_tz(request: web.Request) -> str | None:
    """The `?tz=` time zone, checked here so that a bad one is the caller's 400, whatever the source."""
    tz = request.query.get("tz")
    return None if tz is None else check_tz(tz)


async def read_body(request: web.Request, *, form_field: str | None = None) -> bytes:
    """The request body, refused past the configured limit, when compressed, when it trickles in slower
    than the body timeout, or when empty. With `form_field`, a form post (a browser's upload) gives that
    field's content instead."""
    config = request.app[CONFIG]
    limit = config.max_body
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(
            413, "too_large", f"request body too large: {request.content_length} bytes, limit {limit}"
        )
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(
            415, "compressed_body", f"Content-Encoding {encoding!r} is refused: send the JSON uncompressed"
        )
    try:
        async with asyncio.timeout(config.body_timeout):
            body = await _read(request, form_field, limit)
    except TimeoutError:
        raise ApiError(
            408, "body_timeout", f"the request body did not arrive within {config.body_timeout:g} s"
        ) from None
    if len(body) > limit:
        raise ApiError(413, "too_large", f"request body too large: over {limit} bytes")
    if not body.strip():
        where = f"as the JSON body or as the form field `{form_field}`" if form_field else "as JSON"
        raise ApiError(400, "empty_body", f"the request body is empty: send a capture {where}")
    return body


async def _read(request: web.Request, form_field: str | None, limit: int) -> bytes:
    if form_field and request.content_type in FORM_TYPES:
        field = (await request.post()).get(form_field)
        if isinstance(field, web.FileField):
            return field.file.read(limit + 1)
        return field.encode() if isinstance(field, str) else b""
    return await request.read()


async def read_batch(
    request: web.Request, *, form_field: str | None = None
) -> tuple[AsyncIterator[SentItem], str | None]:
    """A batch's items, given one by one as the batch asks for them, and its time zone. The body is read
    whole and decoded in the pool: a large one never holds the event loop."""
    body = await read_body(request, form_field=form_field)
    pool = request.app[ANALYSIS_POOL]
    items, tz = await asyncio.get_running_loop().run_in_executor(pool, batch_items, body)
    return let_go(items), tz


async def let_go(items: list[BatchItem]) -> AsyncIterator[SentItem]:
    """The items of a list, each let go by the list as it is given."""
    items.reverse()
    while items:
        yield items.pop()


@collector.paused()
def batch_items(body: bytes) -> tuple[list[BatchItem], str | None]:
    """`{"items": [handle or capture, ...], "tz": optional}`, checked."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "bad_json", f"the body is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ApiError(422, "invalid_request", 'expected {"items": [handle or capture, ...], "tz": optional}')
    items = data["items"]
    if not 1 <= len(items) <= MAX_BATCH_ITEMS:
        raise ApiError(422, "invalid_request", f"items: between 1 and {MAX_BATCH_ITEMS}, got {len(items)}")
    for index, item in enumerate(items):
        if not isinstance(item, str | dict):
            kind = type(item).__name__
            raise ApiError(
                422, "invalid_request", f"items[{index}]: a handle or a capture object, not {kind}"
            )
    tz = data.get("tz")
    if tz is not None and not isinstance(tz, str):
        raise ApiError(422, "invalid_request", "tz: an IANA time zone name like Europe/Paris")
    return items, (check_tz(tz) if tz is not None else None)
