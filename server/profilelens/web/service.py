"""What the routes do, apart from HTTP: analyse a body or an account, through the cache, and a batch.

Handlers (and the report pages) call these; each returns the reports as JSON bytes,
`{"reports": [...]}`, and whether they came from the cache. The analysis itself runs in the analysis
pool, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web

from profilelens import collector
from profilelens.config import Config
from profilelens.records import Capture, InputError
from profilelens.web.cache import AccountRef, Cache, analysis_key, fetch_key
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL, CACHE, CONFIG, XAPI, XAPI_POOL
from profilelens.web.requests import SentItem
from profilelens.xapi import TOKEN_VARIABLE, parse_handle

log = logging.getLogger(__name__)


def analyze_to_json(
    body: bytes, now: datetime, tz: str | None, config: Config
) -> tuple[bytes, list[AccountRef]]:
    """`{"reports": [...]}` as JSON bytes, and the accounts the reports are about (for the cache).
    A gzip body inflates here, in the pool, to no more than the body limit."""
    # Imported here, in the worker thread, so that loading the analysis and its models stays off the loop.
    from profilelens.analysis import analyze_bytes

    reports = analyze_bytes(body, now=now, tz=tz, models=config.models_dir, max_inflated=config.max_body)
    accounts: list[AccountRef] = []
    for report in reports:
        account = report.get("account") or {}
        accounts.append((account.get("id"), account.get("handle")))
    return orjson.dumps({"reports": reports}), accounts


async def analyze_body(app: web.Application, body: bytes, tz: str | None) -> tuple[bytes, bool]:
    """The reports for a body in any input shape (or a bundle), analysed in the pool unless cached."""
    cache = app[CACHE]
    key, cached = await cache.get_analysis(body, tz)
    if cached is not None:
        return cached, True
    now = datetime.now(UTC)
    loop = asyncio.get_running_loop()
    result, accounts = await loop.run_in_executor(
        app[ANALYSIS_POOL], analyze_to_json, body, now, tz, app[CONFIG]
    )
    cache.put(key, result, accounts)
    return result, False


async def account_reports(app: web.Application, handle: str, tz: str | None) -> tuple[bytes, bool]:
    """The reports for @handle fetched through the X API (the fetch is cached too)."""
    handle = parse_handle(handle)  # an XApiError is an ApiError: a bad handle is answered as is
    xapi = app.get(XAPI)
    if xapi is None:
        raise ApiError(
            501,
            "x_api_not_configured",
            f"looking up an account needs an X API bearer token: set {TOKEN_VARIABLE} in the environment "
            "of `profilelens serve` and restart it; without one, send a capture to POST /v1/analyze",
        )
    cache = app[CACHE]
    key = fetch_key(handle)
    bundle = await cache.get(key)
    if bundle is None:
        loop = asyncio.get_running_loop()
        fetched = await loop.run_in_executor(app[XAPI_POOL], xapi.fetch, handle)
        bundle = orjson.dumps(fetched.bundle())
        cache.put(key, bundle, [(fetched.account_id, fetched.handle)])
    try:
        return await analyze_body(app, bundle, tz)
    except InputError as exc:  # the time zone was checked by the handler: X's answer is at fault
        raise ApiError(502, "x_api_changed", f"the X API answered in a shape we cannot read: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One batch item done: its reports (JSON bytes, as above) or the error that stopped it."""

    index: int
    item: str | None  # the handle; None for a capture (let go once read)
    result: bytes | None
    cached: bool
    error: ApiError | None


@dataclass(frozen=True, slots=True)
class Handle:
    """A batch item that names an account to look up through the X API."""

    name: str


Captures = tuple[list[Capture], str]  # an item's captures and the time zone they are read in
# A capture item read and waiting for its chunk to be reported: its index, its cache key, and its captures
# (or what stopped it).
Parsed = tuple[int, str, Captures | Exception]

# Bytes of NDJSON lines read before they are parsed and let go: with the chunks being reported, what a
# streamed batch holds at once, whatever its length.
GROUP_BYTES = 1024 * 1024


async def batch_results(
    app: web.Application, items: AsyncIterator[SentItem], tz: str | None
) -> AsyncGenerator[list[ItemResult]]:
    """The items analysed, yielded as they finish, those that finish together at once (a chunk reported,
    a group's cached and failed items, a handle): a handle through the X API, a few at a time; captures
    read in small groups (from the cache when it holds them, else parsed in the pool, their bytes then
    let go) and reported CHUNK at a time in the pool, their accounts scored together. Items are taken
    from `items` only while the pool keeps up, so a streamed body waits in the socket. Each item fails
    alone: a bad one is an error result, never the batch's end. When `items` itself fails (a body cut
    off, over its limits), what was read is still answered, then that error is raised. Closing the
    iterator early cancels the work nobody will read."""
    batch = _Batch(app, tz)
    reader = asyncio.create_task(batch.read(items))
    try:
        while (done := await batch.done.get()) is not None:
            yield done
    finally:
        reader.cancel()
        for task in list(batch.tasks):
            task.cancel()
    if batch.error is not None:
        raise batch.error


