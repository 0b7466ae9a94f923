"""What the routes do, apart from HTTP: analyse a body or an account, through the cache, and a batch.

Handlers (and the report pages) call these; each returns the reports as JSON bytes,
`{"reports": [...]}`, and whether they came from the cache. The analysis itself runs in the analysis
pool, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from aiohttp import web

from profilelens import collector
from profilelens.config import Config
from profilelens.records import Capture, InputError
from profilelens.web.cache import AccountRef, analysis_key, fetch_key
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL, CACHE, CONFIG, XAPI, XAPI_POOL
from profilelens.web.requests import BatchItem
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


async def batch_results(
    app: web.Application, items: list[BatchItem], tz: str | None
) -> AsyncGenerator[ItemResult]:
    """Each item analysed (a handle through the X API, a few at a time; captures CHUNK at a time in the
    pool, their accounts scored together), yielded as it finishes. Each fails alone: a bad item is an
    error result, never the batch's end. A capture's entry in `items` is let go once it is done. Closing
    the iterator early cancels the work nobody will read."""
    from profilelens.batch import chunks  # with the analysis: loaded in the pool's first batch, not at start

    limit = asyncio.Semaphore(app[CONFIG].batch_concurrency)

    async def handle(index: int, item: str) -> list[ItemResult]:
        async with limit:
            try:
                result, hit = await account_reports(app, item, tz)
            except Exception as exc:
                return [ItemResult(index, item, None, False, _item_error(index, exc))]
        return [ItemResult(index, item, result, hit, None)]

    async def captures(indices: list[int]) -> list[ItemResult]:
        async with limit:
            chunk = [items[i] for i in indices]
            for i in indices:
                items[i] = {}  # the chunk holds it now: let go with the chunk
            try:
                return await _capture_results(app, indices, chunk, tz)
            except Exception as exc:  # the whole chunk: each of its items says so
                return [ItemResult(i, None, None, False, _item_error(i, exc)) for i in indices]

    handles = [i for i, item in enumerate(items) if isinstance(item, str)]
    bodies = [i for i, item in enumerate(items) if not isinstance(item, str)]
    tasks = [asyncio.create_task(handle(i, str(items[i]))) for i in handles]
    tasks += [asyncio.create_task(captures(indices)) for indices in chunks(bodies)]
    try:
        for finished in asyncio.as_completed(tasks):
            for result in await finished:
                yield result
    finally:
        for task in tasks:
            task.cancel()


async def _capture_results(
    app: web.Application, indices: list[int], chunk: list[BatchItem], tz: str | None
) -> list[ItemResult]:
    """A chunk of capture items: each from the cache when it holds it, the others analysed together."""
    loop = asyncio.get_running_loop()
    pool, cache = app[ANALYSIS_POOL], app[CACHE]
    keys = await loop.run_in_executor(pool, _keys, chunk, tz)
    cached = [await cache.get(key) for key in keys]
    missed = [n for n, value in enumerate(cached) if value is None]
    now = datetime.now(UTC)
    done = await loop.run_in_executor(
        pool, analyze_items_to_json, [chunk[n] for n in missed], now, tz, app[CONFIG]
    )
    results = [ItemResult(i, None, value, True, None) for i, value in zip(indices, cached, strict=True)]
    for n, outcome in zip(missed, done, strict=True):
        if isinstance(outcome, Exception):
            results[n] = ItemResult(indices[n], None, None, False, _item_error(indices[n], outcome))
        else:
            result, accounts = outcome
            cache.put(keys[n], result, accounts)
            results[n] = ItemResult(indices[n], None, result, False, None)
    return results


def _keys(chunk: list[BatchItem], tz: str | None) -> list[str]:
    """Each capture's cache key: the one POST /v1/analyze would give it as a body on its own."""
    return [analysis_key(orjson.dumps(item), tz) for item in chunk]


@collector.paused()
def analyze_items_to_json(
    chunk: list[BatchItem], now: datetime, tz: str | None, config: Config
) -> list[tuple[bytes, list[AccountRef]] | Exception]:
    """In the pool: each capture item's reports as `analyze_to_json` gives them, the chunk's accounts
    scored together; an item that fails gets its exception."""
    from profilelens import analysis, batch, sources

    parsed: list[tuple[list[Capture], str] | Exception] = []
    for item in chunk:
        try:
            parsed.append((sources.parse(item), tz or analysis.bundle_tz(item) or analysis.DEFAULT_TZ))
        except Exception as exc:
            parsed.append(exc)
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
