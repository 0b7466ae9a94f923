"""Reading a request, the one way every route does: the body within its limit, the `?tz=` time zone,
and a batch's items. A bad request raises ApiError with the status and message the caller gets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler

from profilelens import collector
from profilelens.analysis import time_zone
from profilelens.config import Config
from profilelens.records import InputError
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL, CONFIG, QUERIES

MAX_BATCH_ITEMS = 1000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NDJSON = "application/x-ndjson"

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


def documented_queries(openapi: bytes) -> dict[tuple[str, str], frozenset[str]]:
    """Each operation's query parameters, as (METHOD, path) -> names, from the OpenAPI document."""
    paths = orjson.loads(openapi)["paths"]
    return {
        (method.upper(), path): frozenset(
            p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
        )
        for path, item in paths.items()
        for method, operation in item.items()
    }


@web.middleware
async def query_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A query parameter the operation does not take is refused, not ignored: `?timezone=` read as no
    time zone at all would give hours in UTC without a word."""
    route = request.match_info.route
    path = route.resource.canonical if route.resource is not None else None
    known = request.app[QUERIES].get((request.method, path or ""))
    if known is not None:
        unknown = sorted(set(request.query) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "none"
            raise ApiError(
                400, "unknown_parameter", f"unknown query parameter {unknown[0]!r} (this takes: {takes})"
            )
    return await handler(request)


def query_tz(request: web.Request) -> str | None:
    """The `?tz=` time zone, checked here so that a bad one is the caller's 400, whatever the source."""
    tz = request.query.get("tz")
    return None if tz is None else check_tz(tz)


def check_body_headers(request: web.Request, limit: int) -> None:
    """Refuses, unread, a body announced larger than `limit` (413) or compressed (415)."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(
            413, "too_large", f"request body too large: {request.content_length} bytes, limit {limit}"
        )
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ApiError(
            415, "compressed_body", f"Content-Encoding {encoding!r} is refused: send the JSON uncompressed"
        )


def body_timeout(config: Config) -> ApiError:
    return ApiError(408, "body_timeout", f"the request body did not arrive within {config.body_timeout:g} s")


async def read_body(request: web.Request, *, form_field: str | None = None) -> bytes:
    """The request body, refused past the configured limit, when compressed, when it trickles in slower
    than the body timeout, or when empty. With `form_field`, a form post (a browser's upload) gives that
    field's content instead."""
    config = request.app[CONFIG]
    limit = config.max_body
    check_body_headers(request, limit)
    try:
        async with asyncio.timeout(config.body_timeout):
            body = await _read(request, form_field, limit)
    except TimeoutError:
        raise body_timeout(config) from None
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
    """A batch's items, given one by one as the batch asks for them, and its time zone.

    An NDJSON body (one item a line, the time zone as `?tz=`) is read as it arrives: its lines wait in
    the socket until the batch is ready for them. A JSON body (`{"items": [...], "tz": ...}`, else `?tz=`)
    is read whole and decoded in the pool: a large one never holds the event loop."""
    tz = query_tz(request)
    if request.content_type == NDJSON:
        check_body_headers(request, request.app[CONFIG].max_batch_body)
        return ndjson_items(request), tz
    body = await read_body(request, form_field=form_field)
    pool = request.app[ANALYSIS_POOL]
    items, named = await asyncio.get_running_loop().run_in_executor(pool, batch_items, body)
    return let_go(items), named or tz


async def let_go(items: list[BatchItem]) -> AsyncIterator[SentItem]:
    """The items of a list, each let go by the list as it is given."""
    items.reverse()
    while items:
        yield items.pop()


async def ndjson_items(request: web.Request) -> AsyncIterator[SentItem]:
    """Each line of an NDJSON body as it arrives, blank lines skipped: its bytes, undecoded, or a 413 for
    a line over max_body (its bytes dropped as they come). Raises ApiError when the body runs past
    max_batch_body (413) or MAX_BATCH_ITEMS lines (422), holds no item at all (422), or when the
    server has waited for it longer than body_timeout in all (408): the time the batch spends on its
    items is not the client's."""
    config = request.app[CONFIG]
    loop = asyncio.get_running_loop()
    lines = LineSplitter(config.max_body)
    waited = 0.0
    read = count = 0
    while True:
        started = loop.time()
        try:
            async with asyncio.timeout(config.body_timeout - waited):
                data = await request.content.readany()
        except TimeoutError:
            raise body_timeout(config) from None
        except (ConnectionError, HttpProcessingError) as exc:
            raise ApiError(400, "connection_lost", f"the body broke off: {exc}") from None
        waited += loop.time() - started
        read += len(data)
        if read > config.max_batch_body:
            raise ApiError(
                413,
                "too_large",
                f"the batch body is over {config.max_batch_body} bytes: send the rest in another batch",
            )
        done = lines.feed(data) if data else lines.end()
        done.reverse()
        while done:  # each line let go here once given: only the batch holds it
            line = done.pop()
            if line is not None and (not line or line.isspace()):
                continue
            count += 1
            if count > MAX_BATCH_ITEMS:
                raise ApiError(
                    422,
                    "too_many_items",
                    f"a batch holds at most {MAX_BATCH_ITEMS} items: send the rest in another batch",
                )
            yield line if line is not None else too_long_line(count - 1, config.max_body)
            del line
        if not data:
            if not count:  # as the JSON form: a batch of nothing is the caller's mistake, said so
                raise ApiError(
                    422, "invalid_request", "the batch has no items: send one handle or capture a line"
                )
            return


def too_long_line(index: int, limit: int) -> ApiError:
    return ApiError(413, "too_large", f"item {index} is over {limit} bytes (the body limit): not read")


class LineSplitter:
    """Splits bytes arriving in pieces into lines, keeping at most `limit` bytes of the line in progress:
    a longer one comes out as None, its bytes dropped as they arrive."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._too_long = False

    def feed(self, data: bytes) -> list[bytes | None]:
        """The lines `data` ends (without their newline)."""
        done: list[bytes | None] = []
        start = 0
        while (end := data.find(b"\n", start)) != -1:
            self._add(data[start:end])
            done.append(self._line())
            start = end + 1
        self._add(data[start:])
        return done

    def end(self) -> list[bytes | None]:
        """The last line, when the data did not end with a newline."""
        return [self._line()] if self._parts or self._too_long else []

    def _add(self, piece: bytes) -> None:
        if self._too_long or not piece:
            return
        self._size += len(piece)
        if self._size > self.limit:
            self._too_long, self._parts = True, []
        else:
            self._parts.append(piece)

    def _line(self) -> bytes | None:
        line = None if self._too_long else b"".join(self._parts)
        self._parts, self._size, self._too_long = [], 0, False
        return line


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