class _Batch:
    """The work of one batch in flight (see batch_results): results go to `done` as they come, then None."""

    def __init__(self, app: web.Application, tz: str | None) -> None:
        config = app[CONFIG]
        self.app, self.tz = app, tz
        self.loop = asyncio.get_running_loop()
        self.lookups = asyncio.Semaphore(config.batch_concurrency)
        # Chunks being reported at once: the pool's other workers; one stays free to parse what comes next.
        self.reporting = asyncio.Semaphore(max(1, config.analysis_workers - 1))
        # Not bounded: a client that reads its answers only once it has sent every line must not stop
        # the reading (the answers are small beside the items).
        self.done: asyncio.Queue[list[ItemResult] | None] = asyncio.Queue()
        self.tasks: set[asyncio.Task[None]] = set()
        self.error: ApiError | None = None  # what stopped the reading, raised once the results are out

    async def read(self, items: AsyncIterator[SentItem]) -> None:
        try:
            await self._read(items)
        except Exception:
            log.exception("reading a batch failed")
            self.error = ApiError(500, "internal", "unexpected server error; the server log has the details")
        finally:
            self.done.put_nowait(None)

    async def _read(self, items: AsyncIterator[SentItem]) -> None:
        from profilelens.batch import CHUNK  # with the analysis: loaded in the pool, not at start

        group: list[tuple[int, SentItem]] = []
        size = index = 0
        parsed: list[Parsed] = []
        try:
            async for sent in items:
                group.append((index, sent))
                index += 1
                size += len(sent) if isinstance(sent, bytes) else 0
                del sent  # the group holds it, and lets it go once parsed
                if len(group) == CHUNK or size >= GROUP_BYTES:
                    parsed += await self.take(group)
                    group, size = [], 0
                    while len(parsed) >= CHUNK:
                        await self.report_later(parsed[:CHUNK])
                        parsed = parsed[CHUNK:]
        except ApiError as exc:  # the body failed: what came before it is still answered
            self.error = exc
        parsed += await self.take(group)
        del group
        while parsed:
            await self.report_later(parsed[:CHUNK])
            parsed = parsed[CHUNK:]
        if self.tasks:
            await asyncio.wait(list(self.tasks))

    def start(self, work: Coroutine[Any, Any, list[ItemResult]]) -> None:
        async def run() -> None:
            self.done.put_nowait(await work)

        task = asyncio.create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def take(self, group: list[tuple[int, SentItem]]) -> list[Parsed]:
        """A group of items read: each handle's lookup started, each failed or cached item answered, and
        the other captures (parsed in the pool) returned to be reported."""
        if not group:
            return []
        kinds, found, parsed = await self.loop.run_in_executor(
            self.app[ANALYSIS_POOL], read_group, [sent for _, sent in group], self.tz, self.app[CACHE]
        )
        answered: list[ItemResult] = []
        unread: list[Parsed] = []
        hits, captures = iter(found), iter(parsed)
        for (index, _), kind in zip(group, kinds, strict=True):
            if isinstance(kind, Handle):
                self.start(self.lookup(index, kind.name))
            elif isinstance(kind, ApiError):
                answered.append(ItemResult(index, None, None, False, kind))
            elif (cached := next(hits)) is not None:
                answered.append(ItemResult(index, None, cached, True, None))
            else:
                unread.append((index, kind, next(captures)))
        if answered:
            self.done.put_nowait(answered)
        return unread

    async def lookup(self, index: int, handle: str) -> list[ItemResult]:
        async with self.lookups:
            try:
                result, hit = await account_reports(self.app, handle, self.tz)
            except Exception as exc:
                return [ItemResult(index, handle, None, False, _item_error(index, exc))]
        return [ItemResult(index, handle, result, hit, None)]

    async def report_later(self, chunk: list[Parsed]) -> None:
        """Reports a chunk once the pool has room: until then the reading waits."""
        await self.reporting.acquire()
        self.start(self.report(chunk))

    async def report(self, chunk: list[Parsed]) -> list[ItemResult]:
        try:
            done = await self.loop.run_in_executor(
                self.app[ANALYSIS_POOL],
                report_parsed,
                [one for *_, one in chunk],
                datetime.now(UTC),
                self.app[CONFIG],
            )
        except Exception as exc:  # the whole chunk: each of its items says so
            return [ItemResult(index, None, None, False, _item_error(index, exc)) for index, *_ in chunk]
        finally:
            self.reporting.release()
        results, entries = [], []
        for (index, key, _), outcome in zip(chunk, done, strict=True):
            if isinstance(outcome, Exception):
                results.append(ItemResult(index, None, None, False, _item_error(index, outcome)))
            else:
                result, accounts = outcome
                entries.append((key, result, accounts))
                results.append(ItemResult(index, None, result, False, None))
        self.app[CACHE].put_many(entries)
        return results


