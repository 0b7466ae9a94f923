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

from profilelens.config import Config
from profilelens.records import InputError
from profilelens.web.cache import AccountRef, fetch_key
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
    item: BatchItem
    result: bytes | None
    cached: bool
    error: ApiError | None


async def batch_results(
    app: web.Application, items: list[BatchItem], tz: str | None
) -> AsyncGenerator[ItemResult]:
    """Each item analysed (a handle through the X API, a capture as posted), a few at a time, yielded
    as it finishes. Each fails alone: a bad item is an error result, never the batch's end. Closing the
    iterator early cancels the work nobody will read."""
    limit = asyncio.Semaphore(app[CONFIG].batch_concurrency)

    async def one(index: int, item: BatchItem) -> ItemResult:
        async with limit:
            try:
                if isinstance(item, str):
                    result, hit = await account_reports(app, item, tz)
                else:
                    result, hit = await analyze_body(app, orjson.dumps(item), tz)
            except ApiError as exc:
                return ItemResult(index, item, None, False, exc)
            except InputError as exc:
                return ItemResult(index, item, None, False, ApiError(400, "bad_input", str(exc)))
            except Exception:
                log.exception("batch item %d failed", index)
                message = "unexpected server error; the server log has the details"
                return ItemResult(index, item, None, False, ApiError(500, "internal", message))
        return ItemResult(index, item, result, hit, None)

    tasks = [asyncio.create_task(one(index, item)) for index, item in enumerate(items)]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()