CAPTURE_LINE = re.compile(rb"\s*[^\s\"]")  # an NDJSON line that is not a JSON string: a capture


@collector.paused()
def sort_items(items: list[SentItem], tz: str | None) -> list[Handle | str | ApiError]:
    """In the pool: each item as a handle to look up, a capture's cache key (the one POST /v1/analyze
    gives it as a body on its own), or the error that stopped it."""
    kinds: list[Handle | str | ApiError] = []
    for item in items:
        if isinstance(item, ApiError):
            kinds.append(item)
        elif isinstance(item, str):
            kinds.append(Handle(item))
        elif isinstance(item, dict):
            kinds.append(analysis_key(orjson.dumps(item), tz))
        elif CAPTURE_LINE.match(item):
            kinds.append(analysis_key(item, tz))
        else:
            try:
                kinds.append(Handle(decode_line(item)))
            except ApiError as exc:
                kinds.append(exc)
    return kinds


@collector.paused()
def read_group(
    items: list[SentItem], tz: str | None, cache: Cache
) -> tuple[list[Handle | str | ApiError], list[bytes | None], list[Captures | Exception]]:
    """In the pool, a group of items in one trip from the event loop and back: each item's kind (see
    sort_items), each capture's cached reports (the cache's thread looks them up, this one waits), and
    the captures it does not hold parsed (parse_items). Three trips woke the event loop three times a
    group: with a write per answer line (handlers.batch now writes the lines done together at once), a
    sixth of its CPU, 0.02 ms an account (bench_batch_server, 500 items)."""
    kinds = sort_items(items, tz)
    found = cache.get_many_blocking([kind for kind in kinds if isinstance(kind, str)])
    unread, hits = [], iter(found)
    for item, kind in zip(items, kinds, strict=True):
        if isinstance(kind, str) and next(hits) is None:
            unread.append(item)
    return kinds, found, parse_items(unread, tz)


def decode_line(line: bytes) -> Any:
    """An NDJSON line's JSON value: a string is a handle, any other value a capture."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "bad_json", f"the line is not JSON: {exc}") from exc


@collector.paused()
def parse_items(items: list[SentItem], tz: str | None) -> list[Captures | Exception]:
    """In the pool: each capture item's captures and the time zone they are read in, or what stopped it."""
    from profilelens import analysis, sources

    parsed: list[Captures | Exception] = []
    for item in items:
        try:
            capture = decode_line(item) if isinstance(item, bytes) else item
            parsed.append((sources.parse(capture), tz or analysis.bundle_tz(capture) or analysis.DEFAULT_TZ))
        except Exception as exc:
            parsed.append(exc)
    return parsed


@collector.paused()
def report_parsed(
    parsed: list[Captures | Exception], now: datetime, config: Config
) -> list[tuple[bytes, list[AccountRef]] | Exception]:
    """In the pool: each parsed item's reports as `analyze_to_json` gives them, the chunk's accounts
    scored together; an item that failed keeps its exception."""
    from profilelens import batch

    inputs = [one for one in parsed if not isinstance(one, Exception)]
    reported = iter(batch.analyze_each(inputs, now=now, models=config.models_dir))
    outcomes: list[tuple[bytes, list[AccountRef]] | Exception] = []
    for one in parsed:
        reports = one if isinstance(one, Exception) else next(reported)
        if isinstance(reports, Exception):
            outcomes.append(reports)
            continue
        accounts = [
            ((r.get("account") or {}).get("id"), (r.get("account") or {}).get("handle")) for r in reports
        ]
        outcomes.append((orjson.dumps({"reports": reports}), accounts))
    return outcomes


def _item_error(index: int, exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, InputError):
        return ApiError(400, "bad_input", str(exc))
    log.error("batch item %d failed", index, exc_info=exc)
    return ApiError(500, "internal", "unexpected server error; the server log has the details")
